"""A labor ledger brings its past jobs (issue 14, item 1): a row 未就业 with the job's start and
end records the job that ended, which counts in the months it was held and nowhere else; a job
ended without its last day is ended by the import, and the check says so."""

import datetime as dt

import pytest

from employment.excel import LEDGER
from employment.models import Employment, Unemployment
from employment.tests.test_excel_import import run, working
from employment.tests.test_history import figures, months_before

pytestmark = pytest.mark.django_db

TODAY = dt.date.today()
START = months_before(TODAY, 14)  # a year and two months back
END = months_before(TODAY, 3) - dt.timedelta(days=1)  # the last day of four months back


@pytest.fixture
def head(shache_household):
    return shache_household.members.get(relation="head")


def test_a_job_that_has_ended_is_recorded_and_counts_while_it_was_held(alice, head):
    row = working(head, status="未就业", start_date=START.isoformat(), end_date=END.isoformat())
    result = run(alice, [row], commit=True)
    assert result.committed and result.created == 1, result.errors
    job = Employment.objects.get(person=head)
    assert (job.start_date, job.end_date, job.channel) == (START, END, "public_welfare")
    assert figures(START - dt.timedelta(days=1))["employed"] == 0
    assert figures(START)["employed"] == 1
    assert figures(END)["employed"] == 1
    assert figures(END + dt.timedelta(days=1))["employed"] == 0
    assert figures(TODAY)["employed"] == 0
    # Still willing to work: registered unemployed from the job's end.
    assert Unemployment.objects.get(person=head).registered_on == END
    # The same sheet again changes nothing.
    again = run(alice, [row], commit=True)
    assert (again.created, again.updated) == (0, 0) and Employment.objects.count() == 1


def test_a_past_job_needs_its_end_and_may_not_overlap_another(alice, head):
    row = working(head, status="未就业", start_date=START.isoformat())
    result = run(alice, [row])
    assert [(e.column, "就业结束日期" in e.message) for e in result.errors] == [
        ("就业结束日期", True)
    ]
    run(alice, [working(head, start_date=months_before(TODAY, 6).isoformat())], commit=True)
    overlapping = working(
        head, status="未就业", start_date=START.isoformat(), end_date=months_before(TODAY, 5)
    )
    result = run(alice, [overlapping], commit=True)
    assert not result.committed and result.errors[0].column == "就业开始日期"
    assert Employment.objects.count() == 1


def test_a_job_ended_without_its_last_day_is_ended_by_the_import_with_a_warning(alice, head):
    since = months_before(TODAY, 2).isoformat()
    run(alice, [working(head, start_date=since)], commit=True)
    # The exported row, changed to 未就业 with no last day.
    result = run(alice, [working(head, status="未就业", start_date=since)], commit=True)
    assert result.committed, result.errors
    yesterday = TODAY - dt.timedelta(days=1)
    assert Employment.objects.get().end_date == yesterday
    assert any(yesterday.isoformat() in w and "就业结束日期" in w for w in result.warnings)


def test_a_past_job_after_a_registration_as_unemployed_ends_it_and_opens_one_at_its_end(
    alice, head
):
    first_start, first_end = months_before(TODAY, 14), months_before(TODAY, 10)
    run(alice, [working(head, start_date=first_start.isoformat())], commit=True)
    ended = working(head, status="未就业", start_date=first_start.isoformat())
    ended[[c.key for c in LEDGER.columns].index("end_date")] = first_end.isoformat()
    run(alice, [ended], commit=True)
    assert Unemployment.objects.get(closed_on__isnull=True).registered_on == first_end
    later_start, later_end = months_before(TODAY, 6), months_before(TODAY, 3)
    row = working(
        head, status="未就业", start_date=later_start.isoformat(), end_date=later_end.isoformat()
    )
    result = run(alice, [row], commit=True)
    assert result.committed, result.errors
    spans = list(
        Unemployment.objects.order_by("registered_on").values_list("registered_on", "closed_on")
    )
    assert spans == [(first_end, later_start), (later_end, None)]
