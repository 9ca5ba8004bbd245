"""The household ledger's workbook (搬迁户台账): one row per person, the household's fields
repeated on each member's row and grouped by 户编号. Import checks every row against the registry
in a few queries (no query per row) and writes through `services.household_import_commit`."""

from __future__ import annotations

import datetime as dt
import functools
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Case, DateField, F, Value, When
from django.db.models.base import ModelState
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households import choices
from households.models import REVEAL_PERMISSION, Household, Person, Site
from households.services import (
    STEP_FIELDS,
    apply_person_status,
    dated_facts,
    dates_of,
    default_registered_on,
    head_rule,
    household_steps_apply,
    id_number_taken,
)
from resettle import latechanges
from resettle.excel import (
    Column,
    ImportResult,
    Ledger,
    Row,
    RowError,
    chunks,
    model_columns,
    register,
)
from resettle.idcard import describe, with_check_char
from resettle.masking import MASKED_INPUT, mask_id_number, mask_phone, unmask

STEP_DATE_NOTE = "完成的日期。填了日期即视为已完成；已完成而日期不详的留空，记为自导入之日起完成并标注「日期不详」。"

HOUSEHOLD_COLUMNS = [
    Column(
        "household_no",
        "户编号",
        required=True,
        holds_key=True,
        max_length=32,
        width=16,
        note="每户唯一的编号。同一户的每名成员各占一行，户编号相同；按户编号匹配已有户。",
        example="6531250010001",
    ),
    Column(
        "site_code",
        "安置区编码",
        group_required=True,
        holds_key=True,
        max_length=32,
        width=14,
        note="安置区（安置点）的编码，须在您可填报的范围内；见系统「安置区」页面。",
        example="653125001",
    ),
    Column(
        "dwelling",
        "楼栋单元门牌",
        max_length=64,
        width=16,
        note="如 3栋2单元501。",
        example="3栋2单元501",
    ),
    Column(
        "category",
        "搬迁类型",
        kind="choice",
        choices=choices.HouseholdCategory.choices,
        group_required=True,
        width=16,
        example="建档立卡搬迁户",
    ),
    Column(
        "poverty_status",
        "贫困户属性",
        kind="choice",
        choices=choices.PovertyStatus.choices,
        width=12,
        note="脱贫户，或一般户（非建档立卡户，如同步搬迁户）。不清楚的留空，记为不详。",
        example="脱贫户",
    ),
    Column(
        "origin_region_code",
        "迁出地区划代码",
        kind="code",
        max_length=12,
        width=16,
        note="迁出地的县（6位）、乡镇（9位）或村（12位）统计用区划代码。",
        example="653125203",
    ),
    Column("origin_address", "迁出地详细地址", max_length=200, width=24, example="某乡某村3组"),
    Column(
        "relocation_year",
        "搬迁年度",
        kind="int",
        width=10,
        note="搬迁的年份，四位数字，如 2018。",
        example=2018,
    ),
    Column(
        "move_in_date",
        "入住日期",
        kind="date",
        width=12,
        note="可填日期格式，或 2019-05-01、2019/5/1、2019年5月1日。",
        example=dt.date(2019, 5, 1),
    ),
    Column("old_house_demolished", "旧房是否拆除", kind="bool", width=12, example="是"),
    Column(
        "old_house_demolished_on",
        "旧房拆除日期",
        kind="date",
        width=12,
        note=STEP_DATE_NOTE,
        example=dt.date(2019, 8, 20),
    ),
    Column("homestead_reclaimed", "宅基地是否复垦", kind="bool", width=12, example="是"),
    Column(
        "homestead_reclaimed_on",
        "宅基地复垦日期",
        kind="date",
        width=12,
        note=STEP_DATE_NOTE,
        example=dt.date(2020, 4, 10),
    ),
    Column(
        "property_certificate_status",
        "不动产权证状态",
        kind="choice",
        choices=choices.CertificateStatus.choices,
        width=14,
        example="已办证",
    ),
    Column(
        "property_certificate_no",
        "不动产权证号",
        max_length=64,
        width=24,
        example="新(2020)莎车县不动产权第0001234号",
    ),
    Column(
        "property_certificate_on",
        "办证日期",
        kind="date",
        width=12,
        note="不动产权证的发证日期。填了日期即视为已办证；已办证而日期不详的留空，"
        "记为自导入之日起办证并标注「日期不详」。",
        example=dt.date(2020, 12, 15),
    ),
    Column("hukou_transferred", "户籍是否迁入", kind="bool", width=12, example="是"),
    Column(
        "hukou_transferred_on",
        "户籍迁入日期",
        kind="date",
        width=12,
        note=STEP_DATE_NOTE,
        example=dt.date(2019, 9, 1),
    ),
    Column(
        "phone",
        "联系电话",
        kind="phone",
        max_length=20,
        width=14,
        note="户的联系电话：11位手机号或带区号的固定电话。",
        example="13912345678",
    ),
]
HOUSEHOLD_COLUMNS = model_columns([Household], HOUSEHOLD_COLUMNS)

PERSON_COLUMNS = [
    Column("name", "姓名", required=True, max_length=64, width=10, example="张三"),
    Column(
        "id_number",
        "身份证号",
        kind="id_number",
        required=True,
        width=21,
        note="18位公民身份号码。本列须为文本格式，否则 Excel 会把号码变成 6.53125E+17 并丢失末几位。"
        "性别和出生日期由身份证号得出。",
        example=with_check_char("65312519850315001"),
    ),
    Column(
        "relation",
        "与户主关系",
        kind="choice",
        choices=choices.Relation.choices,
        required=True,
        width=12,
        note="每户在册成员中须有且只有一名户主。",
        example="户主",
    ),
    Column(
        "ethnicity",
        "民族",
        kind="choice",
        choices=choices.Ethnicity.choices,
        width=10,
        example="维吾尔族",
    ),
    Column(
        "education",
        "文化程度",
        kind="choice",
        choices=choices.Education.choices,
        width=14,
        example="初中",
    ),
    Column(
        "schooling",
        "在校情况",
        kind="choice",
        choices=choices.Schooling.choices,
        width=16,
        example="非在校生",
    ),
    Column(
        "health",
        "健康状况",
        kind="choice",
        choices=choices.Health.choices,
        width=14,
        example="健康",
    ),
    Column(
        "disability_grade",
        "残疾等级",
        kind="choice",
        choices=choices.DisabilityGrade.choices,
        width=10,
        example="无",
    ),
    Column("medical_insurance", "是否参加医保", kind="bool", width=12, example="是"),
    Column("pension_insurance", "是否参加养老保险", kind="bool", width=14, example="是"),
    Column("dibao", "是否低保", kind="bool", width=10, example="否"),
    Column("tekun", "是否特困供养", kind="bool", width=12, example="否"),
    Column(
        "status",
        "人员状态",
        kind="choice",
        choices=choices.PersonStatus.choices,
        width=10,
        note="在册、迁出或死亡；迁出或死亡的日期填在「状态变更日期」列。",
        example="在册",
    ),
    Column(
        "status_changed_on",
        "状态变更日期",
        kind="date",
        width=12,
        note="迁出或死亡的日期，不得晚于今天；在册的成员留空（填了为错误）。迁出或死亡而日期不详的留空，"
        "记为自导入之日起迁出（此前仍计为在册）并标注「日期不详」，列入「信息待补录」，可在户页面补填。",
    ),
]
PERSON_COLUMNS = model_columns([Person], PERSON_COLUMNS)

HOUSEHOLD_KEYS = [c.key for c in HOUSEHOLD_COLUMNS if c.key not in {"household_no", "site_code"}]
# The person's fields set from their cells; the status date is set by the service's rule.
PERSON_KEYS = [c.key for c in PERSON_COLUMNS if c.key not in ("id_number", "status_changed_on")]
PERSON_FIELDS = [*PERSON_KEYS, "status_changed_on", "status_changed_on_unknown"]
# The fields of the dated steps (旧房拆除, 宅基地复垦, 不动产权证, 户籍迁入), set by the service's rule.
STEP_KEYS = [k for k in HOUSEHOLD_KEYS if k in STEP_FIELDS]
UNKNOWN_DATE_FIELDS = [step.unknown_field for step in Household.DATED_STEPS]
UNKNOWN_DATES = {step.date_field for step in Household.DATED_STEPS}


def _blank_if_unknown(date_field: str) -> Case:
    """The value of `date_field` (a path from the person), None where its `_unknown` flag is set."""
    return Case(
        When(**{f"{date_field}_unknown": True}, then=Value(None)),
        default=F(date_field),
        output_field=DateField(),
    )


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
    moved: list[Household] = field(default_factory=list)
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


class HouseholdLedger(Ledger):
    name = "households"
    title = "搬迁户台账"
    list_url = "household-list"
    url_name = "household"
    reveal_permission = REVEAL_PERMISSION
    import_denied = gettext_lazy("Your role may not add households.")
    columns = HOUSEHOLD_COLUMNS + PERSON_COLUMNS
    notes = [
        "每名成员一行；户的信息（户编号至联系电话）在该户每一行重复，或只填在该户第一行。",
        "导入时按身份证号和户编号匹配已有记录：已有的更新，没有的新增；文件中没有的成员不会被删除。",
        "非必填的单元格留空表示不修改；新增的户和成员留空的记为「不详」，不以任何默认值代替。",
        "旧房拆除、宅基地复垦、户籍迁入、办证：填了日期即视为已完成；填「是」（或「已办证」）而日期留空的，"
        "记为自导入之日起完成并标注「日期不详」，列入「信息待补录」，可在户页面补填实际日期。"
        "日期与「否」（或「未办理」「办理中」）同填为错误。",
        "导出的文件可修改后再导入；导出中打码的身份证号和电话按原值匹配。",
        "人员状态为迁出或死亡的，在「状态变更日期」填迁出或死亡的日期；日期留空的，记为自导入之日起迁出"
        "（此前各月仍计为在册）并标注「日期不详」，列入「信息待补录」，可在户页面补填实际日期。"
        "在册的成员填了状态变更日期为错误；晚于今天的日期不予接受。",
        "表头上方的标题行和表头（包括合并在几列之上的分组标题）可以合并单元格；数据行中合并的单元格"
        "（如一户的户编号合并在各成员行上）按其值填入所跨的每一行读取。表下的合计行、填表人行不导入。"
        "不得使用公式；请先「选择性粘贴 › 数值」。",
    ]

    def example_rows(self) -> list[list]:
        head = [c.example for c in self.columns]
        spouse = list(head)
        keys = [c.key for c in self.columns]
        spouse[keys.index("name")] = "李四"
        spouse[keys.index("id_number")] = with_check_char("65312519880720002")
        spouse[keys.index("relation")] = "配偶"
        return [head, spouse]

    # --- Import --------------------------------------------------------------------------------

    def plan(self, rows: list[Row], *, actor, result: ImportResult) -> HouseholdPlan:
        errors = result.errors
        header = {c.key: c.header for c in self.columns}

        def error(row: Row, key: str | None, message: str) -> None:
            errors.append(RowError(row.number, header.get(key) if key else None, message))

        groups: dict[str, list[Row]] = defaultdict(list)
        for row in rows:
            if row.values["household_no"]:
                groups[row.values["household_no"]].append(row)

        # The household's fields: blank cells take the group's value; a different value is an error.
        household_values: dict[str, dict] = {}
        for number, group in groups.items():
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
                        column = self.column(key)
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
            household_values[number] = merged

        # Sites: known, and writable by the user.
        codes = sorted({v["site_code"] for v in household_values.values() if v.get("site_code")})
        sites = {s.code: s for s in Site.objects.filter(code__in=codes)}
        # Existing households by number, and their members.
        existing = {}
        for part in chunks(list(groups)):
            existing.update(
                {h.household_no: h for h in Household.objects.filter(household_no__in=part)}
            )
        site_ids = sorted({s.pk for s in sites.values()} | {h.site_id for h in existing.values()})
        writable = set()
        for part in chunks(site_ids):
            writable.update(
                Site.objects.households_writable_by(actor)
                .filter(pk__in=part)
                .values_list("id", flat=True)
            )
        members: dict[int, list[Person]] = defaultdict(list)
        for part in chunks([h.pk for h in existing.values()]):
            for person in Person.objects.filter(household_id__in=part).order_by("id"):
                members[person.household_id].append(person)
        # Registered persons elsewhere holding the file's ID numbers.
        # (Numbers held by the members of the file's households need no second look.)
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
        household_nos = {h.pk: h.household_no for h in existing.values()}

        def taken(holder: Person) -> str:
            # Asked only for a row in error: one query each.
            if holder.household_id in household_nos:
                holder.household = existing[household_nos[holder.household_id]]
            visible = Person.objects.visible_to(actor).filter(pk=holder.pk).exists()
            return id_number_taken(holder, visible=visible)

        plan = HouseholdPlan(dated_until=latechanges.covered_until())
        today = dt.date.today()
        seen_numbers: dict[tuple[str, str], int] = {}
        # ID numbers registered (在册) by the file: row and household
        active_in_file: dict[str, tuple[int, str]] = {}
        for number, group in groups.items():
            values = household_values[number]
            first = group[0]
            household = existing.get(number)
            site = sites.get(values.get("site_code"))
            if values.get("site_code") and site is None:
                error(
                    first,
                    "site_code",
                    _("There is no settlement site with the code %(code)s.")
                    % {"code": values["site_code"]},
                )
                continue
            if site is not None and site.pk not in writable:
                error(
                    first,
                    "site_code",
                    _(
                        "The settlement site %(site)s is outside the area where you may enter households."
                    )
                    % {"site": site},
                )
                continue
            if household is not None and household.site_id not in writable:
                error(
                    first,
                    "household_no",
                    _(
                        "Household %(household)s is registered at a site outside your area; "
                        "you may not change it."
                    )
                    % {"household": number},
                )
                continue
            household_changed = self._plan_household(
                household,
                number,
                values,
                site,
                today,
                plan,
                lambda key, message, row=first: error(row, key, message),
            )
            target = household or plan.new_households[-1]
            current = {p.pk: p for p in members.get(household.pk, [])} if household else {}
            final: dict[int | str, Person] = dict(current)
            complete = True
            members_changed = household is None
            for row in group:
                planned = self._plan_person(
                    row,
                    target,
                    current,
                    holders,
                    taken,
                    (seen_numbers, active_in_file),
                    plan,
                    error,
                )
                if planned is None:
                    complete = False
                    continue
                if row.invalid:
                    complete = False  # its cells' errors are listed; a head count would mislead
                person, state = planned
                final[person.pk or f"new-{row.number}"] = person
                members_changed |= state != "unchanged"
                if state == "created":
                    result.created += 1
                elif state == "changed" or household_changed:
                    result.updated += 1
                else:
                    result.unchanged += 1
            active = [p for p in final.values() if p.status == choices.PersonStatus.ACTIVE]
            heads = sum(1 for p in active if p.relation == choices.Relation.HEAD)
            # With a member row in error the count would mislead; that error comes first. A
            # household whose members the file leaves as they are is not this import's to fix.
            problem = head_rule(heads, len(active), whole=True)
            if complete and members_changed and problem:
                error(
                    first,
                    "relation",
                    _("Household %(household)s: %(problem)s")
                    % {"household": number, "problem": problem},
                )
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
        return plan

    def _plan_household(self, household, number, values, site, today, plan, error) -> bool:
        """Add the new or changed household to `plan`; whether it changed."""
        target = household if household is not None else _new(Household, household_no=number)
        if household is None:
            for key in ("site_code", "category"):
                if values.get(key) is None:
                    error(key, _("A new household needs this column on at least one of its rows."))
        before = {f: getattr(target, f) for f in self._household_fields()}
        dates = dates_of(target) if plan.dated_until and household is not None else {}
        if site is not None:
            target.site = site
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
        steps = {k: values[k] for k in STEP_KEYS if values.get(k) is not None}
        try:
            household_steps_apply(target, given=steps, today=today)
            for step in Household.DATED_STEPS:
                if getattr(target, step.unknown_field) and not before.get(step.unknown_field):
                    header = self.column(step.field).header
                    plan.dates_unknown.setdefault(header, []).append(number)
            target.clean()
        except ValidationError as exc:
            keys = {c.key for c in self.columns}
            for name, messages in exc.message_dict.items():
                error(name if name in keys else None, " ".join(messages))
        if plan.dated_until:
            plan.keep_dated(target, dates)
        if household is None:
            plan.new_households.append(target)
            return True
        changed = {f for f, v in before.items() if getattr(target, f) != v}
        if changed:
            plan.changed_households.append(target)
            plan.household_fields |= changed
            if "site_id" in changed:
                plan.moved.append(target)
        return bool(changed)

    @staticmethod
    def _household_fields() -> list[str]:
        return ["site_id", *HOUSEHOLD_KEYS, *UNKNOWN_DATE_FIELDS]

    def _plan_person(
        self, row, household, current, holders, taken, seen, plan, error
    ) -> tuple[Person, str] | None:
        """The row's person, new or matched, with its values applied, and whether it is
        "created", "changed" or "unchanged"; None when the row is in error."""
        values = row.values
        number = values["id_number"]
        if number is None:
            return None
        # Messages quote the number as the row gives it: a masked one stays masked.
        typed = number
        person = None
        if "*" in number:
            matches = [p for p in current.values() if mask_id_number(p.id_number) == number]
            if len(matches) > 1:
                # Siblings may share the last four digits, which the mask keeps: the name tells.
                matches = [p for p in matches if p.name == values["name"]]
            if len(matches) != 1:
                error(row, "id_number", str(MASKED_INPUT))
                return None
            person = matches[0]
            number = person.id_number
        else:
            same = [p for p in current.values() if p.id_number == number]
            person = next((p for p in same if p.status == choices.PersonStatus.ACTIVE), None) or (
                same[0] if same else None
            )
        seen_numbers, active_in_file = seen
        key = (household.household_no, number)
        if key in seen_numbers:
            error(
                row,
                "id_number",
                _("The ID number %(number)s is also on row %(row)d of this household.")
                % {"number": typed, "row": seen_numbers[key]},
            )
            return None
        seen_numbers[key] = row.number
        status = values["status"]
        becomes_active = (status or (person.status if person else choices.PersonStatus.ACTIVE)) == (
            choices.PersonStatus.ACTIVE
        )
        holder = holders.get(number)
        if (
            holder is not None
            and holder.household_id != household.pk
            and (becomes_active or (person is None and values["name"] != holder.name))
        ):
            # Registered elsewhere: the same person may be on record here as moved out, but a
            # new record under another name is someone else's number.
            error(row, "id_number", taken(holder))
            return None
        if becomes_active:
            other = active_in_file.setdefault(number, (row.number, household.household_no))
            if other[1] != household.household_no:
                error(
                    row,
                    "id_number",
                    _(
                        "The ID number %(number)s is also on row %(row)d, registered in household "
                        "%(household)s: a person is registered in one household only."
                    )
                    % {"number": typed, "row": other[0], "household": other[1]},
                )
                return None
        info = describe(number)  # checked by the column
        if person is None:
            person = _new(
                Person, id_number=info.number, gender=info.gender, birth_date=info.birth_date
            )
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
            header = self.column("status").header
            plan.dates_unknown.setdefault(header, []).append(household.household_no)
        if plan.dated_until:
            plan.keep_dated(person, dates)
        if before is None:
            plan.new_persons.append(person)
            return person, "created"
        changed = {f for f, v in before.items() if getattr(person, f) != v}
        if not changed:
            return person, "unchanged"
        plan.person_fields |= changed
        plan.changed_persons.append(person)
        return person, "changed"

    def may_import(self, user) -> bool:
        return Site.objects.households_writable_by(user).exists()

    def commit(self, plan: HouseholdPlan, *, actor) -> None:
        from households.services import household_import_commit

        household_import_commit(actor=actor, plan=plan)

    # --- Export --------------------------------------------------------------------------------

    # The values behind the columns, in their order: a household's through the person. A date
    # nobody recorded (a step's, a member's status date) is written blank, as it came in: the day
    # it was entered is not its date.
    EXPORT_FIELDS = [
        "household__site__code"
        if c.key == "site_code"
        else _blank_if_unknown(f"household__{c.key}")
        if c.key in UNKNOWN_DATES
        else f"household__{c.key}"
        if c in HOUSEHOLD_COLUMNS
        else _blank_if_unknown(c.key)
        if c.key == "status_changed_on"
        else c.key
        for c in HOUSEHOLD_COLUMNS + PERSON_COLUMNS
    ]

    def export_query(self, user, params: dict):
        """The members of the households the user sees with the list's filters `params`, in
        ledger order; ValidationError when a filter is wrong."""
        from households.filtersets import HouseholdFilterSet

        households = Household.objects.visible_to(user, region=params.get("region") or None)
        filterset = HouseholdFilterSet(params, queryset=households)
        if not filterset.is_valid():
            raise ValidationError(
                [f"{name}: {' '.join(e)}" for name, e in filterset.errors.items()]
            )
        return self.export_persons(filterset.qs)

    def export_persons(self, households):
        """The members of `households` (a filtered, scoped queryset), in ledger order."""
        return (
            Person.objects.filter(household__in=households.values("pk"))
            .order_by("household__household_no", "id")
            .values_list(*self.EXPORT_FIELDS)
        )

    def export_rows(self, persons, *, reveal: bool):
        """Rendered rows of `export_persons`, sensitive values masked unless `reveal`."""
        renderers = [c.renderer() for c in self.columns]
        id_index = self.EXPORT_FIELDS.index("id_number")
        phone_index = self.EXPORT_FIELDS.index("household__phone")
        for values in persons.iterator(chunk_size=2000):
            row = [render(v) for render, v in zip(renderers, values, strict=True)]
            if not reveal:
                row[id_index] = mask_id_number(row[id_index])
                row[phone_index] = mask_phone(row[phone_index])
            yield row


LEDGER = register(HouseholdLedger())
