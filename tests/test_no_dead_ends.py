"""No dead ends (issue 18, item 6): every page says where it is and leads back up; a settlement
site's page leads to its records; a household is named by its head; a project's money is in
万元 with the unit shown."""

import datetime as dt
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from conftest import make_user
from employment.models import LaborProfile
from households.tests.factories import HouseholdFactory, PersonFactory, SiteFactory
from industry.models import IndustryProject, Investment, ProjectSite
from monitoring.models import MonitoringCase

pytestmark = pytest.mark.django_db

CRUMBS = re.compile(r'<nav class="breadcrumbs"[^>]*>(.*?)</nav>', re.S)
LINK = re.compile(r'<a href="([^"]+)">([^<]+)</a>')


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def html(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def crumbs(page: str) -> list[tuple[str, str]]:
    """The breadcrumb links of a page as (address, label), and its last crumb as ("", label)."""
    trail = CRUMBS.search(page).group(1)
    links = [(url.replace("&amp;", "&"), label) for url, label in LINK.findall(trail)]
    here = re.search(r'<span aria-current="page">([^<]+)</span>', trail)
    return links + ([("", here.group(1))] if here else [])


def test_a_household_is_named_by_its_head_and_number(alice, shache_household):
    page = html(client_of(alice), f"/households/{shache_household.pk}/")
    assert "<h1>阿卜杜拉·买买提 家（户编号 653125001-0001）</h1>" in page


def test_a_household_without_a_head_is_named_by_its_number(alice, shache_site):
    household = HouseholdFactory(site=shache_site, household_no="653125001-0009")
    PersonFactory(household=household, relation="spouse")
    page = html(client_of(alice), f"/households/{household.pk}/")
    assert "<h1>户编号 653125001-0009</h1>" in page


def test_the_breadcrumbs_lead_from_a_household_up_to_its_county(alice, shache_household):
    client = client_of(alice)
    site = shache_household.site
    trail = crumbs(html(client, f"/households/{shache_household.pk}/"))
    assert trail == [
        ("/", "概况"),
        ("/sites/?region=653125", "莎车县"),
        (f"/sites/{site.pk}/", "莎车县幸福安置区"),
        ("", "阿卜杜拉·买买提 家（户编号 653125001-0001）"),
    ]
    # Each step up opens: the county's crumb lists its sites.
    assert f'href="/sites/{site.pk}/"' in html(client, "/sites/?region=653125")
    for url, _label in trail[:-1]:
        html(client, url)


def test_a_persons_and_a_cases_page_pass_through_the_household(alice, shache_household):
    client = client_of(alice)
    person = shache_household.members.get(name="阿卜杜拉·买买提")
    up = (f"/households/{shache_household.pk}/", "阿卜杜拉·买买提 家（户编号 653125001-0001）")
    assert crumbs(html(client, f"/labor/persons/{person.pk}/"))[-2:] == [
        up,
        ("", "阿卜杜拉·买买提"),
    ]
    case = MonitoringCase.objects.create(
        household=shache_household,
        category="marginal",
        risks="illness",
        found_through="cadre",
        opened_on=dt.date(2025, 3, 1),
    )
    page = html(client, f"/monitoring/cases/{case.pk}/")
    assert crumbs(page)[-2:] == [up, ("", "监测对象")]
    # The case is named by its household's head too, not by its number alone.
    assert f'<h1>监测对象 · <a href="{up[0]}">{up[1]}</a></h1>' in page
    page = html(client, f"/households/{shache_household.pk}/edit/")
    assert crumbs(page)[-2:] == [up, ("", "编辑")]
    assert f"<h1>编辑搬迁户 · {up[1]}</h1>" in page


def test_every_page_says_where_it_is_through_the_one_include():
    """Every page template of the signed-in site draws its trail with {% breadcrumbs %}; the
    sign-in and error pages (before or outside a place) and the dashboard (whose trail climbs
    the regions as the user clicks through them) are the exceptions."""
    exceptions = {"governance/dashboard.html", "registration/login.html"}
    roots = [Path(settings.BASE_DIR) / "templates"] + [
        Path(settings.BASE_DIR) / app / "templates"
        for app in ("accounts", "households", "employment", "monitoring", "industry", "governance")
    ]
    without = []
    for root in roots:
        for template in root.rglob("*.html"):
            name = template.relative_to(root).as_posix()
            text = template.read_text(encoding="utf-8")
            if '{% extends "base.html" %}' not in text or name in exceptions:
                continue
            if "/" not in name or name.startswith(("registration/", "admin/")):
                continue  # error pages and the sign-in's, outside any place
            if "{% breadcrumbs" not in text:
                without.append(name)
    assert without == []


@pytest.fixture
def two_sites(shache_site):
    """A household, a laborer, a case and a project in `shache_site` and in a second site of
    the same county, each named after its site."""
    other = SiteFactory(county_id="653125", code="653125002", name="莎车县团结安置区")
    for site, tag in ((shache_site, "甲"), (other, "乙")):
        household = HouseholdFactory(site=site, household_no=f"HH-{tag}")
        person = PersonFactory(household=household, name=f"劳动力{tag}")
        LaborProfile.objects.create(
            person=person, capacity="ordinary", willingness="local", recorded_on=dt.date(2025, 1, 1)
        )
        MonitoringCase.objects.create(
            household=household,
            category="marginal",
            risks="illness",
            found_through="cadre",
            opened_on=dt.date(2025, 3, 1),
            visited_on=dt.date(2025, 3, 1),
            notice_from=dt.date(2025, 3, 1),
            decided_on=dt.date(2025, 3, 1),
            identified_on=dt.date(2025, 3, 1),
            status="monitored",
        )
        project = IndustryProject.objects.create(
            code=f"XM-{tag}",
            name=f"项目{tag}",
            county_id="653125",
            sector="primary",
            kind="crops",
            operator_type="cooperative",
            status="operating",
        )
        ProjectSite.objects.create(project=project, site=site, travel_minutes=10)
    return shache_site, other


def test_a_sites_page_leads_to_that_sites_records(alice, two_sites):
    site, _other = two_sites
    client = client_of(alice)
    page = html(client, f"/sites/{site.pk}/")
    toolbar = page[page.index("</h1>") : page.index("<dl")]
    links = {label: url.replace("&amp;", "&") for url, label in LINK.findall(toolbar)}
    assert set(links) == {
        "搬迁户台账",
        "就业台账",
        "监测对象",
        "产业项目",
        "安置区治理",
        "工作看板",
    }
    expected = {
        "搬迁户台账": ("HH-甲", "HH-乙"),
        "就业台账": ("劳动力甲", "劳动力乙"),
        "监测对象": ("HH-甲", "HH-乙"),
        "产业项目": ("XM-甲", "XM-乙"),
    }
    for label, (own, others) in expected.items():
        listed = html(client, links[label])
        assert own in listed and others not in listed, label
    assert site.name in html(client, links["工作看板"])
    assert f"{site.name} · 安置区治理" in html(client, links["安置区治理"])


def test_a_leader_reads_a_sites_figures_but_no_ledger(regions, shache_site):
    leader = make_user("lena", "leader_viewer", "6531")
    page = html(client_of(leader), f"/sites/{shache_site.pk}/")
    assert f'href="/dashboard/site/{shache_site.pk}/"' in page
    assert "/households/?site=" not in page
    assert f"/sites/{shache_site.pk}/governance/" not in page
    assert client_of(leader).get(f"/sites/{shache_site.pk}/governance/").status_code == 403


def test_a_projects_money_is_in_ten_thousand_yuan(alice, shache_site):
    project = IndustryProject.objects.create(
        code="XM-万",
        name="扶贫车间",
        county_id="653125",
        sector="secondary",
        kind="workshop",
        operator_type="enterprise",
        status="operating",
    )
    ProjectSite.objects.create(project=project, site=shache_site, travel_minutes=10)
    Investment.objects.create(project=project, source="central", amount=Decimal("10000000"))
    Investment.objects.create(project=project, source="county", amount=Decimal("2246500"))
    client = client_of(alice)
    detail = html(client, f"/industry/projects/{project.pk}/")
    assert "金额（万元）" in detail and "1,000.00" in detail and "1,224.65" in detail
    assert "12246500" not in detail and "10000000" not in detail
    listed = html(client, "/industry/projects/")
    assert "投资（万元）" in listed and "1,224.65" in listed
    response = client.get("/industry/projects/export/", {"format": "csv"})
    csv = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = csv.splitlines()[:2]
    assert header.endswith("总投资（万元）") and row.endswith(",1224.65")


def test_the_overview_finds_a_household_by_name(alice, regions, shache_household):
    """A cadre finds a household from the first page (on a phone the ledger is behind the
    menu); a leader, who reads no households, gets no search box."""
    client = client_of(alice)
    page = html(client, "/")
    assert '<form method="get" action="/households/" class="find" role="search">' in page
    assert 'name="q"' in page and "查找搬迁户" in page
    found = html(client, "/households/?q=阿卜杜拉买买提")
    assert "共 1 户" in found and "653125001-0001" in found
    leader = make_user("leader", "leader_viewer", "6531")
    assert "查找搬迁户" not in html(client_of(leader), "/")
