"""The workbooks of site governance (安置区治理), through the kernel's Excel pipeline: facilities
and services (one row per site and item), staffing (the cadres of the work teams, the leaders
answering for the sites and the grid roles, one row per role held) and the greenhouse ledger
(one row per household willing to farm and greenhouse).

Every row keeps the rules of the service the forms call (governance.sitegov.services). The
facilities and services are checked in memory against the services' own checks and written in
bulk (`services.SiteItemsImport`: a fixed number of queries a sheet). The staffing and the
greenhouse ledger run the rows' services in a transaction the check rolls back, row by row in the
file's order (a cadre a row adds is there for the rows below it), a row in a savepoint of its
own from its first write; the commit runs them again and keeps them. Both read what their rows
refer to once (`_StaffingRecords`, `_GreenhouseRecords`), so rows that change nothing cost no
query. Refusals are listed by row and column. A row that would
change nothing (an export imported again) is left as it is and counted unchanged, and a blank
cell leaves the recorded value as it is."""

from __future__ import annotations

import contextvars
import copy
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.sitegov import choices, services
from governance.sitegov.filtersets import FarmingWishFilterSet, SiteGovernanceFilterSet
from governance.sitegov.models import (
    Cadre,
    FacilityKind,
    FarmingWish,
    Greenhouse,
    GridRole,
    ServiceKind,
    SiteFacility,
    SiteLeader,
    SiteService,
    TeamMember,
)
from households.choices import PersonStatus
from households.models import REVEAL_PERMISSION, Household, Person, Site
from households.selectors import with_head
from industry.models import IndustryProject
from resettle import latechanges
from resettle.codelists import declare_aliases
from resettle.excel import Column, ImportResult, Ledger, Row, RowError, model_columns, register
from resettle.exceptions import VersionConflict
from resettle.imports import CHANGED_MEANWHILE, field_change
from resettle.masking import mask_id_number, mask_phone, unmask
from resettle.scoping import ancestors

CREATED, UPDATED, UNCHANGED = "created", "updated", "unchanged"


class RowRefused(Exception):
    """A row that cannot be written, with the column (its key) and what to fix."""

    def __init__(self, key: str | None, message: str):
        super().__init__(message)
        self.key = key
        self.message = message


def _differs(record: models.Model, name: str, value: object) -> bool:
    """Whether `value` differs from `record`'s field `name` (a related record by its key)."""
    model_field = record._meta.get_field(name)
    if model_field.is_relation:
        return getattr(record, model_field.attname) != (value.pk if value is not None else None)
    return getattr(record, name) != value


def _changes(record: models.Model | None, data: dict) -> dict:
    """The values of `data` that `record` does not hold already (all of them for no record)."""
    if record is None:
        return dict(data)
    return {name: value for name, value in data.items() if _differs(record, name, value)}


def _masked_phone(value: str, stored: str) -> str:
    """A phone cell: a masked one (an export's) that masks the stored phone reads as it; any
    other masked one is refused."""
    try:
        return unmask(value, stored=stored or "", mask=mask_phone)
    except ValidationError as exc:
        raise RowRefused("phone", " ".join(exc.messages)) from None


# The savepoint of the row an import is running (a one-item list, None until its first write;
# `GovernanceLedger.writing`), per thread and task.
_row_savepoint: contextvars.ContextVar[list | None] = contextvars.ContextVar(
    "sitegov_row_savepoint", default=None
)


class GovernanceLedger(Ledger):
    """A workbook of site governance whose rows the services write (see the module). Subclasses
    declare the columns and `apply_row`; `field_columns` names the column of each field the
    services may refuse."""

    reveal_permission = REVEAL_PERMISSION
    field_columns: dict[str, str] = {}

    def plan(self, rows: list[Row], *, actor, result: ImportResult) -> list[Row]:
        """Check every row by running it, then roll everything back: the counts and errors go to
        `result`, what each row would create or change to its preview. Returns the rows."""
        with transaction.atomic():
            self.apply(rows, actor=actor, result=result)
            transaction.set_rollback(True)
        return rows

    def commit(self, plan: list[Row], *, actor) -> None:
        """Write the checked rows; a row refused now (the records changed since the check)
        refuses the whole file (ValidationError), and the pipeline writes nothing."""
        result = ImportResult()
        self.apply(plan, actor=actor, result=result)
        if result.errors:
            raise ValidationError(
                [
                    _("Row %(row)s: %(message)s") % {"row": e.row, "message": e.message}
                    if e.row
                    else e.message
                    for e in result.errors[:20]
                ]
            )

    def apply(self, rows: list[Row], *, actor, result: ImportResult) -> None:
        """Run `rows` in order, each in a savepoint of its own, counting them in `result`."""
        context = self.context(rows, actor)
        self.each(
            rows,
            result,
            lambda row: self.apply_row(row, actor=actor, context=context, result=result),
            savepoint=True,
        )

    def writing(self) -> None:
        """Before a row's first write: open its savepoint, so that a row refused after writing
        (a cadre added, then the team refused) leaves nothing, and a row that writes nothing
        costs no query."""
        row = _row_savepoint.get()
        if row is not None and row[0] is None:
            row[0] = transaction.savepoint()

    def each(self, rows: list[Row], result: ImportResult, step, *, savepoint: bool) -> None:
        """Run `step(row)` (CREATED, UPDATED or UNCHANGED) for the valid `rows` in order, in a
        savepoint of its own once it writes (`savepoint`; `writing`), counting the outcomes in
        `result` and a refusal as the row's error."""
        for row in rows:
            if row.invalid:
                continue
            opened = [None]
            token = _row_savepoint.set(opened if savepoint else None)
            try:
                try:
                    outcome = step(row)
                except BaseException:
                    if opened[0] is not None:
                        transaction.savepoint_rollback(opened[0])
                    raise
                finally:
                    _row_savepoint.reset(token)
                if opened[0] is not None:
                    transaction.savepoint_commit(opened[0])
            except RowRefused as exc:
                self._error(result, row, exc.key, exc.message)
            except ValidationError as exc:
                self._refused(result, row, exc)
            except PermissionDenied as exc:
                self._error(result, row, None, str(exc))
            except Http404:
                self._error(result, row, None, _("Not found, or outside your area."))
            except VersionConflict:
                self._error(result, row, None, str(CHANGED_MEANWHILE))
            else:
                setattr(result, outcome, getattr(result, outcome) + 1)

    def context(self, rows: list[Row], actor):
        """What the rows refer to, read once (sites by code, the reference lists …)."""
        return _Lookups(actor, rows)

    def apply_row(self, row: Row, *, actor, context, result: ImportResult) -> str:
        """Write `row` through the services; CREATED, UPDATED or UNCHANGED. Raises RowRefused,
        or what the services raise."""
        raise NotImplementedError

    def _error(self, result: ImportResult, row: Row, key: str | None, message: str) -> None:
        header = self.by_key[key].header if key in self.by_key else None
        result.errors.append(RowError(row.number, header, message))

    def _refused(self, result: ImportResult, row: Row, exc: ValidationError) -> None:
        if hasattr(exc, "error_dict"):
            for name, messages in exc.message_dict.items():
                for message in messages:
                    self._error(result, row, self.field_columns.get(name), message)
        else:
            for message in exc.messages:
                self._error(result, row, None, message)

    def preview(self, result, outcome, label, detail, record, changes: dict, shown: dict):
        """List what a row creates or changes on the check's page: the changed fields by their
        column (`shown`: field → (column key, how a value reads))."""
        if outcome == UNCHANGED or result.preview.full:
            if outcome != UNCHANGED:
                result.preview.more += 1
            return
        fields = []
        for name, value in changes.items():
            if name not in shown:
                continue
            key, text = shown[name]
            old = text(getattr(record, name)) if record is not None else None
            fields.append(field_change(self.by_key[key], old, text(value)))
        result.preview.add("created" if outcome == CREATED else "changed", label, detail, fields)

    def save_row(
        self,
        result,
        record,
        data: dict,
        save,
        *,
        label,
        detail,
        shown: dict,
        new: dict | None = None,
        on_saved=None,
    ) -> str:
        """Write a row's `data` (its cells filled in) to `record` (None: a new one, with `new`
        besides, its holder or cadre) through `save(data=…, version=…)`, the service taking the
        changes only; list it on the check's page (`label`, `detail`, `shown` as `preview`
        takes them); `on_saved(record)` is told of the record written. Returns CREATED, UPDATED,
        or UNCHANGED when the row changes nothing."""
        changes = _changes(record, data)
        if record is None:
            changes.update(new or {})
        elif not changes:
            return UNCHANGED
        self.writing()
        saved = save(data=changes, version=record.version if record else None)
        if on_saved is not None:
            on_saved(saved)
        outcome = CREATED if record is None else UPDATED
        self.preview(result, outcome, label, detail, record, changes, shown)
        return outcome


def _as_is(value):
    return value


def _code_of(site):
    return site.code if site is not None else None


@dataclass
class _Lookups:
    """What a workbook's rows refer to: the sites the actor sees by code (`site`), the
    reference lists, the projects of the actor's area by code; cadres and households are read
    row by row (a row may add a cadre the next one names)."""

    actor: object
    rows: list[Row]
    sites: dict = field(default_factory=dict)
    facilities: list = field(default_factory=list)
    services: list = field(default_factory=list)

    def __post_init__(self):
        codes = set()
        for row in self.rows:
            for key in ("site_code", "provided_by"):
                if row.values.get(key):
                    codes.add(row.values[key])
        if codes:
            self.sites = {
                s.code: s for s in Site.objects.visible_to(self.actor).filter(code__in=codes)
            }
        self.facilities = list(FacilityKind.objects.select_related("region"))
        self.services = list(ServiceKind.objects.select_related("region"))

    def site(self, code: str, key: str = "site_code") -> Site:
        site = self.sites.get(code)
        if site is None:
            raise RowRefused(
                key, _("There is no site with the code %(code)s in your area.") % {"code": code}
            )
        return site


# ---- Facilities and services (十有、十到位) ----------------------------------------------------


class ItemList(models.TextChoices):
    """Which list an item of the facilities and services workbook is on."""

    FACILITY = "facility", gettext_lazy("Facility (十有)")
    SERVICE = "service", gettext_lazy("Service (十到位)")


declare_aliases(
    ItemList,
    {
        ItemList.FACILITY: ("十有", "设施", "十有设施", "配套设施"),
        ItemList.SERVICE: ("十到位", "服务", "十到位服务", "公共服务"),
    },
)

FACILITY_COLUMNS = model_columns(
    [SiteFacility, SiteService],
    [
        Column(
            "site_code",
            "安置区编码",
            required=True,
            holds_key=True,
            max_length=32,
            width=14,
            note="见安置区页面。",
            example="653125001",
        ),
        Column(
            "site_name",
            "安置区名称",
            max_length=100,
            width=20,
            note="可不填，仅便于阅读；按安置区编码导入。",
            example="莎车县幸福安置区",
        ),
        Column(
            "list",
            "类别",
            kind="choice",
            choices=ItemList.choices,
            width=14,
            note="十有（设施）或十到位（服务）；可不填，按项目名称判断。",
            example="十有（设施）",
        ),
        Column(
            "item",
            "项目",
            required=True,
            max_length=40,
            width=16,
            note="十有：党员活动室、业委会办公室、物业中心、卫生室、幼儿园、警务室、文体活动室、"
            "产业就业服务点、便民超市、休闲广场；十到位：党员服务、产业支撑、就业保障、治安联防、"
            "文明创建、议事组织、民调机构、困难帮扶、工作经费；以及本省（地）增列的项目。",
            example="卫生室",
        ),
        Column(
            "state",
            "是否具备（到位）",
            kind="bool",
            width=12,
            note="设施填有/无，服务填是否到位；不填表示不变（新项目为不详）。",
            example="有",
        ),
        Column(
            "since",
            "起始日期",
            kind="date",
            width=14,
            note="设施建成（或撤销）、服务到位之日；不详的不填。不得晚于今天。",
            example=dt.date(2021, 6, 1),
        ),
        Column(
            "area_m2",
            "面积（平方米）",
            kind="decimal",
            width=12,
            note="按面积计的设施；无该设施的不填。",
            example=80,
        ),
        Column(
            "capacity",
            "容量",
            kind="int",
            width=10,
            note="按容量计的设施（幼儿园：学位数）。",
        ),
        Column(
            "provided_by",
            "共享邻近安置区编码",
            holds_key=True,
            max_length=32,
            width=16,
            note="该设施由邻近安置区提供时，填该安置区的编码。",
        ),
        Column(
            "responsible_unit",
            "责任单位",
            max_length=100,
            width=18,
            note="服务的责任单位；设施不填。",
        ),
        Column("note", "备注", max_length=200, width=20),
    ],
)


class FacilityLedger(GovernanceLedger):
    """Facilities and services of the sites (安置区十有十到位): one row per site and item, the
    export listing every item of every site's list, recorded or not, to be filled in."""

    name = "site_facilities"
    title = "安置区十有十到位"
    list_url = "site-governance-list"
    url_name = "sitegov-facilities"
    columns = FACILITY_COLUMNS
    model = Site
    filterset = SiteGovernanceFilterSet
    import_denied = gettext_lazy("Your role may not record the facilities of sites.")
    field_columns = {
        "kind": "item",
        "present": "state",
        "in_place": "state",
        "since": "since",
        "area_m2": "area_m2",
        "capacity": "capacity",
        "provided_by": "provided_by",
        "responsible_unit": "responsible_unit",
        "note": "note",
    }
    notes = [
        "每个安置区的每个项目一行；按安置区编码和项目名称匹配，已登记的项目被修改，未登记的新增。",
        "「是否具备（到位）」填有/无（是/否、√/×）；填「无」的设施，其面积、容量和共享安置区一并清空。",
        "空白单元格表示不变；重复导入同一文件（或导出的文件）不会改变任何记录。",
        "日期可写作 2021-06-01、2021.6.1、2021年6月1日；不得晚于今天。",
    ]

    def may_import(self, user) -> bool:
        return Site.objects.where_may(user, SiteFacility).exists()

    def plan(self, rows: list[Row], *, actor, result: ImportResult) -> services.SiteItemsImport:
        """Check every row against the services' rules in memory (`SiteItemsImport`), counting
        them and listing what they change in `result`: a fixed number of queries however many
        rows. Returns the plan `commit` writes."""
        context = self.context(rows, actor)
        sites = list(context.sites.values())
        items = services.SiteItemsImport(
            actor=actor, sites=sites, visible_sites={s.pk for s in sites}
        )
        self.each(
            rows,
            result,
            lambda row: self.plan_row(row, context=context, items=items, result=result),
            savepoint=False,
        )
        return items

    def commit(self, plan: services.SiteItemsImport, *, actor) -> None:
        plan.commit()

    def plan_row(self, row, *, context, items, result) -> str:
        v = row.values
        site = context.site(v["site_code"])
        kind, is_facility = self._item(context, site, v["list"], v["item"])
        model = SiteFacility if is_facility else SiteService
        record = items.record(model, site, kind)
        state = "present" if is_facility else "in_place"
        data = self._facility_data(v, context, record) if is_facility else self._service_data(v)
        changes = _changes(record, data)
        if not changes:
            return UNCHANGED
        before = copy.copy(record)  # as read, for the preview's old values
        items.apply(model, site=site, kind=kind, data=changes)
        outcome = CREATED if record is None else UPDATED
        self.preview(
            result,
            outcome,
            f"{site.name}（{site.code}）",
            kind.name,
            before,
            changes,
            {
                state: ("state", _as_is),
                "since": ("since", _as_is),
                "area_m2": ("area_m2", _as_is),
                "capacity": ("capacity", _as_is),
                "provided_by": ("provided_by", _code_of),
                "responsible_unit": ("responsible_unit", _as_is),
                "note": ("note", _as_is),
            },
        )
        return outcome

    def _common(self, v: dict, state: str) -> dict:
        """The cells a facility and a service share, those filled in (a blank leaves a value)."""
        data = {state: v["state"]} if v["state"] is not None else {}
        for name in ("since", "note"):
            if v[name] not in (None, ""):
                data[name] = v[name]
        return data

    def _facility_data(self, v: dict, context, record) -> dict:
        """What a facility's row records; a facility marked absent (or not known) drops its
        size and provider, which only a facility present has."""
        if v["responsible_unit"]:
            raise RowRefused(
                "responsible_unit", _("A facility has no responsible unit: leave this blank.")
            )
        data = self._common(v, "present")
        for name in ("area_m2", "capacity"):
            if v[name] is not None:
                data[name] = v[name]
        if v["provided_by"]:
            data["provided_by"] = context.site(v["provided_by"], "provided_by")
        present = data.get("present", record.present if record else None)
        if present is not True and record is not None:
            for name in ("area_m2", "capacity", "provided_by"):
                if name not in data and getattr(record, name) is not None:
                    data[name] = None
        return data

    def _service_data(self, v: dict) -> dict:
        """What a service's row records; the facilities' columns stay blank."""
        for key in ("area_m2", "capacity", "provided_by"):
            if v[key] not in (None, ""):
                raise RowRefused(
                    key,
                    _("A service has no %(column)s: leave this blank.")
                    % {"column": self.by_key[key].header},
                )
        data = self._common(v, "in_place")
        if v["responsible_unit"]:
            data["responsible_unit"] = v["responsible_unit"]
        return data

    def _item(self, context, site: Site, chosen: str | None, name: str):
        """The item of `site`'s lists named `name` (on the list `chosen`, when given), and
        whether it is a facility; RowRefused naming the list's items otherwise."""
        lists = []
        if chosen in (None, ItemList.FACILITY):
            lists.append((context.facilities, True))
        if chosen in (None, ItemList.SERVICE):
            lists.append((context.services, False))
        found = [
            (kind, is_facility)
            for kinds, is_facility in lists
            for kind in kinds
            if kind.name == name and kind.applies_to(site)
        ]
        if len(found) == 1:
            return found[0]
        if len(found) > 1:
            raise RowRefused("list", _("%(name)s is on both lists: fill in 类别.") % {"name": name})
        names = "、".join(k.name for kinds, _facility in lists for k in kinds if k.applies_to(site))
        raise RowRefused(
            "item",
            _("%(name)s is not an item of %(site)s's list; choose one of: %(names)s.")
            % {"name": name, "site": site.name, "names": names},
        )

    def export_from(self, sites):
        return (
            sites.select_related("county")
            .prefetch_related(
                Prefetch("facilities", queryset=SiteFacility.objects.select_related("provided_by")),
                "services",
            )
            .order_by("county_id", "code")
        )

    def export_rows(self, query, *, reveal: bool):
        facilities = list(FacilityKind.objects.select_related("region"))
        services_list = list(ServiceKind.objects.select_related("region"))
        render = {c.key: c.renderer() for c in self.columns}
        keys = [c.key for c in self.columns]
        for site in query.iterator(chunk_size=200):
            facility_records = {r.kind_id: r for r in site.facilities.all()}
            service_records = {r.kind_id: r for r in site.services.all()}
            for kinds, records, listed in (
                (facilities, facility_records, ItemList.FACILITY),
                (services_list, service_records, ItemList.SERVICE),
            ):
                for kind in kinds:
                    if not kind.applies_to(site):
                        continue
                    record = records.get(kind.pk)
                    values = dict.fromkeys(keys)
                    values.update(site_code=site.code, site_name=site.name, list=listed)
                    values["item"] = kind.name
                    if record is not None:
                        is_facility = listed == ItemList.FACILITY
                        values["state"] = record.present if is_facility else record.in_place
                        values["since"] = record.since
                        values["note"] = record.note
                        if is_facility:
                            values["area_m2"] = record.area_m2
                            values["capacity"] = record.capacity
                            values["provided_by"] = _code_of(record.provided_by)
                        else:
                            values["responsible_unit"] = record.responsible_unit
                    yield [render[key](values[key]) for key in keys]


# ---- Staffing (一点一队、包保、网格) ---------------------------------------------------------------


class StaffRole(models.TextChoices):
    """The roles of the staffing workbook: a place in the work team, the leader answering for
    the site, a grid role."""

    FIRST_SECRETARY = "first_secretary", gettext_lazy("First secretary")
    MEMBER = "member", gettext_lazy("Team member")
    LEADER = "leader", gettext_lazy("Leader answering for the site (包保)")
    SITE_HEAD = "site_head", gettext_lazy("Site head")
    AREA_HEAD = "area_head", gettext_lazy("Area head")
    BUILDING_HEAD = "building_head", gettext_lazy("Building head")


declare_aliases(
    StaffRole,
    {
        StaffRole.FIRST_SECRETARY: ("第一书记", "驻村第一书记", "第一书记（队长）", "队长"),
        StaffRole.MEMBER: ("队员", "工作队员", "驻村队员"),
        StaffRole.LEADER: ("包保领导", "包保县领导", "包保责任人", "包保"),
        StaffRole.SITE_HEAD: ("安置点长", "点长"),
        StaffRole.AREA_HEAD: ("片长", "片区长"),
        StaffRole.BUILDING_HEAD: ("楼栋长", "栋长", "楼长"),
    },
)
TEAM_ROLES = {StaffRole.FIRST_SECRETARY: "first_secretary", StaffRole.MEMBER: "member"}
GRID_ROLES = {
    StaffRole.SITE_HEAD: "site_head",
    StaffRole.AREA_HEAD: "area_head",
    StaffRole.BUILDING_HEAD: "building_head",
}

STAFFING_COLUMNS = model_columns(
    [TeamMember, SiteLeader],
    [
        Column(
            "site_code",
            "安置区编码",
            required=True,
            holds_key=True,
            max_length=32,
            width=14,
            example="653125001",
        ),
        Column("site_name", "安置区名称", max_length=100, width=20, note="可不填，仅便于阅读。"),
        Column(
            "role",
            "角色",
            kind="choice",
            choices=StaffRole.choices,
            required=True,
            width=14,
            note="第一书记、工作队员、包保领导、安置点长、片长、楼栋长；一人担任多个角色的，每个角色一行。",
            example="第一书记",
        ),
        Column("name", "姓名", required=True, max_length=64, width=10, example="王建国"),
        Column(
            "id_number",
            "身份证号",
            kind="id_number",
            width=22,
            note="网格员由搬迁群众担任的，填其身份证号（须已在搬迁户台账登记）；干部本人是搬迁群众的也可填。",
        ),
        Column("post", "职务", max_length=100, width=16, example="县发改局副局长"),
        Column("rank", "职级", kind="choice", choices=choices.Rank.choices, example="正科"),
        Column("unit", "工作单位", max_length=100, width=18, example="县发改局"),
        Column("phone", "联系电话", kind="phone", max_length=20, width=14, example="13912345678"),
        Column("sent_by", "派出单位", max_length=100, width=16, note="工作队员填写。"),
        Column(
            "position",
            "包保领导岗位",
            kind="choice",
            choices=choices.LeaderPosition.choices,
            width=14,
            note="包保领导填写：县委书记、县长、副县级领导或其他。",
        ),
        Column("area", "片区或楼栋", max_length=64, width=12, note="片长、楼栋长填写。"),
        Column(
            "start_date",
            "开始日期",
            kind="date",
            width=14,
            note="工作队员、包保领导必填：到岗（开始包保）之日。",
            example=dt.date(2023, 5, 1),
        ),
        Column("end_date", "结束日期", kind="date", width=14, note="离岗之日；仍在岗的不填。"),
        Column("note", "备注", max_length=200, width=20),
    ],
)


class _StaffingRecords(_Lookups):
    """What a staffing sheet's rows refer to, read once besides the sites: the cadres of the
    sheet's names kept by the sites' counties and the regions above them (all of them, to tell
    whether a row means one on record), the ids of those the actor sees (`seen`), the
    team members, leaders and grid roles of the sheet's sites, the registered persons of its ID
    numbers. Kept as the rows write them (`keep`), and put back as they were when a row is
    refused (`begin_row`, `restore`)."""

    def __post_init__(self):
        super().__post_init__()
        valid = [r.values for r in self.rows if not r.invalid]
        names = {v["name"] for v in valid if v.get("name")}
        regions = {code for s in self.sites.values() for code in ancestors(s.county_id)}
        self.cadres = defaultdict(list)
        self.seen: set[int] = set()
        if names and regions:
            of_names = Cadre.objects.filter(region_id__in=regions, name__in=names)
            for cadre in of_names.select_related("person").order_by("id"):
                self.cadres[cadre.name].append(cadre)
            self.seen = set(of_names.visible_to(self.actor).values_list("pk", flat=True))
        ids = [s.pk for s in self.sites.values()]
        self.records = defaultdict(list)
        for model, query in (
            (TeamMember, TeamMember.objects.all()),
            (SiteLeader, SiteLeader.objects.all()),
            (GridRole, GridRole.objects.select_related("person")),
        ):
            for record in query.filter(site_id__in=ids).order_by("id"):
                self.records[model, record.site_id].append(record)
        numbers = {
            v["id_number"] for v in valid if v.get("id_number") and "*" not in v["id_number"]
        }
        self.persons = (
            {
                p.id_number: p
                for p in Person.objects.visible_to(self.actor).filter(
                    id_number__in=numbers, status=PersonStatus.ACTIVE
                )
            }
            if numbers
            else {}
        )
        self._before: dict = {}
        self.covered_until = latechanges.covered_until()

    def begin_row(self) -> None:
        self._before = {}

    def known(self) -> services.Known:
        """What the services' rules would read again for a row (`services.Known`), as the sheet
        holds it now."""
        return services.Known(
            cadres={c.pk: c for held in self.cadres.values() for c in held if c.pk in self.seen},
            records=self.records,
            covered_until=self.covered_until,
            covered_read=True,
        )

    def keep(self, store: dict, key, record) -> None:
        """Hold `record`, written by the row, in `store[key]` (in place of the one it changed)."""
        held = store[key]
        self._before.setdefault((id(store), key), (store, key, list(held)))
        for i, other in enumerate(held):
            if other.pk == record.pk:
                held[i] = record
                return
        held.append(record)

    def restore(self) -> None:
        for store, key, held in self._before.values():
            store[key] = held
        self._before = {}


class StaffingLedger(GovernanceLedger):
    """Who runs the sites (安置区工作力量): the work teams' first secretaries and members, the
    leaders answering for the sites and the grid roles, one row per role held. A cadre is found
    by name (and phone, where two share a name) among the cadres of the site's county and the
    regions above it, and added for the county when there is none."""

    name = "site_staffing"
    title = "安置区工作力量"
    list_url = "site-governance-list"
    url_name = "sitegov-staffing"
    columns = STAFFING_COLUMNS
    model = Site
    filterset = SiteGovernanceFilterSet
    import_denied = gettext_lazy("Your role may not record who runs the sites.")
    field_columns = {
        "cadre": "name",
        "name": "name",
        "person": "id_number",
        "role": "role",
        "post": "post",
        "rank": "rank",
        "unit": "unit",
        "phone": "phone",
        "sent_by": "sent_by",
        "position": "position",
        "area": "area",
        "start_date": "start_date",
        "end_date": "end_date",
        "note": "note",
        "region": "site_code",
    }
    notes = [
        "每人每个角色一行。干部按姓名在安置区所在县（及上级）的干部中查找，同名的按联系电话区分"
        "（双方电话都已填写且不同的视为另一人）；找不到的按所在县新增干部。",
        "工作队员、包保领导按干部和开始日期匹配；网格员按角色、片区或楼栋和担任人匹配。",
        "空白单元格表示不变；重复导入同一文件（或导出的文件）不会改变任何记录。",
        "一个安置区同一时间只能有一名第一书记；同一干部不能在同一安置区重复登记重叠的任期。",
    ]

    def may_import(self, user) -> bool:
        return Site.objects.where_may(user, GridRole).exists()

    def context(self, rows: list[Row], actor) -> _StaffingRecords:
        return _StaffingRecords(actor, rows)

    def apply_row(self, row, *, actor, context, result) -> str:
        context.begin_row()
        try:
            return self._apply_role(row, context, actor=actor, result=result)
        except BaseException:
            context.restore()
            raise

    def _apply_role(self, row, context, *, actor, result) -> str:
        v = row.values
        site = context.site(v["site_code"])
        role = v["role"]
        if role in GRID_ROLES:
            return self._grid_role(row, site, context, actor=actor, result=result)
        cadre, cadre_outcome = self._cadre(row, site, context, actor=actor, result=result)
        if role in TEAM_ROLES:
            model, service, name = TeamMember, services.team_member_save, "member"
            data = {"role": TEAM_ROLES[role], "sent_by": v["sent_by"]}
        else:
            model, service, name = SiteLeader, services.site_leader_save, "leader"
            data = {"position": v["position"]}
        data.update(start_date=v["start_date"], end_date=v["end_date"], note=v["note"])
        data = {k: val for k, val in data.items() if val not in (None, "")}
        records = sorted(
            (r for r in context.records[model, site.pk] if r.cadre_id == cadre.pk),
            key=lambda r: r.start_date,
            reverse=True,
        )
        if v["start_date"] is not None:
            record = next((r for r in records if r.start_date == v["start_date"]), None)
        else:
            record = next((r for r in records if r.end_date is None), None)
        if record is None and model is SiteLeader and not v["position"]:
            raise RowRefused(
                "position",
                _("Fill in the leader's post: %(posts)s.")
                % {"posts": "、".join(str(label) for label in choices.LeaderPosition.labels)},
            )
        outcome = self.save_row(
            result,
            record,
            data,
            lambda **write: service(
                actor=actor, site=site, **{name: record}, known=context.known(), **write
            ),
            label=f"{site.name}（{site.code}）",
            detail=f"{cadre.name} · {StaffRole(role).label}",
            shown={
                "sent_by": ("sent_by", _as_is),
                "position": ("position", _as_is),
                "start_date": ("start_date", _as_is),
                "end_date": ("end_date", _as_is),
                "note": ("note", _as_is),
            },
            new={"cadre": cadre},
            on_saved=lambda saved: context.keep(context.records, (model, site.pk), saved),
        )
        return cadre_outcome if outcome == UNCHANGED else outcome

    def _cadre(
        self, row, site: Site, context, *, actor, result, roles: list | None = None
    ) -> tuple[Cadre, str]:
        """The cadre the row names (found, changed by the row's cells, or added for the site's
        county) and whether the row created or changed them: the one `services.cadre_on_record`
        finds, as a form finds them. The row's phone is the cadre's unless the row is a grid
        role's (`roles`, the site's roles of the row's kind and area: the phone is the role's,
        and a cadre added is named for the site, as its operator may, with the role's phone as
        the form adds them)."""
        grid = roles is not None
        v = row.values
        typed = v["phone"]
        named = context.cadres[v["name"]]
        # The row's role (kind and area) held at the site by a cadre of the name: theirs, whatever
        # the phone (the role's, which the row may change).
        holding = {r.cadre_id for r in roles or ()}
        cadre = next((c for c in named if c.pk in holding), None)
        if cadre is None:
            cadre = services.cadre_on_record(
                actor, site, v["name"], typed, named=named, seen=context.seen
            )
        data = {}
        for name in ("post", "unit", "rank"):
            if v[name]:
                data[name] = v[name]
        if typed and (cadre is None or not grid):
            data["phone"] = _masked_phone(typed, cadre.phone if cadre else "")
        if v["id_number"]:
            data["person"] = self._person(v["id_number"], cadre.person if cadre else None, context)
        if cadre is None:
            data.update(name=v["name"], region=site.county, site=site if grid else None)
            self.writing()
            cadre = services.cadre_save(actor=actor, data=data)
            context.keep(context.cadres, cadre.name, cadre)
            context.seen.add(cadre.pk)
            self.preview(
                result,
                CREATED,
                v["name"],
                _("cadre"),
                None,
                data,
                {n: (n, _as_is) for n in ("post", "unit", "rank", "phone")},
            )
            return cadre, CREATED
        changes = _changes(cadre, data)
        if not changes:
            return cadre, UNCHANGED
        self.writing()
        cadre = services.cadre_save(actor=actor, data=changes, cadre=cadre, version=cadre.version)
        context.keep(context.cadres, cadre.name, cadre)
        return cadre, UPDATED

    def _person(self, number: str, stored: Person | None, context) -> Person:
        """The registered person of an ID number cell: a masked one (an export's) that masks
        the person already recorded reads as them."""
        if "*" in number:
            if stored is not None and mask_id_number(stored.id_number) == number:
                return stored
            raise RowRefused(
                "id_number",
                _("Type the whole number: a value with * is a masked one and cannot be saved."),
            )
        person = context.persons.get(number)
        if person is None:
            raise RowRefused(
                "id_number",
                _("No registered person with the ID number %(number)s in your area.")
                % {"number": number},
            )
        return person

    def _grid_role(self, row, site: Site, context, *, actor, result) -> str:
        """A grid role: held by the resident of the row's ID number, or by the cadre named."""
        v = row.values
        kind = GRID_ROLES[v["role"]]
        records = [
            r
            for r in context.records[GridRole, site.pk]
            if r.role == kind and r.area == (v["area"] or "")
        ]
        if v["id_number"]:
            same = [
                r
                for r in records
                if r.person_id is not None
                and (
                    r.person.id_number == v["id_number"]
                    or mask_id_number(r.person.id_number) == v["id_number"]
                )
            ]
            record = same[0] if same else None
            person = self._person(v["id_number"], record.person if record else None, context)
            holder = {"person": person, "cadre": None}
            cadre_outcome = UNCHANGED
        else:
            cadre, cadre_outcome = self._cadre(
                row, site, context, actor=actor, result=result, roles=records
            )
            record = next((r for r in records if r.cadre_id == cadre.pk), None)
            holder = {"person": None, "cadre": cadre}
        data = {"role": kind, "area": v["area"] or ""}
        if v["phone"]:
            data["phone"] = _masked_phone(v["phone"], record.phone if record else "")
        if v["note"]:
            data["note"] = v["note"]
        # The holder by their registered name, whatever the row's 姓名 says of a resident.
        holder_name = (holder["person"] or holder["cadre"]).name
        outcome = self.save_row(
            result,
            record,
            data,
            lambda **write: services.grid_role_save(
                actor=actor, site=site, role=record, known=context.known(), **write
            ),
            label=f"{site.name}（{site.code}）",
            detail=f"{holder_name} · {StaffRole(v['role']).label} {v['area'] or ''}".strip(),
            shown={"area": ("area", _as_is), "phone": ("phone", _as_is), "note": ("note", _as_is)},
            new=holder,
            on_saved=lambda saved: context.keep(context.records, (GridRole, site.pk), saved),
        )
        return cadre_outcome if outcome == UNCHANGED else outcome

    def export_from(self, sites):
        cadre = Prefetch("cadre", queryset=Cadre.objects.select_related("person"))
        return sites.prefetch_related(
            Prefetch(
                "team_members",
                queryset=TeamMember.objects.prefetch_related(cadre).order_by(
                    "role", "start_date", "id"
                ),
            ),
            Prefetch(
                "leaders",
                queryset=SiteLeader.objects.prefetch_related(cadre).order_by("start_date", "id"),
            ),
            Prefetch(
                "grid_roles",
                queryset=GridRole.objects.select_related("person").prefetch_related(cadre),
            ),
        ).order_by("county_id", "code")

    def export_rows(self, query, *, reveal: bool):
        render = {c.key: c.renderer() for c in self.columns}
        keys = [c.key for c in self.columns]

        def phone(value):
            return value if reveal else mask_phone(value)

        def number(person):
            if person is None:
                return None
            return person.id_number if reveal else mask_id_number(person.id_number)

        def of_cadre(cadre) -> dict:
            return {
                "name": cadre.name,
                "post": cadre.post,
                "rank": cadre.rank,
                "unit": cadre.unit,
                "phone": phone(cadre.phone),
                "id_number": number(cadre.person),
            }

        for site in query.iterator(chunk_size=200):
            base = {"site_code": site.code, "site_name": site.name}
            rows = []
            for member in site.team_members.all():
                rows.append(
                    {
                        **of_cadre(member.cadre),
                        "role": member.role,
                        "sent_by": member.sent_by,
                        "start_date": member.start_date,
                        "end_date": member.end_date,
                        "note": member.note,
                    }
                )
            for leader in site.leaders.all():
                rows.append(
                    {
                        **of_cadre(leader.cadre),
                        "role": StaffRole.LEADER,
                        "position": leader.position,
                        "start_date": leader.start_date,
                        "end_date": leader.end_date,
                        "note": leader.note,
                    }
                )
            for grid in site.grid_roles.all():
                holder = (
                    {"name": grid.person.name, "id_number": number(grid.person)}
                    if grid.person_id
                    else {**of_cadre(grid.cadre)}
                )
                rows.append(
                    {
                        **holder,
                        "role": grid.role,
                        "area": grid.area,
                        "phone": phone(grid.phone),
                        "note": grid.note,
                    }
                )
            for values in rows:
                full = {**dict.fromkeys(keys), **base, **values}
                yield [render[key](full[key]) for key in keys]


# ---- The greenhouse ledger (一户一棚) -------------------------------------------------------------

GREENHOUSE_COLUMNS = model_columns(
    [FarmingWish, Greenhouse],
    [
        Column(
            "household_no",
            "户编号",
            holds_key=True,
            max_length=32,
            width=16,
            note="或填户内任一在册成员的身份证号。",
            example="653125001-0001",
        ),
        Column(
            "id_number",
            "身份证号",
            kind="id_number",
            width=22,
            note="户内任一在册成员；填了户编号的可不填。",
        ),
        Column("head_name", "户主姓名", max_length=64, width=10, note="可不填，仅便于阅读。"),
        Column("site_name", "安置区", max_length=100, width=18, note="可不填，仅便于阅读。"),
        Column(
            "since",
            "有意愿日期",
            kind="date",
            width=14,
            note="该户表示有意愿发展特色种植之日；不详的不填。",
            example=dt.date(2023, 3, 1),
        ),
        Column("wish_crop", "意愿产业", max_length=64, width=12, example="设施蔬菜"),
        Column(
            "withdrawn_on",
            "退出日期",
            kind="date",
            width=14,
            note="该户不再有意愿之日；仍有意愿的不填。",
        ),
        Column("number", "大棚编号", max_length=32, width=10, example="A-01"),
        Column(
            "area_mu",
            "大棚面积（亩）",
            kind="decimal",
            width=12,
            note="已分配大棚的填写，约1亩。",
            example=1,
        ),
        Column("crop", "种植产业", max_length=64, width=12, note="一棚一业。", example="西红柿"),
        Column(
            "project_code",
            "项目编码",
            holds_key=True,
            max_length=32,
            width=14,
            note="大棚所属的产业项目（本县）；可不填。",
        ),
        Column("allotted_on", "分配日期", kind="date", width=14),
        Column(
            "ended_on", "收回日期", kind="date", width=14, note="大棚收回之日；仍在使用的不填。"
        ),
    ],
)
GREENHOUSE_KEYS = ("number", "area_mu", "crop", "project_code", "allotted_on", "ended_on")


@dataclass
class _GreenhouseRecords:
    """What a greenhouse sheet's rows refer to, read once: the households the actor sees, by
    number and by a registered member's ID number (with their head's name), their wishes and
    greenhouses (kept as the rows write them), the projects by code."""

    by_no: dict
    by_id: dict
    wishes: dict
    greenhouses: dict
    projects: dict
    known: services.Known = None

    @classmethod
    def read(cls, rows: list[Row], actor) -> _GreenhouseRecords:
        valid = [r.values for r in rows if not r.invalid]
        numbers = {v["household_no"] for v in valid if v.get("household_no")}
        ids = {v["id_number"] for v in valid if v.get("id_number") and "*" not in v["id_number"]}
        codes = {v["project_code"] for v in valid if v.get("project_code")}
        members = (
            list(
                Person.objects.filter(id_number__in=ids, status=PersonStatus.ACTIVE).values_list(
                    "id_number", "household_id"
                )
            )
            if ids
            else []
        )
        area = with_head(Household.objects.visible_to(actor).select_related("site"))
        chosen = Q(household_no__in=numbers) | Q(pk__in={h for _n, h in members})
        households = {h.pk: h for h in area.filter(chosen)} if numbers or members else {}
        wishes, greenhouses = defaultdict(list), defaultdict(list)
        for wish in FarmingWish.objects.filter(household_id__in=households).order_by("-id"):
            wishes[wish.household_id].append(wish)
        for greenhouse in Greenhouse.objects.filter(household_id__in=households).order_by("id"):
            greenhouses[greenhouse.household_id].append(greenhouse)
        projects = (
            {p.code: p for p in IndustryProject.objects.visible_to(actor).filter(code__in=codes)}
            if codes
            else {}
        )
        return cls(
            by_no={h.household_no: h for h in households.values()},
            by_id={n: households[h] for n, h in members if h in households},
            wishes=wishes,
            greenhouses=greenhouses,
            projects=projects,
        )

    def __post_init__(self):
        # What greenhouse_save's rules read (the wishes, the projects), held here for them.
        self.known = services.Known(
            wishes=self.wishes, projects={p.pk: p for p in self.projects.values()}
        ).read_covered()

    def kept(self, records: dict, household_id: int):
        """A function that keeps a record written for the household in `records` (newest
        first for wishes, as read)."""

        def keep(record) -> None:
            held = records[household_id]
            for i, other in enumerate(held):
                if other.pk == record.pk:
                    held[i] = record
                    return
            if records is self.wishes:
                held.insert(0, record)
            else:
                held.append(record)

        return keep

    def saved_state(self, household_id: int) -> tuple[list, list]:
        return list(self.wishes[household_id]), list(self.greenhouses[household_id])

    def restore(self, household_id: int, state: tuple[list, list]) -> None:
        """Forget what a refused row wrote for the household (its savepoint is rolled back)."""
        self.wishes[household_id], self.greenhouses[household_id] = state


class GreenhouseLedger(GovernanceLedger):
    """The greenhouse ledger (一户一棚台账): the households willing to farm and the greenhouses
    allotted to them, one row per household and greenhouse (a household without a greenhouse
    on one row)."""

    name = "greenhouses"
    title = "一户一棚台账"
    list_url = "greenhouse-ledger"
    url_name = "sitegov-greenhouses"
    columns = GREENHOUSE_COLUMNS
    model = FarmingWish
    filterset = FarmingWishFilterSet
    import_denied = gettext_lazy("Your role may not record the greenhouse ledger.")
    field_columns = {
        "household": "household_no",
        "since": "since",
        "withdrawn_on": "withdrawn_on",
        "number": "number",
        "area_mu": "area_mu",
        "crop": "crop",
        "project": "project_code",
        "allotted_on": "allotted_on",
        "ended_on": "ended_on",
    }
    notes = [
        "每户一行；分到多个大棚的，每个大棚一行（户的信息重复填写）。按户编号或身份证号找到户。",
        "该户的意愿按有意愿日期匹配（不填的为该户当前的意愿）；大棚按大棚编号匹配。",
        "须先登记意愿，才能分配大棚；大棚所属项目须为该户所在县的项目。",
        "空白单元格表示不变；重复导入同一文件（或导出的文件）不会改变任何记录。",
    ]

    def may_import(self, user) -> bool:
        return Site.objects.where_may(user, FarmingWish).exists()

    def context(self, rows: list[Row], actor) -> _GreenhouseRecords:
        return _GreenhouseRecords.read(rows, actor)

    def apply_row(self, row, *, actor, context, result) -> str:
        household = self._household(row.values, context)
        state = context.saved_state(household.pk)
        try:
            return self._apply_household(row.values, household, context, actor=actor, result=result)
        except BaseException:
            context.restore(household.pk, state)
            raise

    def _apply_household(self, v: dict, household: Household, context, *, actor, result) -> str:
        wishes = context.wishes[household.pk]
        if v["since"] is not None:
            wish = next((w for w in wishes if w.since == v["since"]), None)
        else:
            wish = next((w for w in wishes if w.withdrawn_on is None), None) or (
                wishes[0] if len(wishes) == 1 else None
            )
        data = {
            k: val
            for k, val in (
                ("since", v["since"]),
                ("crop", v["wish_crop"]),
                ("withdrawn_on", v["withdrawn_on"]),
            )
            if val not in (None, "")
        }
        label = f"{household.household_no} {household.head_name or ''}".strip()
        outcomes = [
            self.save_row(
                result,
                wish,
                data,
                lambda **write: services.farming_wish_save(
                    actor=actor, household=household, wish=wish, known=context.known, **write
                ),
                label=label,
                detail=_("willing to farm"),
                shown={
                    "since": ("since", _as_is),
                    "crop": ("wish_crop", _as_is),
                    "withdrawn_on": ("withdrawn_on", _as_is),
                },
                on_saved=context.kept(context.wishes, household.pk),
            )
        ]
        if any(v[key] not in (None, "") for key in GREENHOUSE_KEYS):
            outcomes.append(
                self._greenhouse(v, household, label, context, actor=actor, result=result)
            )
        if CREATED in outcomes:
            return CREATED
        return UPDATED if UPDATED in outcomes else UNCHANGED

    def _household(self, v: dict, context) -> Household:
        """The household of the row: by its number, or a registered member's ID number (both:
        they must agree)."""
        by_no = by_id = None
        if v["household_no"]:
            by_no = context.by_no.get(v["household_no"])
            if by_no is None:
                raise RowRefused(
                    "household_no",
                    _("No household numbered %(no)s in your area.") % {"no": v["household_no"]},
                )
        number = v["id_number"]
        if number and "*" not in number:
            by_id = context.by_id.get(number)
            if by_id is None:
                raise RowRefused(
                    "id_number",
                    _("No registered person with the ID number %(number)s in your area.")
                    % {"number": number},
                )
        if by_no is not None and by_id is not None and by_no.pk != by_id.pk:
            raise RowRefused(
                "id_number",
                _("The ID number is of a member of household %(other)s, not of %(no)s.")
                % {"other": by_id.household_no, "no": by_no.household_no},
            )
        household = by_no or by_id
        if household is None:
            raise RowRefused(
                "household_no", _("Fill in the household number, or a member's ID number.")
            )
        return household

    def _greenhouse(
        self, v: dict, household: Household, label: str, context, *, actor, result
    ) -> str:
        greenhouses = context.greenhouses[household.pk]
        if v["number"]:
            record = next((g for g in greenhouses if g.number == v["number"]), None)
        else:
            unnumbered = [g for g in greenhouses if g.number == ""]
            if len(unnumbered) > 1:
                raise RowRefused(
                    "number",
                    _(
                        "Household %(no)s has several greenhouses without a number: fill in the "
                        "number of the one you mean."
                    )
                    % {"no": household.household_no},
                )
            record = unnumbered[0] if unnumbered else None
        data = {
            k: v[k]
            for k in ("number", "area_mu", "crop", "allotted_on", "ended_on")
            if v[k] not in (None, "")
        }
        if v["project_code"]:
            project = context.projects.get(v["project_code"])
            if project is None:
                raise RowRefused(
                    "project_code",
                    _("There is no project with the code %(code)s in your area.")
                    % {"code": v["project_code"]},
                )
            data["project"] = project
        return self.save_row(
            result,
            record,
            data,
            lambda **write: services.greenhouse_save(
                actor=actor, household=household, greenhouse=record, known=context.known, **write
            ),
            label=label,
            detail=_("greenhouse %(number)s") % {"number": v["number"] or ""},
            on_saved=context.kept(context.greenhouses, household.pk),
            shown={
                "area_mu": ("area_mu", _as_is),
                "crop": ("crop", _as_is),
                "project": ("project_code", lambda p: p.code if p else None),
                "allotted_on": ("allotted_on", _as_is),
                "ended_on": ("ended_on", _as_is),
            },
        )

    def export_from(self, wishes):
        return with_head(
            wishes.select_related("household__site").prefetch_related(
                Prefetch(
                    "household__greenhouses",
                    queryset=Greenhouse.objects.select_related("project").order_by("number", "id"),
                )
            ),
            "household_id",
        ).order_by("household__site__code", "household__household_no", "id")

    def export_rows(self, query, *, reveal: bool):
        render = {c.key: c.renderer() for c in self.columns}
        keys = [c.key for c in self.columns]
        for wish in query.iterator(chunk_size=500):
            household = wish.household
            base = {
                **dict.fromkeys(keys),
                "household_no": household.household_no,
                "head_name": wish.head_name,
                "site_name": household.site.name,
                "since": wish.since,
                "wish_crop": wish.crop,
                "withdrawn_on": wish.withdrawn_on,
            }
            greenhouses: Iterable = household.greenhouses.all() or [None]
            for greenhouse in greenhouses:
                values = dict(base)
                if greenhouse is not None:
                    values.update(
                        number=greenhouse.number,
                        area_mu=greenhouse.area_mu,
                        crop=greenhouse.crop,
                        project_code=greenhouse.project.code if greenhouse.project else None,
                        allotted_on=greenhouse.allotted_on,
                        ended_on=greenhouse.ended_on,
                    )
                yield [render[key](values[key]) for key in keys]


FACILITY_LEDGER = register(FacilityLedger())
STAFFING_LEDGER = register(StaffingLedger())
GREENHOUSE_LEDGER = register(GreenhouseLedger())
