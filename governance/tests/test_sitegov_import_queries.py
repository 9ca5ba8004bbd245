"""The facilities and services workbook (安置区十有十到位) costs a fixed number of queries per
sheet (issue 19): the reference lists, the sites and their records are read once, the rows are
checked in memory against the services' rules and written in bulk, so a county's sheet of all
its sites checks and imports in as many queries as one site's."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from governance.sitegov.excel import FACILITY_LEDGER
from governance.sitegov.models import FacilityKind, ServiceKind, SiteFacility, SiteService
from governance.tests.test_sitegov_excel import FACILITY_HEADERS, sheet
from households.models import Site
from households.tests.factories import SiteFactory
from resettle.excel import run_import

pytestmark = pytest.mark.django_db


def rows_of(sites, *, since: str) -> list[list]:
    """Every item of the lists for each site: facilities present (a size where measured by
    area), services in place, every third item absent."""
    rows = []
    for site in sites:
        for i, kind in enumerate([*FacilityKind.objects.all(), *ServiceKind.objects.all()]):
            present = bool(i % 3)
            size = 80 if present and getattr(kind, "measure", "") == "area" else None
            rows.append([site.code, site.name, kind.name, "有" if present else "无", since if present else None, size, None, None])  # fmt: skip
    return rows


def costs(alice, sites, since: str) -> list[int]:
    """The queries of a check, an import and the same file imported again."""
    data = sheet("", FACILITY_HEADERS, rows_of(sites, since=since))
    counts = []
    for commit in (False, True, True):
        with CaptureQueriesContext(connection) as queries:
            result = run_import(FACILITY_LEDGER, data, actor=alice, commit=commit)
        assert not result.errors, result.errors
        counts.append(len(queries))
    return counts


def test_a_sheet_costs_the_same_queries_for_one_site_as_for_six(alice):
    one = [SiteFactory(county_id="653125", code="653125101", name="甲安置区")]
    six = [SiteFactory(county_id="653125", code=f"6531252{i:02d}", name=f"乙{i}") for i in range(6)]
    Site.objects.visible_to(alice).exists()  # alice's memberships, read once per request
    few, many = costs(alice, one, "2022.5.1"), costs(alice, six, "2022.5.1")
    assert few == many
    assert SiteFacility.objects.filter(site__in=six, present=True).count() == 6 * 6
    assert SiteService.objects.filter(site__in=six).count() == 6 * 9
    # Changing every record costs the same again: dates moved, versions raised.
    assert costs(alice, one, "2023.6.1") == costs(alice, six, "2023.6.1")
    changed = SiteFacility.objects.filter(site__in=six, present=True)
    assert {(r.since.year, r.version) for r in changed} == {(2023, 2)}
    assert max(few) <= 40


def test_a_row_keeps_the_providing_site_it_does_not_name(alice):
    """A county's sheet without the providing site's column changes a shared facility's note:
    the providing site recorded stays, and is not refused as unseen."""
    here = SiteFactory(county_id="653125", code="653125101", name="甲安置区")
    there = SiteFactory(county_id="653125", code="653125102", name="乙安置区")
    clinic = FacilityKind.objects.get(code="clinic")
    SiteFacility.objects.create(site=here, kind=clinic, present=True, provided_by=there)
    headers = ["安置区编码", "项目", "备注"]
    result = run_import(
        FACILITY_LEDGER,
        sheet("", headers, [[here.code, "卫生室", "与乙安置区共用"]]),
        actor=alice,
        commit=True,
    )
    assert not result.errors, result.errors
    shared = SiteFacility.objects.get(site=here, kind=clinic)
    assert (shared.provided_by, shared.note) == (there, "与乙安置区共用")
