"""The employment indicators hold as of any date: a spell that ended in November still counts in
October's figure."""

import datetime as dt
from decimal import Decimal

import pytest

from employment.selectors import five_clears_incomplete
from employment.services import (
    employment_close,
    employment_open,
    follow_up_record,
    labor_profile_save,
    training_record,
)
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


@pytest.mark.django_db
def test_wages_trainings_visits_and_five_clears_as_of_a_date(alice, ledger):
    first, second = ledger
    worker = first.members.get(birth_date=dt.date(1985, 4, 2))
    other = second.members.get(birth_date=dt.date(1990, 8, 8))
    other.education = "junior"
    other.save()
    labor_profile_save(
        actor=alice,
        person=other,
        data={"training_intention": "wants"},
        version=other.labor_profile.version,
    )
    training_record(
        actor=alice,
        person=worker,
        data={
            "course": "电焊",
            "start_date": dt.date(2025, 6, 1),
            "end_date": dt.date(2025, 6, 30),
        },
    )
    # Two visits in the year: one person visited, counted once.
    follow_up_record(actor=alice, person=other, data={"visited_on": dt.date(2025, 9, 1)})
    follow_up_record(actor=alice, person=other, data={"visited_on": dt.date(2025, 10, 1)})
    codes = ["avg_monthly_wage", "trained_ytd", "followup_coverage", "five_clears_rate"]
    grouping = Grouping(region_code="653125", as_of=dt.date(2025, 10, 31), scope=Scope.system())
    october = catalogue.values(grouping, codes)[TOTAL]
    # Both hold a job in October (2,000 yuan each); one of the two was visited; one laborer has
    # all five clears (the other lacks education and training intention).
    assert october == {
        "avg_monthly_wage": 2000.0,
        "trained_ytd": 1,
        "followup_coverage": 0.5,
        "five_clears_rate": 0.5,
    }
    assert catalogue.values(grouping, ["labor_force", "employed"])[TOTAL] == {
        "labor_force": 2,
        "employed": 2,
    }
    may = Grouping(region_code="653125", as_of=dt.date(2025, 5, 31), scope=Scope.system())
    assert catalogue.values(may, ["trained_ytd"]).get(TOTAL, {}).get("trained_ytd", 0) == 0


@pytest.mark.django_db
def test_employed_by_channel_place_and_job_type_as_of_a_date(alice, ledger, shache_site):
    _first, second = ledger
    other = second.members.get(birth_date=dt.date(1990, 8, 8))
    job = other.employments.get()
    employment_close(actor=alice, spell=job, end_date=dt.date(2025, 12, 31), version=job.version)
    employment_open(
        actor=alice,
        person=other,
        data={
            "channel": "labor_export",
            "job_type": "security",
            "place": "outside",
            "start_date": dt.date(2026, 1, 1),
        },
    )
    codes = ["employed_by_channel", "employed_by_place", "employed_by_job_type", "employed"]

    def breakdown(as_of, by="total", region="653125"):
        grouping = Grouping(region_code=region, as_of=as_of, scope=Scope.system(), by=by)
        return catalogue.values(grouping, codes)

    october = breakdown(dt.date(2025, 10, 31))[TOTAL]
    # Both worked in the workshop in October 2025 ...
    assert october["employed_by_channel"]["park_workshop"] == 2
    assert sum(october["employed_by_channel"].values()) == october["employed"] == 2
    assert october["employed_by_place"] == {"county": 2, "province": 0, "outside": 0}
    assert october["employed_by_job_type"]["wage_work"] == 2
    # ... and in February 2026 one is a security guard outside the province, the other has none.
    february = breakdown(dt.date(2026, 2, 1))[TOTAL]
    assert february["employed_by_channel"]["labor_export"] == 1
    assert february["employed_by_channel"]["park_workshop"] == 0
    assert february["employed_by_place"] == {"county": 0, "province": 0, "outside": 1}
    assert february["employed_by_job_type"]["security"] == 1
    assert breakdown(dt.date(2026, 2, 1), by="site")[shache_site.pk] == february
    # Every category is listed, in the catalogue's order, also where nobody works.
    indicator = catalogue.get("employed_by_channel")
    assert list(catalogue.empty_row(["employed_by_channel"])["employed_by_channel"]) == [
        code for code, _label in indicator.categories
    ]


@pytest.mark.django_db
def test_the_five_clears_rate_counts_whom_the_worklist_lists(alice, ledger):
    _first, second = ledger
    other = second.members.get(birth_date=dt.date(1990, 8, 8))
    other.education = "junior"
    other.save()
    labor_profile_save(
        actor=alice,
        person=other,
        data={"training_intention": "wants"},
        version=other.labor_profile.version,
    )
    for as_of in (dt.date(2025, 10, 31), dt.date(2025, 11, 30)):
        grouping = Grouping(region_code="653125", as_of=as_of, scope=Scope.system())
        row = catalogue.values(grouping, ["labor_force", "five_clears_complete"])[TOTAL]
        missing = five_clears_incomplete(as_of).count()
        assert row["labor_force"] - row["five_clears_complete"] == missing
    assert missing == 1  # the worker: no education on record, and since November not working
