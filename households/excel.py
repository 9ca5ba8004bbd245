"""The household ledger's workbook (搬迁户台账): one row per person, the household's fields
repeated on each member's row and grouped by 户编号. The columns and cells are described here; what
an import row creates, changes or refuses is `households.imports` (`household_import_plan`,
`household_import_commit`)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, DateField, F, Value, When
from django.utils.translation import gettext_lazy

from households import choices
from households.filtersets import HouseholdFilterSet
from households.imports import (
    HOUSEHOLD_KEYS,
    PERSON_KEYS,
    HouseholdPlan,
    household_import_commit,
    household_import_plan,
)
from households.models import REVEAL_PERMISSION, Household, Person, Site
from resettle.excel import (
    Column,
    ImportResult,
    Ledger,
    Row,
    model_columns,
    register,
)
from resettle.idcard import with_check_char
from resettle.masking import mask_id_number, mask_phone

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
# The import's rules name the fields in the columns' order (its messages follow it).
assert [c.key for c in HOUSEHOLD_COLUMNS] == ["household_no", "site_code", *HOUSEHOLD_KEYS]
assert [c.key for c in PERSON_COLUMNS if c.key not in ("id_number", "status_changed_on")] == (
    PERSON_KEYS
)

UNKNOWN_DATES = {step.date_field for step in Household.DATED_STEPS}


def _blank_if_unknown(date_field: str) -> Case:
    """The value of `date_field` (a path from the person), None where its `_unknown` flag is set."""
    return Case(
        When(**{f"{date_field}_unknown": True}, then=Value(None)),
        default=F(date_field),
        output_field=DateField(),
    )


class HouseholdLedger(Ledger):
    name = "households"
    title = "搬迁户台账"
    list_url = "household-list"
    url_name = "household"
    reveal_permission = REVEAL_PERMISSION
    import_denied = gettext_lazy("Your role may not add households.")
    columns = HOUSEHOLD_COLUMNS + PERSON_COLUMNS
    model = Household
    filterset = HouseholdFilterSet
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

    def may_import(self, user) -> bool:
        return Site.objects.households_writable_by(user).exists()

    def plan(self, rows: list[Row], *, actor, result: ImportResult) -> HouseholdPlan:
        return household_import_plan(actor=actor, rows=rows, result=result, columns=self.by_key)

    def commit(self, plan: HouseholdPlan, *, actor) -> None:
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

    def export_from(self, households):
        """The members of `households` (a filtered, scoped queryset), in ledger order."""
        return (
            Person.objects.filter(household__in=households.values("pk"))
            .order_by("household__household_no", "id")
            .values_list(*self.EXPORT_FIELDS)
        )

    def export_rows(self, persons, *, reveal: bool):
        """Rendered rows of `export_from`, sensitive values masked unless `reveal`."""
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
