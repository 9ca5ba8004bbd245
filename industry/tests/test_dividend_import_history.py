"""The dividend import keeps the change history (issue 17, item 4): every dividend it writes has
its creation record, attributed to the user who imported it; a dry run writes none."""

import datetime as dt

import pytest

from households.tests.factories import HouseholdFactory, PersonFactory
from households.tests.workbooks import xlsx
from industry import services
from industry.excel import DIVIDEND_LEDGER
from industry.models import Dividend
from resettle.excel import run_import


@pytest.mark.django_db
def test_an_imported_dividend_has_its_creation_in_the_history_by_the_importer(
    alice, shache_site, shache_household
):
    shops = services.project_save(
        actor=alice,
        data={
            "code": "P010",
            "name": "商铺",
            "county_id": shache_site.county_id,
            "sector": "tertiary",
            "kind": "shops",
            "operator_type": "enterprise",
            "status": "operating",
            "actual_start": dt.date(2023, 4, 1),
        },
        served=[(shache_site, 10)],
        status_since=dt.date(2023, 4, 1),
    )
    other = HouseholdFactory(site=shache_site, household_no="653125001-0002")
    PersonFactory(household=other)
    for household in (shache_household, other):
        services.link_add(
            actor=alice,
            project=shops,
            household=household,
            data={"kind": "dividend", "since": dt.date(2024, 1, 1)},
        )
    year = dt.date.today().year - 1
    book = xlsx(
        [
            ["", shache_household.household_no, "P010", year, 600, ""],
            ["", other.household_no, "P010", year, 450, "2025-01-10"],
        ],
        [c.header for c in DIVIDEND_LEDGER.columns],
    )

    checked = run_import(DIVIDEND_LEDGER, book, actor=alice, commit=False)
    assert not checked.errors and checked.created == 2
    assert not Dividend.history.exists()

    done = run_import(DIVIDEND_LEDGER, book, actor=alice, commit=True)
    assert done.committed and done.created == 2
    for dividend in Dividend.objects.all():
        [record] = dividend.history.all()
        assert (record.history_type, record.history_user) == ("+", alice)
        assert (record.amount, record.by_id) == (dividend.amount, alice.pk)
