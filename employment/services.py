"""Writes to the labor ledger, with their rules (issue: labor and employment ledger, item 2).

`actor` is the user making the change (None for the system). Every function runs in one
transaction, checks the actor may write the record, and records the actor in its history."""

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Min, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from employment.models import (
    Employment,
    FollowUpVisit,
    JobMatch,
    LaborProfile,
    Training,
    Unemployment,
)
from households.choices import PersonStatus
from households.models import Person
from industry.models import IndustryProject
from resettle import latechanges
from resettle.latechanges import DatedChange, changed_on
from resettle.scoping import check_editable
from resettle.services import check_not_future, save_checked
from resettle.versioning import versioned_update

# The dated facts of a person's labor record, each (model, date field): each shows the person was
# a laborer by its date (a job held, a training started, a job offered, a visit as employed, a
# registration as unemployed).
LABOR_FACTS = (
    (Employment, "start_date"),
    (Training, "start_date"),
    (JobMatch, "matched_on"),
    (FollowUpVisit, "visited_on"),
    (Unemployment, "registered_on"),
)


# What a labor fact dated into an approved month says on the report's page (translated there).
JOB_STARTED = gettext_noop("job started")
JOB_ENDED = gettext_noop("job ended")
PROFILE_RECORDED = gettext_noop("labor profile recorded")


def labor_dated_note(*, actor, person: Person, dated) -> None:
    """Tell `resettle.latechanges` of the person's written labor facts `dated`, each (record,
    its date or None, what): whoever dates one into an approved month is told."""
    latechanges.note(
        actor=actor,
        changes=[
            DatedChange(on=on, what=what, record=record, household_id=person.household_id)
            for record, on, what in dated
            if on is not None
        ],
    )


def labor_profile_counts_from(*, recorded_on: dt.date, facts: Iterable[dt.date | None]) -> dt.date:
    """The date a labor profile counts from (its `recorded_on`): the earliest of the day it was
    recorded (the form's or the sheet's 登记日期, else the day of entry) and the dates of the
    person's labor facts (`facts`; None, a fact without a date, is skipped). A ledger keyed in
    late keeps its history: a job held since September counts in September's figures however
    late it was entered (Tacheng plan seeds/001 §四(一), 电子化动态台账; DESIGN.md, "Facts keep
    their own dates"). Every path that writes a profile or a fact goes through here."""
    return min([recorded_on, *(d for d in facts if d is not None)])


def labor_facts_first(person_ids: Iterable[int]) -> dict[int, dt.date]:
    """The date of the first labor fact (LABOR_FACTS) of each of `person_ids` that has one, by
    person id; one grouped query per kind of fact. The caller chunks long lists (IN lists)."""
    ids = list(person_ids)
    first: dict[int, dt.date] = {}
    if not ids:
        return first
    for model, field in LABOR_FACTS:
        rows = (
            model.objects.filter(person_id__in=ids, **{f"{field}__isnull": False})
            .order_by()
            .values("person_id")
            .annotate(first=Min(field))
            .values_list("person_id", "first")
        )
        for person_id, day in rows:
            if person_id not in first or day < first[person_id]:
                first[person_id] = day
    return first


def labor_profile_backdate(*, actor, person_id: int, on: dt.date) -> LaborProfile | None:
    """Pull the person's labor profile back to count from `on` (a fact's date) where it was
    recorded later, as labor_profile_counts_from says; the profile's version goes up and its
    history names `actor`. Returns the changed profile, or None (no profile, or one counting
    from `on` or earlier). Inside the caller's transaction, which has checked the actor may
    write the person's records."""
    profile = LaborProfile.objects.filter(person_id=person_id).first()
    if profile is None:
        return None
    day = labor_profile_counts_from(recorded_on=profile.recorded_on, facts=[on])
    if day == profile.recorded_on:
        return None
    profile = versioned_update(
        profile, changes={"recorded_on": day}, version=profile.version, actor=actor
    )
    profile.save()
    return profile


@transaction.atomic
def labor_profile_save(
    *, actor, person: Person, data: dict, version: int | None = None
) -> LaborProfile:
    """Create the person's labor profile from `data` (the profile's fields), or change it
    (`version` as read; VersionConflict when someone saved it since). The profile counts from
    the earlier of its `recorded_on` (default today) and the person's first labor fact
    (labor_profile_counts_from). Raises ValidationError for a date after today or a field
    against the model's rules, PermissionDenied where the actor may not change the person."""
    check_editable(actor, person)
    profile = LaborProfile.objects.filter(person=person).first()
    before = profile.recorded_on if profile is not None else None
    if profile is None:
        profile = LaborProfile(person=person, **data)
    else:
        profile = versioned_update(profile, changes=data, version=version, actor=actor)
    check_not_future(recorded_on=profile.recorded_on)
    profile.recorded_on = labor_profile_counts_from(
        recorded_on=profile.recorded_on, facts=[labor_facts_first([person.pk]).get(person.pk)]
    )
    save_checked(profile, actor=actor)
    labor_dated_note(
        actor=actor,
        person=person,
        dated=[(profile, changed_on(before, profile.recorded_on), PROFILE_RECORDED)],
    )
    return profile


def check_spell(spell: Employment) -> None:
    errors = {}
    if spell.end_date and spell.end_date < spell.start_date:
        errors["end_date"] = _("The end date cannot be before the start date (%(date)s).") % {
            "date": spell.start_date.isoformat()
        }
    income = spell.monthly_income
    ceiling = settings.EMPLOYMENT_MAX_MONTHLY_INCOME
    if income is not None and not Decimal(0) <= income <= ceiling:
        errors["monthly_income"] = _(
            "The monthly income must be between 0 and %(ceiling)s yuan; check the figure."
        ) % {"ceiling": f"{ceiling:,}"}
    if errors:
        raise ValidationError(errors)
    check_not_future(start_date=spell.start_date, end_date=spell.end_date)


def overlap_message(name: str, other_start: dt.date, other_end: dt.date) -> str:
    return _(
        "The job overlaps %(name)s's main job from %(start)s to %(end)s: a person holds one main "
        "job at a time. Start it after %(end)s, or record it as a side job."
    ) % {"name": name, "start": other_start.isoformat(), "end": other_end.isoformat()}


def check_no_overlap(spell: Employment) -> None:
    """A main job may not overlap another main job of the person (ended ones included): every
    figure counts one job per person on a date."""
    others = Employment.objects.filter(person_id=spell.person_id, is_main=True).exclude(pk=spell.pk)
    if spell.end_date is not None:
        others = others.filter(start_date__lte=spell.end_date)
    clash = (
        others.filter(Q(end_date__isnull=True) | Q(end_date__gte=spell.start_date))
        .order_by("start_date")
        .first()
    )
    if clash is not None:
        raise ValidationError(
            {
                "start_date": overlap_message(
                    spell.person.name, clash.start_date, clash.end_date or dt.date.today()
                )
            }
        )


@transaction.atomic
def employment_open(*, actor, person: Person, data: dict) -> Employment:
    """Record a job the person has started (`data`: the spell's fields; amounts in yuan a month).
    The person must be registered (在册) and a laborer with a profile; a main job needs the
    previous one closed first and may not overlap another. An open unemployment registration
    closes on the start date, and the profile counts from the start date at the latest
    (labor_profile_counts_from). Raises ValidationError naming what to fix (Tacheng plan
    §四(一))."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    check_editable(actor, person)
    if person.status != PersonStatus.ACTIVE:
        raise ValidationError(
            _("%(name)s is %(status)s, not registered: only registered persons hold a job.")
            % {"name": person.name, "status": person.get_status_display()}
        )
    profile = LaborProfile.objects.filter(person=person).first()
    if profile is None:
        raise ValidationError(
            _("Record %(name)s's labor profile first: every laborer has one.")
            % {"name": person.name}
        )
    if not profile.is_laborer:
        raise ValidationError(
            _("%(name)s's profile says %(capacity)s; change the profile if they can work.")
            % {"name": person.name, "capacity": profile.get_capacity_display()}
        )
    spell = Employment(person=person, **data)
    if (
        spell.project_id
        and not IndustryProject.objects.filter(
            pk=spell.project_id, county_id=person.site.county_id
        ).exists()
    ):
        raise ValidationError(
            {"project": _("A job is linked to an industry project of the person's own county.")}
        )
    check_spell(spell)
    if spell.is_main and spell.end_date is None:
        current = Employment.objects.filter(
            person=person, end_date__isnull=True, is_main=True
        ).first()
        if current is not None:
            raise ValidationError(
                _(
                    "%(name)s already has an open main job (%(job)s since %(date)s): end it first, "
                    "or record this one as a side job."
                )
                % {
                    "name": person.name,
                    "job": current.get_job_type_display(),
                    "date": current.start_date.isoformat(),
                }
            )
    if spell.is_main:
        check_no_overlap(spell)
    save_checked(spell, actor=actor)
    Unemployment.objects.filter(person=person, closed_on__isnull=True).update(
        closed_on=spell.start_date
    )
    labor_profile_backdate(actor=actor, person_id=person.pk, on=spell.start_date)
    labor_dated_note(
        actor=actor,
        person=person,
        dated=[(spell, spell.start_date, JOB_STARTED), (spell, spell.end_date, JOB_ENDED)],
    )
    return spell


@transaction.atomic
def employment_close(*, actor, spell: Employment, end_date: dt.date, version: int) -> Employment:
    """End a spell on `end_date`. A laborer who still wants work is registered as unemployed
    from that day, which puts them on the job-matching worklist."""
    spell = versioned_update(spell, changes={}, version=version, actor=actor)
    before, spell.end_date = spell.end_date, end_date
    check_spell(spell)
    save_checked(spell, actor=actor)
    labor_dated_note(
        actor=actor,
        person=spell.person,
        dated=[(spell, changed_on(before, end_date), JOB_ENDED)],
    )
    profile = LaborProfile.objects.filter(person_id=spell.person_id).first()
    still_working = Employment.objects.filter(
        person_id=spell.person_id, end_date__isnull=True, is_main=True
    ).exists()
    if profile is not None and profile.wants_work and not still_working:
        Unemployment.objects.get_or_create(
            person_id=spell.person_id,
            closed_on__isnull=True,
            defaults={"registered_on": end_date, "ended_spell": spell},
        )
    return spell


@transaction.atomic
def training_record(*, actor, person: Person, data: dict) -> Training:
    """Record a training the person attended from `data["start_date"]` to `data["end_date"]`
    (Tacheng plan §四(二)); the person's labor profile counts from its start at the latest.
    Raises ValidationError for an end before the start, a future start or a bad field."""
    training = Training(person=person, **data)
    if training.end_date and training.start_date and training.end_date < training.start_date:
        raise ValidationError(
            {
                "end_date": _("The end date cannot be before the start date (%(date)s).")
                % {"date": training.start_date.isoformat()}
            }
        )
    check_not_future(start_date=training.start_date)
    save_checked(training, actor=actor)
    labor_profile_backdate(actor=actor, person_id=person.pk, on=training.start_date)
    labor_dated_note(
        actor=actor,
        person=person,
        dated=[(training, training.start_date, gettext_noop("training"))],
    )
    return training


@transaction.atomic
def job_match_record(*, actor, person: Person, data: dict) -> JobMatch:
    """Record a job offered to the person on `data["matched_on"]` (Tacheng plan §四(四): at least
    one match for each unemployed laborer who wants work); the person's labor profile counts
    from that day at the latest. Raises ValidationError for a future date or a bad field."""
    match = JobMatch(person=person, by=actor, **data)
    check_not_future(matched_on=match.matched_on)
    save_checked(match, actor=actor)
    labor_profile_backdate(actor=actor, person_id=person.pk, on=match.matched_on)
    labor_dated_note(
        actor=actor, person=person, dated=[(match, match.matched_on, gettext_noop("job match"))]
    )
    return match


@transaction.atomic
def follow_up_record(*, actor, person: Person, data: dict) -> FollowUpVisit:
    """Record a follow-up visit made on `data["visited_on"]` (Tacheng plan §四(四): at least once a
    year for the employed); the person's labor profile counts from that day at the latest.
    Raises ValidationError for a future date or a bad field."""
    visit = FollowUpVisit(person=person, by=actor, **data)
    check_not_future(visited_on=visit.visited_on)
    save_checked(visit, actor=actor)
    labor_profile_backdate(actor=actor, person_id=person.pk, on=visit.visited_on)
    labor_dated_note(
        actor=actor,
        person=person,
        dated=[(visit, visit.visited_on, gettext_noop("follow-up visit"))],
    )
    return visit
