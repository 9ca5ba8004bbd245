"""The leading group's monthly workbook (月调度表), built from a report's snapshot alone, never
recomputed: two downloads of one report are the same file, byte for byte.

Sheets: 汇总 (headline figures), 就业情况 (employed by channel and job type, as the Tacheng
table), 监测帮扶, 产业项目, 安置区治理 (facilities, services, who runs the sites, greenhouses and
shop income: issue 19), 安置区明细 (per site), 指标说明 (every indicator: definition, source
and the region's value). One row per county (per site for a county's report), a 合计 row, and
the change on last month's approved or latest report for the key figures.

Printed as the leading group reads it: every sheet on A4 landscape, at 8 pt or more (a sheet too
wide for that, 就业情况, goes over two pages across, the area column repeated), text wrapped
within the page, the report's title, the sheet's name and 第 N 页 on every page."""

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
from openpyxl.worksheet.pagebreak import Break

from governance.models import DispatchReport, ReportEvent, ReportStatus
from governance.sitegov import rules as sitegov_rules
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
SEPARATOR = "    "  # between the parts of the line under the title
FONT = "Calibri"  # the workbook's own (openpyxl's default)
FORMATS = {"count": "#,##0", "amount": "#,##0.00", "ratio": "0.0%", "change": "+#,##0;-#,##0;0"}

# Printing (issue 18): every sheet on A4 landscape, as a leading group prints it. Widths are in
# the spreadsheet's column units, which print about 5.25 pt each in Excel and 5.55 pt in
# LibreOffice (Calibri or its metric twin Carlito); the layout counts the wider, a line's room
# the narrower, so that neither cuts a figure nor a wrapped line.
POINTS_PER_UNIT = 5.6
ROOM_PER_UNIT = 5.25
CELL_PADDING = 5  # points a cell keeps clear of its borders
PAGE_WIDTH = 841.9  # A4 landscape, in points
SIDE_MARGIN = 0.6  # inches (1.5 cm), left and right
PRINTED_WIDTH = PAGE_WIDTH - 2 * 72 * SIDE_MARGIN
PAGE_HEIGHT = 595.3
END_MARGIN = 0.75  # inches, top and bottom; the header and footer 0.3 inch from the edge
PRINTED_HEIGHT = PAGE_HEIGHT - 2 * 72 * END_MARGIN
FONT_SIZE = 11  # the body text, in points
LINE_HEIGHT = 16.5  # points per line of 11 pt text with CJK characters (16 in LibreOffice)
# The smallest print scale: 11 pt text prints at 8.25 pt, the least a reader should be given.
MIN_SCALE = 0.75
COLUMN_WIDTH = 8  # a figure's column: its header wraps in up to HEADER_LINES lines
HEADER_LINES = 3
AREA_WIDTH = (12, 26)  # the name column, narrowest and widest; longer names wrap
# What a line may not end with, or start with: a wrap keeps them with their neighbour.
OPENING = "（〔「『《【"
CLOSING = "）〕」』》】，。、；：！？%"
# A CJK character with its brackets; a figure with the unit after it (11 人；); a space.
TOKEN = re.compile(
    rf"[{OPENING}]*[^\s\x00-\u2e7f][{re.escape(CLOSING)}]*"
    rf"|[^\s\u2e80-\uffff]+(?: ?[^\s\x00-\u2e7f]{{1,2}}[{re.escape(CLOSING)}]*)?"
    r"|\s+"
)


@dataclass(frozen=True)
class Col:
    group: str
    header: str
    value: Callable[[dict], object]
    kind: str  # count, amount, ratio, change
    width: int = COLUMN_WIDTH
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
    governance = [
        indicator("sites", "安置区", "总数（个）"),
        indicator("sites_facilities_complete", "十有", "齐全安置区（个）"),
        indicator("facility_rate", "十有", "项目到位率"),
        indicator("sites_services_complete", "十到位", "齐全安置区（个）"),
        indicator("service_rate", "十到位", "项目到位率"),
        indicator("sites_needing_team", "一点一队", "需派驻（个）"),
        indicator("sites_team_lacking", "一点一队", "缺工作队（个）"),
        indicator("sites_leader_missing", "包保", "无包保领导（个）"),
        indicator("sites_leader_unfit", "包保", "级别不符（个）"),
        indicator("sites_large_without_community", "大型安置区", "缺社区、党支部（个）"),
        indicator("greenhouse_willing_households", "一户一棚", "有意愿（户）"),
        indicator("greenhouse_households", "一户一棚", "已有大棚（户）"),
        indicator("greenhouse_coverage", "一户一棚", "覆盖率"),
        indicator("shop_income_to_community", "集体经济", "门面收入用于社区（元）"),
        indicator("sites_with_shortfall", "短板", "有短板安置区（个）"),
    ]
    return [
        ("汇总", summary, False),
        ("就业情况", employment, False),
        ("监测帮扶", monitoring, False),
        ("产业项目", industry, False),
        ("安置区治理", governance, False),
        ("安置区明细", summary, True),
    ]


def sheet_notes(title: str) -> list[str]:
    """What a sheet's reader needs to know of its figures whatever the rows (besides
    `footnotes`): for 安置区治理, the rules its site counts apply, with the thresholds of
    settings.SITE_GOVERNANCE and SITE_SIZES (Yuncheng plan §三(四)(五), Guizhou opinions items 9
    and 24, Kashgar report §二(四)). [] for the other sheets."""
    if title != "安置区治理":
        return []
    return [
        "※ 十有、十到位：按各安置区的设施、服务清单（含本省增列项目）统计，齐全指清单项目"
        "全部到位；到位率＝到位项目数÷应有项目数。",
        f"※ 需派工作队：建档立卡户人口 {sitegov_rules.team_persons():,} 人以上的安置区，"
        f"须有第一书记和不少于 {sitegov_rules.team_size()} 人的工作队；不足的由县级统一管理，"
        "不计为缺工作队。",
        f"※ 包保领导级别：{sitegov_rules.large_persons():,} 人以上的安置区须由县级党政主要"
        "领导包保，其余至少由县级副职领导包保。",
        f"※ 大型安置区：{sitegov_rules.community_persons():,} 人以上，须有自己的社区和党支部。",
        "※ 门面收入用于社区：统计日所在年度门面、商铺收入中用于社区运转和集体经济的部分。",
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


def _text_points(text: str, size: float = FONT_SIZE) -> float:
    """The printed length of `text` at `size` points: a CJK character a full em, any other a
    little over half (Calibri's figures are half an em)."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.55 for ch in text)


def _units(points: float) -> int:
    """The column width, in units, that holds `points` of text on one line (`_room`)."""
    return math.ceil((points + CELL_PADDING + FONT_SIZE / 2) / ROOM_PER_UNIT)


def _room(units: float, size: float = FONT_SIZE) -> float:
    """The points of text a line holds in a cell `units` wide, with half a character to spare
    (Excel's CJK characters are a little wider on screen than in print)."""
    return units * ROOM_PER_UNIT - CELL_PADDING - size / 2


def _lines(text: str, units: float, size: float = FONT_SIZE) -> int:
    """How many lines `text` takes wrapped in a cell `units` wide (its newlines kept), as the
    narrower of Excel and LibreOffice breaks it: between CJK characters or at spaces."""
    room = _room(units, size)
    count = 0
    for paragraph in str(text).split("\n"):
        count += 1
        used = 0.0
        for token in TOKEN.findall(paragraph):
            length = _text_points(token, size)
            if token.isspace() or used + length <= room:
                used += length
            else:  # onto a new line; a word longer than a line takes more
                extra = max(1, math.ceil(length / room))
                count += extra if used > 0 else extra - 1
                used = length - (extra - 1) * room
    return count


def _wrapped(text: str, units: float, size: float = FONT_SIZE) -> str:
    """`text` with a newline wherever a cell `units` wide would wrap it: between CJK characters
    or after a space, never before a closing bracket or stop nor after an opening bracket.
    Taking the newlines out gives `text` back."""
    room = _room(units, size)
    lines = []
    for paragraph in text.split("\n"):
        line = ""
        for token in TOKEN.findall(paragraph):
            if line.strip() and not token.isspace() and _text_points(line + token, size) > room:
                lines.append(line)
                line = ""
            line += token
        lines.append(line)
    return "\n".join(lines)


def _row_height(lines: int, size: float = FONT_SIZE) -> float:
    """The height, in points, of a row of `lines` lines of `size` point text."""
    return round(lines * LINE_HEIGHT * size / FONT_SIZE + 3, 1)


def _blocks(widths: list[float], groups: list[str]) -> list[list[int]]:
    """The columns (numbers from 2; column 1 is the area, printed on every page) of each printed
    page across: all on one page when they fit at MIN_SCALE, else whole groups per page, a
    group split only where it alone is wider than a page."""
    room = PRINTED_WIDTH / (POINTS_PER_UNIT * MIN_SCALE) - widths[0]
    if sum(widths[1:]) <= room:
        return [list(range(2, len(widths) + 1))]
    runs: list[list[int]] = []
    for number, group in enumerate(groups, start=2):
        if runs and groups[runs[-1][-1] - 2] == group:
            runs[-1].append(number)
        else:
            runs.append([number])
    blocks: list[list[int]] = [[]]
    for run in runs:
        if blocks[-1] and sum(widths[n - 1] for n in blocks[-1] + run) > room:
            blocks.append([])
        for number in run:  # a group wider than a page goes on over the next
            if blocks[-1] and sum(widths[n - 1] for n in blocks[-1]) + widths[number - 1] > room:
                blocks.append([])
            blocks[-1].append(number)
    return blocks


def _banner(sheet, row: int, text: str, last: int, size: float, **align) -> None:
    """`text` in `row` merged over columns 1 to `last` (the first printed page's width), wrapped
    at the separators of its parts where it is wider, its height the lines it takes."""
    units = sum(sheet.column_dimensions[get_column_letter(c)].width for c in range(1, last + 1))
    text = _packed(text.split(SEPARATOR), SEPARATOR, units, size)
    cell = sheet.cell(row=row, column=1, value=text)
    cell.font = Font(name=FONT, bold=size > FONT_SIZE, size=size)
    cell.alignment = Alignment(wrap_text=True, vertical="center", **align)
    if last > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=last)
    sheet.row_dimensions[row].height = _row_height(_lines(text, units, size), size)


def _packed(parts: list[str], separator: str, units: float, size: float = FONT_SIZE) -> str:
    """`parts` joined by `separator` on lines that fit a cell `units` wide: a line breaks after a
    separator (kept at its end, but for spaces), never inside a part that fits on a line."""
    room = _room(units, size)
    end = separator.strip()
    lines = [""]
    for part in parts:
        joined = f"{lines[-1]}{separator}{part}" if lines[-1] else part
        if lines[-1] and _text_points(joined + end, size) > room:
            lines[-1] += end
            lines.append(part)
        else:
            lines[-1] = joined
    return "\n".join(lines)


def _print_setup(
    sheet, heading: str, blocks: list[list[int]], title_rows: str, widths, table_end: int
) -> None:
    """A4 landscape; the header rows (and the area column when the columns go over several
    pages across) on every page; the report's title, the sheet's name and the page number in
    the header and footer. One page across prints at 100 % where it fits, else fitted to the
    width; several are printed as one print range each (the first with the title, the line
    under it and the notes; the others the table's rows 3 to `table_end`), at the scale at
    which the widest fits."""
    setup = sheet.page_setup
    setup.paperSize = sheet.PAPERSIZE_A4
    setup.orientation = "landscape"
    margins = sheet.page_margins
    margins.left = margins.right = SIDE_MARGIN
    margins.top = margins.bottom = END_MARGIN
    margins.header = margins.footer = 0.3
    sheet.print_options.horizontalCentered = True
    sheet.print_title_rows = title_rows
    first = f"A1:{get_column_letter(blocks[0][-1])}{sheet.max_row}"
    widest = max(sum(widths[n - 1] for n in block) for block in blocks) + widths[0]
    scale = min(100, math.floor(100 * PRINTED_WIDTH / (widest * POINTS_PER_UNIT)))
    sheet.print_area = first
    if len(blocks) > 1:
        # Not a column break: the title over the first page would be cut in the area column
        # repeated on the next.
        sheet.print_title_cols = "A:A"
        sheet.print_area = [first] + [
            f"{get_column_letter(block[0])}3:{get_column_letter(block[-1])}{table_end}"
            for block in blocks[1:]
        ]
        setup.scale = scale
    elif scale < 100:  # fitted by the program printing it, which measures its own widths
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        setup.fitToWidth = 1
        setup.fitToHeight = 0
    sheet.oddHeader.left.text = heading.replace("&", "&&")  # & starts a header code
    sheet.oddHeader.right.text = "&A"
    sheet.oddFooter.center.text = _("Page &P of &N")


def _sheet(
    book: Workbook, title: str, heading: str, unit_line: str, columns, rows, total, notes=()
) -> None:
    sheet = book.create_sheet(title)
    width = len(columns) + 1
    widths = [_area_width(rows)] + [
        _column_width(col, [col.value(v) for _n, v in rows] + [total[index]])
        for index, col in enumerate(columns)
    ]
    for number, units in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = units
    blocks = _blocks(widths, [c.group for c in columns])
    first = blocks[0][-1]  # the last column of the first page across
    _banner(sheet, 1, heading, first, 14, horizontal="center")
    _banner(sheet, 2, unit_line, first, FONT_SIZE, horizontal="left")
    # Two header rows: the group merged over its columns (on each page across), then each
    # column.
    name = sheet.cell(row=3, column=1, value="地区" if title != "安置区明细" else "安置区")
    sheet.merge_cells(start_row=3, start_column=1, end_row=4, end_column=1)
    name.alignment = Alignment(horizontal="center", vertical="center")
    page = {number: page for page, block in enumerate(blocks) for number in block}
    start = 2
    for index, col in enumerate(columns, start=2):
        cell = sheet.cell(row=4, column=index, value=_header_text(col.header, widths[index - 1]))
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        last = index == width or columns[index - 1].group != col.group
        if last or page[index + 1] != page[index]:
            group = sheet.cell(row=3, column=start, value=col.group)
            group.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            if index > start:
                sheet.merge_cells(start_row=3, start_column=start, end_row=3, end_column=index)
            start = index + 1
    lines = max(
        _lines(sheet.cell(row=4, column=n).value, widths[n - 1]) for n in range(2, width + 1)
    )
    sheet.row_dimensions[4].height = _row_height(lines)
    for row_number in (3, 4):
        for column in range(1, width + 1):
            cell = sheet.cell(row=row_number, column=column)
            cell.font = Font(name=FONT, bold=True)
            cell.fill = HEAD_FILL
            cell.border = BOX
    row_number = 5
    for label, values in [*rows, ("合计", None)]:
        cells = [label] + ([c.value(values) for c in columns] if values is not None else total)
        for column, value in enumerate(cells, start=1):
            cell = sheet.cell(row=row_number, column=column, value=NONE if value is None else value)
            cell.border = BOX
            if column == 1:
                cell.alignment = Alignment(wrap_text=True, vertical="center")
            elif value is None:  # no denominator, or no report last month
                cell.alignment = Alignment(horizontal="center", vertical="center")
            else:
                cell.number_format = FORMATS[columns[column - 2].kind]
                cell.alignment = Alignment(vertical="center")
            if values is None:
                cell.font = Font(name=FONT, bold=True)
                cell.fill = TOTAL_FILL
        sheet.row_dimensions[row_number].height = _row_height(_lines(label, widths[0]))
        row_number += 1
    table_end = row_number - 1
    for note in notes:  # under the table, over the first page's width, printed with it
        _banner(sheet, row_number, note, first, FONT_SIZE, horizontal="left")
        row_number += 1
    sheet.freeze_panes = "B5"
    _print_setup(sheet, heading, blocks, "3:4", widths, table_end)


def _area_width(rows: list[tuple[str, dict]]) -> int:
    """The name column: as wide as the longest name, within AREA_WIDTH (longer names wrap)."""
    low, high = AREA_WIDTH
    longest = max([0.0, *(_text_points(label) for label, _values in rows)])
    return min(max(low, _units(longest)), high)


def _column_width(col: Col, values: list) -> int:
    """A figure's column: wide enough for its largest figure as printed (else the sheet shows
    ###) and for its header in HEADER_LINES lines."""
    widest = max(len(_shown(col, value)) for value in values) + 2
    units = max(col.width, widest)
    while _lines(_header_text(col.header, units), units) > HEADER_LINES:
        units += 1
    return units


def _header_text(header: str, units: int) -> str:
    """A column's header as printed in a column `units` wide: a unit in brackets that does not
    fit on the header's line goes whole onto the next (a wrap would leave its bracket alone
    there: 投资（万元 / ）)."""
    name, bracket, unit = header.partition("（")
    if not name or not bracket or _lines(header, units) == 1:
        return header
    return f"{name}\n{bracket}{unit}"


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
        parts.append(
            f"审核人：{display_name(report.approved_by)}（{_when(report.approved_at)} 审核）"
        )
    parts.append(f"生成时间：{_when(report.generated_at)}")
    return SEPARATOR.join(parts)


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
    """指标说明: each indicator by its name, with its unit, definition, source and the region's
    figure as the catalogue shows it, wrapped within an A4 landscape page."""
    sheet = book.create_sheet("指标说明")
    headers = ["指标名称", "单位", "定义", "依据", "本期值（本地区）"]
    widths = [18, 7, 42, 28, 38]
    for number, units in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(number)].width = units
    _banner(sheet, 1, heading, len(widths), 14, horizontal="center")
    _banner(sheet, 2, unit_line, len(widths), FONT_SIZE, horizontal="left")
    for column, header in enumerate(headers, start=1):
        cell = sheet.cell(row=3, column=column, value=header)
        cell.font = Font(name=FONT, bold=True)
        cell.fill = HEAD_FILL
        cell.border = BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    sheet.row_dimensions[3].height = _row_height(1)
    for row_number, ind in enumerate(catalogue.all(), start=4):
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
            str(ind.name),
            str(ind.unit),
            definition,
            str(ind.source),
            _figure(ind, region.get(ind.code), widths[-1]),
        ]
        # Broken into lines here, not by the program printing it: LibreOffice would start a
        # line with the closing bracket or stop that did not fit (…家庭 / ）。).
        cells = [_wrapped(text, units) for text, units in zip(cells, widths, strict=True)]
        for column, text in enumerate(cells, start=1):
            cell = sheet.cell(row=row_number, column=column, value=text)
            cell.border = BOX
            cell.alignment = Alignment(
                wrap_text=True, vertical="top", horizontal="center" if column == 2 else None
            )
        lines = max(_lines(text, units) for text, units in zip(cells, widths, strict=True))
        sheet.row_dimensions[row_number].height = _row_height(lines)
    sheet.freeze_panes = "A4"
    _print_setup(sheet, heading, [list(range(2, len(widths) + 1))], "3:3", widths, sheet.max_row)
    _break_pages(sheet, title_row=3)


def _break_pages(sheet, title_row: int) -> None:
    """Page breaks between rows, by the rows' heights at 100 % with a little to spare, the
    title row repeated on each page: Excel and LibreOffice then cut the sheet between the same
    rows, never inside one."""
    room = PRINTED_HEIGHT * 0.97
    used = 0.0
    for row in range(1, sheet.max_row + 1):
        height = sheet.row_dimensions[row].height
        if used + height > room and row > title_row + 1:
            sheet.row_breaks.append(Break(id=row - 1))
            used = sheet.row_dimensions[title_row].height
        used += height


def _figure(ind, value, units: int) -> str:
    """A figure as 指标说明 prints it, `units` wide: as the catalogue shows it (`shown`), with
    its unit; a breakdown's categories in their order, each with its figure, a line breaking
    only between two."""
    if ind.kind == "breakdown":
        # In the categories' order: the stored snapshot's key order is the database's.
        parts = [
            f"{label} {_with_unit(ind.category_kind, (value or {}).get(code, 0), ind.unit)}"
            for code, label in ind.categories
        ]
        return _packed(parts, "；", units)
    return _with_unit(ind.kind, value, ind.unit)


def _with_unit(kind: str, value, unit) -> str:
    text = shown(kind, value)
    return text if value is None or kind == "ratio" else f"{text} {unit}"


def build(report: DispatchReport) -> bytes:
    """The workbook of `report`, from its snapshot only."""
    year, month = (int(p) for p in report.period.split("-"))
    snapshot = report.values
    region = snapshot["region"]
    heading = f"{region['name']}易地扶贫搬迁后续扶持工作月调度表（{year}年{month}月）"
    with translation.override("zh-hans"):
        unit_line = (
            f"填报单位：{region['name']}{SEPARATOR}统计截止日期：{report.as_of:%Y年%m月%d日}"
            + SEPARATOR
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
            ) + sheet_notes(title)
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
