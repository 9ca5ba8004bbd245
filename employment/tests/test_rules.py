"""The labor ledger's rules, as a cadre meets them: each refusal says what to fix."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from employment.models import Employment, Unemployment
from employment.selectors import laborers_on
from employment.services import (
    employment_close,
    employment_open,
    job_match_record,
    labor_profile_save,
)

JOB = {
    "channel": "public_welfare",
    "job_type": "cleaner",
    "place": "county",
    "employer": "莎车县环卫所",
    "monthly_income": Decimal("1800"),
    "start_date": dt.date(2024, 3, 1),
}


@pytest.fixture
def worker(alice, shache_household):
    person = shache_household.members.get(relation="head")
    labor_profile_save(
        actor=alice, person=person, data={"capacity": "ordinary", "willingness": "local"}
    )
    return person


def messages(exc) -> str:
    return " ".join(exc.value.messages)


@pytest.mark.django_db
def test_a_laborer_needs_a_profile_before_a_job(alice, shache_household):
    person = shache_household.members.get(relation="head")
    with pytest.raises(ValidationError) as exc:
        employment_open(actor=alice, person=person, data=dict(JOB))
    assert "请先登记" in messages(exc) and "劳动力档案" in messages(exc)
    assert not Employment.objects.exists()


@pytest.mark.django_db
def test_only_one_open_main_job_at_a_time(alice, worker):
    employment_open(actor=alice, person=worker, data=dict(JOB))
    with pytest.raises(ValidationError) as exc:
        employment_open(actor=alice, person=worker, data={**JOB, "start_date": dt.date(2024, 5, 1)})
    assert "2024-03-01" in messages(exc)
    # A side job is fine.
    employment_open(
        actor=alice, person=worker, data={**JOB, "is_main": False, "job_type": "wage_work"}
    )
    assert Employment.objects.filter(person=worker).count() == 2


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"monthly_income": Decimal("-1")}, "monthly_income"),
        ({"monthly_income": Decimal("900000")}, "monthly_income"),
        ({"start_date": dt.date.today() + dt.timedelta(days=3)}, "start_date"),
        ({"end_date": dt.date(2024, 2, 1)}, "end_date"),
    ],
)
def test_impossible_spells_are_refused(alice, worker, change, field):
    with pytest.raises(ValidationError) as exc:
        employment_open(actor=alice, person=worker, data={**JOB, **change})
    assert field in exc.value.message_dict
    assert not Employment.objects.exists()


@pytest.mark.django_db
def test_only_registered_persons_hold_a_job(alice, worker):
    worker.status, worker.status_changed_on = "moved_out", dt.date(2024, 1, 1)
    worker.save()
    with pytest.raises(ValidationError) as exc:
        employment_open(actor=alice, person=worker, data=dict(JOB))
    assert worker.name in messages(exc)


@pytest.mark.django_db
def test_ending_the_job_of_someone_who_wants_work_registers_them_unemployed(alice, worker):
    spell = employment_open(actor=alice, person=worker, data=dict(JOB))
    employment_close(actor=alice, spell=spell, end_date=dt.date(2025, 6, 30), version=spell.version)
    registration = Unemployment.objects.get(person=worker)
    assert registration.registered_on == dt.date(2025, 6, 30) and registration.closed_on is None
    # A new job closes the registration.
    employment_open(actor=alice, person=worker, data={**JOB, "start_date": dt.date(2025, 8, 1)})
    registration.refresh_from_db()
    assert registration.closed_on == dt.date(2025, 8, 1)


@pytest.mark.django_db
def test_outside_the_area_nothing_is_written(charlie, worker):
    with pytest.raises(PermissionDenied):
        employment_open(actor=charlie, person=worker, data=dict(JOB))
    with pytest.raises(PermissionDenied):
        job_match_record(
            actor=charlie,
            person=worker,
            data={"matched_on": dt.date(2025, 1, 1), "employer": "甲", "job": "乙"},
        )
    assert not Employment.objects.exists()


@pytest.mark.django_db
def test_working_age_is_16_to_59_on_the_day(worker):
    """The laborers counted on a day are of working age that day (the SQL of `laborers_on`)."""
    worker.birth_date = dt.date(2000, 6, 15)
    worker.registered_on = dt.date(2016, 1, 1)
    worker.save()
    worker.labor_profile.recorded_on = dt.date(2016, 1, 1)
    worker.labor_profile.save()

    def counted(day: dt.date) -> bool:
        return laborers_on(day).filter(pk=worker.pk).exists()

    assert not counted(dt.date(2016, 6, 14))
    assert counted(dt.date(2016, 6, 15))
    assert counted(dt.date(2060, 6, 14))
    assert not counted(dt.date(2060, 6, 15))


@pytest.mark.django_db
def test_main_jobs_may_not_overlap_even_when_ended(alice, worker):
    job = employment_open(actor=alice, person=worker, data=dict(JOB))
    employment_close(actor=alice, spell=job, end_date=dt.date(2025, 6, 30), version=job.version)
    earlier = {**JOB, "start_date": dt.date(2025, 1, 1), "end_date": dt.date(2025, 3, 1)}
    with pytest.raises(ValidationError) as refused:
        employment_open(actor=alice, person=worker, data=earlier)
    assert "2024-03-01" in messages(refused) and "2025-06-30" in messages(refused)
    # A side job may run alongside; a main job after the last one may start.
    employment_open(actor=alice, person=worker, data={**earlier, "is_main": False})
    employment_open(actor=alice, person=worker, data={**JOB, "start_date": dt.date(2025, 7, 1)})
    assert Employment.objects.filter(person=worker, is_main=True).count() == 2
