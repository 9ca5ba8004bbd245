"""Writes of site governance, with their rules. Pages, the API and the imports validate their
input, then call these: each rule lives here once.

`actor` is the user making the change (None for the system: the demo, tasks). Every function
runs in one transaction and changes nothing when it refuses. A site, household, cadre or project
outside what the actor may see is answered as missing (Http404, as `resettle.scoping.get_for`
does); a record the actor sees but may not change raises PermissionDenied (403); a broken rule
raises ValidationError by field, in the user's language, saying what to fix. A change made
against an older version raises VersionConflict."""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from governance.sitegov import rules
from governance.sitegov.choices import GridRoleKind, Measure, Rank, TeamRole
from governance.sitegov.models import (
    Cadre,
    CommunityBody,
    FacilityKind,
    FarmingWish,
    Greenhouse,
    GridRole,
    ReferenceItem,
    ServiceKind,
    ShopAsset,
    ShopIncome,
    SiteFacility,
    SiteLeader,
    SiteService,
    TeamMember,
)
from households.models import Household, Person, Site
from industry.choices import Kind
from industry.models import IndustryProject
from resettle import latechanges
from resettle.bulk import insert_with_history, update_with_history
from resettle.latechanges import DatedChange, changed_on
from resettle.masking import mask_phone
from resettle.scoping import ancestors, check_editable, get_for, permits
from resettle.services import check_not_future, save_checked
from resettle.validators import check_bounds
from resettle.versioning import versioned_update

# ---- Shared checks ---------------------------------------------------------------------------


def _visible(actor, queryset, obj):
    """`obj` as `actor` sees it in `queryset` (locked for the change); Http404 when they do not
    see it: a record outside their area is answered as missing. The system (None) sees all."""
    if actor is None:
        return queryset.select_for_update().get(pk=obj.pk)
    return get_for(actor, queryset.select_for_update(of=("self",)), "view", pk=obj.pk)


def _check_bounds(record: models.Model, *names: str) -> None:
    """Refuse a number, year or date of `record` outside what its column holds or a plausible
    range (`resettle.validators.field_bounds`), by field: the forms and the API check the same,
    the service makes sure of it for every path."""
    errors = {}
    for name in names:
        try:
            check_bounds(record._meta.get_field(name), getattr(record, name))
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)


def _check_period(start: dt.date | None, end: dt.date | None, *, start_name: str, end_name: str):
    """Refuse dates in the future and an end before its start."""
    check_not_future(**{start_name: start, end_name: end})
    if start and end and end < start:
        raise ValidationError(
            {
                end_name: _(
                    "The end (%(end)s) comes before the start (%(start)s): check the dates."
                )
                % {"end": end.isoformat(), "start": start.isoformat()}
            }
        )


def _check_choice(record: models.Model, name: str) -> None:
    """Refuse a code that is not on the field's list, naming the list's values."""
    field = record._meta.get_field(name)
    value = getattr(record, name)
    if value in (None, "") and field.blank:
        return
    labels = dict(field.choices)
    if value not in labels:
        raise ValidationError(
            {
                name: _("“%(value)s” is not a %(field)s on the list: choose one of %(labels)s.")
                % {
                    "value": value,
                    "field": field.verbose_name,
                    "labels": "、".join(str(label) for label in labels.values()),
                }
            }
        )


def _save(record, *, actor, held: dict | None = None):
    """Validate and save `record`, then check inside the transaction that `actor` may change it
    (a site operator may not send a work team: 403, nothing saved). `held`: relation → the
    record the service read (locked, or checked as seen) for it; a relation the record keeps to
    that very record is not read again to see that it exists."""
    same = tuple(
        name
        for name, obj in (held or {}).items()
        if obj is not None and getattr(record, f"{name}_id") == obj.pk
    )
    return save_checked(record, actor=actor, held=same)


def _apply(model, *, actor, record, data: dict, version: int | None, **fixed):
    """A new record of `model` from `data` and `fixed` (the site, the household …), or `record`
    changed by `data` as read at `version` (locked, VersionConflict if someone saved it since).
    PermissionDenied, before anything else is checked, when the actor may not write such
    records where it goes (a site operator sends no work team)."""
    if record is None:
        site = fixed.get("site") or getattr(fixed.get("household"), "site", None)
        if site is None and "asset" in fixed:
            site = fixed["asset"].site
        if (
            actor is not None
            and site is not None
            and not permits(actor, model, "change", region_code=site.region_code, site_id=site.pk)
        ):
            raise PermissionDenied(
                _("Your role may not record %(what)s at this site.")
                % {"what": model._meta.verbose_name_plural}
            )
        return model(**fixed, **data)
    check_editable(actor, record)
    return versioned_update(record, changes=data, version=version, actor=actor)


def _dated_note(
    *, actor, record, site: Site, dates: dict[str, tuple], what: str, known: Known | None = None
) -> None:
    """Tell `resettle.latechanges` of the dated facts of a written record whose dates moved
    (`dates`: field → (before, after)), so that whoever dates one into an approved month is
    told. A date after the last day an approved report covers (`known.covered_until`, when an
    import read it) touches none and is not told."""
    changes = [
        DatedChange(on=on, what=what, record=record, label=site.code, region=site.county_id)
        for before, after in dates.values()
        if (on := changed_on(before, after)) is not None
    ]
    if known is not None and known.covered_read:
        until = known.covered_until
        changes = [c for c in changes if until is not None and c.on <= until]
    if changes:
        latechanges.note(actor=actor, changes=changes)


# ---- Reference lists -------------------------------------------------------------------------


@transaction.atomic
def reference_item_save(
    *, actor, model: type[ReferenceItem], data: dict, item: ReferenceItem | None = None
) -> ReferenceItem:
    """Add or change an item of a reference list (`model`: FacilityKind or ServiceKind). An item
    with a region applies to that region's sites and is set by its administrators; the
    documents' items (no region) only by an administrator over everything. Returns the item;
    raises PermissionDenied, ValidationError."""

    def may_set(region_code: str | None) -> bool:
        return actor is None or permits(actor, model, "change", region_code=region_code)

    if item is not None and not may_set(item.region_id):
        raise PermissionDenied(_("Only administrators of the region change its list."))
    item = item or model()
    for name, value in data.items():
        setattr(item, name, value)
    if not may_set(item.region_id):
        raise PermissionDenied(_("Only administrators of the region change its list."))
    if isinstance(item, FacilityKind):
        _check_choice(item, "measure")
    item.full_clean()
    item.save()
    return item


def _check_applies(kind: ReferenceItem, site: Site) -> None:
    if not kind.applies_to(site):
        raise ValidationError(
            {
                "kind": _(
                    "“%(item)s” is %(region)s's own item and does not apply to %(site)s, which "
                    "lies outside it."
                )
                % {"item": kind.name, "region": kind.region.name, "site": site.name}
            }
        )


# ---- Facilities and services -----------------------------------------------------------------


@transaction.atomic
def site_facility_save(
    *, actor, site: Site, kind: FacilityKind, data: dict, version: int | None = None
) -> SiteFacility:
    """Record whether `site` has the facility `kind` (十有): `data` holds `present` (True, False,
    None: not known), `since` (the day it opened, or closed when not present; None: not known),
    `area_m2` or `capacity` (as the kind is sized), `provided_by` (the nearby site whose facility
    serves this one) and `note`. One record per site and facility: it is created, or changed as
    read at `version`. Yuncheng plan seeds/002 §三(四).

    Refused: a facility not on the site's list, a date in the future, a size or a providing site
    for a facility not present, the size the facility is not measured by, a negative size, the
    site itself or a site the actor does not see as the provider. Raises ValidationError,
    PermissionDenied, Http404 (the site outside the actor's area), VersionConflict."""

    def sees_site(pk: int) -> bool:
        return actor is None or Site.objects.visible_to(actor).filter(pk=pk).exists()

    return _site_item_save(
        SiteFacility,
        actor=actor,
        site=site,
        kind=kind,
        data=data,
        version=version,
        check=lambda record, site: _check_facility(record, kind, site, sees_site=sees_site),
        what=FACILITY_RECORDED,
    )


def _site_item_save(model, *, actor, site: Site, kind, data: dict, version, check, what: str):
    """The record of `site` and `kind` (a SiteFacility or a SiteService, one per site and item)
    created or changed by `data` as read at `version`, refused by `check(record, site)` as it
    would be saved, then saved and its date noted (`what` happened)."""
    site = _visible(actor, Site.objects.all(), site)
    _check_applies(kind, site)
    record = model.objects.filter(site=site, kind=kind).first()
    before = record.since if record else None
    record = _apply(
        model, actor=actor, record=record, data=data, version=version, site=site, kind=kind
    )
    check(record, site)
    _save(record, actor=actor)
    _dated_note(
        actor=actor, record=record, site=site, dates={"since": (before, record.since)}, what=what
    )
    return record


FACILITY_RECORDED = gettext_noop("site facility recorded")
SERVICE_RECORDED = gettext_noop("site service recorded")


def _check_facility(record: SiteFacility, kind: FacilityKind, site: Site, *, sees_site) -> None:
    """Refuse a facility record (as it would be saved) that breaks a rule of
    `site_facility_save`: a date in the future, a size or a providing site for a facility not
    present, a date when presence is not known, the size it is not measured by, a negative
    size, the site itself or a site the actor does not see (`sees_site(pk)`) as the provider.
    Raises ValidationError by field."""
    check_not_future(since=record.since)
    errors = {}
    if record.present is not True:
        for name in ("area_m2", "capacity", "provided_by"):
            if getattr(record, name) not in (None, ""):
                errors[name] = _(
                    "“%(facility)s” is not recorded as present: clear this, or mark it present."
                ) % {"facility": kind.name}
        if record.present is None and record.since:
            errors["since"] = _(
                "Whether the site has “%(facility)s” is not known: a date needs yes or no."
            ) % {"facility": kind.name}
    unused = "capacity" if kind.measure == Measure.AREA else "area_m2"
    if getattr(record, unused) is not None and unused not in errors:
        errors[unused] = _(
            "“%(facility)s” is recorded by its %(measure)s: write the size there instead."
        ) % {"facility": kind.name, "measure": kind.get_measure_display()}
    for name in ("area_m2", "capacity"):
        value = getattr(record, name)
        if value is not None and value < 0 and name not in errors:
            errors[name] = _("A size cannot be negative.")
    if record.provided_by_id is not None and "provided_by" not in errors:
        if record.provided_by_id == site.pk:
            errors["provided_by"] = _(
                "A site does not provide its own facility as a nearby site: leave this blank."
            )
        elif not sees_site(record.provided_by_id):
            errors["provided_by"] = _("Choose the providing site among the sites you see.")
    if errors:
        raise ValidationError(errors)
    _check_bounds(record, "area_m2", "capacity", "since")


def _check_service(record: SiteService, kind: ServiceKind) -> None:
    """Refuse a service record (as it would be saved) that breaks a rule of
    `site_service_save`: a date in the future, a date when it is not known whether the service
    is in place. Raises ValidationError by field."""
    check_not_future(since=record.since)
    if record.in_place is None and record.since:
        raise ValidationError(
            {
                "since": _(
                    "Whether “%(service)s” is in place is not known: a date needs yes or no."
                )
                % {"service": kind.name}
            }
        )
    _check_bounds(record, "since")


@transaction.atomic
def site_service_save(
    *, actor, site: Site, kind: ServiceKind, data: dict, version: int | None = None
) -> SiteService:
    """Record whether the service `kind` (十到位) is in place at `site`: `data` holds `in_place`
    (True, False, None: not known), `since`, `responsible_unit` and `note`. One record per site
    and service, created or changed as read at `version`. Yuncheng plan seeds/002 §三(四).
    Refused: a service not on the site's list, a date in the future, a date when it is not
    known whether the service is in place. Raises ValidationError, PermissionDenied, Http404,
    VersionConflict."""
    return _site_item_save(
        SiteService,
        actor=actor,
        site=site,
        kind=kind,
        data=data,
        version=version,
        check=lambda record, site: _check_service(record, kind),
        what=SERVICE_RECORDED,
    )


class SiteItemsImport:
    """A sheet of facilities and services (十有、十到位) checked row by row against the rules of
    `site_facility_save` and `site_service_save` (the same checks, on the records as they would
    be saved, in memory) and written at once (`commit`): the records of the sheet's `sites` read
    once, new ones inserted and changed ones updated in bulk with their history, the dates
    noted once. A fixed number of queries however many rows. `visible_sites`: the ids of the
    sites the actor sees (a providing site must be one)."""

    MODELS = ((SiteFacility, FACILITY_RECORDED), (SiteService, SERVICE_RECORDED))

    def __init__(self, *, actor, sites: list[Site], visible_sites: set[int]):
        self.actor = actor
        ids = [s.pk for s in sites]
        self.records = {
            (model, r.site_id, r.kind_id): r
            for model, _what in self.MODELS
            for r in model.objects.filter(site_id__in=ids)
        }
        # The sites already providing a facility, which a row that changes another field keeps.
        providers = {
            r.provided_by_id for r in self.records.values() if getattr(r, "provided_by_id", None)
        } - set(visible_sites)
        if providers and actor is not None:
            providers = set(
                Site.objects.visible_to(actor).filter(pk__in=providers).values_list("pk", flat=True)
            )
        self.visible_sites = set(visible_sites) | providers
        self.new: dict[type, list] = {model: [] for model, _what in self.MODELS}
        self.changed: dict[type, dict] = {model: {} for model, _what in self.MODELS}
        self.fields: dict[type, set] = {model: set() for model, _what in self.MODELS}
        self.dated: list[DatedChange] = []

    def record(self, model, site: Site, kind):
        """The record of `site` and `kind` as the sheet has it so far (None: none yet)."""
        return self.records.get((model, site.pk, kind.pk))

    def apply(self, model, *, site: Site, kind, data: dict):
        """Plan `data` (the changed fields) for the record of `site` and `kind` (a FacilityKind
        with SiteFacility, a ServiceKind with SiteService); returns the record as it will be.
        Refused as the services refuse: PermissionDenied, ValidationError; nothing is planned
        then."""
        if self.actor is not None and not permits(
            self.actor, model, "change", region_code=site.region_code, site_id=site.pk
        ):
            raise PermissionDenied(
                _("Your role may not record %(what)s at this site.")
                % {"what": model._meta.verbose_name_plural}
            )
        _check_applies(kind, site)
        stored = self.record(model, site, kind)
        record = copy.copy(stored) if stored is not None else model(site=site, kind=kind)
        before = stored.since if stored is not None else None
        for name, value in data.items():
            setattr(record, name, value)
        if model is SiteFacility:
            _check_facility(record, kind, site, sees_site=self.visible_sites.__contains__)
        else:
            _check_service(record, kind)
        # The fields' own rules (lengths, choices); the keys are the sheet's, found already.
        record.clean_fields(exclude=["site", "kind", "provided_by"])
        if stored is None:
            self.new[model].append(record)
            self.records[(model, site.pk, kind.pk)] = record
        else:
            # The checked changes made to the record itself, which the plan holds once.
            for name, value in data.items():
                setattr(stored, name, value)
            record = stored
            if stored.pk is not None:
                self.changed[model][stored.pk] = stored
                self.fields[model] |= set(data)
        on = changed_on(before, record.since)
        if on is not None:
            what = dict(self.MODELS)[model]
            self.dated.append(
                DatedChange(on=on, what=what, record=record, label=site.code, region=site.county_id)
            )
        return record

    def commit(self) -> None:
        """Write what was planned, inside the caller's transaction. Raises ValidationError
        (CHANGED_MEANWHILE) when someone saved a changed record since it was read."""
        for model, _what in self.MODELS:
            insert_with_history(model, self.new[model], user=self.actor)
            update_with_history(
                model, list(self.changed[model].values()), self.fields[model], user=self.actor
            )
        latechanges.note(actor=self.actor, changes=self.dated)


# ---- Cadres and who runs a site ----------------------------------------------------------------


@transaction.atomic
def cadre_save(
    *, actor, data: dict, cadre: Cadre | None = None, version: int | None = None
) -> Cadre:
    """Add or change a cadre: `data` holds `name`, `post`, `unit`, `phone`, `rank` (a code of
    `Rank`, or "" when not known), `person` (the registered person they are, if one),
    `region` (the county, prefecture or province keeping the record, within the actor's area)
    and `site` (the site they were named for, whose county keeps them; its operator may then
    record them).
    Returns the cadre; raises ValidationError (a rank not on the list, a region or person
    outside the actor's area), PermissionDenied, VersionConflict. A rank changed under a leader
    whose post needs another rank is refused (`_check_leader_rank`)."""
    record = _apply(Cadre, actor=actor, record=cadre, data=data, version=version)
    _check_choice(record, "rank")
    if record.site_id and record.region_id != record.site.county_id:
        raise ValidationError(
            {"region": _("A cadre named at a site is kept by the site's county.")}
        )
    if (
        record.region_id
        and actor is not None
        and not permits(
            actor, Cadre, "change", region_code=record.region_id, site_id=record.site_id
        )
    ):
        raise ValidationError(
            {"region": _("Choose your own area: you record the cadres of the regions you keep.")}
        )
    _check_person(actor, record)
    if record.pk is not None:
        for charge in SiteLeader.objects.filter(cadre=record):
            _check_leader_rank(charge.position, record)
    _save(record, actor=actor)
    return record


def cadre_on_record(
    actor,
    site: Site,
    name: str,
    phone: str,
    *,
    named: list[Cadre] | None = None,
    seen: set[int] | None = None,
) -> Cadre | None:
    """The cadre on record whom a form or a staffing sheet's row for `site` means by `name`
    and `phone` ("" when not given; an export's masked phone reads as the phone it masks):
    one of that name kept by the site's county or a region above it, among all of them, not
    only those the actor sees, unless their phone and `phone` are both known and differ (two
    persons of one name); the one with that very phone before one whose phone is not known.
    None when there is none: a cadre to add.
    `named`: the cadres of that name the caller read once (an import), else read; `seen`:
    the ids of those the actor sees, else read.
    Raises ValidationError ("cadre"): several are meant (the phone tells them apart), or the
    one meant is not among those the actor sees (the message names nobody: they ask the
    county office)."""
    name = name.strip()
    regions = set(ancestors(site.county_id))
    if named is None:
        named = list(Cadre.objects.filter(region_id__in=regions, name=name).order_by("id"))
    same = [
        c
        for c in named
        if c.region_id in regions
        and (not phone or not c.phone or phone in (c.phone, mask_phone(c.phone)))
    ]
    if len(same) > 1 and phone:
        same = [c for c in same if c.phone and phone in (c.phone, mask_phone(c.phone))] or same
    if len(same) > 1:
        raise ValidationError(
            {
                "cadre": _(
                    "Several cadres are named %(name)s: fill in the phone of the one you mean."
                )
                % {"name": name}
            }
        )
    if not same:
        return None
    cadre = same[0]
    if seen is None:
        visible = actor is None or Cadre.objects.visible_to(actor).filter(pk=cadre.pk).exists()
    else:
        visible = cadre.pk in seen
    if not visible:
        raise ValidationError(
            {
                "cadre": _(
                    "A cadre of this name is already on record for the county: ask the county "
                    "office to name them, or choose them among the cadres when they are on your "
                    "list (another person of the same name: give their phone)."
                )
            }
        )
    return cadre


def _check_person(actor, record) -> None:
    """Refuse, as a field error, a registered person (`record.person`) the actor does not see."""
    if (
        record.person_id
        and actor is not None
        and not Person.objects.visible_to(actor).filter(pk=record.person_id).exists()
    ):
        raise ValidationError(
            {"person": _("Choose the registered person among the residents you see.")}
        )


@dataclass
class Known:
    """What an import read once for its sheet, which the rules would otherwise read row by row
    (a page or an API call passes none, and the services read it): `cadres`, the cadres the
    actor sees, by id; `records`, all the team members, leaders and grid roles of each of the
    sheet's sites, by (model, site id), as the sheet has written them so far; `wishes`, each of
    the sheet's households' wishes to farm, by household id, likewise; `projects`, the projects
    the actor sees, by id. What is not in them is read. `read_covered()` reads the last day an
    approved report covers."""

    cadres: dict = field(default_factory=dict)
    records: dict | None = None
    wishes: dict | None = None
    projects: dict = field(default_factory=dict)
    # The last day an approved monthly report covers (`latechanges.covered_until`, None: none is
    # approved), when the import read it (`covered_read`): a date after it is not noted.
    covered_until: dt.date | None = None
    covered_read: bool = False

    def read_covered(self) -> Known:
        """Read `covered_until` (one query); returns self."""
        self.covered_until, self.covered_read = latechanges.covered_until(), True
        return self


def _check_cadre(actor, record, known: Known | None = None) -> Cadre:
    """The cadre of `record` (a membership, a charge, a grid role), which the actor must see;
    refused as a field error when none is given or they do not see it."""
    if record.cadre_id is None:
        raise ValidationError({"cadre": _("Choose the cadre.")})
    seen = known.cadres.get(record.cadre_id) if known is not None else None
    if seen is not None:
        record.cadre = seen
        return seen
    cadre = record.cadre
    if actor is not None and not Cadre.objects.visible_to(actor).filter(pk=cadre.pk).exists():
        raise ValidationError({"cadre": _("Choose the cadre among the cadres you see.")})
    return cadre


def _others_of_site(model, site: Site, record, known: Known | None) -> list:
    """The records of `model` at `site` besides `record`: as the caller holds them
    (`known.records`), else read (one query)."""
    if known is not None and known.records is not None:
        held = known.records.get((model, site.pk), ())
    else:
        held = model.objects.filter(site=site)
    return [r for r in held if r.pk is None or r.pk != record.pk]


def _overlapping(records: list, start: dt.date, end: dt.date | None) -> list:
    """The `records` (with start_date and end_date) whose period overlaps [start, end] (an open
    end runs on), the earliest first."""
    return sorted(
        (
            r
            for r in records
            if (end is None or r.start_date <= end) and (r.end_date is None or r.end_date >= start)
        ),
        key=lambda r: r.start_date,
    )


def _until(end: dt.date | None) -> str:
    return end.isoformat() if end else _("now")


@transaction.atomic
def team_member_save(
    *,
    actor,
    site: Site,
    data: dict,
    member: TeamMember | None = None,
    version: int | None = None,
    known: Known | None = None,
) -> TeamMember:
    """Put a cadre on `site`'s work team, or change their membership (一点一队, Yuncheng plan
    seeds/002 §三(五)一): `data` holds `cadre`, `role` (first secretary or member), `sent_by`,
    `start_date` (required), `end_date` (None: still serving) and `note`. The county sends the
    team: a site operator may not (PermissionDenied).

    Refused: a role not on the list, a date in the future, an end before the start, a cadre
    already on the site's team for part of the same time, a second first secretary for part of
    the same time, a cadre the actor does not see. `known`: what an import read once
    (`Known`). Raises ValidationError, PermissionDenied, Http404 (the site outside the actor's
    area), VersionConflict."""
    site = _visible(actor, Site.objects.all(), site)
    before = (member.start_date, member.end_date) if member else (None, None)
    record = _apply(TeamMember, actor=actor, record=member, data=data, version=version, site=site)
    if record.site_id != site.pk:
        raise ValidationError(_("A membership stays with its site: end it and record a new one."))
    _check_choice(record, "role")
    if record.start_date is None:
        raise ValidationError({"start_date": _("Give the day the cadre joined the team.")})
    _check_period(record.start_date, record.end_date, start_name="start_date", end_name="end_date")
    cadre = _check_cadre(actor, record, known)
    others = _overlapping(
        _others_of_site(TeamMember, site, record, known), record.start_date, record.end_date
    )
    twice = next((r for r in others if r.cadre_id == cadre.pk), None)
    if twice is not None:
        raise ValidationError(
            {
                "cadre": _(
                    "%(name)s is already on this site's team from %(start)s to %(end)s: change that "
                    "record instead of entering them twice."
                )
                % {"name": cadre.name, "start": twice.start_date, "end": _until(twice.end_date)}
            }
        )
    if record.role == TeamRole.FIRST_SECRETARY:
        secretary = next((r for r in others if r.role == TeamRole.FIRST_SECRETARY), None)
        if secretary is not None:
            raise ValidationError(
                {
                    "role": _(
                        "The site already has a first secretary, %(name)s, from %(start)s to "
                        "%(end)s: give the day their service ended first."
                    )
                    % {
                        "name": secretary.cadre.name,
                        "start": secretary.start_date,
                        "end": _until(secretary.end_date),
                    }
                }
            )
    _check_bounds(record, "start_date", "end_date")
    _save(record, actor=actor, held={"site": site, "cadre": cadre})
    _dated_note(
        actor=actor,
        record=record,
        site=site,
        dates={
            "start_date": (before[0], record.start_date),
            "end_date": (before[1], record.end_date),
        },
        what=gettext_noop("work team member recorded"),
        known=known,
    )
    return record


def _check_leader_rank(position: str, cadre: Cadre) -> None:
    """Refuse a post the cadre's recorded rank does not hold (a county Party secretary is of
    principal county level); a rank not recorded is not checked."""
    ranks = rules.POSITION_RANKS.get(position)
    if not ranks or not cadre.rank or cadre.rank in ranks:
        return
    raise ValidationError(
        {
            "position": _(
                "%(name)s is recorded as %(rank)s, and %(position)s is a post of %(ranks)s: correct "
                "the cadre's rank or the post."
            )
            % {
                "name": cadre.name,
                "rank": Rank(cadre.rank).label,
                "position": SiteLeader(position=position).get_position_display(),
                "ranks": "、".join(str(Rank(r).label) for r in sorted(ranks)),
            }
        }
    )


@transaction.atomic
def site_leader_save(
    *,
    actor,
    site: Site,
    data: dict,
    leader: SiteLeader | None = None,
    version: int | None = None,
    known: Known | None = None,
) -> SiteLeader:
    """Record the leader answering for `site` (包保, Guizhou opinions seeds/003 item 24), or
    change the record: `data` holds `cadre`, `position` (the post: county Party secretary,
    county head, deputy county-level leader, other), `start_date` (required), `end_date` (None:
    still) and `note`. Whether the post fits the site's size is not refused here (the site may
    grow past 10,000 persons): the shortfall worklist names it.

    Refused: a post not on the list, a post the cadre's rank does not hold, a date in the future,
    an end before the start, the same cadre entered twice for part of the same time, a cadre the
    actor does not see. `known`: what an import read once (`Known`). Raises ValidationError,
    PermissionDenied (a site operator), Http404, VersionConflict."""
    site = _visible(actor, Site.objects.all(), site)
    before = (leader.start_date, leader.end_date) if leader else (None, None)
    record = _apply(SiteLeader, actor=actor, record=leader, data=data, version=version, site=site)
    if record.site_id != site.pk:
        raise ValidationError(_("A charge stays with its site: end it and record a new one."))
    _check_choice(record, "position")
    if record.start_date is None:
        raise ValidationError({"start_date": _("Give the day the leader took charge of the site.")})
    _check_period(record.start_date, record.end_date, start_name="start_date", end_name="end_date")
    cadre = _check_cadre(actor, record, known)
    _check_leader_rank(record.position, cadre)
    same = [r for r in _others_of_site(SiteLeader, site, record, known) if r.cadre_id == cadre.pk]
    twice = next(iter(_overlapping(same, record.start_date, record.end_date)), None)
    if twice is not None:
        raise ValidationError(
            {
                "cadre": _(
                    "%(name)s already answers for this site from %(start)s to %(end)s: change that "
                    "record instead of entering them twice."
                )
                % {"name": cadre.name, "start": twice.start_date, "end": _until(twice.end_date)}
            }
        )
    _check_bounds(record, "start_date", "end_date")
    _save(record, actor=actor, held={"site": site, "cadre": cadre})
    _dated_note(
        actor=actor,
        record=record,
        site=site,
        dates={
            "start_date": (before[0], record.start_date),
            "end_date": (before[1], record.end_date),
        },
        what=gettext_noop("site leader recorded"),
        known=known,
    )
    return record


@transaction.atomic
def community_body_save(
    *,
    actor,
    site: Site,
    data: dict,
    body: CommunityBody | None = None,
    version: int | None = None,
) -> CommunityBody:
    """Record a community body of `site` (Kashgar report seeds/000 §二(四); Guizhou opinions
    seeds/003 items 6–8): `data` holds `kind` (community, residents' or village committee, Party
    branch), `name`, `is_own` (the site's own, or one it belongs to or shares), `established_on`
    and `note`. Refused: a kind not on the list, a date in the future, a body of the same kind
    and name recorded twice for the site. Raises ValidationError, PermissionDenied, Http404,
    VersionConflict."""
    site = _visible(actor, Site.objects.all(), site)
    before = body.established_on if body else None
    record = _apply(CommunityBody, actor=actor, record=body, data=data, version=version, site=site)
    _check_choice(record, "kind")
    check_not_future(established_on=record.established_on)
    same = CommunityBody.objects.filter(site=site, kind=record.kind, name=record.name)
    if record.name and same.exclude(pk=record.pk).exists():
        raise ValidationError(
            {
                "name": _("%(name)s is already recorded for this site: change that record.")
                % {"name": record.name}
            }
        )
    _check_bounds(record, "established_on")
    _save(record, actor=actor)
    _dated_note(
        actor=actor,
        record=record,
        site=site,
        dates={"established_on": (before, record.established_on)},
        what=gettext_noop("community body recorded"),
    )
    return record


@transaction.atomic
def grid_role_save(
    *,
    actor,
    site: Site,
    data: dict,
    role: GridRole | None = None,
    version: int | None = None,
    new_cadre: dict | None = None,
    known: Known | None = None,
) -> GridRole:
    """Record a grid role of `site` (安置点长, 片长, 楼栋长; Yuncheng plan seeds/002 §三(五)三):
    `data` holds `role`, `person` (a registered resident of the site) or `cadre`, `area` (the
    area or building; blank for the site head), `phone` and `note`. `new_cadre` (`name`, `post`,
    `unit`): the holder is a cadre added now for the site (`cadre_save`, kept by its county,
    with the role's phone), which a site's operator may do. Refused: a role not on the list,
    both or neither of a resident and a cadre, a resident of another site or a cadre the actor
    does not see, the same person holding the same role and area twice, an area or building
    head without the area or building; nothing is saved then, the cadre neither. `known`: what
    an import read once (`Known`). Raises ValidationError, PermissionDenied, Http404,
    VersionConflict."""
    site = _visible(actor, Site.objects.all(), site)
    if new_cadre:
        if data.get("person") or data.get("cadre"):
            raise ValidationError(
                {"person": _("Name one holder of the role: a registered resident or a cadre.")}
            )
        if cadre_on_record(actor, site, new_cadre["name"], data.get("phone") or ""):
            raise ValidationError(
                {
                    "cadre": _(
                        "%(name)s is on record as a cadre: choose them among the cadres (another "
                        "person of the same name: give their phone)."
                    )
                    % {"name": new_cadre["name"].strip()}
                }
            )
        cadre = cadre_save(
            actor=actor,
            data={
                **new_cadre,
                "phone": data.get("phone") or "",
                "region": site.county,
                "site": site,
            },
        )
        data = {**data, "cadre": cadre, "person": None}
    record = _apply(GridRole, actor=actor, record=role, data=data, version=version, site=site)
    _check_choice(record, "role")
    if (record.person_id is None) == (record.cadre_id is None):
        raise ValidationError(
            {"person": _("Name one holder of the role: a registered resident or a cadre.")}
        )
    _check_person(actor, record)
    if record.person_id and record.person.site_id != site.pk:
        raise ValidationError(
            {
                "person": _("%(name)s is not a registered resident of this site.")
                % {"name": record.person.name}
            }
        )
    if record.cadre_id:
        _check_cadre(actor, record, known)
    held = [
        r
        for r in _others_of_site(GridRole, site, record, known)
        if r.role == record.role
        and r.area == record.area.strip()
        and (r.person_id, r.cadre_id) == (record.person_id, record.cadre_id)
    ]
    if held:
        raise ValidationError(
            {
                "person" if record.person_id else "cadre": _(
                    "%(name)s already holds this role here: change that record instead."
                )
                % {"name": record.holder_name}
            }
        )
    if record.role != GridRoleKind.SITE_HEAD and not record.area.strip():
        raise ValidationError(
            {
                "area": _("Say which %(what)s the %(role)s heads.")
                % {
                    "what": _("building")
                    if record.role == GridRoleKind.BUILDING_HEAD
                    else _("area"),
                    "role": record.get_role_display(),
                }
            }
        )
    # The holder was read by the checks above (a resident of the site, a cadre seen).
    holder = "person" if record.person_id else "cadre"
    _save(record, actor=actor, held={"site": site, holder: getattr(record, holder)})
    return record


# ---- Collective economy ------------------------------------------------------------------------


@transaction.atomic
def shop_asset_save(
    *,
    actor,
    site: Site,
    data: dict,
    asset: ShopAsset | None = None,
    version: int | None = None,
) -> ShopAsset:
    """Record a commercial asset of `site` (门面, 商铺 …; Guizhou opinions seeds/003 item 9):
    `data` holds `kind`, `name`, `area_m2`, `units`, `owner`, `operator`, `manager` (who holds
    its ownership, operation and management, each apart) and `note`. Refused: a kind not on the
    list, a negative area. Raises ValidationError, PermissionDenied, Http404, VersionConflict."""
    site = _visible(actor, Site.objects.all(), site)
    record = _apply(ShopAsset, actor=actor, record=asset, data=data, version=version, site=site)
    _check_choice(record, "kind")
    if record.area_m2 is not None and record.area_m2 < 0:
        raise ValidationError({"area_m2": _("An area cannot be negative.")})
    _check_bounds(record, "area_m2", "units")
    _save(record, actor=actor)
    return record


@transaction.atomic
def shop_income_save(
    *,
    actor,
    asset: ShopAsset,
    data: dict,
    income: ShopIncome | None = None,
    version: int | None = None,
) -> ShopIncome:
    """Record a shop asset's income of a year (元) and what of it went to the community's
    running and to its collective economy (Guizhou opinions seeds/003 item 9): `data` holds
    `year`, `income`, `to_community_running`, `to_collective_economy` (blank: 0) and `note`.
    Refused: a year still to come, an amount below zero, the two parts together above the
    income, a year recorded twice for the asset. Raises ValidationError, PermissionDenied,
    Http404 (the asset outside the actor's area), VersionConflict."""
    asset = _visible(actor, ShopAsset.objects.all(), asset)
    record = _apply(ShopIncome, actor=actor, record=income, data=data, version=version, asset=asset)
    errors = {}
    for name in ("income", "to_community_running", "to_collective_economy"):
        value = getattr(record, name)
        if value is None and name != "income":
            setattr(record, name, Decimal(0))
        elif value is None:
            errors[name] = _("Give the year's income in yuan; write 0 for none.")
        elif value < 0:
            errors[name] = _("An amount cannot be negative; write 0 for none.")
    if record.year and record.year > dt.date.today().year:
        errors["year"] = _("%(year)s has not come yet: write the year the income was earned.") % {
            "year": record.year
        }
    if errors:
        raise ValidationError(errors)
    parts = record.to_community_running + record.to_collective_economy
    if parts > record.income:
        raise ValidationError(
            {
                "to_collective_economy": _(
                    "What went to the community's running and to its collective economy "
                    "(%(parts)s yuan together) is more than the income (%(income)s yuan): check "
                    "the amounts."
                )
                % {"parts": f"{parts:,.2f}", "income": f"{record.income:,.2f}"}
            }
        )
    same = ShopIncome.objects.filter(asset=asset, year=record.year).exclude(pk=record.pk)
    if same.exists():
        raise ValidationError(
            {
                "year": _("%(asset)s's income of %(year)s is already recorded: change that record.")
                % {"asset": asset.name, "year": record.year}
            }
        )
    _check_bounds(record, "year", "income", "to_community_running", "to_collective_economy")
    _save(record, actor=actor)
    return record


# ---- Greenhouses -------------------------------------------------------------------------------


@transaction.atomic
def farming_wish_save(
    *,
    actor,
    household: Household,
    data: dict,
    wish: FarmingWish | None = None,
    version: int | None = None,
    known: Known | None = None,
) -> FarmingWish:
    """Put `household` on its site's ledger of households willing to farm (Yuncheng plan
    seeds/002 §三(三)二), or change its entry: `data` holds `since` (None: not known),
    `withdrawn_on` (the day it no longer wished to), `crop` and `note`. Refused: a date in the
    future, a withdrawal before the wish, a household already on the ledger for part of the same
    time. `known`: what an import read once (`Known`). Raises ValidationError, PermissionDenied,
    Http404 (the household outside the actor's area), VersionConflict."""
    household = _visible(actor, Household.objects.all(), household)
    before = (wish.since, wish.withdrawn_on) if wish else (None, None)
    record = _apply(
        FarmingWish, actor=actor, record=wish, data=data, version=version, household=household
    )
    _check_period(record.since, record.withdrawn_on, start_name="since", end_name="withdrawn_on")
    if known is not None and known.wishes is not None:
        held = known.wishes.get(household.pk, ())
    else:
        held = FarmingWish.objects.filter(household=household)
    # A wish runs from its day to the day it was withdrawn (that day no longer willing).
    others = [
        w
        for w in held
        if w.pk != record.pk
        and (record.withdrawn_on is None or w.since is None or w.since < record.withdrawn_on)
        and (record.since is None or w.withdrawn_on is None or w.withdrawn_on > record.since)
    ]
    if others:
        raise ValidationError(
            {
                "since": _(
                    "Household %(household)s is already on the ledger for that time: change its "
                    "entry instead of entering it twice."
                )
                % {"household": household.household_no}
            }
        )
    _check_bounds(record, "since", "withdrawn_on")
    _save(record, actor=actor, held={"household": household})
    _dated_note(
        actor=actor,
        record=record,
        site=household.site,
        dates={
            "since": (before[0], record.since),
            "withdrawn_on": (before[1], record.withdrawn_on),
        },
        what=gettext_noop("household willing to farm recorded"),
        known=known,
    )
    return record


@transaction.atomic
def greenhouse_save(
    *,
    actor,
    household: Household,
    data: dict,
    greenhouse: Greenhouse | None = None,
    version: int | None = None,
    known: Known | None = None,
) -> Greenhouse:
    """Allot a greenhouse to `household` (一户一棚, Yuncheng plan seeds/002 §三(三)三), or change
    the allotment: `data` holds `number`, `area_mu` (about 1 mu), `crop` (the one industry),
    `project` (the industry project it belongs to, of the household's county and a planting
    kind, `rules.GREENHOUSE_PROJECT_KINDS`), `allotted_on`
    (None: not known), `ended_on` and `note`. The household must be on the ledger of households
    willing to farm. Refused: a date in the future, an end before the allotment, an area of 0 or
    less, a project of another county, of another kind (a workshop) or one the actor does not
    see, a household not on the
    ledger. `known`: what an import read once (`Known`). Raises ValidationError,
    PermissionDenied, Http404, VersionConflict."""
    household = _visible(actor, Household.objects.select_related("site"), household)
    before = (greenhouse.allotted_on, greenhouse.ended_on) if greenhouse else (None, None)
    record = _apply(
        Greenhouse, actor=actor, record=greenhouse, data=data, version=version, household=household
    )
    _check_period(
        record.allotted_on, record.ended_on, start_name="allotted_on", end_name="ended_on"
    )
    errors = {}
    if record.area_mu is None or record.area_mu <= 0:
        errors["area_mu"] = _("Give the greenhouse's area in mu (about 1 mu), more than 0.")
    if not (record.crop or "").strip():
        errors["crop"] = _("Name the greenhouse's industry or crop (one per greenhouse).")
    seen = None
    if record.project_id is not None:
        seen = known.projects.get(record.project_id) if known is not None else None
        if seen is not None:
            county, kind = seen.county_id, seen.kind
        else:
            project = IndustryProject.objects.filter(pk=record.project_id)
            if actor is not None:
                project = project.visible_to(actor)
            county, kind = project.values_list("county_id", "kind").first() or (None, None)
        if county is None:
            errors["project"] = _("Choose the project among the projects you see.")
        elif county != household.site.county_id:
            errors["project"] = _(
                "The project belongs to another county: choose a project of the household's county."
            )
        elif kind not in rules.GREENHOUSE_PROJECT_KINDS:
            errors["project"] = _(
                "The project is of the kind “%(kind)s”: a greenhouse belongs to a planting project "
                "(%(kinds)s)."
            ) % {
                "kind": Kind(kind).label,
                "kinds": "、".join(
                    str(Kind(k).label) for k in sorted(rules.GREENHOUSE_PROJECT_KINDS)
                ),
            }
    if errors:
        raise ValidationError(errors)
    if known is not None and known.wishes is not None:
        on_ledger = bool(known.wishes.get(household.pk))
    else:
        on_ledger = FarmingWish.objects.filter(household=household).exists()
    if not on_ledger:
        raise ValidationError(
            _(
                "Household %(household)s is not on the ledger of households willing to farm: "
                "record its wish first."
            )
            % {"household": household.household_no}
        )
    _check_bounds(record, "area_mu", "allotted_on", "ended_on")
    _save(record, actor=actor, held={"household": household, "project": seen})
    _dated_note(
        actor=actor,
        record=record,
        site=household.site,
        dates={
            "allotted_on": (before[0], record.allotted_on),
            "ended_on": (before[1], record.ended_on),
        },
        what=gettext_noop("greenhouse allotted"),
        known=known,
    )
    return record


# ---- Removal -----------------------------------------------------------------------------------

REMOVABLE = (
    SiteFacility,
    SiteService,
    TeamMember,
    SiteLeader,
    CommunityBody,
    GridRole,
    ShopAsset,
    ShopIncome,
    FarmingWish,
    Greenhouse,
)


@transaction.atomic
def record_remove(*, actor, record, reason: str) -> None:
    """Remove a record of site governance entered by mistake (a membership that ended is given
    its end date instead); its history keeps who removed it, when and why. A shop asset with
    incomes recorded, a wish with greenhouses, a cadre still named anywhere stay. Raises
    ValidationError, PermissionDenied, Http404."""
    if not isinstance(record, (*REMOVABLE, Cadre)):
        raise TypeError(f"{type(record).__name__} is not a record of site governance")
    model = type(record)
    record = _visible(actor, model.objects.all(), record)
    check_editable(actor, record)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the record is removed.")})
    kept = {
        ShopAsset: lambda r: r.incomes.exists(),
        FarmingWish: lambda r: (
            r.household.greenhouses.exists()
            and not FarmingWish.objects.filter(household=r.household).exclude(pk=r.pk).exists()
        ),
        Cadre: lambda r: (
            r.team_memberships.exists() or r.leader_charges.exists() or r.grid_roles.exists()
        ),
    }
    if model in kept and kept[model](record):
        raise ValidationError(
            _("%(record)s is referred to by other records: remove those first.")
            % {"record": record}
        )
    record._history_user = actor
    record._change_reason = reason.strip()[:100]
    record.delete()
