"""Writes to the registry, with their rules. Views and serializers validate input, then call these.

`actor` is the user making the change (None for the system: seeds, tasks). Every function runs
in one transaction, checks the actor may write the record after saving it, and records the actor
in the change history.
"""

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import Permission
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from households.choices import Gender, PersonStatus, Relation
from households.models import (
    REVEAL_PERMISSION,
    Household,
    Membership,
    Person,
    Region,
    Site,
)
from resettle import latechanges
from resettle.idcard import parse_id_number
from resettle.latechanges import DatedChange, changed_on
from resettle.masking import mask_id_number
from resettle.scoping import Role, check_editable
from resettle.services import save_checked
from resettle.versioning import versioned_update


@transaction.atomic
def site_create(*, actor, data: dict) -> Site:
    return save_checked(Site(**data), actor=actor)


@transaction.atomic
def site_update(*, actor, site: Site, data: dict) -> Site:
    check_editable(actor, site)
    for name, value in data.items():
        setattr(site, name, value)
    return save_checked(site, actor=actor)


STEP_FIELDS = frozenset(
    name for step in Household.DATED_STEPS for name in (step.field, step.date_field)
)

# What a changed date says on an approved monthly report's page (translated when shown).
DATED_FACTS = {
    "old_house_demolished_on": gettext_noop("old house demolition"),
    "homestead_reclaimed_on": gettext_noop("homestead reclamation"),
    "property_certificate_on": gettext_noop("property certificate issued"),
    "hukou_transferred_on": gettext_noop("household registration transfer"),
    "registered_on": gettext_noop("member registered"),
    "status_changed_on": gettext_noop("member moved out, died or returned"),
}
HOUSEHOLD_DATES = tuple(step.date_field for step in Household.DATED_STEPS)
PERSON_DATES = ("registered_on", "status_changed_on")


def dates_of(record: Household | Person) -> dict:
    """The dates of a household's steps, or of a person's registration and status change, by
    field: what `dated_facts` compares a changed record with."""
    names = HOUSEHOLD_DATES if isinstance(record, Household) else PERSON_DATES
    return {name: getattr(record, name) for name in names}


def dated_facts(record: Household | Person, before: dict) -> list[tuple[dt.date, str]]:
    """The dated facts of `record` (a household's steps, a person's registration and status
    change) whose dates differ from `before` (`dates_of` the record as it was; {} for a new
    one): each as (the first day whose figures move, what changed, an English msgid)."""
    return [
        (on, DATED_FACTS[name])
        for name, date in dates_of(record).items()
        if (on := changed_on(before.get(name), date)) is not None
    ]


def dated_facts_note(*, actor, dated) -> None:
    """Tell `resettle.latechanges` of the written `dated` facts, each (the saved household or
    person, date, what), so that whoever dated one into an approved month is told."""
    latechanges.note(
        actor=actor,
        changes=[
            DatedChange(
                on=on,
                what=what,
                record=record,
                household_id=record.pk if isinstance(record, Household) else record.household_id,
            )
            for record, on, what in dated
        ],
    )


def household_steps_apply(household: Household, *, given: dict, today: dt.date) -> None:
    """Apply the values `given` (field name → value) of the household's dated steps
    (Household.DATED_STEPS: 旧房拆除, 宅基地复垦, 不动产权证, 户籍迁入) to `household`, unsaved.

    A field absent from `given` keeps its value; None (or "") given means not known. A date given
    makes the step done on that date, its date known. A step done with no date given keeps the
    date it has; newly done, or its date cleared, it is dated `today` with its date unknown
    (`<date>_unknown`): the registry knows it done from then on, and no earlier (DESIGN.md, "A
    blank is not known"). A step not done, or not known to be, has no date.

    Raises ValidationError, by date field, for a date given to a step given as not done.
    """
    errors = {}
    for step in Household.DATED_STEPS:
        was_done = step.is_done(getattr(household, step.field))
        stored = getattr(household, step.date_field)
        was_unknown = getattr(household, step.unknown_field)
        if step.field in given:
            setattr(household, step.field, given[step.field])
        state = getattr(household, step.field)
        date = given.get(step.date_field)
        if date is not None:
            if step.field in given and step.is_not_done(state):
                errors[step.date_field] = _(
                    "A date is given for a step marked as not done (%(state)s): clear the date, "
                    "or mark the step done."
                ) % {"state": _step_state(household, step)}
                continue
            setattr(household, step.field, step.done)
            setattr(household, step.date_field, date)
            setattr(household, step.unknown_field, False)
        elif step.is_done(state):
            keep = was_done and stored is not None
            if keep and step.date_field in given and not was_unknown:
                keep = False  # a known date cleared: the date is no longer known
            if not keep:
                setattr(household, step.date_field, today)
                setattr(household, step.unknown_field, True)
        else:
            setattr(household, step.date_field, None)
            setattr(household, step.unknown_field, False)
    if errors:
        raise ValidationError(errors)


def _step_state(household: Household, step) -> str:
    field = Household._meta.get_field(step.field)
    value = getattr(household, step.field)
    if field.choices:
        return str(dict(field.choices).get(value, value))
    return _("No") if value is False else str(value)


@transaction.atomic
def household_create(*, actor, data: dict) -> Household:
    """Create a household from `data` (field name → value); its dated steps as
    `household_steps_apply` sets them. Raises ValidationError."""
    steps = {k: v for k, v in data.items() if k in STEP_FIELDS}
    household = Household(**{k: v for k, v in data.items() if k not in STEP_FIELDS})
    household_steps_apply(household, given=steps, today=dt.date.today())
    save_checked(household, actor=actor)
    dated_facts_note(
        actor=actor, dated=[(household, on, what) for on, what in dated_facts(household, {})]
    )
    return household


@transaction.atomic
def household_update(*, actor, household: Household, data: dict, version: int) -> Household:
    """Change the fields `data` of `household` as read at `version`; its dated steps as
    `household_steps_apply` sets them. Raises ValidationError, VersionConflict."""
    check_editable(actor, household)
    steps = {k: v for k, v in data.items() if k in STEP_FIELDS}
    changes = {k: v for k, v in data.items() if k not in STEP_FIELDS}
    current = versioned_update(household, changes=changes, version=version, actor=actor)
    before = dates_of(current)
    household_steps_apply(current, given=steps, today=dt.date.today())
    updated = save_checked(current, actor=actor)
    dated_facts_note(
        actor=actor, dated=[(updated, on, what) for on, what in dated_facts(updated, before)]
    )
    members_follow([updated])
    return updated


# Households whose members one UPDATE brings in line (a statement's parameters stay few).
FOLLOW_BATCH = 5000


def members_follow(households) -> None:
    """Bring the members of `households` (saved Household objects) in line with them: a member
    lives where their household lives and is of its category (`Person.site`,
    `Person.household_category`, the copies that let counts of persons read one table). One
    UPDATE per site and category (and per FOLLOW_BATCH households), touching only members that
    differ. Every path that saves a household's site or category calls this. Raises nothing."""
    groups: dict[tuple[int, str], list[int]] = {}
    for household in households:
        groups.setdefault((household.site_id, household.category), []).append(household.pk)
    for (site_id, category), ids in groups.items():
        for start in range(0, len(ids), FOLLOW_BATCH):
            Person.objects.filter(household_id__in=ids[start : start + FOLLOW_BATCH]).exclude(
                site_id=site_id, household_category=category
            ).update(site_id=site_id, household_category=category)


def _apply_identity(person: Person, *, given: dict, actor) -> None:
    """Normalise the ID number, derive gender and birth date, and check they agree with any given,
    and that no other registered person holds the same number."""
    try:
        info = parse_id_number(person.id_number)
    except ValidationError as exc:
        raise ValidationError({"id_number": exc.messages}) from None
    errors = {}
    if given.get("gender") and given["gender"] != info.gender:
        errors["gender"] = _(
            "The gender does not match the ID number, whose 17th digit says %(gender)s."
        ) % {"gender": Gender(info.gender).label}
    if given.get("birth_date") and given["birth_date"] != info.birth_date:
        # Not quoted: the day completes a masked ID number (issue 16).
        errors["birth_date"] = _(
            "The birth date does not match the ID number: leave it out, it is read from the "
            "ID number, or correct the ID number."
        )
    if errors:
        raise ValidationError(errors)
    person.id_number, person.gender, person.birth_date = info.number, info.gender, info.birth_date
    if person.status != PersonStatus.ACTIVE:
        return
    holder = (
        Person.objects.filter(id_number=info.number, status=PersonStatus.ACTIVE)
        .exclude(pk=person.pk)
        .select_related("household")
        .first()
    )
    if holder is None:
        return
    visible = actor is None or Person.objects.visible_to(actor).filter(pk=holder.pk).exists()
    raise ValidationError({"id_number": id_number_taken(holder, visible=visible)})


def id_number_taken(holder: Person, *, visible: bool) -> str:
    """What a user is told who enters the ID number of a person registered in another household:
    which household, if they may see it. The number is quoted masked (`mask_id_number`): the
    value the user sent may itself have been a masked one, which the stored number completes."""
    if visible:
        return _(
            "The ID number %(number)s is already registered to %(name)s of household %(household)s."
        ) % {
            "number": mask_id_number(holder.id_number),
            "name": holder.name,
            "household": holder.household.household_no,
        }
    return _(
        "The ID number %(number)s is already registered in a household outside your area; "
        "ask the county office to move the person."
    ) % {"number": mask_id_number(holder.id_number)}


def apply_person_status(
    person: Person, *, previous: str, given: dict, today: dt.date | None = None
) -> None:
    """Keep `registered_on`, `status_changed_on` and `status_changed_on_unknown` of `person`
    (unsaved, its new `status` set; `previous` the status it had) true, so counts as of any past
    date hold. The one rule of the status date: the form, the API and the import call it.

    `given` may hold "status_changed_on", the date the person moved out or died (None: not
    known); absent, the date is left as it is. `today` (default: today) dates a change whose date
    is not known.

    - 在册 has no status date.
    - Leaving the register (在册 → 迁出/死亡) on a date given: that date, known. With none, the
      person is dated `today` with `status_changed_on_unknown` set: counted as registered until
      then, and no later; shown 日期不详 and listed on 信息待补录 until a date is entered
      (DESIGN.md, "A blank is not known"; as `household_steps_apply` does for the steps).
    - Between two statuses out of the register (迁出 → 死亡) the person left on the first date,
      which stays (known or not) unless a date given corrects it; a known date cleared is no
      longer known: `today`, unknown.
    - A person who returns (→ 在册) keeps `registered_on` and counts as registered through the
      absence; the change history keeps the absence.

    Raises ValidationError, by field: a date after today, a status date given for 在册, a status
    date before `registered_on`.
    """
    today = today or dt.date.today()
    on = given.get("status_changed_on")
    for name, value in (("registered_on", person.registered_on), ("status_changed_on", on)):
        if value and value > today:
            raise ValidationError({name: _("The date cannot be in the future.")})
    if person.status == PersonStatus.ACTIVE:
        if on is not None:
            raise ValidationError(
                {"status_changed_on": _("Only a person who moved out or died has a status date.")}
            )
        person.status_changed_on = None
        person.status_changed_on_unknown = False
    elif on is not None:
        person.status_changed_on = on
        person.status_changed_on_unknown = False
    else:
        keep = previous != PersonStatus.ACTIVE and person.status_changed_on is not None
        if keep and "status_changed_on" in given and not person.status_changed_on_unknown:
            keep = False  # a known date cleared: the date is no longer known
        if not keep:
            person.status_changed_on = today
            person.status_changed_on_unknown = True
    if person.status_changed_on and person.status_changed_on < person.registered_on:
        raise ValidationError(
            {
                "status_changed_on": _(
                    "The date cannot be before the person was registered (%(date)s)."
                )
                % {"date": person.registered_on.isoformat()}
            }
        )


def default_registered_on(household: Household, person: Person) -> dt.date:
    """A member entered from an existing ledger has lived at the site since the move-in, or
    since birth for a child born later."""
    return max(household.move_in_date or dt.date.today(), person.birth_date)


@transaction.atomic
def person_create(*, actor, data: dict, alone: bool = True) -> Person:
    """Create a member from `data` (field name → value): identity from the ID number, the
    registration date as given (else `default_registered_on`), the status date as
    `apply_person_status` sets it. `alone`: the member is added by itself (the API), so the
    one-head rule is checked now; the household form passes False and checks the whole household
    after all its rows. Raises ValidationError."""
    given = {k: data.pop(k, None) for k in ("gender", "birth_date")}
    status = {k: data.pop(k) for k in ("status_changed_on",) if k in data}
    registered_on = data.pop("registered_on", None)
    person = Person(**data)
    person.site_id = person.household.site_id
    person.household_category = person.household.category
    _apply_identity(person, given=given, actor=actor)
    person.registered_on = registered_on or default_registered_on(person.household, person)
    if person.registered_on < person.birth_date:
        raise ValidationError(
            {
                "registered_on": _("The date cannot be before the birth date (%(date)s).")
                % {"date": person.birth_date.isoformat()}
            }
        )
    apply_person_status(person, previous=PersonStatus.ACTIVE, given=status)
    save_checked(person, actor=actor)
    if alone:
        _check_head(person)
    dated_facts_note(
        actor=actor, dated=[(person, on, what) for on, what in dated_facts(person, {})]
    )
    return person


def _check_head(person: Person) -> None:
    """After one member was saved (inside the caller's transaction): the one-head rule, one
    member at a time (`head_rule`, whole=False). Raises ValidationError on `relation`; the
    household form checks the whole household again after all its rows (`household_save`)."""
    if person.relation != Relation.HEAD or person.status != PersonStatus.ACTIVE:
        return
    problem = head_rule(*registered_heads(person.household), whole=False)
    if problem:
        raise ValidationError({"relation": problem})


@transaction.atomic
def person_update(*, actor, person: Person, data: dict, version: int, alone: bool = True) -> Person:
    """Change the fields `data` of `person` as read at `version`; a "status_changed_on" in `data`
    (None: not known) is given to `apply_person_status`, absent it leaves the date as it is.
    `alone` as for `person_create`. Raises ValidationError, VersionConflict."""
    check_editable(actor, person)
    previous = person.status
    given = {k: data.pop(k, None) for k in ("gender", "birth_date")}
    status = {k: data.pop(k) for k in ("status_changed_on",) if k in data}
    registered_on = data.pop("registered_on", None)
    updated = versioned_update(person, changes=data, version=version, actor=actor)
    before = dates_of(updated)
    if registered_on is not None:
        updated.registered_on = registered_on
    updated.site_id = updated.household.site_id
    updated.household_category = updated.household.category
    _apply_identity(updated, given=given, actor=actor)
    apply_person_status(updated, previous=previous, given=status)
    save_checked(updated, actor=actor)
    if alone:
        _check_head(updated)
    dated_facts_note(
        actor=actor, dated=[(updated, on, what) for on, what in dated_facts(updated, before)]
    )
    return updated


@transaction.atomic
def membership_grant(*, user, role: str, scope_code: str) -> Membership:
    """Give `user` the `role` over the region or site with `scope_code` (idempotent)."""
    if role not in Role.values:
        raise ValidationError(
            {
                "role": _("Unknown role %(role)s; use one of %(roles)s.")
                % {"role": role, "roles": ", ".join(Role.values)}
            }
        )
    region = Region.objects.filter(code=scope_code).first()
    site = None if region else Site.objects.filter(code=scope_code).first()
    if region is None and site is None:
        raise ValidationError(
            {
                "scope": _("%(code)s is neither a region code nor a site code.")
                % {"code": scope_code}
            }
        )
    membership, _created = Membership.objects.get_or_create(
        user=user, role=role, region=region, site=site
    )
    return membership


@dataclass
class MemberChange:
    """One member row of a household form: `person` None for a new member."""

    person: Person | None
    data: dict
    version: int | None = None


class LedgerErrors(Exception):
    """What was wrong with a household and its member rows; nothing was saved."""

    def __init__(self, household: ValidationError | None, members: dict[int, ValidationError]):
        self.household = household
        self.members = members
        super().__init__("invalid household or members")


@transaction.atomic
def household_save(
    *,
    actor,
    household: Household | None,
    data: dict,
    version: int | None,
    members: list[MemberChange],
) -> Household:
    """Create or change a household and its member rows in one transaction: every row is checked
    and any error (LedgerErrors, VersionConflict) leaves everything as it was."""
    try:
        if household is None:
            saved = household_create(actor=actor, data=data)
        else:
            saved = household_update(actor=actor, household=household, data=data, version=version)
    except ValidationError as exc:
        raise LedgerErrors(exc, {}) from None
    errors: dict[int, ValidationError] = {}
    for index, change in enumerate(members):
        row = {**change.data, "household": saved}
        try:
            if change.person is None:
                person_create(actor=actor, data=row, alone=False)
            else:
                person_update(
                    actor=actor,
                    person=change.person,
                    data=row,
                    version=change.version,
                    alone=False,
                )
        except ValidationError as exc:
            errors[index] = exc
    if errors:
        raise LedgerErrors(None, errors)
    problem = head_rule(*registered_heads(saved), whole=True)
    if problem:
        raise LedgerErrors(ValidationError(problem), {})
    return saved


def registered_heads(household: Household) -> tuple[int, int]:
    """(registered heads, registered members) of `household` as stored: two counts in one query."""
    counts = Person.objects.filter(household=household, status=PersonStatus.ACTIVE).aggregate(
        members=Count("pk"), heads=Count("pk", filter=Q(relation=Relation.HEAD))
    )
    return counts["heads"], counts["members"]


def head_rule(heads: int, members: int, *, whole: bool) -> str | None:
    """The one-head rule: a household with registered (在册) members has one registered head
    (户主), whom its ledger, worklists and reports name. Takes the counts of registered heads and
    members the change would leave; returns what to fix, or None.

    `whole`: the whole household was given at once (the household form, an import's rows of the
    household): exactly one head. One member changed at a time (the persons API): never a second
    head, but none for a while, so that the head can be changed in two steps (the old head moved
    out, then the new one named). A ledger rule of the registry (DESIGN.md, Registry), kept by
    every path: the form, the API and the import call it."""
    if members == 0 or heads == 1 or (heads == 0 and not whole):
        return None
    if whole:
        return _(
            "A household has exactly one registered head; this one would have %(count)d. "
            "Set the relation of the members accordingly."
        ) % {"count": heads}
    return _(
        "The household already has a registered head: make this person's relation another "
        "one, or change the current head's relation first."
    )


def user_grant_reveal(*, user) -> None:
    """Let `user` see ID numbers and phones in full (REVEAL_PERMISSION; each reveal is logged)."""
    app_label, codename = REVEAL_PERMISSION.split(".")
    user.user_permissions.add(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )
