"""The labor ledger's import as services (就业台账, Tacheng plan seeds/001 §四(一)):
`labor_import_plan` checks the rows of an upload against the registry and the rules of
`employment.services` (no writes), `labor_import_commit` writes what the check planned.
`employment.excel` describes the workbook's columns and calls these through the kernel's import
pipeline (`resettle.excel.run_import`: the dry run, the whole file or nothing, the marked
workbook). The check reads the records in a few queries (no query per row).

A row names its person by the ID number alone; 姓名 and 户编号, where given, are checked against
the registry (a difference is a warning) and tell apart the persons an export's masked number
may stand for. The profile counts from its 登记日期 (else the import day) or the person's first
labor fact, whichever is earlier (`services.labor_profile_counts_from`), so that a ledger
imported late keeps its past months.

A row's 就业状态 decides what happens to the person's open main job:
- 已就业: with no open job, or with a 就业开始日期 later than the open job's, a new job opens (the
  old one ends the day before); otherwise the open job takes the row's values.
- 未就业: the open job ends on 就业结束日期, or else by the import day (its last day the day before);
  a person who still wants work is registered as unemployed, which puts them on the job-matching
  worklist.
- empty: the job is left as it is.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from employment import choices
from employment.models import Employment, LaborProfile, Unemployment
from employment.services import (
    JOB_ENDED,
    JOB_STARTED,
    PROFILE_RECORDED,
    check_spell,
    labor_facts_first,
    labor_profile_counts_from,
    overlap_message,
)
from households.choices import PersonStatus
from households.models import Person
from resettle import latechanges
from resettle.bulk import insert_with_history, update_with_history
from resettle.imports import ImportResult, Row, RowError, chunks, entry, field_change
from resettle.latechanges import DatedChange, changed_on
from resettle.masking import MASKED_INPUT, mask_id_number
from resettle.services import check_not_future

if TYPE_CHECKING:
    from resettle.excel import Column

PROFILE_KEYS = [
    "capacity",
    "skill",
    "language",
    "willingness",
    "training_intention",
    "service_needs",
]
SPELL_KEYS = [
    "channel",
    "job_type",
    "place",
    "employer",
    "industry",
    "monthly_income",
    "start_date",
    "organised",
]
# What a new job needs (the other columns may stay empty).
NEW_SPELL_KEYS = ["channel", "job_type", "place", "start_date"]


@dataclass
class LaborPlan:
    new_profiles: list[LaborProfile] = field(default_factory=list)
    changed_profiles: list[LaborProfile] = field(default_factory=list)
    profile_fields: set[str] = field(default_factory=set)
    # Open jobs changed or ended; written before the new ones, which may replace them.
    changed_spells: list[Employment] = field(default_factory=list)
    spell_fields: set[str] = field(default_factory=set)
    new_spells: list[Employment] = field(default_factory=list)
    registrations: list[Unemployment] = field(default_factory=list)
    # Open registrations that a past job of the sheet ended: (person id, the job's first day).
    registrations_closed: list[tuple[int, dt.date]] = field(default_factory=list)
    # The dated labor facts it writes that may touch an approved monthly report, (record,
    # household id, date, what): those dated on or before `dated_until`, the last day of the
    # latest approved month (`resettle.latechanges.covered_until`, asked once; None: no report
    # is approved, and none is kept). Their authors are told.
    dated_until: dt.date | None = None
    dated: list[tuple] = field(default_factory=list)
    # The ledger's columns by key, which name and render the fields in the check's preview.
    columns: Mapping[str, Column] = field(default_factory=dict)

    def keep_dated(self, record, person: Person, on: dt.date | None, what: str) -> None:
        """Keep a labor fact of `person` dated `on`, if it may touch an approved report."""
        if on is not None and self.dated_until is not None and on <= self.dated_until:
            self.dated.append((record, person.household_id, on, what))


def labor_import_plan(
    *, actor, rows: list[Row], result: ImportResult, columns: Mapping[str, Column]
) -> LaborPlan:
    """Check the parsed `rows` of a labor workbook (one per person; `Row.values` by column key,
    see `employment.excel`) against the registry, as `actor`, without writing: each row names a
    person of the actor's area (a masked number by name and household number), whose labor
    profile and main job change as its 就业状态 says, under the rules of `employment.services`
    (a laborer's profile first, main jobs that do not overlap, no dates in the future).
    Adds each row's errors (RowError, by column header) and warnings and the counts (created,
    updated, unchanged) to `result`; `columns` (the ledger's columns by key) name the fields
    in the messages. Returns what `labor_import_commit` writes."""

    def error(row: Row, key: str, message: str) -> None:
        result.errors.append(RowError(row.number, columns[key].header, message))

    persons = _persons(rows, actor)
    ids = sorted(
        {
            p.pk
            for found in persons.values()
            for p in (found if isinstance(found, list) else [found])
        }
    )
    writable: set[int] = set()
    profiles: dict[int, LaborProfile] = {}
    jobs: dict[int, Employment] = {}
    # Persons registered unemployed now, with the day their registration began.
    registered: dict[int, dt.date] = {}
    # The last day of each person's latest ended main job: a new one starts after it.
    ended: dict[int, dt.date] = {}
    # Each person's ended main jobs (start, end): a past job of the sheet may not overlap them.
    past: dict[int, list[tuple[dt.date, dt.date]]] = {}
    # The date of each person's first labor fact: their profile counts from it at the latest.
    first_facts: dict[int, dt.date] = {}
    for part in chunks(ids):
        first_facts.update(labor_facts_first(part))
        writable.update(
            Person.objects.editable_by(actor).filter(pk__in=part).values_list("id", flat=True)
        )
        profiles.update({p.person_id: p for p in LaborProfile.objects.filter(person_id__in=part)})
        jobs.update(
            {
                j.person_id: j
                for j in Employment.objects.filter(
                    person_id__in=part, end_date__isnull=True, is_main=True
                )
            }
        )
        for person_id, start, end in Employment.objects.filter(
            person_id__in=part, is_main=True, end_date__isnull=False
        ).values_list("person_id", "start_date", "end_date"):
            past.setdefault(person_id, []).append((start, end))
            ended[person_id] = max(end, ended.get(person_id, end))
        registered.update(
            Unemployment.objects.filter(person_id__in=part, closed_on__isnull=True).values_list(
                "person_id", "registered_on"
            )
        )

    plan = LaborPlan(dated_until=latechanges.covered_until(), columns=columns)
    today = dt.date.today()
    seen: dict[int, int] = {}
    for row in rows:
        values = row.values
        number = values["id_number"]
        if number is None or row.invalid:
            continue  # the cells' errors are listed; the rest of the row would mislead
        person = _match(persons, values)
        if person is None or person.pk not in writable:
            # Someone outside the user's area is named no more than someone unknown.
            error(row, "id_number", _unknown(number))
            continue
        _check_registry(row, person, result)
        if person.pk in seen:
            error(
                row,
                "id_number",
                _("%(name)s is also on row %(row)d: one row per person.")
                % {"name": person.name, "row": seen[person.pk]},
            )
            continue
        seen[person.pk] = row.number
        before = len(result.errors)
        listing = (
            None
            if result.preview.full
            else _Listing.before(profiles.get(person.pk), jobs.get(person.pk), plan)
        )
        was = profiles[person.pk].recorded_on if person.pk in profiles else None
        profile, profile_state = _plan_profile(
            row, person, profiles.get(person.pk), today, plan, error
        )
        if len(result.errors) > before:
            continue
        spell_state = _plan_spell(
            row,
            person,
            profile,
            jobs.get(person.pk),
            (registered, ended.get(person.pk), past.get(person.pk, [])),
            today,
            plan,
            columns,
            error,
            result.warnings,
        )
        if len(result.errors) > before:
            continue
        if profile is not None:
            # A job the row opened or recorded (a past one too) is a dated labor fact.
            start = values["start_date"] if spell_state != "unchanged" else None
            dated = _date_profile(
                profile, values["recorded_on"], [start, first_facts.get(person.pk)], plan
            )
            if dated and profile_state == "unchanged":
                profile_state = "changed"
            plan.keep_dated(profile, person, changed_on(was, profile.recorded_on), PROFILE_RECORDED)
        job = jobs.get(person.pk)
        _count_row(result, {profile_state, spell_state}, person, (listing, profile, job, plan))
    return plan


def _count_row(result: ImportResult, states: set[str], person: Person, listed) -> None:
    """Count a row created, updated or unchanged in `result` (`states`: its profile's and its
    job's), and list what it creates or changes of `person`'s in the preview: `listed` is
    (the `_Listing` of what the person had before the row, None once the preview is full; their
    profile and open main job as planned; the plan)."""
    if "created" in states:
        result.created += 1
        action = "created"
    elif "changed" in states:
        result.updated += 1
        action = "changed"
    else:
        result.unchanged += 1
        return
    listing, profile, job, plan = listed
    if listing is None:
        result.preview.more += 1
        return
    parts = listing.parts(profile, job, plan)
    result.preview.add(action, person.name, person.household.household_no, parts=parts)


# What the preview shows of a profile and of a main job.
PROFILE_FIELDS = [*PROFILE_KEYS, "recorded_on"]
JOB_FIELDS = [*SPELL_KEYS, "end_date"]


@dataclass
class _Listing:
    """What a row's person had before the row was planned, for the check's preview: the values
    of their profile and open main job (None for none) and how many new jobs and registrations
    the plan held. `columns` name and render the fields."""

    profile: dict | None
    job: dict | None
    new_spells: int
    registrations: int
    columns: Mapping[str, Column]

    @classmethod
    def before(cls, profile, job, plan: LaborPlan) -> _Listing:
        return cls(
            None if profile is None else {k: getattr(profile, k) for k in PROFILE_FIELDS},
            None if job is None else {k: getattr(job, k) for k in JOB_FIELDS},
            len(plan.new_spells),
            len(plan.registrations),
            plan.columns,
        )

    def parts(self, profile, job, plan: LaborPlan) -> list[dict]:
        """What the row creates or changes: the profile, the open job, the jobs it adds and
        the registrations as seeking work (待岗位对接) it makes, as preview entries."""
        parts = []
        if profile is not None and self.profile is None:
            parts.append(
                entry("created", _("Labor profile"), fields=self._given(profile, PROFILE_FIELDS))
            )
        elif profile is not None and (
            fields := self._changed(profile, self.profile, PROFILE_FIELDS)
        ):
            parts.append(entry("changed", _("Labor profile"), fields=fields))
        if (
            job is not None
            and self.job is not None
            and (fields := self._changed(job, self.job, JOB_FIELDS))
        ):
            parts.append(entry("changed", _("Current main job"), fields=fields))
        for spell in plan.new_spells[self.new_spells :]:
            parts.append(entry("created", _("Main job"), fields=self._given(spell, JOB_FIELDS)))
        for registration in plan.registrations[self.registrations :]:
            day = registration.registered_on.isoformat()
            parts.append(entry("created", _("Registered as seeking work"), day))
        return parts

    def _given(self, record, keys: list[str]) -> list:
        return [
            field_change(self.columns[k], None, getattr(record, k))
            for k in keys
            if getattr(record, k) not in (None, "")
        ]

    def _changed(self, record, was: dict, keys: list[str]) -> list:
        return [
            field_change(self.columns[k], was[k], getattr(record, k))
            for k in keys
            if getattr(record, k) != was[k]
        ]


def _persons(rows: list[Row], actor) -> dict:
    """The persons the rows name: by ID number, and the candidates for each (masked number,
    name) of an export. A registered person comes before others with the same number."""
    numbers = sorted({n for r in rows if (n := r.values["id_number"]) and "*" not in n})
    persons: dict = {}
    for part in chunks(numbers):
        for person in (
            Person.objects.filter(id_number__in=part).select_related("household").order_by("id")
        ):
            current = persons.get(person.id_number)
            if current is None or (
                current.status != PersonStatus.ACTIVE and person.status == PersonStatus.ACTIVE
            ):
                persons[person.id_number] = person
    # An exported row's masked number, told apart by the name or the household number: the
    # candidates are the persons of the user's area with one of the rows' names or
    # household numbers, by their masked number.
    masked_rows = [r.values for r in rows if r.values["id_number"] and "*" in r.values["id_number"]]
    masked: dict[str, dict[str, Person]] = {}
    editable = Person.objects.editable_by(actor).select_related("household").order_by("id")
    for lookup, key in (("name", "name"), ("household__household_no", "household_no")):
        wanted = sorted({v[key] for v in masked_rows if v[key]})
        for part in chunks(wanted):
            for person in editable.filter(**{f"{lookup}__in": part}):
                same = masked.setdefault(mask_id_number(person.id_number), {})
                current = same.get(person.id_number)
                if current is None or (
                    current.status != PersonStatus.ACTIVE and person.status == PersonStatus.ACTIVE
                ):
                    same[person.id_number] = person
    persons.update({("masked", key): list(same.values()) for key, same in masked.items()})
    return persons


def _match(persons: dict, values: dict) -> Person | None:
    """The row's person: by its ID number alone; by a masked number (an export's) and the
    name, the household number, or both where two persons share the others."""
    number = values["id_number"]
    if "*" not in number:
        return persons.get(number)
    if not values["name"] and not values["household_no"]:
        return None
    candidates = [
        p
        for p in persons.get(("masked", number), [])
        if values["name"] in (None, p.name)
        and values["household_no"] in (None, p.household.household_no)
    ]
    return candidates[0] if len(candidates) == 1 else None


def _unknown(number: str) -> str:
    """What a row naming nobody the user may change is told: the same whether nobody has the
    number or the person is outside the user's area, whom no message names."""
    if "*" in number:
        return str(MASKED_INPUT)
    return _(
        "Nobody with the ID number %(number)s is in the household ledger of your area: "
        "register the person there first."
    ) % {"number": number}


def _check_registry(row: Row, person: Person, result: ImportResult) -> None:
    """Warn where the row's 姓名 or 户编号 differ from the registry's: the person is the one
    the ID number names, and the row imports (issue 14, item 9)."""
    values = row.values
    if "*" in values["id_number"]:
        return  # a masked number was matched by the name and household number
    if values["name"] and values["name"] != person.name:
        result.warnings.append(
            _(
                "Row %(row)d: the ID number %(number)s is registered to %(registered)s; the "
                "sheet says %(name)s. The row was imported by the ID number."
            )
            % {
                "row": row.number,
                "number": values["id_number"],
                "registered": person.name,
                "name": values["name"],
            }
        )
    household_no = person.household.household_no
    if values["household_no"] and values["household_no"] != household_no:
        result.warnings.append(
            _(
                "Row %(row)d: the ID number %(number)s is registered in household "
                "%(household)s; the sheet says %(given)s. The row was imported by the ID "
                "number."
            )
            % {
                "row": row.number,
                "number": values["id_number"],
                "household": household_no,
                "given": values["household_no"],
            }
        )


def _plan_profile(row, person, profile, today, plan, error):
    """The person's profile after the row (None if they have none) and whether it was
    "created", "changed" or "unchanged". A new profile is recorded on the row's 登记日期,
    else today; `_date_profile` then applies the person's labor facts."""
    given = {k: row.values[k] for k in PROFILE_KEYS if row.values[k] is not None}
    recorded_on = row.values["recorded_on"]
    try:
        check_not_future(recorded_on=recorded_on)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            error(row, name, " ".join(messages))
        return profile, "unchanged"
    if profile is None:
        if not given and recorded_on is None:
            return None, "unchanged"
        if "capacity" not in given:
            error(
                row,
                "capacity",
                _("%(name)s has no labor profile yet: fill in 劳动能力 to create one.")
                % {"name": person.name},
            )
            return None, "unchanged"
        profile = LaborProfile(person=person, recorded_on=recorded_on or today, **given)
        plan.new_profiles.append(profile)
        return profile, "created"
    changed = {k for k, v in given.items() if getattr(profile, k) != v}
    if not changed:
        return profile, "unchanged"
    for key in changed:
        setattr(profile, key, given[key])
    plan.changed_profiles.append(profile)
    plan.profile_fields |= changed
    return profile, "changed"


def _date_profile(profile, recorded_on, facts, plan: LaborPlan) -> bool:
    """Set the date the row's profile counts from: its 登记日期 (`recorded_on`, else the date
    it has) pulled back to the earliest of the `facts` (the row's job start, the person's
    first recorded labor fact), by labor_profile_counts_from. Whether an existing profile
    changed."""
    day = labor_profile_counts_from(recorded_on=recorded_on or profile.recorded_on, facts=facts)
    if day == profile.recorded_on:
        return False
    profile.recorded_on = day
    if profile.pk is None:
        return False  # a new profile: already in the plan
    if not any(p is profile for p in plan.changed_profiles):
        plan.changed_profiles.append(profile)
    plan.profile_fields.add("recorded_on")
    return True


def _plan_spell(row, person, profile, job, history, today, plan, columns, error, warnings) -> str:
    """Open, change or end the person's main job as the row says, or record a job that has
    already ended; "created", "changed" or "unchanged". `history`: the persons registered
    unemployed, the last day of this person's latest ended main job, and their ended main
    jobs as (start, end). What the user should know goes to `warnings`."""
    values = row.values
    status = values["status"]
    given = {k: values[k] for k in SPELL_KEYS if values[k] is not None}
    end = values["end_date"]
    if status is None:
        if given or end:
            error(
                row,
                "status",
                _(
                    "The row has job details but no 就业状态: write 已就业 to record the job, "
                    "or 未就业 to end it."
                ),
            )
        return "unchanged"
    if status == choices.EmploymentStatus.UNEMPLOYED:
        return _plan_job_end(
            row, person, profile, job, history, today, plan, columns, error, warnings
        )
    return _plan_job_held(row, person, profile, job, history[1], given, plan, columns, error)


def _plan_job_end(row, person, profile, job, history, today, plan, columns, error, warnings) -> str:
    """A row saying 未就业: record a job that began and ended before the current one, or end
    the current main job (on the row's end date, else the day before the import, which
    `warnings` tells) and register the person unemployed if they want work."""
    registered = history[0]
    values = row.values
    end = values["end_date"]
    start = values["start_date"]
    if start is not None and (job is None or start < job.start_date):
        # A job that began and ended before: the ledger's history (issue 14, item 1).
        return _plan_past_job(row, person, profile, job, history, plan, columns, error)
    if job is None:
        return "unchanged"
    # Without a date the job ended by the import: its last day was the day before, so
    # that today the person counts as not employed (and on the job-matching worklist).
    job.end_date = end or max(today - dt.timedelta(days=1), job.start_date)
    if end is None:
        warnings.append(
            _(
                "Row %(row)d: no 就业结束日期, so %(name)s's job was ended on "
                "%(date)s, the day before the import. Write the job's real last day, or "
                "the months before count %(name)s as employed."
            )
            % {"row": row.number, "name": person.name, "date": job.end_date.isoformat()}
        )
    if not _checked(row, job, error):
        return "unchanged"
    plan.changed_spells.append(job)
    plan.spell_fields.add("end_date")
    plan.keep_dated(job, person, job.end_date, JOB_ENDED)
    if profile is not None and profile.wants_work and person.pk not in registered:
        plan.registrations.append(
            Unemployment(person=person, registered_on=job.end_date, ended_spell=job)
        )
    return "changed"


def _plan_job_held(row, person, profile, job, last_ended, given, plan, columns, error) -> str:
    """A row saying 已就业: change the current main job with the row's details (`given`), or
    open a new one (ending the current one the day before), after `last_ended`, the last day of
    the person's latest ended main job."""
    values = row.values
    end = values["end_date"]
    if end:
        error(
            row,
            "end_date",
            _(
                "A person who is 已就业 has no end date: to record that the job ended, write "
                "未就业 and the end date."
            ),
        )
        return "unchanged"
    if person.status != PersonStatus.ACTIVE:
        error(
            row,
            "status",
            _("%(name)s is %(status)s, not registered: only registered persons hold a job.")
            % {"name": person.name, "status": person.get_status_display()},
        )
        return "unchanged"
    if not _laborer(row, person, profile, error):
        return "unchanged"
    start = values["start_date"]
    if start and last_ended and start <= last_ended:
        error(
            row,
            "start_date",
            _(
                "%(name)s's previous main job ended on %(date)s: a new one starts after it "
                "(main jobs may not overlap)."
            )
            % {"name": person.name, "date": last_ended.isoformat()},
        )
        return "unchanged"
    if job is not None and not (start and start > job.start_date):
        changed = {k for k, v in given.items() if getattr(job, k) != v}
        if not changed:
            return "unchanged"
        for key in changed:
            setattr(job, key, given[key])
        if not _checked(row, job, error):
            return "unchanged"
        plan.changed_spells.append(job)
        plan.spell_fields |= changed
        if "start_date" in changed:  # moved earlier: a later start opens a new job
            plan.keep_dated(job, person, job.start_date, JOB_STARTED)
        return "changed"
    if not _has_new_job_columns(row, columns, error):
        return "unchanged"
    spell = Employment(person=person, is_main=True, **given)
    if not _checked(row, spell, error):
        return "unchanged"
    if job is not None:
        # Changed jobs: the old one ended the day before.
        job.end_date = start - dt.timedelta(days=1)
        plan.changed_spells.append(job)
        plan.spell_fields.add("end_date")
        plan.keep_dated(job, person, job.end_date, JOB_ENDED)
    plan.new_spells.append(spell)
    plan.keep_dated(spell, person, spell.start_date, JOB_STARTED)
    return "created"


def _plan_past_job(row, person, profile, job, history, plan, columns, error) -> str:
    """Record a main job that began on the row's 就业开始日期 and ended on its 就业结束日期
    (就业状态 未就业): "created", or "unchanged" when the ledger has it already. It may
    not overlap the person's other main jobs; a laborer who still wants work is registered
    unemployed from its end when it is their latest job (Tacheng plan seeds/001 §四(四))."""
    registered, last_ended, past = history
    values = row.values
    start, end = values["start_date"], values["end_date"]
    if end is None:
        error(
            row,
            "end_date",
            _(
                "A job that has ended needs its 就业结束日期 (the job began on %(start)s); "
                "for a job still held write 已就业."
            )
            % {"start": start.isoformat()},
        )
        return "unchanged"
    if (start, end) in past:
        return "unchanged"
    if not _laborer(row, person, profile, error):
        return "unchanged"
    if not _has_new_job_columns(row, columns, error):
        return "unchanged"
    others = [*past, *([(job.start_date, None)] if job is not None else [])]
    for other_start, other_end in others:
        if other_start <= end and (other_end is None or other_end >= start):
            error(
                row,
                "start_date",
                overlap_message(person.name, other_start, other_end or dt.date.today()),
            )
            return "unchanged"
    given = {k: values[k] for k in SPELL_KEYS if values[k] is not None}
    spell = Employment(person=person, is_main=True, end_date=end, **given)
    if not _checked(row, spell, error):
        return "unchanged"
    plan.new_spells.append(spell)
    plan.keep_dated(spell, person, start, JOB_STARTED)
    plan.keep_dated(spell, person, end, JOB_ENDED)
    since = registered.get(person.pk)
    if since is not None and since <= start:
        # Registered unemployed before this job began: the job ended that registration.
        plan.registrations_closed.append((person.pk, start))
        since = None
    latest = job is None and (last_ended is None or end > last_ended)
    if (
        latest
        and since is None
        and profile.wants_work
        and person.status == PersonStatus.ACTIVE  # no registration for who left or died
    ):
        plan.registrations.append(Unemployment(person=person, registered_on=end, ended_spell=spell))
    return "created"


def _laborer(row, person, profile, error) -> bool:
    """Whether `person`'s profile says they can work (only laborers hold a job); if not,
    the row's error on 劳动能力 says what to record."""
    if profile is not None and profile.is_laborer:
        return True
    error(
        row,
        "capacity",
        _("Record %(name)s's labor profile first: every laborer has one.") % {"name": person.name}
        if profile is None
        else _("%(name)s's profile says %(capacity)s; change the profile if they can work.")
        % {"name": person.name, "capacity": profile.get_capacity_display()},
    )
    return False


def _has_new_job_columns(row, columns, error) -> bool:
    """Whether the row has what a new job needs (NEW_SPELL_KEYS); if not, the row's error
    names the columns to fill in."""
    values = row.values
    missing = [columns[k].header for k in NEW_SPELL_KEYS if values[k] is None]
    if not missing:
        return True
    error(
        row,
        next(k for k in NEW_SPELL_KEYS if values[k] is None),
        _("A new job needs %(columns)s; fill in %(missing)s.")
        % {
            "columns": "、".join(columns[k].header for k in NEW_SPELL_KEYS),
            "missing": "、".join(missing),
        },
    )
    return False


def _checked(row, spell: Employment, error) -> bool:
    """Whether the spell keeps the services' rules; the broken ones are the row's errors."""
    try:
        check_spell(spell)
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            error(row, name, " ".join(messages))
        return False
    return True


@transaction.atomic
def labor_import_commit(*, actor, plan: LaborPlan) -> None:
    """Write the `plan` of `labor_import_plan`: new and changed profiles and jobs with their
    history (changed ones with their version raised), the unemployment registrations the jobs
    close or open (a model without history), and the late changes to approved reports, told to
    the actor. Raises ValidationError (CHANGED_MEANWHILE) when someone saved one of the changed
    records since the check; the caller's transaction then leaves everything as it was."""
    insert_with_history(LaborProfile, plan.new_profiles, user=actor)
    update_with_history(LaborProfile, plan.changed_profiles, plan.profile_fields, user=actor)
    # Ended jobs first: a new main job may replace one.
    update_with_history(Employment, plan.changed_spells, plan.spell_fields, user=actor)
    insert_with_history(Employment, plan.new_spells, user=actor)
    # Working again: the registration as unemployed closes on the first day of the job.
    starts: dict[dt.date, list[int]] = {}
    for spell in plan.new_spells:
        if spell.end_date is None:  # a past job's registrations are planned on their own
            starts.setdefault(spell.start_date, []).append(spell.person_id)
    for person_id, start in plan.registrations_closed:
        starts.setdefault(start, []).append(person_id)
    for start, person_ids in starts.items():
        for part in chunks(person_ids):
            Unemployment.objects.filter(person_id__in=part, closed_on__isnull=True).update(
                closed_on=start
            )
    Unemployment.objects.bulk_create(plan.registrations, batch_size=1000)
    latechanges.note(
        actor=actor,
        changes=[
            DatedChange(on=on, what=what, record=record, household_id=household)
            for record, household, on, what in plan.dated
        ],
    )
