"""The labor ledger's workbook (就业台账, Tacheng plan seeds/001 §四(一)): one row per person, their
labor profile and their current main job. The columns and cells are described here; what an
import row creates, changes or refuses is `employment.imports` (`labor_import_plan`,
`labor_import_commit`).
"""

from __future__ import annotations

import datetime as dt

from django.db.models import FilteredRelation, Q
from django.utils.translation import gettext_lazy

from employment import choices
from employment.filtersets import LaborProfileFilterSet
from employment.imports import SPELL_KEYS, LaborPlan, labor_import_commit, labor_import_plan
from employment.models import Employment, LaborProfile
from households.models import REVEAL_PERMISSION
from resettle.excel import Column, ImportResult, Ledger, Row, model_columns, register
from resettle.masking import mask_id_number
from resettle.scoping import scope_for

LABOR_COLUMNS = [
    Column(
        "id_number",
        "身份证号",
        kind="id_number",
        required=True,
        width=22,
        note="18位公民身份号码，须已在搬迁户台账中登记；按身份证号匹配人员，姓名、户编号可不填。",
        example="653125199001011237",
    ),
    Column(
        "name",
        "姓名",
        max_length=64,
        width=10,
        note="可不填。与搬迁户台账不一致的，导入时提示，仍按身份证号导入。"
        "导出文件中打码的身份证号按姓名匹配。",
        example="阿依古丽",
    ),
    Column(
        "household_no",
        "户编号",
        max_length=32,
        width=16,
        holds_key=True,
        note="可不填。与搬迁户台账不一致的，导入时提示，仍按身份证号导入。"
        "导出文件中打码的身份证号按姓名或户编号匹配，同名同号时按户编号区分。",
        example="6531250010001",
    ),
    Column(
        "capacity",
        "劳动能力",
        kind="choice",
        choices=choices.Capacity.choices,
        width=14,
        note="尚无劳动力档案的人员须填写。",
        example="普通劳动力",
    ),
    Column("skill", "技能水平", kind="choice", choices=choices.Skill.choices, example="有一般技能"),
    Column(
        "language",
        "国语水平",
        kind="choice",
        choices=choices.LanguageLevel.choices,
        example="能进行简单交流",
    ),
    Column(
        "willingness",
        "就业意愿",
        kind="choice",
        choices=choices.Willingness.choices,
        width=14,
        example="就地就近就业",
    ),
    Column(
        "training_intention",
        "培训意向",
        kind="choice",
        choices=choices.TrainingIntention.choices,
        example="有培训意向",
    ),
    Column("service_needs", "服务需求", max_length=200, width=20, example="需要技能培训"),
    Column(
        "recorded_on",
        "登记日期",
        kind="date",
        width=14,
        note="劳动力档案的登记日期，可不填（新档案为导入当日）。已有工作、培训等记录早于"
        "登记日期的，档案从最早的记录日期起计入劳动力。",
        example=dt.date(2024, 1, 1),
    ),
    Column(
        "status",
        "就业状态",
        kind="choice",
        choices=choices.EmploymentStatus.choices,
        note="已就业：开始或更新当前工作；未就业：结束当前工作（结束日期不填则为导入前一日）；"
        "不填：不改动就业情况。",
        example="已就业",
    ),
    Column(
        "channel",
        "就业渠道",
        kind="choice",
        choices=choices.Channel.choices,
        width=18,
        example="园区企业或乡村生产车间就业",
    ),
    Column("job_type", "岗位类型", kind="choice", choices=choices.JobType.choices, example="务工"),
    Column("place", "就业地域", kind="choice", choices=choices.Place.choices, example="县内"),
    Column("employer", "就业单位", max_length=100, width=20, example="某某服装厂"),
    Column(
        "industry",
        "所属行业",
        kind="choice",
        choices=choices.Industry.choices,
        width=16,
        note="国民经济行业分类（GB/T 4754）门类，可填名称或字母。",
        example="制造业",
    ),
    Column(
        "monthly_income",
        "月收入",
        kind="decimal",
        note="元，可到分。",
        example=3200,
    ),
    Column(
        "start_date",
        "就业开始日期",
        kind="date",
        width=14,
        note="新开始的工作须填写。晚于当前工作开始日期的，视为换了工作。",
        example=dt.date(2024, 3, 1),
    ),
    Column(
        "end_date",
        "就业结束日期",
        kind="date",
        width=14,
        note="就业状态为未就业时填写工作的最后一天；不填则为导入前一日。",
    ),
    Column("organised", "是否有组织输出", kind="bool", width=14, example="否"),
]
LABOR_COLUMNS = model_columns([LaborProfile, Employment], LABOR_COLUMNS)


class LaborLedger(Ledger):
    name = "labor"
    title = "就业台账"
    list_url = "labor-list"
    url_name = "labor"
    reveal_permission = REVEAL_PERMISSION
    import_denied = gettext_lazy("Your role may not change the labor ledger.")
    columns = LABOR_COLUMNS
    model = LaborProfile
    filterset = LaborProfileFilterSet
    notes = [
        "每人一行，按身份证号匹配搬迁户台账中的人员；人员须先在搬迁户台账中登记。姓名、户编号可不填"
        "（也可不设这两列）；与搬迁户台账不一致的，导入时提示，仍按身份证号导入。",
        "劳动能力至培训意向、服务需求为劳动力档案：尚无档案的须填写劳动能力；留空的单元格不修改原值。",
        "登记日期为劳动力档案的登记日期，不填的新档案为导入当日。档案从登记日期与本人最早的就业开始、"
        "培训开始、岗位对接、跟踪回访、失业登记日期中最早的一天起计入劳动力，因此补录的历史工作"
        "计入其开始以来各月的统计。",
        "就业状态为「已就业」：没有当前工作的，按本行开始一份工作（须填就业渠道、岗位类型、就业地域、"
        "就业开始日期）；已有当前工作的，按本行更新；就业开始日期晚于当前工作的，视为换了工作，"
        "原工作在新工作开始前一日结束。",
        "就业状态为「未就业」：结束当前工作，结束日期为本行的就业结束日期，不填则为导入前一日"
        "（导入当日起计为未就业）；"
        "仍有就业意愿的，登记失业，并列入待岗位对接名单。",
        "已经结束的工作（历史就业）：就业状态填「未就业」，并填写该工作的就业开始日期和就业结束日期"
        "及就业渠道、岗位类型、就业地域；该工作计入其在岗各月的就业人数，不得与其他主要工作重叠。",
        "就业状态留空：不改动就业情况。",
        "只有在册人员可以登记就业；劳动能力为丧失劳动力或无劳动能力的不能登记就业。",
        "月收入不得为负，不得超过系统设定的上限；日期不得晚于今天。",
        "导出的文件可修改后再导入；打码的身份证号按姓名或户编号匹配（同名同号时再按户编号区分）。",
        "表头可以有标题行和两行表头；数据行中合并的单元格按其值填入所跨的每一行读取。"
        "不得使用公式；请先「选择性粘贴 › 数值」。",
    ]

    def may_import(self, user) -> bool:
        return not scope_for(user, LaborProfile, "change").is_empty

    # --- Import --------------------------------------------------------------------------------

    def plan(self, rows: list[Row], *, actor, result: ImportResult) -> LaborPlan:
        return labor_import_plan(actor=actor, rows=rows, result=result, columns=self.by_key)

    def commit(self, plan: LaborPlan, *, actor) -> None:
        labor_import_commit(actor=actor, plan=plan)

    # --- Export --------------------------------------------------------------------------------

    # The values behind the columns, in their order: the current main job's through `job`; the
    # status is whether there is one.
    EXPORT_FIELDS = [
        "person__household__household_no"
        if c.key == "household_no"
        else f"person__{c.key}"
        if c.key in ("id_number", "name")
        else "job__id"
        if c.key == "status"
        else f"job__{c.key}"
        if c.key in SPELL_KEYS or c.key == "end_date"
        else c.key
        for c in LABOR_COLUMNS
    ]

    def export_from(self, profiles):
        """The profiles (filtered, scoped) in ledger order, with the current main job."""
        return (
            profiles.annotate(
                job=FilteredRelation(
                    "person__employments",
                    condition=Q(
                        person__employments__end_date__isnull=True,
                        person__employments__is_main=True,
                    ),
                )
            )
            .order_by("person__household__household_no", "person_id")
            .values_list(*self.EXPORT_FIELDS)
        )

    def export_rows(self, query, *, reveal: bool):
        renderers = [c.renderer() for c in self.columns]
        status = self.EXPORT_FIELDS.index("job__id")
        employed = self.column("status").render(choices.EmploymentStatus.EMPLOYED)
        unemployed = self.column("status").render(choices.EmploymentStatus.UNEMPLOYED)
        for values in query.iterator(chunk_size=2000):
            row = [render(v) for render, v in zip(renderers, values, strict=True)]
            row[status] = employed if values[status] is not None else unemployed
            if not reveal:
                row[0] = mask_id_number(row[0])
            yield row


LEDGER = register(LaborLedger())
