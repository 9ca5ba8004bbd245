"""The workbooks of industry support: the project register (export) and dividends (import and
export, 分红发放表), through the kernel's Excel pipeline."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from households.choices import PersonStatus
from households.models import Household, Person
from industry import choices
from industry.indicators import with_investment
from industry.models import BenefitLink, Dividend, IndustryProject
from industry.services import DIVIDEND_PAID, YEAR_MESSAGE
from resettle import latechanges
from resettle.bulk import insert_with_history
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
from resettle.latechanges import DatedChange

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
    import_denied = gettext_lazy(
        "Projects are entered on their pages; the workbook to import is the dividends'."
    )

    def may_import(self, user) -> bool:
        return False

    def export_query(self, user, params: dict):
        from industry.filtersets import IndustryProjectFilterSet

        projects = IndustryProject.objects.visible_to(user, region=params.get("region") or None)
        filterset = IndustryProjectFilterSet(params, queryset=projects)
        if not filterset.is_valid():
            raise ValidationError([f"{n}: {' '.join(e)}" for n, e in filterset.errors.items()])
        return with_investment(
            filterset.qs.select_related("county").prefetch_related("served__site")
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
            values["investment"] = project.investment_wan
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


@dataclass
class DividendPlan:
    new: list[Dividend] = field(default_factory=list)


class DividendLedger(Ledger):
    name = "dividends"
    title = "分红发放表"
    list_url = "project-list"
    url_name = "dividend"
    columns = DIVIDEND_COLUMNS
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
        def error(row, key, message):
            result.errors.append(RowError(row.number, self.column(key).header, message))

        # Households are looked up in the area the user may record in only: one outside it reads
        # as unknown, so the sheet tells nothing about other areas.
        area = Household.objects.editable_by(actor)
        numbers = sorted({n for r in rows if (n := r.values["id_number"])})
        by_number: dict[str, int] = {}
        for part in chunks(numbers):
            by_number.update(
                Person.objects.filter(
                    id_number__in=part, status=PersonStatus.ACTIVE, household__in=area
                ).values_list("id_number", "household_id")
            )
        household_nos = sorted({n for r in rows if (n := r.values["household_no"])})
        households: dict[int, Household] = {}
        by_no: dict[str, int] = {}
        for part in chunks(household_nos):
            for h in area.filter(household_no__in=part):
                by_no[h.household_no] = h.pk
        ids = sorted(set(by_number.values()) | set(by_no.values()))
        for part in chunks(ids):
            households.update({h.pk: h for h in Household.objects.filter(pk__in=part)})
        codes = sorted({c for r in rows if (c := r.values["project_code"])})
        projects = {
            p.code: p for p in IndustryProject.objects.editable_by(actor).filter(code__in=codes)
        }
        project_ids = [p.pk for p in projects.values()]
        linked = set(
            BenefitLink.objects.filter(
                project_id__in=project_ids, household_id__in=ids
            ).values_list("project_id", "household_id")
        )
        existing = {
            (d.project_id, d.household_id, d.year): d
            for d in Dividend.objects.filter(project_id__in=project_ids, household_id__in=ids)
        }
        plan = DividendPlan()
        today = dt.date.today()
        seen: dict[tuple, int] = {}
        for row in rows:
            v = row.values
            if row.invalid:
                continue
            if not v["id_number"] and not v["household_no"]:
                error(
                    row,
                    "id_number",
                    _("Fill in the ID number of a member, or the household number."),
                )
                continue
            household_id = None
            if v["household_no"]:
                household_id = by_no.get(v["household_no"])
                if household_id is None:
                    error(
                        row,
                        "household_no",
                        _("No household numbered %(no)s in the area where you may record.")
                        % {"no": v["household_no"]},
                    )
                    continue
            if v["id_number"]:
                holder = by_number.get(v["id_number"])
                if holder is None:
                    error(
                        row,
                        "id_number",
                        _("Nobody registered has the ID number %(number)s.")
                        % {"number": v["id_number"]},
                    )
                    continue
                if household_id is not None and holder != household_id:
                    error(
                        row,
                        "household_no",
                        _("The ID number %(number)s belongs to another household than %(no)s.")
                        % {"number": v["id_number"], "no": v["household_no"]},
                    )
                    continue
                household_id = holder
            household = households[household_id]
            project = projects.get(v["project_code"])
            if project is None:
                error(
                    row,
                    "project_code",
                    _("There is no project with the code %(code)s in your area.")
                    % {"code": v["project_code"]},
                )
                continue
            if v["amount"] < 0:
                error(row, "amount", _("An amount cannot be negative."))
                continue
            if v["year"] > today.year or v["year"] < 2000:
                error(row, "year", str(YEAR_MESSAGE))
                continue
            # A blank day is not known: stored blank, never the import day (issue 14).
            paid_on = v["paid_on"]
            if paid_on is not None and paid_on > today:
                error(row, "paid_on", _("The date cannot be in the future."))
                continue
            if (project.pk, household_id) not in linked:
                error(
                    row,
                    "project_code",
                    _(
                        "Household %(household)s is not linked to project %(project)s: record the "
                        "benefit link first."
                    )
                    % {"household": household.household_no, "project": project.code},
                )
                continue
            key = (project.pk, household_id, v["year"])
            if key in seen:
                error(
                    row,
                    "year",
                    _("Row %(row)d has the same household, project and year: one dividend a year.")
                    % {"row": seen[key]},
                )
                continue
            seen[key] = row.number
            recorded = existing.get(key)
            if recorded is not None:
                if recorded.amount == v["amount"]:
                    result.unchanged += 1
                    continue
                error(
                    row,
                    "amount",
                    _(
                        "Household %(household)s already has %(amount)s yuan from %(project)s for "
                        "%(year)s: one dividend a year."
                    )
                    % {
                        "household": household.household_no,
                        "amount": recorded.amount,
                        "project": project.code,
                        "year": v["year"],
                    },
                )
                continue
            plan.new.append(
                Dividend(
                    project=project,
                    household_id=household_id,
                    year=v["year"],
                    amount=v["amount"],
                    paid_on=paid_on,
                    by=actor,
                )
            )
            result.created += 1
        return plan

    def commit(self, plan: DividendPlan, *, actor) -> None:
        insert_with_history(Dividend, plan.new, user=actor)
        until = latechanges.covered_until()  # None: no report is approved, no row looked at
        latechanges.note(
            actor=actor,
            changes=[
                DatedChange(
                    on=dividend.paid_on,
                    what=DIVIDEND_PAID,
                    record=dividend,
                    household_id=dividend.household_id,
                )
                for dividend in plan.new
                if until and dividend.paid_on and dividend.paid_on <= until
            ],
        )

    def export_query(self, user, params: dict):
        from industry.filtersets import DividendFilterSet

        dividends = Dividend.objects.visible_to(user, region=params.get("region") or None)
        filterset = DividendFilterSet(params, queryset=dividends)
        if not filterset.is_valid():
            raise ValidationError([f"{n}: {' '.join(e)}" for n, e in filterset.errors.items()])
        return filterset.qs.order_by(
            "-year", "project__code", "household__household_no"
        ).values_list("household__household_no", "project__code", "year", "amount", "paid_on")

    def export_rows(self, query, *, reveal: bool):
        for household_no, code, year, amount, paid_on in query.iterator(chunk_size=2000):
            yield ["", household_no, code, year, amount, paid_on]


PROJECT_LEDGER = register(ProjectLedger())
DIVIDEND_LEDGER = register(DividendLedger())
