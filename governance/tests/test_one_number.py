"""One number everywhere (issue 15, items 1, 2 and 7): a report's 合计 is the area's own value
(a project serving two sites counts once), the rows that add up to more say why, and every
count opens the records it counts, for who may read records only."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from conftest import client_for, make_user
from employment.services import employment_open, labor_profile_save
from governance.generation import report_generate
from governance.workbook import build
from households.models import Region
from households.tests.factories import HouseholdFactory, PersonFactory, SiteFactory
from industry import services as industry
from industry.models import IndustryProject
from resettle.periods import last_ended

PERIOD = last_ended()
pytestmark = pytest.mark.django_db


@pytest.fixture
def shared_project(alice):
    """Two sites of 莎车县 with a household each, served by one workshop, and 500,000 yuan."""
    one = SiteFactory(county_id="653125", code="653125001", name="幸福社区")
    two = SiteFactory(county_id="653125", code="653125002", name="团结社区")
    for site in (one, two):
        PersonFactory(household=HouseholdFactory(site=site))
    project = industry.project_save(
        actor=alice,
        data={
            "code": "P001",
            "name": "服装车间",
            "county_id": "653125",
            "sector": "secondary",
            "kind": "workshop",
            "operator_type": "enterprise",
            "status": "operating",
            "actual_start": dt.date(2023, 4, 1),
            "jobs_offered": 4,
        },
        served=[(one, 10), (two, 15)],
        status_since=dt.date(2023, 4, 1),
    )
    industry.investment_add(
        actor=alice, project=project, data={"year": 2023, "amount": 500000, "source": "central"}
    )
    return one, two


def page_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def summary_rows(report) -> dict:
    sheet = load_workbook(io.BytesIO(build(report)))["汇总"]
    # A header whose unit does not fit on its line prints it on the next: 投资\n（万元）.
    headers = [(c.value or "").replace("\n", "") for c in sheet[4]]
    rows = {}
    notes = []
    for row in sheet.iter_rows(min_row=5, values_only=True):
        if row[0] and str(row[0]).startswith("※"):
            notes.append(row[0])
        elif row[0]:
            rows[row[0]] = dict(zip(headers[1:], row[1:], strict=True))
    return rows, notes


def test_the_total_counts_a_shared_project_once_on_the_page_and_in_the_workbook(
    alice, shared_project
):
    report = report_generate(actor=alice, period=PERIOD, region=Region.objects.get(code="653125"))
    rows, notes = summary_rows(report)
    assert rows["幸福社区"]["产业项目"] == rows["团结社区"]["产业项目"] == 1
    assert rows["合计"]["产业项目"] == 1
    assert rows["合计"]["投资（万元）"] == 50 and rows["幸福社区"]["投资（万元）"] == 50
    assert rows["合计"]["搬迁户数"] == 2  # a household belongs to one site: the rows add up
    assert len(notes) == 2 and all("每个安置区" in n for n in notes)
    page = page_for(alice).get(f"/reports/{report.pk}/")
    total = page.context["total"]
    columns = [c.header for c in page.context["columns"]]
    assert total[columns.index("产业项目")][0] == "1"
    assert total[columns.index("投资（万元）")][0] == "50.00"
    assert page.context["notes"] == notes
    assert "每个安置区行中各计一次" in page.content.decode()


def test_every_count_of_the_report_page_opens_as_many_records(alice, shared_project):
    report = report_generate(actor=alice, period=PERIOD, region=Region.objects.get(code="653125"))
    client = page_for(alice)
    page = client.get(f"/reports/{report.pk}/")
    columns = page.context["columns"]
    opened = 0
    for _name, cells in [*page.context["rows"], ("合计", page.context["total"])]:
        for col, (text, link) in zip(columns, cells, strict=True):
            if link is None:
                assert col.kind in ("ratio", "amount", "change")
                continue
            listed = client.get(link)
            assert listed.status_code == 200
            assert f"{listed.context['total']:,}" == text, (col.header, link)
            assert listed.context["reported"]["value"] is not None
            opened += 1
    assert opened >= 3 * 10


def test_a_leader_reads_figures_without_links_and_the_records_page_is_not_theirs(
    alice, shared_project
):
    report = report_generate(actor=alice, period=PERIOD, region=Region.objects.get(code="653125"))
    leader = make_user("lg", "leader_viewer", "6531")
    client = page_for(leader)
    page = client.get(f"/reports/{report.pk}/")
    assert page.status_code == 200
    assert all(link is None for _t, link in page.context["total"])
    assert "/figures/" not in page.content.decode()
    assert client.get("/figures/households/?region=653125").status_code == 404


def test_the_records_page_keeps_to_the_users_area(alice, charlie, shared_project):
    one, _two = shared_project
    client = page_for(charlie)  # 疏附县's operator
    for query in ["region=653125", "region=6531", f"site={one.pk}", "region=65"]:
        assert client.get(f"/figures/households/?{query}").status_code == 404, query
    assert client.get("/figures/no_such_figure/?region=653121").status_code == 404
    assert client.get("/figures/employment_rate/?region=653121").status_code == 404  # a ratio
    mine = page_for(alice)
    bad = mine.get("/figures/households/?region=653125&as_of=2026-13-40")
    assert bad.status_code == 400 and "YYYY-MM-DD" in bad.content.decode()
    later = mine.get("/figures/households/?region=653125&as_of=2999-01-01")
    assert later.status_code == 400 and "晚于今天" in later.content.decode()
    site_operator = make_user("sally", "site_operator", one.code)
    projects = page_for(site_operator).get(f"/figures/projects/?site={one.pk}")
    assert projects.status_code == 200 and projects.context["total"] == 1
    assert "服装车间" in projects.content.decode()


def test_a_page_of_records_costs_the_same_queries_however_many(
    alice, shared_project, django_assert_max_num_queries
):
    _one, two = shared_project
    client = page_for(alice)
    url = "/figures/persons/?region=653125"
    client.get(url)

    with CaptureQueriesContext(connection) as few:
        assert client.get(url).context["total"] == 2
    for _ in range(30):
        PersonFactory(household=HouseholdFactory(site=two))
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).context["total"] == 32


def test_the_overview_shows_a_part_under_its_own_name_and_opens_its_records(alice, shared_project):
    one, _two = shared_project
    site_operator = make_user("sally", "site_operator", one.code)
    page = page_for(site_operator).get("/")
    (summary,) = page.context["summaries"]
    assert summary["name"] == "您的安置区"
    assert [row["name"] for row in summary["rows"]] == [one.name]
    assert "莎车县" not in page.content.decode().split('class="figures"')[1]
    households, url = summary["rows"][0]["counts"][1]
    assert households == "1"
    assert page_for(site_operator).get(url).context["total"] == 1
    county = page_for(alice).get("/").context["summaries"][0]
    value, url = county["total_counts"][2]
    assert value == "2" and page_for(alice).get(url).context["total"] == 2
    leader = page_for(make_user("lg", "leader_viewer", "6531")).get("/")
    assert "/figures/" not in leader.content.decode()


def test_a_workshop_worker_of_another_site_is_counted_not_shown(alice, shared_project):
    one, two = shared_project
    worker = PersonFactory(household=HouseholdFactory(site=two), birth_date=dt.date(1990, 1, 1))
    labor_profile_save(actor=alice, person=worker, data={"capacity": "ordinary"})
    employment_open(
        actor=alice,
        person=worker,
        data={
            "channel": "park_workshop",
            "job_type": "wage_work",
            "place": "county",
            "start_date": dt.date(2025, 1, 1),
            "project": IndustryProject.objects.get(code="P001"),
        },
    )
    site_operator = make_user("sally", "site_operator", one.code)
    figure = page_for(site_operator).get(f"/figures/workshop_relocated_workers/?site={one.pk}")
    assert figure.context["total"] == 1 and figure.context["hidden"] == 1
    assert figure.context["rows"] == [] and worker.name not in figure.content.decode()
    assert "已计入，未列出" in figure.content.decode()
    county = page_for(alice).get(f"/figures/workshop_relocated_workers/?site={one.pk}")
    assert county.context["hidden"] == 0 and worker.name in county.content.decode()


def test_a_breakdown_opens_by_category_and_a_report_without_the_row_compares_nothing(
    alice, shared_project
):
    client = page_for(alice)
    whole = client.get("/figures/projects_by_kind/?region=653125")
    assert whole.status_code == 400 and "分类" in whole.content.decode()
    workshops = client.get("/figures/projects_by_kind/?region=653125&category=workshop")
    assert workshops.context["total"] == 1
    report = report_generate(actor=alice, period=PERIOD, region=Region.objects.get(code="653125"))
    later = SiteFactory(county_id="653125", code="653125003")
    listed = client.get(
        f"/figures/households/?site={later.pk}&report={report.pk}&as_of={report.as_of}"
    )
    assert listed.status_code == 200 and listed.context["reported"] is None
    early = client.get("/figures/employed/?region=653125&as_of=0001-01-01")
    assert early.status_code == 400 and "2016-01-01" in early.content.decode()


def test_a_leaders_site_dashboard_offers_no_lists_of_records(alice, shared_project):
    one, _two = shared_project
    leader = make_user("lg", "leader_viewer", "6531")
    board = client_for(leader).get(f"/api/v1/dashboard/sites/{one.pk}/").json()
    assert board["links"] == [] and not any("url" in card for card in board["cards"])
    county = client_for(alice).get(f"/api/v1/dashboard/sites/{one.pk}/").json()
    assert county["links"] and county["cards"][0]["url"].startswith("/figures/households/")
    listed = page_for(alice).get(county["cards"][0]["url"])  # live: says when it was computed
    assert listed.context["total"] == 1 and "计算于" in listed.content.decode()
