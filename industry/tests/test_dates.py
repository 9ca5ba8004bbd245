"""Facts keep their own dates (issue 14): a project, an investment or a dividend recorded today
with its own past date is in the figures of the past months from that date on, and not before;
a project's status on a past date is the status of that date."""

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.test import Client

from conftest import client_for
from industry import services
from industry.excel import DIVIDEND_LEDGER
from industry.models import Dividend, IndustryProject, ProjectStatusChange
from industry.tests.test_industry import dividend_book, project
from resettle.excel import run_import
from resettle.indicators import TOTAL, Grouping, catalogue
from resettle.scoping import Scope

TODAY = dt.date.today()


def figures(as_of: dt.date, *codes: str) -> dict:
    """The county's (莎车县) catalogue values on `as_of`."""
    grouping = Grouping(region_code="653125", as_of=as_of, scope=Scope.system())
    return catalogue.values(grouping, list(codes))[TOTAL]


@pytest.mark.django_db
def test_a_past_date_sees_the_status_of_that_date(alice, shache_site):
    # Entered today: under construction since March 2024, operating since September 2024.
    workshop = project(
        alice,
        shache_site,
        status="building",
        actual_start=dt.date(2024, 3, 1),
        status_since=dt.date(2024, 3, 1),
    )
    api = client_for(alice)
    url = f"/api/v1/industry-projects/{workshop.pk}/"
    # A change of status needs its day, which cannot be in the future or before the last one.
    for since, told in ((None, "日期"), (str(TODAY + dt.timedelta(days=1)), "不能晚于今天")):
        refused = api.patch(
            url, {"status": "operating", "status_since": since, "version": 1}, format="json"
        )
        assert refused.status_code == 400 and told in str(refused.json()["status_since"])
    refused = api.patch(
        url, {"status": "operating", "status_since": "2024-02-01", "version": 1}, format="json"
    )
    assert refused.status_code == 400 and "2024-03-01" in str(refused.json()["status_since"])
    changed = api.patch(
        url, {"status": "operating", "status_since": "2024-09-01", "version": 1}, format="json"
    )
    assert changed.status_code == 200
    assert [(e["status"], e["changed_on"]) for e in changed.json()["status_history"]] == [
        ("building", "2024-03-01"),
        ("operating", "2024-09-01"),
    ]
    codes = ("projects", "projects_by_status", "workshops", "workshop_jobs")
    before = figures(dt.date(2024, 2, 29), *codes)
    assert before["projects"] == 0 and before["workshops"] == 0
    june = figures(dt.date(2024, 6, 30), *codes)
    assert june["projects"] == 1 and june["projects_by_status"]["building"] == 1
    assert june["projects_by_status"]["operating"] == 0 and june["workshops"] == 0
    october = figures(dt.date(2024, 10, 31), *codes)
    assert october["projects_by_status"] == {
        "planned": 0,
        "building": 0,
        "operating": 1,
        "stopped": 0,
    }
    assert (october["workshops"], october["workshop_jobs"]) == (1, 4)
    # The project's page shows the history, newest first, in Chinese.
    browser = Client()
    browser.force_login(alice)
    page = browser.get(f"/industry/projects/{workshop.pk}/").content.decode()
    assert "状态变更记录" in page and "自 2024-09-01 起" in page
    assert page.index("2024-09-01") < page.index("2024-03-01")


@pytest.mark.django_db
def test_a_planned_project_exists_from_its_planned_date_not_its_entry(alice, shache_site):
    planned = project(
        alice,
        shache_site,
        code="P2",
        kind="crops",
        sector="primary",
        status="planned",
        actual_start=None,
        status_since=dt.date(2025, 2, 1),
    )
    assert figures(dt.date(2025, 1, 31), "projects")["projects"] == 0
    february = figures(dt.date(2025, 2, 28), "projects", "projects_by_status")
    assert february["projects"] == 1 and february["projects_by_status"]["planned"] == 1
    # Stopped since last month: this month sees it stopped, the month before still planned.
    last_month = TODAY.replace(day=1) - dt.timedelta(days=1)
    services.project_save(
        actor=alice,
        data={"status": "stopped"},
        project=planned,
        version=planned.version,
        status_since=last_month.replace(day=1),
    )
    assert figures(TODAY, "projects_by_status")["projects_by_status"]["stopped"] == 1
    month_before = last_month.replace(day=1) - dt.timedelta(days=1)
    assert figures(month_before, "projects_by_status")["projects_by_status"]["planned"] == 1


@pytest.mark.django_db
def test_the_edit_form_asks_the_day_the_status_changed(alice, shache_site):
    workshop = project(alice, shache_site, status="building", status_since=dt.date(2023, 4, 1))
    browser = Client()
    browser.force_login(alice)
    url = f"/industry/projects/{workshop.pk}/edit/"
    form = browser.get(url).content.decode()
    assert 'name="status_since"' in form and 'name="status_since" value' not in form
    fields = {
        "code": "P001",
        "name": "服装车间",
        "county": "653125",
        "sector": "secondary",
        "kind": "workshop",
        "operator_type": "enterprise",
        "status": "operating",
        "actual_start": "2023-04-01",
        "units": 0,
        "area_m2": 0,
        "jobs_offered": 4,
        "version": workshop.version,
    }
    refused = browser.post(url, fields).content.decode()
    assert "请填写项目变为「运营」的日期" in refused
    assert browser.post(url, {**fields, "status_since": "2024-01-15"}).status_code == 302
    assert list(
        ProjectStatusChange.objects.filter(project=workshop).values_list("status", "changed_on")
    ) == [("building", dt.date(2023, 4, 1)), ("operating", dt.date(2024, 1, 15))]


@pytest.mark.django_db
def test_investment_counts_from_its_own_year(alice, shache_site):
    crops = project(
        alice,
        shache_site,
        code="P3",
        kind="crops",
        sector="primary",
        actual_start=dt.date(2024, 4, 1),
        status_since=dt.date(2024, 4, 1),
    )
    # Entered today: money of 2023 (before the project started) and money of unknown year.
    services.investment_add(
        actor=alice,
        project=crops,
        data={"source": "relocation", "amount": Decimal(500_000), "year": 2023},
    )
    services.investment_add(
        actor=alice, project=crops, data={"source": "county", "amount": Decimal(100_000)}
    )
    codes = ("investment", "investment_by_source")
    assert figures(dt.date(2022, 12, 31), *codes)["investment"] == 0.0
    in_2023 = figures(dt.date(2023, 6, 30), *codes)
    assert in_2023["investment"] == 50.0 and in_2023["investment_by_source"]["relocation"] == 50.0
    # The money of unknown year counts once its project exists, not from the day it was entered.
    assert figures(dt.date(2024, 3, 31), *codes)["investment"] == 50.0
    april = figures(dt.date(2024, 4, 30), *codes)
    assert april["investment"] == 60.0 and april["investment_by_source"]["county"] == 10.0


@pytest.mark.django_db
def test_dividends_count_by_the_day_they_were_paid(alice, shache_site, shache_household):
    shops = project(alice, shache_site, code="P010", kind="shops", sector="tertiary")
    services.link_add(
        actor=alice,
        project=shops,
        household=shache_household,
        data={"kind": "dividend", "since": dt.date(2024, 1, 1)},
    )
    head = shache_household.members.first()
    # Imported today: 2024's dividend, paid on 20 January 2025.
    sheet = dividend_book([[head.id_number, "", "P010", 2024, 600, dt.date(2025, 1, 20)]])
    assert run_import(DIVIDEND_LEDGER, sheet, actor=alice, commit=True).committed
    code = "dividends_paid_ytd"
    assert figures(dt.date(2025, 1, 19), code)[code] == 0.0
    assert figures(dt.date(2025, 1, 31), code)[code] == 600.0
    # Paid in 2025: not in this year's figure.
    assert figures(dt.date(2026, 3, 31), code)[code] == 0.0


@pytest.mark.django_db
def test_a_blank_payment_day_stays_blank(alice, shache_site, shache_household):
    shops = project(alice, shache_site, code="P010", kind="shops", sector="tertiary")
    services.link_add(
        actor=alice,
        project=shops,
        household=shache_household,
        data={"kind": "dividend", "since": dt.date(2024, 1, 1)},
    )
    head = shache_household.members.first()
    sheet = dividend_book([[head.id_number, "", "P010", TODAY.year - 1, 600, ""]])
    assert run_import(DIVIDEND_LEDGER, sheet, actor=alice, commit=True).committed
    assert Dividend.objects.get().paid_on is None
    browser = Client()
    browser.force_login(alice)
    assert "发放日期不详" in browser.get(f"/industry/projects/{shops.pk}/").content.decode()
    # Paid by the day it was recorded at the latest: in this year's figure from today on.
    code = "dividends_paid_ytd"
    assert figures(TODAY, code)[code] == 600.0
    assert figures(TODAY - dt.timedelta(days=1), code)[code] == 0.0


@pytest.mark.django_db
def test_the_first_entries_keep_the_figures_of_today(alice, shache_site):
    # Two projects registered before the history was kept: a workshop started in 2023, and a
    # planned project recorded today without a start.
    started = IndustryProject.objects.create(
        code="P1",
        name="服装车间",
        county_id="653125",
        sector="secondary",
        kind="workshop",
        operator_type="enterprise",
        status="operating",
        actual_start=dt.date(2023, 4, 1),
        jobs_offered=4,
    )
    IndustryProject.objects.create(
        code="P2",
        name="农贸市场",
        county_id="653125",
        sector="tertiary",
        kind="market",
        operator_type="cooperative",
    )
    migration = importlib.import_module("industry.migrations.0004_first_status_entries")
    migration.first_entries(apps, None)
    now = figures(TODAY, "projects", "projects_by_status", "workshops")
    assert now["projects"] == 2 and now["workshops"] == 1
    assert (now["projects_by_status"]["operating"], now["projects_by_status"]["planned"]) == (1, 1)
    assert figures(dt.date(2023, 3, 31), "projects")["projects"] == 0
    assert figures(dt.date(2023, 5, 1), "projects", "workshops") == {"projects": 1, "workshops": 1}
    browser = Client()
    browser.force_login(alice)
    planned = IndustryProject.objects.get(code="P2")
    assert "起始日期不详" in browser.get(f"/industry/projects/{planned.pk}/").content.decode()
    assert started.status_changes.get().changed_on == dt.date(2023, 4, 1)
