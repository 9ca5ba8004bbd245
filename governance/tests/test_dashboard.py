"""Dashboards: the figures of the catalogue for the user's scope, live or as of a month's report,
with the change on last month and red / amber / green against the policy targets."""

import datetime as dt
import io

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from openpyxl import load_workbook

from conftest import client_for, make_user
from governance.dashboard import CARDS
from governance.models import DispatchReport, LiveFigures, ReportStatus
from governance.selectors import _plain
from governance.targets import RULES
from governance.tasks import dispatch_reports_task, refresh_live_figures_task
from governance.workbook import build
from households.models import Site
from households.services import membership_grant
from households.tests.factories import HouseholdFactory, PersonFactory, RegionFactory, SiteFactory
from resettle.indicators import TOTAL, Grouping, catalogue
from resettle.periods import last_ended
from resettle.scoping import Scope


@pytest.fixture
def demo(db):
    call_command("loaddata", "fixtures/regions.json", verbosity=0)
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())


def user(name):
    return get_user_model().objects.get(username=name)


def get(who, path, **params):
    return client_for(user(who)).get(path, params)


def live(code, by="total"):
    values = catalogue.values(Grouping(code, timezone.localdate(), Scope.system(), by=by))
    return {key: _plain({**catalogue.empty_row(), **row}) for key, row in values.items()}


@pytest.mark.django_db
def test_a_reviewer_sees_the_prefecture_its_counties_and_the_rules(demo):
    # The month just ended, as the monthly task makes it on the 1st (the demo's own months end
    # on a fixed day): the live cards compare with it.
    dispatch_reports_task(period=last_ended())
    response = get("reviewer", "/api/v1/dashboard/")
    assert response.json() == {"kind": "region", "key": "6531"}
    data = get("reviewer", "/api/v1/dashboard/regions/6531/").json()
    total = live("6531")[TOTAL]
    cards = {c["code"]: c for c in data["cards"]}
    assert list(cards) == list(CARDS)
    assert {code: c["value"] for code, c in cards.items()} == {c: total[c] for c in CARDS}
    assert cards["employment_rate"]["label"].endswith("%")
    # The change is on last month's report.
    last = DispatchReport.objects.get(region_id="6531", period=last_ended())
    before = last.values["region"]["values"]
    assert cards["persons"]["previous"] == before["persons"]
    assert cards["persons"]["change"] == total["persons"] - before["persons"]
    # One row per county with sites; each rule's colour follows its value.
    by_county = live("6531", by="child")
    counties = sorted(set(Site.objects.values_list("county_id", flat=True)))
    assert [r["key"] for r in data["rows"]] == counties
    colours = set()
    for row in data["rows"]:
        assert row["url"] == f"/dashboard/{row['key']}/"
        for rule in RULES:
            assert row["flags"][rule.code] == rule.flag(by_county[row["key"]])
            colours.add(row["flags"][rule.code])
    assert len(colours - {None}) >= 2  # the colours tell the counties apart
    assert data["rules"][0]["text"] == "一户一人就业率：绿 ≥ 100.0%，黄 95.0%～100.0%，红 < 95.0%"
    red = [r["name"] for r in data["rows"] if "red" in r["flags"].values()]
    assert all(name in data["attention"] for name in red[:5])
    # The charts: the rate by county links each bar to the county's dashboard.
    charts = {c["key"]: c for c in data["charts"]}
    rate = charts["employment_rate_by_row"]
    assert rate["links"] == [f"/dashboard/{c}/" for c in counties]
    assert rate["series"][0]["values"] == [by_county[c]["employment_rate"] for c in counties]
    channel = charts["employed_by_channel"]["series"][0]["values"]
    assert sum(channel) == sum(total["employed_by_channel"].values()) > 0
    # The months with a report, the last TREND_MONTHS of them, oldest first.
    months = sorted(
        DispatchReport.objects.filter(region_id="6531").values_list("period", flat=True)
    )
    assert charts["trend_rates"]["categories"] == months[-settings.DASHBOARD["TREND_MONTHS"] :]


@pytest.mark.django_db
def test_a_month_shows_its_report_the_same_numbers_as_the_workbook(demo):
    approved = DispatchReport.objects.filter(region_id="6531", status=ReportStatus.APPROVED)
    report = approved.order_by("-period").first()
    data = get("reviewer", "/api/v1/dashboard/regions/6531/", period=report.period).json()
    assert data["report"]["approved"] is True and data["as_of"] == report.as_of.isoformat()
    assert {"period": report.period, "approved": True} in data["periods"]
    sheet = load_workbook(io.BytesIO(build(report)))["汇总"]
    headers = [c.value for c in sheet[4]]
    rows = {r[0].value: r for r in sheet.iter_rows(min_row=5)}
    for row in data["rows"]:
        printed = rows[row["name"]]
        for code, header in (("households", "搬迁户数"), ("persons", "搬迁人数")):
            assert printed[headers.index(header)].value == row["values"][code]
    cards = {c["code"]: c["value"] for c in data["cards"]}
    assert cards["households"] == rows["合计"][headers.index("搬迁户数")].value
    # A month without a report, a month badly written.
    missing = get("reviewer", "/api/v1/dashboard/regions/6531/", period="2016-01")
    assert missing.status_code == 404 and "2016-01" in missing.json()["detail"]
    bad = get("reviewer", "/api/v1/dashboard/regions/6531/", period="2026-13")
    assert bad.status_code == 400 and "YYYY-MM" in str(bad.json())


@pytest.mark.django_db
def test_a_county_cadre_sees_the_county_and_a_site_operator_the_site(demo):
    assert get("county", "/api/v1/dashboard/").json() == {"kind": "region", "key": "653125"}
    data = get("county", "/api/v1/dashboard/regions/653125/").json()
    own_sites = set(Site.objects.filter(county_id="653125").values_list("id", flat=True))
    assert {r["key"] for r in data["rows"]} == own_sites
    assert all(r["url"].startswith("/dashboard/site/") for r in data["rows"])
    for other in ("6531", "653121", "65"):
        assert get("county", f"/api/v1/dashboard/regions/{other}/").status_code == 404
    elsewhere = Site.objects.exclude(county_id="653125").first()
    assert get("county", f"/api/v1/dashboard/sites/{elsewhere.pk}/").status_code == 404
    # A site operator: the site alone, its figures those of its county's row.
    home = get("site", "/api/v1/dashboard/").json()
    assert home["kind"] == "site"
    site = Site.objects.get(pk=int(home["key"]))
    data = get("site", f"/api/v1/dashboard/sites/{site.pk}/").json()
    cards = {c["code"]: c["value"] for c in data["cards"]}
    assert cards["households"] == live(site.county_id, by="site")[site.pk]["households"]
    assert data["rows"] == [] and data["links"]
    assert get("site", "/api/v1/dashboard/regions/653125/").status_code == 404
    # The pages follow the same rule.
    client = Client()
    client.force_login(user("county"))
    assert client.get("/dashboard/").url == "/dashboard/653125/"
    assert client.get("/dashboard/?period=2026-09").url == "/dashboard/653125/?period=2026-09"
    assert client.get("/dashboard/6531/").status_code == 404


@pytest.mark.django_db
def test_live_figures_are_stored_by_the_task_and_only_read_by_a_page(
    demo, django_capture_on_commit_callbacks
):
    # The demo stores them as the task does; as after a deploy, before the first refresh:
    assert LiveFigures.objects.filter(region_id="653125").exists()
    LiveFigures.objects.all().delete()
    # None stored yet: the page computes them, and stores nothing (a GET writes nothing).
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        unstored = get("county", "/api/v1/dashboard/regions/653125/").json()
    assert not LiveFigures.objects.exists() and not callbacks
    result = refresh_live_figures_task()
    assert result == {"65": LiveFigures.objects.count()}
    assert set(LiveFigures.objects.values_list("region_id", flat=True)) >= {"65", "6531", "653125"}
    first = get("county", "/api/v1/dashboard/regions/653125/").json()
    households = next(c for c in first["cards"] if c["code"] == "persons")["value"]
    assert households == next(c for c in unstored["cards"] if c["code"] == "persons")["value"]
    site = Site.objects.filter(county_id="653125").first()
    PersonFactory(household=site.households.first())
    # Fresh: the stored figures are shown, saying when they were computed.
    again = get("county", "/api/v1/dashboard/regions/653125/").json()
    assert next(c for c in again["cards"] if c["code"] == "persons")["value"] == households
    assert "计算于" in again["standing"] and "此后未再刷新" not in again["standing"]
    # Stale: still shown as stored, saying they are older than the interval; no refresh is
    # started by the page.
    computed = timezone.now() - dt.timedelta(hours=2)
    LiveFigures.objects.update(computed_at=computed)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        stale = get("county", "/api/v1/dashboard/regions/653125/").json()
    assert not callbacks
    assert next(c for c in stale["cards"] if c["code"] == "persons")["value"] == households
    assert "此后未再刷新" in stale["standing"]
    page = Client()
    page.force_login(user("county"))
    assert "此后未再刷新，已超过更新间隔" in page.get("/").content.decode()  # the overview too
    assert LiveFigures.objects.filter(computed_at=computed).count() == LiveFigures.objects.count()
    # The task refreshes them.
    refresh_live_figures_task()
    after = get("county", "/api/v1/dashboard/regions/653125/").json()
    assert next(c for c in after["cards"] if c["code"] == "persons")["value"] == households + 1
    assert "此后未再刷新" not in after["standing"]


@pytest.mark.django_db
def test_the_dashboard_reads_a_bounded_number_of_queries(demo, django_assert_max_num_queries):
    refresh_live_figures_task()
    client = client_for(user("reviewer"))
    with django_assert_max_num_queries(16):
        assert client.get("/api/v1/dashboard/regions/6531/").status_code == 200
    period = DispatchReport.objects.order_by("-period").values_list("period", flat=True)[0]
    with django_assert_max_num_queries(16):
        assert client.get(f"/api/v1/dashboard/regions/6531/?period={period}").status_code == 200


@pytest.mark.django_db
def test_a_township_and_an_operator_over_two_counties(demo):
    township = RegionFactory(code="653125100", name="恰热克镇")
    site = SiteFactory(county_id="653125", township=township, code="653125100001")
    PersonFactory(household=HouseholdFactory(site=site))
    data = get("county", "/api/v1/dashboard/regions/653125100/").json()
    assert [r["key"] for r in data["rows"]] == [site.pk]
    assert next(c for c in data["cards"] if c["code"] == "persons")["value"] == 1
    both = make_user("both", "county_operator", "653125")

    membership_grant(user=both, role="county_operator", scope_code="653121")
    assert client_for(both).get("/api/v1/dashboard/").json() == {"kind": "region", "key": "653121"}
