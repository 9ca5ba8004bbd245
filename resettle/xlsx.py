"""A streaming .xlsx writer for long single-sheet exports: rows go straight into the zip as
worksheet XML, so memory stays flat whatever the row count.

Measured on the export of 230,000 persons (BENCHMARKS.md): XlsxWriter's constant-memory mode
writes about 3,000 rows of 26 columns a second on our 2-core machines, under the aim of 4,000;
pyexcelerate is faster but holds the sheet in memory (370 MB for 200,000 rows). This writer does
only what the exports need (text, numbers, dates, a bold header, a red mark for cells in error,
column widths, a frozen header row and an autofilter) and writes about five times as fast.
The small formatted workbooks (templates, monthly reports) are openpyxl's.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
import zipfile
from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from openpyxl.utils import get_column_letter

# Style indexes of STYLES_XML's cellXfs.
PLAIN, HEADER, DATE, TEXT, BAD, BAD_TEXT, BAD_DATE = range(7)
EXCEL_EPOCH = dt.date(1899, 12, 30)
# Values starting with these are read as formulas by spreadsheet programs (OWASP, CSV injection);
# the imports take the leading ' off again.
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
# Characters XML 1.0 does not allow; a cell holding one would make Excel repair the file.
ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

CONTENT_TYPES_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>
<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>
<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>
</Types>"""

ROOT_RELS_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>
</Relationships>"""

WORKBOOK_RELS_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>
<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>
</Relationships>"""

WORKBOOK_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">
<bookViews><workbookView/></bookViews>
<sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets>
{defined_names}</workbook>"""

STYLES_XML = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">
<numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts>
<fonts count="3">
<font><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>
<font><b/><sz val="11"/><name val="宋体"/><family val="3"/><charset val="134"/></font>
<font><sz val="11"/><color rgb="FF9C0006"/><name val="宋体"/><family val="3"/><charset val="134"/></font>
</fonts>
<fills count="4">
<fill><patternFill patternType="none"/></fill>
<fill><patternFill patternType="gray125"/></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFDDEBF7"/><bgColor indexed="64"/></patternFill></fill>
<fill><patternFill patternType="solid"><fgColor rgb="FFFFC7CE"/><bgColor indexed="64"/></patternFill></fill>
</fills>
<borders count="2">
<border><left/><right/><top/><bottom/><diagonal/></border>
<border><left style="thin"><color auto="1"/></left><right style="thin"><color auto="1"/></right><top style="thin"><color auto="1"/></top><bottom style="thin"><color auto="1"/></bottom><diagonal/></border>
</borders>
<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>
<cellXfs count="7">
<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>
<xf numFmtId="0" fontId="1" fillId="2" borderId="1" xfId="0" applyFont="1" applyFill="1" applyBorder="1"/>
<xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/>
<xf numFmtId="0" fontId="2" fillId="3" borderId="0" xfId="0" applyFont="1" applyFill="1"/>
<xf numFmtId="49" fontId="2" fillId="3" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1"/>
<xf numFmtId="164" fontId="2" fillId="3" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1" applyFill="1"/>
</cellXfs>
<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>
</styleSheet>"""


def _text(value: str) -> str:
    value = escape(value)
    if ILLEGAL.search(value):
        value = ILLEGAL.sub("", value)
    space = ' xml:space="preserve"' if value[:1].isspace() or value[-1:].isspace() else ""
    return f"<t{space}>{value}</t>"


class SheetWriter:
    """One worksheet written row by row into a temporary .xlsx file.

    `widths` are the column widths in characters; `styles` the default style of each column's
    empty cells (TEXT for code, ID and phone columns, so that what a user types stays text)."""

    def __init__(self, title: str, widths: Sequence[int], styles: Sequence[int]):
        self.file = tempfile.TemporaryFile(suffix=".xlsx")  # noqa: SIM115 (returned open)
        self.zip = zipfile.ZipFile(self.file, "w", zipfile.ZIP_DEFLATED, compresslevel=1)
        self.title = ILLEGAL.sub("", title)[:31] or "Sheet1"
        self.letters = [get_column_letter(i + 1) for i in range(max(len(widths), 1) + 1)]
        self.columns = len(widths)
        self.row = 0
        self.sheet = self.zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        cols = "".join(
            f'<col min="{i + 1}" max="{i + 1}" width="{w}" style="{s}" customWidth="1"/>'
            for i, (w, s) in enumerate(zip(widths, styles, strict=True))
        )
        self._out(
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
            'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
            '<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
            'activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>'
            f'<sheetFormatPr defaultRowHeight="15"/><cols>{cols}</cols><sheetData>'
        )
        self.buffer: list[str] = []

    def _out(self, text: str) -> None:
        self.sheet.write(text.encode("utf-8"))

    def write_row(self, values: Sequence, styles: Sequence[int] | None = None) -> None:
        """A row of str, int, float, Decimal, bool, date or None; `styles` per cell, else by type."""
        self.row += 1
        row = self.row
        letters = self.letters
        cells = []
        for index, value in enumerate(values):
            if value is None or value == "":
                if styles and styles[index] != PLAIN:
                    cells.append(f'<c r="{letters[index]}{row}" s="{styles[index]}"/>')
                continue
            ref = f"{letters[index]}{row}"
            style = styles[index] if styles else PLAIN
            if value.__class__ is str:
                if value[0] in FORMULA_TRIGGERS:
                    value = "'" + value  # never a formula, in any spreadsheet program
                attr = f' s="{style}"' if style else ""
                cells.append(f'<c r="{ref}"{attr} t="inlineStr"><is>{_text(value)}</is></c>')
            elif isinstance(value, bool):
                attr = f' s="{style}"' if style else ""
                text = "是" if value else "否"
                cells.append(f'<c r="{ref}"{attr} t="inlineStr"><is><t>{text}</t></is></c>')
            elif isinstance(value, dt.date):
                day = value.date() if isinstance(value, dt.datetime) else value
                serial = (day - EXCEL_EPOCH).days
                date_style = BAD_DATE if style in (BAD, BAD_TEXT) else DATE
                cells.append(f'<c r="{ref}" s="{date_style}"><v>{serial}</v></c>')
            elif isinstance(value, int | float | Decimal):
                attr = f' s="{style}"' if style else ""
                number = value if isinstance(value, Decimal) else repr(value)
                cells.append(f'<c r="{ref}"{attr}><v>{number}</v></c>')
            else:
                attr = f' s="{style}"' if style else ""
                cells.append(f'<c r="{ref}"{attr} t="inlineStr"><is>{_text(str(value))}</is></c>')
        self.buffer.append(f'<row r="{row}">{"".join(cells)}</row>')
        if len(self.buffer) >= 500:
            self._out("".join(self.buffer))
            self.buffer.clear()

    def close(self):
        """The finished workbook as an open file positioned at its start."""
        self._out("".join(self.buffer))
        last = self.letters[max(self.columns, 1) - 1]
        area = f"A1:{last}{max(self.row, 1)}"
        self._out(f'</sheetData><autoFilter ref="{area}"/>')
        self._out(
            '<pageMargins left="0.7" right="0.7" top="0.75" bottom="0.75" header="0.3" '
            'footer="0.3"/></worksheet>'
        )
        self.sheet.close()
        name = escape(self.title, {'"': "&quot;"})
        quoted = "'" + self.title.replace("'", "''") + "'"
        defined = (
            f'<definedNames><definedName name="_xlnm._FilterDatabase" localSheetId="0" '
            f'hidden="1">{escape(quoted)}!$A$1:${last}${max(self.row, 1)}'
            f"</definedName></definedNames>"
        )
        self.zip.writestr("[Content_Types].xml", CONTENT_TYPES_XML)
        self.zip.writestr("_rels/.rels", ROOT_RELS_XML)
        self.zip.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS_XML)
        self.zip.writestr("xl/workbook.xml", WORKBOOK_XML.format(name=name, defined_names=defined))
        self.zip.writestr("xl/styles.xml", STYLES_XML)
        self.zip.close()
        self.file.seek(0)
        return self.file
