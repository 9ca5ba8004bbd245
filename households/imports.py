"""The household ledger's import as services: `household_import_plan` checks the rows of an
upload against the registry and the registry's rules (no writes), `household_import_commit`
writes what the check planned. `households.excel` describes the workbook's columns and calls
these through the kernel's import pipeline (`resettle.excel.run_import`: the dry run, the whole
file or nothing, the marked workbook).

A row is one person; the household's fields are repeated on each member's row and grouped by
户编号. The check reads the registry in a few queries (no query per row) and applies the same
rules as the forms and the API (`households.services`: the dated steps, a member's status and
its date, the one-head rule, an ID number registered once).
"""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.base import ModelState
from django.utils.translation import gettext as _

from households import choices
from households.models import HOUSEHOLD_FACTS, Household, Person, Site
from households.services import (
    STEP_FIELDS,
    apply_person_status,
    dated_facts,
    dated_facts_note,
    dates_of,
    default_registered_on,
    head_rule,
    household_steps_apply,
    id_number_taken,
    members_follow,
)
from resettle import latechanges
from resettle.bulk import insert_with_history, update_with_history
from resettle.cleaning import name_initials, name_key
from resettle.idcard import describe
from resettle.imports import (
    ImportResult,
    Row,
    RowError,
    chunks,
    entry,
    field_change,
    preview_text,
)
from resettle.masking import MASKED_INPUT, mask_id_number, mask_phone, unmask

if TYPE_CHECKING:
    from resettle.excel import Column

# The household's fields a row gives besides its number and site, in the workbook's order
# (`households.excel.HOUSEHOLD_COLUMNS`).
HOUSEHOLD_KEYS = HOUSEHOLD_FACTS
# The person's fields set from their cells, in the workbook's order
# (`households.excel.PERSON_COLUMNS`, but for the ID number and the status date, which the
# service's rule sets).
PERSON_KEYS = [
    "name",
    "relation",
    "ethnicity",
    "education",
    "schooling",
    "health",
    "disability_grade",
    "medical_insurance",
    "pension_insurance",
    "dibao",
    "tekun",
    "status",
]
PERSON_FIELDS = [*PERSON_KEYS, "status_changed_on", "status_changed_on_unknown"]
# The fields of the dated steps (旧房拆除, 宅基地复垦, 不动产权证, 户籍迁入), set by the service's rule.
STEP_KEYS = [k for k in HOUSEHOLD_KEYS if k in STEP_FIELDS]
UNKNOWN_DATE_FIELDS = [step.unknown_field for step in Household.DATED_STEPS]
# What an import may change on a household it finds.
HOUSEHOLD_CHANGES = ["site_id", *HOUSEHOLD_KEYS, *UNKNOWN_DATE_FIELDS]


@dataclass
class HouseholdPlan:
    """What an import would write: new and changed households and persons, and the households
    that move to another site (their members move with them)."""

    new_households: list[Household] = field(default_factory=list)
    changed_households: list[Household] = field(default_factory=list)
    household_fields: set[str] = field(default_factory=set)
    new_persons: list[Person] = field(default_factory=list)
    changed_persons: list[Person] = field(default_factory=list)
    person_fields: set[str] = field(default_factory=set)
    # What the import will record as done on a date nobody gave, by the column that says it
    # was done: the households' numbers (for the check's warning).
    dates_unknown: dict[str, list[str]] = field(default_factory=dict)
    # The dated facts it writes that may touch an approved monthly report, (household or person,
    # the first day whose figures move, what): those dated on or before `dated_until`, the last
    # day of the latest approved month (`resettle.latechanges.covered_until`, asked once; None:
    # no report is approved, and no row's dates are looked at). Their authors are told
    # (`households.services.dated_facts_note`).
    dated_until: dt.date | None = None
    dated: list[tuple] = field(default_factory=list)

    def keep_dated(self, record: Household | Person, before: dict) -> None:
        """Keep the facts of `record` whose dates changed from `before` (`dates_of` the record
        as read; {} for a new one) and may touch an approved report."""
        self.dated.extend(
            (record, on, what) for on, what in dated_facts(record, before) if on <= self.dated_until
        )


@functools.cache
def _defaults(model) -> tuple[dict, list]:
    """The constant defaults by attribute name, and the fields whose default is computed."""
    fields = model._meta.concrete_fields
    computed = [f for f in fields if f.has_default() and callable(f.default)]
    constant = {f.attname: None if f in computed else f.get_default() for f in fields}
    return constant, computed


def _new(model, **values):
    """A new instance with its defaults, built the quick way: its attributes set directly, as
    Django's constructor would set them, without the constructor's per-field work (an import
    builds tens of thousands; no app listens to these models' init signals)."""
    constant, computed = _defaults(model)
    instance = model.__new__(model)
    attributes = instance.__dict__
    attributes.update(constant)
    for f in computed:
        attributes[f.attname] = f.get_default()
    attributes.update(values)
    instance._state = ModelState()
    return instance


def household_import_plan(
    *, actor, rows: list[Row], result: ImportResult, columns: Mapping[str, Column]
) -> HouseholdPlan:
    """Check the parsed `rows` of a household workbook (one per person; `Row.values` by column
    key, see `households.excel`) against the registry, as `actor`, without writing: the
    household's fields agree across its rows, its site is known and in the actor's area, each
    person matches by ID number (a masked one by its household and name), and the dated steps,
    the status dates and the one-head rule hold. Adds each row's errors (RowError, by column
    header) and warnings and the counts (created, updated, unchanged) to `result`; `columns`
    (the ledger's columns by key) name and render the values in the messages. Returns what
    `household_import_commit` writes."""
    errors = result.errors
    header = {key: c.header for key, c in columns.items()}

    def error(row: Row, key: str | None, message: str) -> None:
        errors.append(RowError(row.number, header.get(key) if key else None, message))

    groups: dict[str, list[Row]] = defaultdict(list)
    for row in rows:
        if row.values["household_no"]:
            groups[row.values["household_no"]].append(row)
    household_values = {
        number: _household_values(number, group, columns, error) for number, group in groups.items()
    }
    registry = _Registry.of(actor, rows, household_values)
    plan = HouseholdPlan(dated_until=latechanges.covered_until())
    today = dt.date.today()
    seen = _Seen()
    for number, group in groups.items():
        values = household_values[number]
        first = group[0]
        household = registry.existing.get(number)
        site = registry.sites.get(values.get("site_code"))
        problem = registry.household_problem(number, values, site, household)
        if problem is not None:
            error(first, *problem)
            continue
        household_old = _plan_household(
            household,
            number,
            values,
            site,
            today,
            plan,
            columns,
            lambda key, message, row=first: error(row, key, message),
        )
        target = household or plan.new_households[-1]
        _plan_members(
            group,
            household,
            target,
            household_old,
            registry,
            seen,
            plan,
            columns,
            error,
            result,
        )
    _warn_dates_unknown(plan, result)
    return plan


def _household_values(number: str, group: list[Row], columns, error) -> dict:
    """The household's fields given by its rows (`group`), by key: a blank cell takes the
    value of another row; a value that differs from an earlier row's is an error, by
    `error(row, key, message)`."""
    merged: dict = {}
    first_row: dict = {}
    for row in group:
        for key in ["site_code", *HOUSEHOLD_KEYS]:
            value = row.values[key]
            if value is None:
                continue
            if key not in merged:
                merged[key], first_row[key] = value, row
            elif merged[key] != value:
                column = columns[key]
                error(
                    row,
                    key,
                    _(
                        "Differs from row %(row)d of the same household %(household)s "
                        "(%(other)s there, %(value)s here): a household has one value."
                    )
                    % {
                        "row": first_row[key].number,
                        "household": number,
                        "other": column.render(merged[key]),
                        "value": column.render(value),
                    },
                )
    return merged


@dataclass
class _Registry:
    """What the rows of a household workbook refer to, read in a few queries (no query per
    row): the sites by code, the recorded households by number, the ids of the sites where
    `actor` may enter households, the households' members by household id (in id order), and
    the registered (在册) persons holding the file's ID numbers, by number. The writable sites,
    by id, name a moved household's site on the check's page."""

    actor: object
    sites: dict[str, Site]
    existing: dict[str, Household]
    writable: dict[int, Site]
    members: dict[int, list[Person]]
    holders: dict[str, Person]

    @classmethod
    def of(cls, actor, rows: list[Row], household_values: dict[str, dict]) -> _Registry:
        codes = sorted({v["site_code"] for v in household_values.values() if v.get("site_code")})
        sites = {s.code: s for s in Site.objects.filter(code__in=codes)}
        existing = {}
        for part in chunks(list(household_values)):
            existing.update(
                {h.household_no: h for h in Household.objects.filter(household_no__in=part)}
            )
        site_ids = sorted({s.pk for s in sites.values()} | {h.site_id for h in existing.values()})
        writable = {}
        for part in chunks(site_ids):
            writable.update(
                {s.pk: s for s in Site.objects.households_writable_by(actor).filter(pk__in=part)}
            )
        members: dict[int, list[Person]] = defaultdict(list)
        for part in chunks([h.pk for h in existing.values()]):
            for person in Person.objects.filter(household_id__in=part).order_by("id"):
                members[person.household_id].append(person)
        return cls(actor, sites, existing, writable, members, _holders(rows, members))

    def household_problem(
        self, number: str, values: dict, site: Site | None, household: Household | None
    ) -> tuple[str, str] | None:
        """Why the rows of household `number` (its `values`, its `site` by their code, the
        `household` on record) may not be imported, as (column key, message), or None: a site
        code that names no site, a site outside the actor's area, or a household on record at a
        site outside it."""
        if values.get("site_code") and site is None:
            return (
                "site_code",
                _("There is no settlement site with the code %(code)s.")
                % {"code": values["site_code"]},
            )
        if site is not None and site.pk not in self.writable:
            return (
                "site_code",
                _(
                    "The settlement site %(site)s is outside the area where you may enter households."
                )
                % {"site": site},
            )
        if household is not None and household.site_id not in self.writable:
            return (
                "household_no",
                _(
                    "Household %(household)s is registered at a site outside your area; "
                    "you may not change it."
                )
                % {"household": number},
            )
        return None

    @functools.cached_property
    def _by_id(self) -> dict[int, Household]:
        return {h.pk: h for h in self.existing.values()}

    def taken(self, holder: Person) -> str:
        """What the actor is told of an ID number that `holder` holds in another household
        (`households.services.id_number_taken`). Asked only for a row in error: one query each."""
        household = self._by_id.get(holder.household_id)
        if household is not None:
            holder.household = household
        visible = Person.objects.visible_to(self.actor).filter(pk=holder.pk).exists()
        return id_number_taken(holder, visible=visible)


def _holders(rows: list[Row], members: dict[int, list[Person]]) -> dict[str, Person]:
    """The registered persons holding the ID numbers of `rows`, by number: those elsewhere, read
    in a few queries, and the registered `members` of the file's households, which need no
    second look."""
    held = {
        p.id_number
        for people in members.values()
        for p in people
        if p.status == choices.PersonStatus.ACTIVE
    }
    numbers = sorted(
        {
            r.values["id_number"]
            for r in rows
            if r.values["id_number"]
            and "*" not in r.values["id_number"]
            and r.values["id_number"] not in held
        }
    )
    holders: dict[str, Person] = {}
    for part in chunks(numbers):
        for person in Person.objects.filter(
            id_number__in=part, status=choices.PersonStatus.ACTIVE
        ).select_related("household"):
            holders[person.id_number] = person
    for people in members.values():
        for person in people:
            if person.status == choices.PersonStatus.ACTIVE:
                holders.setdefault(person.id_number, person)
    return holders


@dataclass
class _Seen:
    """The file's ID numbers met so far: by (household number, ID number) the row that gave
    it (`in_household`), and by ID number the (row, household number) that registers (在册) it
    (`active`)."""

    in_household: dict[tuple[str, str], int] = field(default_factory=dict)
    active: dict[str, tuple[int, str]] = field(default_factory=dict)


def _plan_members(
    group, household, target, household_old, registry, seen, plan, columns, error, result
) -> None:
    """Plan the persons of the rows `group` of one household (`household` as on record, None
    for a new one; `target`, the household as planned; `household_old`: its fields that change,
    with their recorded values, None for a new one), count each row created, updated or
    unchanged in `result`, check the one-head rule on the members the import leaves, those on
    record it does not name included, and list the household in `result.preview` if the
    import creates or changes it or one of its members."""
    current = {p.pk: p for p in registry.members.get(household.pk, [])} if household else {}
    final: dict[int | str, Person] = dict(current)
    complete = True
    household_changed = household_old is None or bool(household_old)
    members_changed = household is None
    listed = not result.preview.full
    parts = []
    for row in group:
        planned = _plan_person(row, target, current, registry, seen, plan, columns, error)
        if planned is None:
            complete = False
            continue
        if row.invalid:
            complete = False  # its cells' errors are listed; a head count would mislead
        person, state, old = planned
        final[person.pk or f"new-{row.number}"] = person
        members_changed |= state != "unchanged"
        if state == "created":
            result.created += 1
        elif state == "changed" or household_changed:
            result.updated += 1
        else:
            result.unchanged += 1
        if listed and state != "unchanged":
            parts.append(_person_entry(person, state, old, columns))
    active = [p for p in final.values() if p.status == choices.PersonStatus.ACTIVE]
    heads = sum(1 for p in active if p.relation == choices.Relation.HEAD)
    if listed and (household_changed or members_changed):
        head = next((p.name for p in active if p.relation == choices.Relation.HEAD), "")
        fields = _household_fields(target, household_old, columns, registry.writable)
        action = "created" if household is None else "changed"
        result.preview.add(action, target.household_no, head, fields, parts)
    elif household_changed or members_changed:
        result.preview.more += 1
    # With a member row in error the count would mislead; that error comes first. A
    # household whose members the file leaves as they are is not this import's to fix.
    problem = head_rule(heads, len(active), whole=True)
    if complete and members_changed and problem:
        error(
            group[0],
            "relation",
            _("Household %(household)s: %(problem)s")
            % {"household": target.household_no, "problem": problem},
        )


def _warn_dates_unknown(plan: HouseholdPlan, result: ImportResult) -> None:
    """Tell in `result`'s warnings, by column, which households the import records as done
    without a date (`plan.dates_unknown`)."""
    for header, numbers in plan.dates_unknown.items():
        shown = "、".join(dict.fromkeys(numbers[:10])) + ("…" if len(numbers) > 10 else "")
        result.warnings.append(
            _(
                "%(column)s: %(count)d records (households %(households)s) are given as done "
                "or changed without their date. They will count from the day of the import, "
                "marked 日期不详 and listed on 信息待补录; write the dates if they are known."
            )
            % {"column": header, "count": len(numbers), "households": shown}
        )


def _plan_household(household, number, values, site, today, plan, columns, error) -> dict | None:
    """Add the new or changed household to `plan`. Returns the fields that change with their
    recorded values (field → value; {} when none does), or None for a new household."""
    target = household if household is not None else _new(Household, household_no=number)
    if household is None:
        for key in ("site_code", "category"):
            if values.get(key) is None:
                error(key, _("A new household needs this column on at least one of its rows."))
    before = {f: getattr(target, f) for f in HOUSEHOLD_CHANGES}
    dates = dates_of(target) if plan.dated_until and household is not None else {}
    if site is not None:
        target.site = site
    _set_household_facts(target, values, error)
    steps = {k: values[k] for k in STEP_KEYS if values.get(k) is not None}
    try:
        household_steps_apply(target, given=steps, today=today)
        for step in Household.DATED_STEPS:
            if getattr(target, step.unknown_field) and not before.get(step.unknown_field):
                header = columns[step.field].header
                plan.dates_unknown.setdefault(header, []).append(number)
        target.clean()
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            error(name if name in columns else None, " ".join(messages))
    if plan.dated_until:
        plan.keep_dated(target, dates)
    if household is None:
        plan.new_households.append(target)
        return None
    changed = {f: v for f, v in before.items() if getattr(target, f) != v}
    if changed:
        plan.changed_households.append(target)
        plan.household_fields |= set(changed)
    return changed


def _set_household_facts(target: Household, values: dict, error) -> None:
    """Set the household's facts its rows give (`values`; blank ones leave the value as it is)
    but for the dated steps, which the service's rule sets; a masked phone completed by the
    stored one (`unmask`), or `error(key, message)` when it does not match."""
    for key in HOUSEHOLD_KEYS:
        value = values.get(key)
        if value is None or key in STEP_FIELDS:
            continue
        if key == "phone":
            try:
                value = unmask(value, stored=target.phone, mask=mask_phone)
            except ValidationError as exc:
                error(key, " ".join(exc.messages))
                continue
        setattr(target, key, value)


def _plan_person(
    row, household, current, registry, seen, plan, columns, error
) -> tuple[Person, str, dict] | None:
    """The row's person, new or matched, with its values applied, whether it is "created",
    "changed" or "unchanged", and the fields that change with their recorded values (field →
    value); None when the row is in error."""
    values = row.values
    # Messages quote the number as the row gives it: a masked one stays masked.
    typed = values["id_number"]
    if typed is None:
        return None
    matched = _matched_person(typed, values["name"], current)
    if matched is None:
        error(row, "id_number", str(MASKED_INPUT))
        return None
    person, number = matched
    problem = _id_number_problem(row, household, person, number, registry, seen)
    if problem is not None:
        error(row, "id_number", problem)
        return None
    info = describe(number)  # checked by the column
    if person is None:
        person = _new(Person, id_number=info.number, gender=info.gender, birth_date=info.birth_date)
        person.household = household
        person.registered_on = default_registered_on(household, person)
        previous = choices.PersonStatus.ACTIVE
        before = None
        dates = {}
    else:
        previous = person.status
        before = {f: getattr(person, f) for f in PERSON_FIELDS}
        dates = dates_of(person) if plan.dated_until else {}
    for key in PERSON_KEYS:
        if values[key] is not None:
            setattr(person, key, values[key])
    on = values.get("status_changed_on")
    try:
        apply_person_status(
            person,
            previous=previous,
            given={} if on is None else {"status_changed_on": on},
        )
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            key = "status_changed_on" if name == "status_changed_on" else "status"
            error(row, key, " ".join(messages))
        return None
    if person.status_changed_on_unknown and not (before or {}).get("status_changed_on_unknown"):
        header = columns["status"].header
        plan.dates_unknown.setdefault(header, []).append(household.household_no)
    if plan.dated_until:
        plan.keep_dated(person, dates)
    if before is None:
        plan.new_persons.append(person)
        return person, "created", {}
    changed = {f: v for f, v in before.items() if getattr(person, f) != v}
    if not changed:
        return person, "unchanged", {}
    plan.person_fields |= set(changed)
    plan.changed_persons.append(person)
    return person, "changed", changed


def _matched_person(
    typed: str, name: str | None, current: dict
) -> tuple[Person | None, str] | None:
    """The member of the household on record (`current`, by id) that the ID number `typed`
    names, or None for a new person, with the full number: a masked number matches by its
    mask, and among siblings sharing the mask's digits by `name`. None when a masked number
    matches no one or more than one."""
    if "*" in typed:
        matches = [p for p in current.values() if mask_id_number(p.id_number) == typed]
        if len(matches) > 1:
            # Siblings may share the last four digits, which the mask keeps: the name tells.
            matches = [p for p in matches if p.name == name]
        if len(matches) != 1:
            return None
        return matches[0], matches[0].id_number
    same = [p for p in current.values() if p.id_number == typed]
    person = next((p for p in same if p.status == choices.PersonStatus.ACTIVE), None) or (
        same[0] if same else None
    )
    return person, typed


def _id_number_problem(row, household, person, number, registry, seen) -> str | None:
    """What is wrong with the ID number `number` of the row's person (`person` on record, or
    None), or None: given twice in the household, registered (在册) in another household, or
    registered by another row of the file in another household. Notes the row in `seen`."""
    typed = row.values["id_number"]
    key = (household.household_no, number)
    if key in seen.in_household:
        return _("The ID number %(number)s is also on row %(row)d of this household.") % {
            "number": typed,
            "row": seen.in_household[key],
        }
    seen.in_household[key] = row.number
    status = row.values["status"]
    becomes_active = (status or (person.status if person else choices.PersonStatus.ACTIVE)) == (
        choices.PersonStatus.ACTIVE
    )
    holder = registry.holders.get(number)
    if (
        holder is not None
        and holder.household_id != household.pk
        and (becomes_active or (person is None and row.values["name"] != holder.name))
    ):
        # Registered elsewhere: the same person may be on record here as moved out, but a
        # new record under another name is someone else's number.
        return registry.taken(holder)
    if becomes_active:
        other = seen.active.setdefault(number, (row.number, household.household_no))
        if other[1] != household.household_no:
            return _(
                "The ID number %(number)s is also on row %(row)d, registered in household "
                "%(household)s: a person is registered in one household only."
            ) % {"number": typed, "row": other[0], "household": other[1]}
    return None


def _household_fields(household: Household, old: dict | None, columns, sites) -> list:
    """The preview's fields of a household the import changes (`old`: the fields that change,
    with their recorded values; None for a new household, which lists none): its site by name
    and code (`sites` by id), then its facts in the columns' order."""
    if not old:
        return []
    fields = []
    if "site_id" in old:
        fields.append(
            [
                columns["site_code"].header,
                _site_text(sites.get(old["site_id"])),
                _site_text(household.site),
                "",
            ]
        )
    return fields + _changes(household, old, HOUSEHOLD_KEYS, columns)


def _person_entry(person: Person, state: str, old: dict, columns) -> dict:
    """The preview's entry of a member the import creates (name and relation) or changes (its
    fields that change, `old` with their recorded values)."""
    relation = preview_text(columns["relation"].render(person.relation))
    action = "created" if state == "created" else "changed"
    fields = _changes(person, old, [*PERSON_KEYS, "status_changed_on"], columns)
    return entry(action, person.name, relation, fields)


def _changes(record, old: dict, keys: list[str], columns) -> list:
    """The preview's fields of `record` among `keys` (column keys, in their order) that change
    (`old`: field → recorded value): a date nobody recorded (its `<date>_unknown` flag) reads
    日期不详 with the day it counts from, as the household's page shows it."""
    fields = []
    for key in keys:
        flag = f"{key}_unknown"
        if key not in old and flag not in old:
            continue
        column = columns[key]
        new = getattr(record, key)
        was = old.get(key, new)
        was_unknown = old.get(flag, getattr(record, flag, False))
        row = field_change(column, was, new)
        row[1] = _dated_text(row[1], was_unknown)
        row[2] = _dated_text(row[2], getattr(record, flag, False))
        fields.append(row)
    return fields


def _dated_text(text: str, unknown: bool) -> str:
    """A date's text, or 日期不详 with the day it counts from when nobody recorded the date."""
    if not (text and unknown):
        return text
    return "{}（{}）".format(_("date unknown"), _("counted from %(date)s") % {"date": text})


def _site_text(site: Site | None) -> str:
    return f"{site.name}（{site.code}）" if site is not None else ""


@transaction.atomic
def household_import_commit(*, actor, plan: HouseholdPlan) -> None:
    """Write the `plan` of `household_import_plan`, checked row by row beforehand against the
    same rules as the forms: new records and their history in bulk, changed ones with their
    version raised, and the members of moved or recategorised households following them
    (`members_follow`). Raises ValidationError
    (CHANGED_MEANWHILE) when someone saved one of the changed records since the check, and
    IntegrityError when a unique key was taken meanwhile; either leaves the registry as it was."""
    insert_with_history(Household, plan.new_households, user=actor)
    update_with_history(Household, plan.changed_households, plan.household_fields, user=actor)
    if {"site_id", "category"} & set(plan.household_fields):
        members_follow(plan.changed_households)
    for person in plan.new_persons:
        # the household may have been created just above: take its new key (assigning the
        # object, as setting household_id would drop it and cost a query per person)
        household = person.household
        person.household = household
        person.site_id = household.site_id
        person.household_category = household.category
        person.name_key = name_key(person.name)  # as Person.save keeps them
        person.name_initials = name_initials(person.name)
    insert_with_history(Person, plan.new_persons, user=actor)
    person_fields = set(plan.person_fields)
    if "name" in person_fields:
        person_fields |= {"name_key", "name_initials"}
        for person in plan.changed_persons:
            person.name_key = name_key(person.name)
            person.name_initials = name_initials(person.name)
    update_with_history(Person, plan.changed_persons, person_fields, user=actor)
    dated_facts_note(actor=actor, dated=plan.dated)
