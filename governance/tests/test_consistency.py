"""One number everywhere (issue 15, Tests): over the demo, for the province, the prefecture, a
county and a site, and last month, each figure of the 汇总 sheet is the same on the report page,
in the workbook, on the dashboard, in `indicator-values` and as the total of the records it
opens."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from openpyxl import load_workbook

from governance.models import DispatchReport
from governance.workbook import build, sheets
from resettle.indicators import shown

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser(small_demo):
    user, _created = get_user_model().objects.get_or_create(
        username="checker", defaults={"is_superuser": True, "is_staff": True}
    )
    client = Client()
    client.force_login(user)
    return client


def columns():
    return [c for c in sheets()[0][1] if c.code]


def workbook_row(report, sheet_name: str, row_name: str) -> dict:
    sheet = load_workbook(io.BytesIO(build(report)))[sheet_name]
    # A header whose unit does not fit on its line prints it on the next: 投资\n（万元）.
    headers = [(c.value or "").replace("\n", "") for c in sheet[4]]
    for row in sheet.iter_rows(min_row=5, values_only=True):
        if row[0] == row_name:
            return dict(zip(headers, row, strict=True))
    raise AssertionError(f"no row {row_name} in {sheet_name}")


def page_cells(client, report, row_name: str) -> dict:
    page = client.get(f"/reports/{report.pk}/")
    assert page.status_code == 200
    headers = [c.header for c in page.context["columns"]]
    cells = page.context["total"] if row_name == "合计" else dict(page.context["rows"])[row_name]
    return dict(zip(headers, cells, strict=True))


def check(client, report, row_name, *, dashboard: str, values: str, sheet="汇总"):
    """Each 汇总 figure of the report's row as printed on the page, in the workbook, on the
    dashboard (its cards and rows), in indicator-values, and counted by its records."""
    period = report.period
    page = page_cells(client, report, row_name)
    book = workbook_row(report, sheet, row_name)
    board = client.get(f"{dashboard}?period={period}").json()
    cards = {c["code"]: c["label"] for c in board["cards"]}
    live = client.get(f"/api/v1/indicator-values/?{values}&as_of={report.as_of}").json()["values"]
    compared = 0
    for col in columns():
        printed, link = page[col.header]
        assert shown(col.kind, book[col.header] if book[col.header] != "—" else None) == printed
        assert shown(col.kind, live[col.code]) == printed, (row_name, col.code)
        if col.code in cards:
            assert cards[col.code] == printed, (row_name, col.code)
        if link:
            listed = client.get(link)
            assert listed.status_code == 200
            assert f"{listed.context['total']:,}" == printed, (row_name, col.code)
            compared += 1
    assert compared >= 10


def test_every_level_shows_one_number_everywhere(superuser):
    # The demo's last month (its data end on a fixed day), whatever today's date.
    period = DispatchReport.objects.order_by("-period").values_list("period", flat=True)[0]
    reports = {
        r.region.level: r
        for r in DispatchReport.objects.filter(period=period).select_related("region")
        if r.region.level in ("province", "prefecture")
    }
    county = (
        DispatchReport.objects.filter(period=period, region__level="county")
        .order_by("region_id")
        .first()
    )
    for report in (reports["province"], reports["prefecture"], county):
        check(
            superuser,
            report,
            "合计",
            dashboard=f"/api/v1/dashboard/regions/{report.region_id}/",
            values=f"region={report.region_id}",
        )
    site = county.values["sites"][0]
    check(
        superuser,
        county,
        site["name"],
        dashboard=f"/api/v1/dashboard/sites/{site['id']}/",
        values=f"site={site['id']}",
        sheet="安置区明细",
    )
