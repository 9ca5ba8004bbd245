"""The leading group's monthly workbook (月调度表), built from a report's snapshot alone, never
recomputed: two downloads of one report are the same file, byte for byte.

Sheets: 汇总 (headline figures), 就业情况 (employed by channel and job type, as the Tacheng
table), 监测帮扶, 产业项目, 安置区明细 (per site), 指标说明 (every indicator: definition, source
and the region's value). One row per county (per site for a county's report), a 合计 row, and
the change on last month's approved or latest report for the key figures."""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from governance.models import DispatchReport, ReportEvent, ReportStatus
from households.indicators import DATE_UNKNOWN_INCLUDED, STATUS_UNKNOWN_INCLUDED
from resettle.indicators import catalogue, shown
from resettle.scoping import LEVEL_LENGTHS
from resettle.users import display_name

THIN = Side(style="thin", color="808080")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
MODIFIED = re.compile(r"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
NONE = "—"  # printed where there is no figure: a rate of nothing, no report last month
FORMATS = {"count": "#,##0", "amount": "#,##0.00", "ratio": "0.0%", "change": "+#,##0;-#,##0;0"}


@dataclass(frozen=True)
class Col:
    group: str
    header: str
    value: Callable[[dict], object]
    kind: str  # count, amount, ratio, change
    width: int = 10
    code: str = ""  # the indicator shown, whose records a count opens ("" for a change)


def indicator(code: str, group: str, header: str | None = None) -> Col:
    ind = catalogue.get(code)
    kind = "count" if ind.kind in ("count", "breakdown") else ind.kind
    return Col(group, header or str(ind.name), lambda v, c=code: v.get(c), kind, code=code)


def breakdown(code: str, group: str | None = None) -> list[Col]:
    ind = catalogue.get(code)
    kind = ind.category_kind
    return [
        Col(
            group or str(ind.name),
            str(label),
            lambda v, c=code, k=value: (v.get(c) or {}).get(k, 0),
            kind,
            8,
        )
        for value, label in ind.categories
    ]


def change(code: str, group: str, header: str) -> Col:
    """The change on last month's report: the values carry it as "<code>:change"."""
    return Col(group, header, lambda v, c=code: v.get(f"{c}:change"), "change")


def preview(
    report: DispatchReport, link: Callable[[str, tuple], str | None] | None = None
) -> tuple[list[Col], list[tuple[str, list]], list, list[str]]:
    """The 汇总 sheet for the report's page: its columns; its rows as (name, cells); its 合计
    cells; and its footnotes (why rows add up to more than the total). A cell is (text, link):
    `link(code, key)` gives the address of the records a figure counts, `key` ("site", id) or
    ("region", code), or None where it opens none."""
    _title, columns, per_site = sheets()[0]
    keyed = _rows(report, per_site, industry=False)
    rows = [(name, values) for name, values, _key in keyed]
    total = _total(columns, report)
    own = ("region", report.region_id)

    def cells(values: dict, key: tuple) -> list[tuple[str, str | None]]:
        return [
            (_shown(c, c.value(values)), link(c.code, key) if link and c.code else None)
            for c in columns
        ]

    return (
        columns,
        [(name, cells(values, key)) for name, values, key in keyed],
        [
            (_shown(c, v), link(c.code, own) if link and c.code else None)
            for c, v in zip(columns, total, strict=True)
        ],
        footnotes(columns, rows, total, _over_sites(report, per_site, industry=False)),
    )


def _shown(col: Col, value) -> str:
    """A value as the workbook's number format shows it."""
    return shown(col.kind, value)


def sheets() -> list[tuple[str, list[Col], bool]]:
    """(title, columns, per site) of each data sheet."""
    summary = [
        indicator("sites", "基本情况"),
        indicator("households", "基本情况"),
        indicator("persons", "基本情况"),
        indicator("labor_force", "就业"),
        indicator("employed", "就业"),
        change("employed", "就业", "就业较上月"),
        indicator("employment_rate", "就业"),
        indicator("zero_employment_households", "就业"),
        indicator("one_per_household_rate", "就业"),
        indicator("monitored_households", "监测帮扶"),
        change("monitored_households", "监测帮扶", "监测户较上月"),
        indicator("new_monitored", "监测帮扶"),
        indicator("eliminated_this_month", "监测帮扶"),
        indicator("open_alerts", "监测帮扶"),
        indicator("projects", "产业"),
        indicator("investment", "产业", "投资（万元）"),
        indicator("property_certificate_rate", "后续扶持"),
        indicator("hukou_transfer_rate", "后续扶持"),
    ]
    employment = [
        indicator("labor_force", "劳动力"),
        indicator("employed", "劳动力"),
        indicator("employment_rate", "劳动力"),
        *breakdown("employed_by_channel"),
        *breakdown("employed_by_job_type"),
        *breakdown("employed_by_place"),
    ]
    monitoring = [
        indicator("monitored_households", "监测对象"),
        indicator("monitored_persons", "监测对象"),
        *breakdown("monitored_by_category"),
        indicator("new_monitored", "本月"),
        indicator("eliminated_this_month", "本月"),
        indicator("cases_without_measure", "需关注"),
        indicator("overdue_verifications", "需关注"),
        indicator("open_alerts", "需关注"),
    ]
    industry = [
        indicator("projects", "项目"),
        indicator("workshops", "车间工坊"),
        indicator("workshop_jobs", "车间工坊"),
        indicator("workshop_relocated_share", "车间工坊"),
        indicator("sites_under_800_without_workshop", "车间工坊", "缺车间的小型安置点"),
        *breakdown("investment_by_sector", "分产业投资（万元）"),
        indicator("investment", "投资", "合计（万元）"),
        indicator("households_linked", "利益联结"),
        indicator("dividends_paid_ytd", "利益联结", "本年分红（元）"),
    ]
    return [
        ("汇总", summary, False),
        ("就业情况", employment, False),
        ("监测帮扶", monitoring, False),
        ("产业项目", industry, False),
        ("安置区明细", summary, True),
    ]


def _previous(report: DispatchReport) -> dict:
    """Last month's key figures by row, as frozen into the report when it was made."""
    return report.values.get("previous") or {}


def _with_change(values: dict, before: dict | None) -> dict:
    values = dict(values)
    for code in ("employed", "monitored_households"):
        if before is not None and before.get(code) is not None and values.get(code) is not None:
            values[f"{code}:change"] = values[code] - before[code]
    return values


def _over_sites(report: DispatchReport, per_site: bool, industry: bool) -> bool:
    """Whether a sheet's rows are sites (else regions): `_rows`'s choice."""
    county = len(report.region_id) >= LEVEL_LENGTHS["county"]
    return per_site or (county and not industry)


def _rows(report: DispatchReport, per_site: bool, industry: bool) -> list[tuple[str, dict, tuple]]:
    """A sheet's rows as (name, values, key): key ("site", id) or ("region", code)."""
    snapshot = report.values
    previous = _previous(report)
    county = len(report.region_id) >= LEVEL_LENGTHS["county"]
    if _over_sites(report, per_site, industry):
        return [
            (
                row["name"],
                _with_change(row["values"], previous.get(f"s{row['id']}") if previous else None),
                ("site", row["id"]),
            )
            for row in snapshot.get("sites", [])
        ]
    if county:  # projects belong to the county: one row
        return [
            (
                snapshot["region"]["name"],
                snapshot["region"]["values"],
                ("region", snapshot["region"]["code"]),
            )
        ]
    return [
        (
            row["name"],
            _with_change(row["values"], previous.get(f"c{row['code']}") if previous else None),
            ("region", row["code"]),
        )
        for row in snapshot.get("children", [])
    ]


def _total(columns: list[Col], report: DispatchReport) -> list:
    """合计: the region's own figures, as the catalogue counted them for the whole area (each
    record once), never a sum of the rows; the change is on last month's total."""
    region = _with_change(report.values["region"]["values"], _previous(report).get("total"))
    return [col.value(region) for col in columns]


def footnotes(
    columns: list[Col], rows: list[tuple[str, dict]], total: list, over_sites: bool
) -> list[str]:
    """What a reader needs to know where a column's rows do not add up to its 合计: over sites
    (`over_sites`), for a figure that counts a shared record in each row (a project serving
    several sites), the indicator's own note; over regions, that the rows are the reports
    below as they were submitted or approved, made before this one."""
    notes = []
    for col, value in zip(columns, total, strict=True):
        if col.kind not in ("count", "amount") or value is None or not col.code:
            continue
        numbers = [col.value(v) or 0 for _n, v in rows]
        places = 0 if col.kind == "count" else 2
        if not rows or round(sum(numbers), places) == round(value, places):
            continue
        indicator = catalogue.get(col.code)
        if over_sites and not catalogue.additive(col.code):
            reason = str(indicator.shared_note) or _(
                "A record can count in several rows and once in the total."
            )
        else:
            reason = _(
                "The rows are the figures of the reports below as they were submitted or "
                "approved; the total is the area's as this report was made."
            )
        notes.append(f"※ {col.header}：{reason}")
    return notes


def _sheet(
    book: Workbook, title: str, heading: str, unit_line: str, columns, rows, total, notes=()
) -> None:
    sheet = book.create_sheet(title)
    width = len(columns) + 1
    sheet.cell(row=1, column=1, value=heading).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(row=1, column=1).alignment = Alignment(horizontal="center")
    sheet.cell(row=2, column=1, value=unit_line)
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    # Two header rows: the group merged over its columns, then each column.
    name = sheet.cell(row=3, column=1, value="地区" if title != "安置区明细" else "安置区")
    sheet.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    name.alignment = Alignment(horizontal="center", vertical="center")
    start = 2
    for index, col in enumerate(columns, start=2):
        cell = sheet.cell(row=4, column=index, value=col.header)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        last = index == width or columns[index - 1].group != col.group
        if last:
            group = sheet.cell(row=3, column=start, value=col.group)
            group.alignment = Alignment(horizontal="center", vertical="center")
            if index > start:
                sheet.merge_cells(start_row=3, start_column=start, end_row=3, end_column=index)
            start = index + 1
        # Wide enough for the largest figure as printed (else the sheet shows ###).
        printed = [_shown(col, col.value(v)) for _n, v in rows] + [_shown(col, total[index - 2])]
        widest = max(len(text) for text in printed) + 2
        sheet.column_dimensions[get_column_letter(index)].width = max(col.width, widest)
    # Wrapped headers get the lines they need (a CJK character is two width units).
    lines = max(math.ceil(_text_width(c.header) / (c.width - 1)) for c in columns)
    sheet.row_dimensions[4].height = 15 * max(lines, 1) + 2
    for row_number in (3, 4):
        for column in range(1, width + 1):
            cell = sheet.cell(row=row_number, column=column)
            cell.font = Font(bold=True)
            cell.fill = HEAD_FILL
            cell.border = BOX
    names = [_text_width(label) for label, _values in rows]
    sheet.column_dimensions["A"].width = min(max([16, *names]) + 2, 48)
    row_number = 5
    for label, values in [*rows, ("合计", None)]:
        cells = [label] + ([c.value(values) for c in columns] if values is not None else total)
        for column, value in enumerate(cells, start=1):
            cell = sheet.cell(row=row_number, column=column, value=NONE if value is None else value)
            cell.border = BOX
            if value is None:  # no denominator, or no report last month
                cell.alignment = Alignment(horizontal="center")
            elif column > 1:
                cell.number_format = FORMATS[columns[column - 2].kind]
            if values is None:
                cell.font = Font(bold=True)
                cell.fill = TOTAL_FILL
        row_number += 1
    for note in notes:  # under the table, over its width, printed with it
        cell = sheet.cell(row=row_number, column=1, value=note)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        sheet.merge_cells(
            start_row=row_number, start_column=1, end_row=row_number, end_column=width
        )
        sheet.row_dimensions[row_number].height = 15 * max(
            1, math.ceil(_text_width(note) / max(_sum_widths(sheet, width), 1))
        )
        row_number += 1
    sheet.freeze_panes = "B5"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "3:4"


def _sum_widths(sheet, width: int) -> int:
    """The printed width, in character units, of the sheet's first `width` columns."""
    return int(
        sum(sheet.column_dimensions[get_column_letter(c)].width or 10 for c in range(1, width + 1))
    )


def _text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _when(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else "—"


def status_line(report: DispatchReport) -> str:
    """Where the report stands, printed under the title: its status, who submitted it
    (填报人), who approved it (审核人), when."""
    parts = [f"状态：{report.get_status_display()}"]
    submitted = (
        report.events.filter(action=ReportEvent.Action.SUBMITTED).order_by("-at", "-id").first()
    )
    if submitted is not None and report.status != ReportStatus.DRAFT:
        parts.append(f"填报人：{display_name(submitted.by)}（{_when(submitted.at)} 上报）")
    if report.status == ReportStatus.APPROVED:
        parts.append(f"审核人：{display_name(report.approved_by)}（{_when(report.approved_at)} 审核）")
    parts.append(f"生成时间：{_when(report.generated_at)}")
    return "    ".join(parts)


# What the notes say of a figure that counts households of unknown status as not done, by the
# indicator counting them (households.indicators.STATUS_UNKNOWN_INCLUDED).
STATUS_UNKNOWN_NOTES = {
    "households_certificate_status_unknown": gettext_lazy(
        " (includes %(count)d households whose status is not known, counted as not issued)"
    ),
    "households_hukou_unknown": gettext_lazy(
        " (includes %(count)d households whose status is not known, counted as not transferred)"
    ),
}


def _notes(book: Workbook, heading: str, unit_line: str, region: dict) -> None:
    sheet = book.create_sheet("指标说明")
    sheet.cell(row=1, column=1, value=heading).font = Font(bold=True, size=14)
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=6)
    sheet.cell(row=2, column=1, value=unit_line)
    headers = ["指标代码", "指标名称", "单位", "定义", "依据", "本期值（本地区）"]
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=3, column=column, value=header)
        cell.font = Font(bold=True)
        cell.fill = HEAD_FILL
        cell.border = BOX
    for row_number, ind in enumerate(catalogue.all(), start=4):
        value = region.get(ind.code)
        if ind.kind == "breakdown":
            # In the categories' order: the stored snapshot's key order is the database's.
            value = "；".join(
                f"{label} {(value or {}).get(code, 0)}" for code, label in ind.categories
            )
        definition = str(ind.definition)
        unknown = region.get(DATE_UNKNOWN_INCLUDED.get(ind.code, ""))
        if unknown:
            definition += _(
                " (this period includes %(count)d households whose date is not known, counted "
                "from the day they were entered)"
            ) % {"count": unknown}
        not_known = STATUS_UNKNOWN_INCLUDED.get(ind.code, "")
        if region.get(not_known):
            definition += STATUS_UNKNOWN_NOTES[not_known] % {"count": region[not_known]}
        cells = [
            ind.code,
            str(ind.name),
            str(ind.unit),
            definition,
            str(ind.source),
            value,
        ]
        for column, cell_value in enumerate(cells, start=1):
            cell = sheet.cell(row=row_number, column=column, value=cell_value)
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=column == 4, vertical="top")
            if column == 6 and ind.kind in FORMATS:
                cell.number_format = FORMATS[ind.kind]
    for letter, width in zip("ABCDEF", (26, 22, 8, 60, 28, 24), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A4"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True


def build(report: DispatchReport) -> bytes:
    """The workbook of `report`, from its snapshot only."""
    year, month = (int(p) for p in report.period.split("-"))
    snapshot = report.values
    region = snapshot["region"]
    heading = f"{region['name']}易地扶贫搬迁后续扶持工作月调度表（{year}年{month}月）"
    with translation.override("zh-hans"):
        unit_line = (
            f"填报单位：{region['name']}    统计截止日期：{report.as_of:%Y年%m月%d日}    "
            + status_line(report)
        )
        book = Workbook()
        book.remove(book.active)
        for title, columns, per_site in sheets():
            keyed = _rows(report, per_site, industry=title == "产业项目")
            rows = [(name, values) for name, values, _key in keyed]
            total = _total(columns, report)
            notes = footnotes(
                columns, rows, total, _over_sites(report, per_site, industry=title == "产业项目")
            )
            _sheet(book, title, heading, unit_line, columns, rows, total, notes)
        _notes(book, heading, unit_line, region["values"])
    stamp = timezone.localtime(report.generated_at).replace(tzinfo=None, microsecond=0)
    book.properties.created = stamp
    book.properties.modified = stamp
    book.properties.creator = "resettle"
    buffer = io.BytesIO()
    book.save(buffer)
    return _fixed_zip(buffer.getvalue(), stamp)


def _fixed_zip(data: bytes, stamp: dt.datetime) -> bytes:
    """The same archive with every member dated `stamp`, so that one report always gives the
    same bytes."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            fixed = zipfile.ZipInfo(info.filename, date_time=stamp.timetuple()[:6])
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                # openpyxl stamps the time of saving as "modified": the report's time instead.
                content = MODIFIED.sub(
                    lambda m: m.group(1) + stamp.strftime("%Y-%m-%dT%H:%M:%SZ") + m.group(2),
                    content.decode("utf-8"),
                ).encode("utf-8")
            target.writestr(fixed, content)
    return out.getvalue()
