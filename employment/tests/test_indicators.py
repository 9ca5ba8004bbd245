"""The employment indicators hold as of any date: a spell that ended in November still counts in
October's figure."""

import datetime as dt
from decimal import Decimal

import pytest

from employment.services import employment_close, employment_open, labor_profile_save
from households.tests.factories import HouseholdFactory, PersonFactory
from resettle.indicators import TOTAL, Grouping, catalogue
from resettle.scoping import Scope

CODES = [
    "labor_force",
    "employed",
    "employment_rate",
    "labor_households",
    "employed_households",
    "zero_employment_households",
    "one_per_household_rate",
]


def values(as_of, by="total", region="653125"):
    grouping = Grouping(region_code=region, as_of=as_of, scope=Scope.system(), by=by)
    return catalogue.values(grouping, CODES)


@pytest.fixture
def ledger(alice, shache_site):
    """Two households: in the first a worker whose job ended on 2025-11-15 and his retired
    father; in the second a worker still employed and a child."""
    first = HouseholdFactory(site=shache_site)
    worker = PersonFactory(household=first, birth_date=dt.date(1985, 4, 2))
    father = PersonFactory(household=first, birth_date=dt.date(1950, 1, 1), relation="parent")
    second = HouseholdFactory(site=shache_site)
    other = PersonFactory(household=second, birth_date=dt.date(1990, 8, 8))
    PersonFactory(household=second, birth_date=dt.date(2015, 1, 1), relation="child")
    job = {
        "channel": "park_workshop",
        "job_type": "wage_work",
        "place": "county",
        "monthly_income": Decimal("2000"),
        "start_date": dt.date(2024, 3, 1),
    }
    for person in (worker, father, other):
        labor_profile_save(
            actor=alice,
            person=person,
            data={
                "capacity": "ordinary",
                "willingness": "local",
                "recorded_on": dt.date(2024, 1, 1),
            },
        )
    spell = employment_open(actor=alice, person=worker, data=dict(job))
    employment_open(actor=alice, person=other, data=dict(job))
    employment_close(
        actor=alice, spell=spell, end_date=dt.date(2025, 11, 15), version=spell.version
    )
    return first, second


@pytest.mark.django_db
def test_figures_as_of_october_and_november(ledger):
    october = values(dt.date(2025, 10, 31))[TOTAL]
    # The father (75) is past working age; the child is under it.
    assert october == {
        "labor_force": 2,
        "employed": 2,
        "employment_rate": 1.0,
        "labor_households": 2,
        "employed_households": 2,
        "zero_employment_households": 0,
        "one_per_household_rate": 1.0,
    }
    november = values(dt.date(2025, 11, 30))[TOTAL]
    assert (november["employed"], november["employment_rate"]) == (1, 0.5)
    assert (november["zero_employment_households"], november["one_per_household_rate"]) == (1, 0.5)
    # Before the jobs began, and before the profiles were recorded.
    assert values(dt.date(2024, 2, 1))[TOTAL]["employed"] == 0
    assert values(dt.date(2023, 12, 31)).get(TOTAL, {}).get("labor_force", 0) == 0


@pytest.mark.django_db
def test_the_same_figures_by_county_and_by_site(ledger, shache_site):
    november = dt.date(2025, 11, 30)
    total = values(november)[TOTAL]
    assert values(november, by="county", region="6531")["653125"] == total
    assert values(november, by="site")[shache_site.pk] == total
