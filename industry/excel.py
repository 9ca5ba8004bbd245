"""The workbooks of industry support: the project register (export) and dividends (import and
export, 分红发放表), through the kernel's Excel pipeline. The columns and cells are described
here; what a dividend row creates or refuses is `industry.services` (`dividend_import_plan`,
`dividend_import_commit`)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy

from industry import choices
from industry.filtersets import DividendFilterSet, IndustryProjectFilterSet
from industry.indicators import with_investment
from industry.models import Dividend, IndustryProject
from industry.services import DividendPlan, dividend_import_commit, dividend_import_plan
from resettle.excel import Column, ImportResult, Ledger, Row, model_columns, register
from resettle.money import to_wan

PROJECT_COLUMNS = [
    Column("code", "项目编码", width=14, holds_key=True),
    Column("name", "项目名称", width=24),
    Column("county", "所属县", width=10),
    Column("sites", "服务安置区", width=30),
    Column("sector", "产业类别", kind="choice", choices=choices.Sector.choices),
    Column("kind", "项目类型", kind="choice", choices=choices.Kind.choices, width=14),
    Column("operator_type", "经营主体类型", kind="choice", choices=choices.OperatorType.choices),
    Column("operator", "经营主体", width=20),
    Column("status", "项目状态", kind="choice", choices=choices.ProjectStatus.choices),
    Column("planned_start", "计划开工", kind="date"),
    Column("actual_start", "实际开工", kind="date"),
    Column("planned_completion", "计划完工", kind="date"),
    Column("actual_completion", "实际完工", kind="date"),
    Column("units", "数量（个）", kind="int"),
    Column("area_m2", "面积（平方米）", kind="decimal"),
    Column("jobs_offered", "提供岗位", kind="int"),
    Column("investment", "总投资（万元）", kind="decimal", width=14),
]


class ProjectLedger(Ledger):
    """The project register, exported with the list's filters. Projects are entered on their
    pages, not imported."""

    name = "projects"
    title = "产业项目台账"
    list_url = "project-list"
    url_name = "project"
    columns = PROJECT_COLUMNS
    model = IndustryProject
    filterset = IndustryProjectFilterSet
    import_denied = gettext_lazy(
        "Projects are entered on their pages; the workbook to import is the dividends'."
    )

    def may_import(self, user) -> bool:
        return False

    def export_from(self, projects):
        """The projects (filtered, scoped) by county and code, with their county, sites and
        investment."""
        return with_investment(
            projects.select_related("county").prefetch_related("served__site")
        ).order_by("county_id", "code")

    def export_rows(self, query, *, reveal: bool):
        renderers = {c.key: c.renderer() for c in self.columns}
        for project in query.iterator(chunk_size=500):
            values = {
                c.key: getattr(project, c.key, None)
                for c in self.columns
                if c.key not in ("county", "sites")
            }
            values["county"] = project.county.name
            values["sites"] = "、".join(s.site.name for s in project.served.all())
            values["investment"] = to_wan(project.investment)
            yield [renderers[c.key](values[c.key]) for c in self.columns]


DIVIDEND_COLUMNS = [
    Column(
        "id_number",
        "身份证号",
        kind="id_number",
        width=22,
        note="户内任一在册成员的身份证号；或填户编号。",
        example="653125199001011237",
    ),
    Column(
        "household_no",
        "户编号",
        max_length=32,
        width=16,
        note="可代替身份证号。",
        example="",
        holds_key=True,
    ),
    Column(
        "project_code",
        "项目编码",
        required=True,
        holds_key=True,
        max_length=32,
        width=14,
        note="见产业项目页面；该户须已与项目建立利益联结。",
        example="P653125001",
    ),
    Column("year", "年度", kind="int", required=True, width=8, note="分红所属年度。", example=2025),
    Column("amount", "金额", kind="decimal", required=True, note="元，可到分。", example=600),
    Column(
        "paid_on",
        "发放日期",
        kind="date",
        width=14,
        note="不填表示发放日期不详：不以导入日代替，统计时自登记之日起计入。",
    ),
]
DIVIDEND_COLUMNS = model_columns([Dividend], DIVIDEND_COLUMNS)


class DividendLedger(Ledger):
    name = "dividends"
    title = "分红发放表"
    list_url = "project-list"
    url_name = "dividend"
    columns = DIVIDEND_COLUMNS
    model = Dividend
    filterset = DividendFilterSet
    notes = [
        "每户每个项目每年一行；按身份证号或户编号找到户，按项目编码找到项目。",
        "该户须已与项目建立利益联结（在项目页面登记）。",
        "同一户、同一项目、同一年度只能有一笔分红：已登记且金额相同的行视为未变，金额不同的行报错。",
        "金额不得为负；年度不得晚于今年；发放日期不得晚于今天。",
        "表头可以有标题行和两行表头；数据行中合并的单元格按其值填入所跨的每一行读取。"
        "不得使用公式；请先「选择性粘贴 › 数值」。",
    ]
    import_denied = gettext_lazy("Your role may not record dividends.")

    def may_import(self, user) -> bool:
        # The projects a dividend comes from are a county's: a county role or above.
        return IndustryProject.objects.editable_by(user).exists()

    def plan(self, rows: list[Row], *, actor, result: ImportResult) -> DividendPlan:
        return dividend_import_plan(actor=actor, rows=rows, result=result, columns=self.by_key)

    def commit(self, plan: DividendPlan, *, actor) -> None:
        dividend_import_commit(actor=actor, plan=plan)

    def export_from(self, dividends):
        """The dividends (filtered, scoped), the latest year first, as value rows."""
        return dividends.order_by("-year", "project__code", "household__household_no").values_list(
            "household__household_no", "project__code", "year", "amount", "paid_on"
        )

    def export_rows(self, query, *, reveal: bool):
        for household_no, code, year, amount, paid_on in query.iterator(chunk_size=2000):
            yield ["", household_no, code, year, amount, paid_on]


PROJECT_LEDGER = register(ProjectLedger())
DIVIDEND_LEDGER = register(DividendLedger())
