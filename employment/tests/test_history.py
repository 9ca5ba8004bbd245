"""A labor ledger keyed in late keeps its history (issue 14, item 1): whatever is imported or
entered today with a past date counts in the figures of that past date, in the catalogue and in
a monthly report made again for that month; nothing counts before its own date."""

import datetime as dt
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from conftest import client_for
from employment.excel import LEDGER
from employment.models import Employment, LaborProfile, Unemployment
from employment.selectors import awaiting_job_match
from employment.services import (
    employment_open,
    follow_up_record,
    job_match_record,
    labor_profile_save,
    training_record,
)
from employment.tests.test_excel_import import labor_row, run, working
from households.tests.factories import HouseholdFactory, PersonFactory
from resettle.indicators import TOTAL, Grouping, catalogue
from resettle.scoping import Scope

TODAY = dt.date.today()


def months_before(day: dt.date, months: int) -> dt.date:
    """The 1st of the month `months` before `day`'s."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def month_end(day: dt.date) -> dt.date:
    return months_before(day, -1) - dt.timedelta(days=1)


# A job since the 1st of the month two months back (2026-09-01 for an import on 2026-11-30).
START = months_before(TODAY, 2)
JOB = {
    "channel": "public_welfare",
    "job_type": "cleaner",
    "place": "county",
    "monthly_income": Decimal("1800"),
    "start_date": START,
}


def figures(as_of: dt.date, codes=("labor_force", "employed")) -> dict:
    grouping = Grouping(region_code="653125", as_of=as_of, scope=Scope.system())
    row = catalogue.values(grouping, list(codes)).get(TOTAL, {})
    return {code: row.get(code, 0) for code in codes}


def every_day_from(start: dt.date):
    """The start, the end of each month since, and today."""
    days = [start]
    month = start
    while month_end(month) < TODAY:
        days.append(month_end(month))
        month = months_before(month, -1)
    return [*days, TODAY]


@pytest.fixture
def head(shache_household):
    return shache_household.members.get(relation="head")


@pytest.mark.django_db
def test_a_sheet_imported_today_counts_its_jobs_from_their_start(alice, head):
    result = run(alice, [working(head, start_date=START.isoformat())], commit=True)
    assert result.committed and result.created == 1
    for day in every_day_from(START):
        assert figures(day) == {"labor_force": 1, "employed": 1}, day
    # Not before the job: the profile was recorded today and the job is its first fact.
    assert figures(START - dt.timedelta(days=1)) == {"labor_force": 0, "employed": 0}
    assert LaborProfile.objects.get(person=head).recorded_on == START


@pytest.mark.django_db
def test_a_registration_date_on_the_sheet_is_the_profile_s_and_a_reimport_changes_nothing(
    alice, head, shache_household
):
    spouse = shache_household.members.get(relation="spouse")
    registered = months_before(TODAY, 5) + dt.timedelta(days=9)
    rows = [
        # Recorded five months back, no job: in the labor force since then.
        labor_row(id_number=spouse.id_number, capacity="普通劳动力", recorded_on=registered),
        # 登记日期 after the job's start: the job's start wins.
        working(head, start_date=START.isoformat(), recorded_on=TODAY.isoformat()),
    ]
    assert run(alice, rows, commit=True).created == 2
    assert LaborProfile.objects.get(person=spouse).recorded_on == registered
    assert LaborProfile.objects.get(person=head).recorded_on == START
    assert figures(registered) == {"labor_force": 1, "employed": 0}
    assert figures(START) == {"labor_force": 2, "employed": 1}
    again = run(alice, rows, commit=True)
    assert (again.updated, again.unchanged) == (0, 2)
    # An export carries the date and comes back unchanged.
    exported = list(LEDGER.export_rows(LEDGER.export_query(alice, {}), reveal=True))
    assert {row[LEDGER.columns.index(LEDGER.column("recorded_on"))] for row in exported} == {
        START,
        registered,
    }
    assert run(alice, exported, commit=True).unchanged == 2


@pytest.mark.django_db
def test_a_future_registration_date_is_refused(alice, head):
    tomorrow = TODAY + dt.timedelta(days=1)
    result = run(
        alice, [labor_row(id_number=head.id_number, capacity="普通劳动力", recorded_on=tomorrow)]
    )
    assert [(e.row, e.column) for e in result.errors] == [(2, "登记日期")]
    assert "晚于今天" in result.errors[0].message


@pytest.mark.django_db
def test_a_profile_recorded_today_is_pulled_back_by_an_imported_past_job(alice, head):
    labor_profile_save(actor=alice, person=head, data={"capacity": "ordinary"})
    result = run(alice, [working(head, start_date=START.isoformat())], commit=True)
    assert (result.created, result.updated) == (1, 0)  # a new job, its profile redated
    profile = LaborProfile.objects.get(person=head)
    assert (profile.recorded_on, profile.version) == (START, 2)
    assert profile.history.first().recorded_on == START
    assert figures(START) == {"labor_force": 1, "employed": 1}


@pytest.mark.django_db
def test_the_labor_card_and_the_api_count_a_past_job_from_its_start(alice, head, shache_household):
    spouse = shache_household.members.get(relation="spouse")
    card = Client()
    card.force_login(alice)
    url = reverse("labor-card", args=[head.pk])
    card.post(url, {"form": "profile", "capacity": "ordinary", "recorded_on": TODAY.isoformat()})
    card.post(url, {"form": "spell", **JOB, "start_date": START.isoformat(), "is_main": "on"})
    api = client_for(alice)
    made = api.post(
        "/api/v1/labor-profiles/", {"person": spouse.pk, "capacity": "ordinary"}, format="json"
    )
    assert made.status_code == 201
    job = {**JOB, "person": spouse.pk, "start_date": START.isoformat()}
    assert api.post("/api/v1/employments/", job, format="json").status_code == 201
    assert figures(START) == {"labor_force": 2, "employed": 2}
    # A profile saved later with today's date still counts from the job.
    profile = LaborProfile.objects.get(person=head)
    card.post(
        url,
        {
            "form": "profile",
            "capacity": "skilled",
            "recorded_on": TODAY.isoformat(),
            "version": profile.version,
        },
    )
    profile.refresh_from_db()
    assert (profile.capacity, profile.recorded_on) == ("skilled", START)


@pytest.mark.django_db
def test_trainings_visits_and_matches_count_by_their_own_dates(alice, head, shache_household):
    spouse = shache_household.members.get(relation="spouse")
    for person in (head, spouse):
        labor_profile_save(
            actor=alice, person=person, data={"capacity": "ordinary", "willingness": "local"}
        )
    employment_open(actor=alice, person=head, data=dict(JOB))
    # Entered today, done in the first half of START's month.
    training_record(
        actor=alice,
        person=spouse,
        data={"course": "电焊", "start_date": START, "end_date": START + dt.timedelta(days=9)},
    )
    follow_up_record(actor=alice, person=head, data={"visited_on": START + dt.timedelta(days=5)})
    job_match_record(
        actor=alice,
        person=spouse,
        data={"matched_on": START + dt.timedelta(days=3), "employer": "某厂", "job": "普工"},
    )
    codes = ("labor_force", "employed", "trained_ytd", "employed_visited")
    assert figures(month_end(START), codes) == {
        "labor_force": 2,
        "employed": 1,
        "trained_ytd": 1,
        "employed_visited": 1,
    }
    # The training's start pulled the spouse's profile back to it.
    assert LaborProfile.objects.get(person=spouse).recorded_on == START
    # A job match of START's month: the spouse is not awaiting one then.
    assert spouse not in awaiting_job_match(START + dt.timedelta(days=10))
    assert spouse in awaiting_job_match(START + dt.timedelta(days=2))
    # Before the facts, none of it.
    assert figures(START - dt.timedelta(days=1), codes) == dict.fromkeys(codes, 0)


@pytest.mark.django_db
def test_an_imported_end_dates_the_unemployment_registration_from_it(alice, head):
    head.education = "junior"
    head.save()
    run(
        alice,
        [working(head, start_date=START.isoformat(), training_intention="有培训意向")],
        commit=True,
    )
    ended = START + dt.timedelta(days=19)
    result = run(
        alice,
        [labor_row(id_number=head.id_number, status="未就业", end_date=ended.isoformat())],
        commit=True,
    )
    assert result.committed
    assert Unemployment.objects.get(person=head).registered_on == ended
    # After the end the person is registered unemployed: the five clears still hold, and they
    # await a job match from that day, though the sheet came in today.
    after = ended + dt.timedelta(days=1)
    codes = ("labor_force", "employed", "five_clears_complete")
    assert figures(after, codes) == {"labor_force": 1, "employed": 0, "five_clears_complete": 1}
    assert head in awaiting_job_match(after)
    assert figures(ended, codes)["employed"] == 1


@pytest.mark.django_db
def test_the_migration_pulls_earlier_imports_back_to_their_first_job(shache_site):
    """Profiles imported before the rule counted from the import day; the migration corrects
    past figures and leaves today's as they were."""
    imported, early, idle = (
        PersonFactory(household=HouseholdFactory(site=shache_site)) for _ in range(3)
    )
    long_ago = months_before(TODAY, 24)
    # As an earlier import wrote them: recorded today, the jobs from months back.
    for person, recorded_on in ((imported, TODAY), (early, long_ago), (idle, TODAY)):
        LaborProfile.objects.create(person=person, capacity="ordinary", recorded_on=recorded_on)
    for person in (imported, early):
        Employment.objects.create(person=person, **JOB)
    before_today = figures(TODAY)
    assert figures(START) == {"labor_force": 1, "employed": 1}  # the import's job is lost

    migration = importlib.import_module("employment.migrations.0003_profiles_count_from_first_fact")
    migration.pull_back(apps, None)

    assert figures(TODAY) == before_today == {"labor_force": 3, "employed": 2}
    assert figures(START) == {"labor_force": 2, "employed": 2}
    profiles = {p.person_id: p for p in LaborProfile.objects.all()}
    assert profiles[imported.pk].recorded_on == START and profiles[imported.pk].version == 2
    assert profiles[early.pk].recorded_on == long_ago and profiles[early.pk].version == 1
    assert profiles[idle.pk].recorded_on == TODAY
    change = LaborProfile.history.filter(history_type="~").get()
    assert (change.person_id, change.recorded_on) == (imported.pk, START)
