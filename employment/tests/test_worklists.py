"""The worklists show exactly the people the policies say need help."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from employment import selectors
from employment.services import (
    employment_open,
    follow_up_record,
    job_match_record,
    labor_profile_save,
)
from households.tests.factories import HouseholdFactory, PersonFactory
from resettle.indicators import TOTAL, Grouping, catalogue
from resettle.scoping import Scope

TODAY = dt.date.today()
JOB = {
    "channel": "local_temporary",
    "job_type": "wage_work",
    "place": "county",
    "monthly_income": Decimal("1500"),
    "start_date": dt.date(2024, 5, 1),
}


@pytest.fixture
def people(alice, shache_site):
    employed_household = HouseholdFactory(site=shache_site)
    worker = PersonFactory(
        household=employed_household, birth_date=dt.date(1980, 1, 1), education="junior"
    )
    jobless_household = HouseholdFactory(site=shache_site)
    seeker = PersonFactory(
        household=jobless_household, birth_date=dt.date(1992, 3, 3), education="primary"
    )
    unknown = PersonFactory(
        household=jobless_household, birth_date=dt.date(1995, 5, 5), relation="spouse"
    )
    labor_profile_save(
        actor=alice,
        person=worker,
        data={"capacity": "skilled", "willingness": "local", "training_intention": "no"},
    )
    labor_profile_save(
        actor=alice, person=seeker, data={"capacity": "ordinary", "willingness": "away"}
    )
    employment_open(actor=alice, person=worker, data=dict(JOB))
    return {
        "worker": worker,
        "seeker": seeker,
        "unknown": unknown,
        "employed_household": employed_household,
        "jobless_household": jobless_household,
    }


def names(queryset) -> set[str]:
    return set(queryset.values_list("name", flat=True))


@pytest.mark.django_db
def test_each_list_names_who_needs_what(people):
    assert set(selectors.zero_employment_households(TODAY)) == {people["jobless_household"]}
    assert names(selectors.awaiting_job_match(TODAY)) == {people["seeker"].name}
    assert names(selectors.awaiting_follow_up(TODAY)) == {people["worker"].name}
    # The seeker has no training intention on record, and no unemployment registration.
    assert names(selectors.five_clears_incomplete(TODAY)) == {people["seeker"].name}
    assert names(selectors.unprofiled(TODAY)) == {people["unknown"].name}


@pytest.mark.django_db
def test_a_recorded_match_or_visit_takes_the_person_off_the_list(alice, people):
    job_match_record(
        actor=alice,
        person=people["seeker"],
        data={
            "matched_on": TODAY - dt.timedelta(days=3),
            "employer": "园区服装厂",
            "job": "缝纫工",
        },
    )
    follow_up_record(actor=alice, person=people["worker"], data={"visited_on": TODAY})
    assert not selectors.awaiting_job_match(TODAY).exists()
    assert not selectors.awaiting_follow_up(TODAY).exists()
    # A match 31 days old is stale again.
    assert names(selectors.awaiting_job_match(TODAY + dt.timedelta(days=28))) == {
        people["seeker"].name
    }


@pytest.mark.django_db
def test_the_worklist_and_the_indicator_count_the_same_households(people, bob):
    grouping = Grouping(region_code="653125", as_of=TODAY, scope=Scope.system())
    figure = catalogue.values(grouping, ["zero_employment_households"])[TOTAL]
    listed = selectors.zero_employment_households(TODAY).visible_to(bob).count()
    assert figure["zero_employment_households"] == listed == 1


def test_a_worklist_reads_its_page_not_the_whole_list(alice, shache_site):
    """The page's rows are read with LIMIT, in as many queries for 55 persons as for 3 (it
    loaded every row of the list to show 50)."""
    client = Client()
    client.force_login(alice)

    def seekers(count: int) -> None:
        for _ in range(count):
            person = PersonFactory(household=HouseholdFactory(site=shache_site))
            labor_profile_save(
                actor=alice, person=person, data={"capacity": "ordinary", "willingness": "away"}
            )

    def page(number: int) -> tuple[list[str], str]:
        url = f"/labor/worklists/job-matching/?page={number}"
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(url).content.decode()
        return [q["sql"] for q in queries.captured_queries], html

    seekers(3)
    few, html = page(1)
    assert html.count("/labor/persons/") >= 3
    seekers(52)
    many, html = page(1)
    assert len(many) == len(few)
    assert any("LIMIT 50" in sql and "labor" in sql for sql in many)
    assert len(set(re.findall(r'href="/labor/persons/(\d+)/', html))) == 50
    _, html = page(2)
    assert len(set(re.findall(r'href="/labor/persons/(\d+)/', html))) == 5
