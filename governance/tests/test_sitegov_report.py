"""Site governance in the monthly workbook and on the dashboard (issue 19, item 7): the sheet
安置区治理 prints the catalogue's figures for the report's area and date, row by row and in 合计;
the dashboard's cards and comparison show the same figures, each opening the sites it counts;
a site's dashboard says where its governance stands and links to its page."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.urls import NoReverseMatch, reverse
from openpyxl import load_workbook

from conftest import client_for
from governance.dashboard import CARDS, COMPARED
from governance.models import DispatchReport, ReportStatus
from governance.selectors import _plain
from governance.workbook import build, sheets
from households.models import Site
from resettle.indicators import TOTAL, Grouping, catalogue
from resettle.scoping import Scope

GOVERNANCE = "安置区治理"


@pytest.fixture
def demo(db):
    call_command("loaddata", "fixtures/regions.json", verbosity=0)
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())


def user(name):
    return get_user_model().objects.get(username=name)


def counted(code: str, as_of, by: str) -> dict:
    values = catalogue.values(Grouping(code, as_of, Scope.system(), by=by))
    return {key: _plain({**catalogue.empty_row(), **row}) for key, row in values.items()}


def printed(report) -> tuple[list[str], dict]:
    sheet = load_workbook(io.BytesIO(build(report)))[GOVERNANCE]
    headers = [str(c.value).replace("\n", "") if c.value else c.value for c in sheet[4]]
    rows = {r[0].value: [c.value for c in r] for r in sheet.iter_rows(min_row=5) if r[0].value}
    return headers, rows


@pytest.mark.django_db
def test_the_governance_sheet_prints_the_catalogues_figures_for_the_area_and_date(demo):
    report = (
        DispatchReport.objects.filter(region_id="6531", status=ReportStatus.APPROVED)
        .order_by("-period")
        .first()
    )
    _title, columns, _per_site = next(s for s in sheets() if s[0] == GOVERNANCE)
    headers, rows = printed(report)
    own = counted("6531", report.as_of, "total")[TOTAL]
    by_county = counted("6531", report.as_of, "child")
    names = dict(
        (row["code"], row["name"]) for row in report.values["children"] if row["code"] in by_county
    )
    assert names
    assert headers[1:] == [col.header for col in columns]
    for index, col in enumerate(columns, start=1):
        want = own[col.code]
        assert rows["合计"][index] == ("—" if want is None else pytest.approx(want)), col.header
        for code, name in names.items():
            value = by_county[code][col.code]
            assert rows[name][index] == ("—" if value is None else pytest.approx(value)), (
                name,
                col.header,
            )
    # The demo has sites with and without shortfalls; the headers carry their units and the
    # notes under the table say what the rules are.
    shortfalls = headers.index("有短板安置区（个）")
    assert 0 < rows["合计"][shortfalls] < rows["合计"][headers.index("总数（个）")]
    assert "门面收入用于社区（元）" in headers
    assert any(str(k).startswith("※ 需派工作队：建档立卡户人口 100 人以上") for k in rows)
    # A county's report has a row per site, with the same figures as the county's sites.
    county = DispatchReport.objects.filter(region_id="653125", period=report.period).get()
    headers, rows = printed(county)
    by_site = counted("653125", county.as_of, "site")
    for site in Site.objects.filter(county_id="653125"):
        assert (
            rows[site.name][headers.index("有短板安置区（个）")]
            == (by_site[site.pk]["sites_with_shortfall"])
        )
    # 指标说明 explains each of them.
    notes = load_workbook(io.BytesIO(build(report)))["指标说明"]
    explained = {str(r[0].value).replace("\n", "") for r in notes.iter_rows(min_row=4)}
    assert {"十有齐全安置区数", "有短板的安置区数", "一户一棚覆盖率"} <= explained


@pytest.mark.django_db
def test_the_dashboard_shows_the_governance_figures_each_opening_its_sites(demo):
    report = (
        DispatchReport.objects.filter(region_id="6531", status=ReportStatus.APPROVED)
        .order_by("-period")
        .first()
    )
    data = (
        client_for(user("reviewer"))
        .get("/api/v1/dashboard/regions/6531/", {"period": report.period})
        .json()
    )
    cards = {c["code"]: c for c in data["cards"]}
    assert {"sites_facilities_complete", "sites_with_shortfall"} <= set(cards) <= set(CARDS)
    values = report.values["region"]["values"]
    complete = cards["sites_facilities_complete"]
    assert complete["value"] == values["sites_facilities_complete"]
    assert complete["label"] == f"{values['sites_facilities_complete']:,} / {values['sites']:,}"
    assert cards["sites_with_shortfall"]["value"] == values["sites_with_shortfall"] > 0
    assert "/figures/sites_with_shortfall/" in cards["sites_with_shortfall"]["url"]
    # The comparison table: one number with the workbook's row of each county.
    headers, rows = printed(report)
    column = headers.index("有短板安置区（个）")
    assert "sites_with_shortfall" in COMPARED
    for row in data["rows"]:
        assert row["values"]["sites_with_shortfall"] == rows[row["name"]][column]
        assert "/figures/sites_with_shortfall/" in row["urls"]["sites_with_shortfall"]


@pytest.mark.django_db
def test_a_sites_dashboard_says_where_its_governance_stands(demo):
    client = client_for(user("county"))
    site = Site.objects.filter(county_id="653125").order_by("pk").first()
    data = client.get(f"/api/v1/dashboard/sites/{site.pk}/").json()
    cards = {c["code"]: c for c in data["cards"]}
    assert cards["sites_facilities_complete"]["label"] in ("0 / 1", "1 / 1")
    try:
        url = reverse("site-governance", args=[site.pk])
    except NoReverseMatch:  # the page is not routed: no link to it
        assert not any("安置区治理" in link["name"] for link in data["links"])
        return
    link = next(link for link in data["links"] if link["url"] == url)
    assert link["name"].startswith("安置区治理：十有到位 ")
