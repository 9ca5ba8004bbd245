"""The monthly workbook as the leading group prints it (issue 18): A4 landscape on every sheet,
the header rows (and the area column where a sheet goes over two pages across) on every page,
the line under the title wrapped within the page, 指标说明 by the indicators' Chinese names with
figures in their units. The test marked `browser` prints it through LibreOffice, as the leading
group would, and reads the PDF back (run by `make test-browser`, which installs LibreOffice)."""

import io
import re
import shutil
import subprocess

import pytest
from django.utils import translation
from openpyxl import load_workbook
from openpyxl.utils import range_boundaries
from pypdf import PdfReader

from governance.generation import report_generate
from governance.services import report_approve, report_submit
from governance.workbook import build
from households.models import Region
from resettle.indicators import catalogue
from resettle.periods import last_ended

DATA_SHEETS = ["汇总", "就业情况", "监测帮扶", "产业项目", "安置区治理", "安置区明细"]
# Pages across: 就业情况's 26 columns would print under 8 pt on one page.
ACROSS = {"汇总": 1, "就业情况": 2, "监测帮扶": 1, "产业项目": 1, "安置区治理": 1, "安置区明细": 1}
A4_LANDSCAPE = (841.9, 595.3)  # points


@pytest.fixture
def reports(alice, bob, shache_household, shufu_household):
    """An approved county report (its line names 填报人 and 审核人) and its prefecture's."""
    period = last_ended()
    county = report_generate(actor=None, period=period, region=Region.objects.get(code="653125"))
    report_generate(actor=None, period=period, region=Region.objects.get(code="653121"))
    county = report_submit(actor=alice, report=county, version=county.version)
    county = report_approve(actor=bob, report=county, version=county.version)
    prefecture = report_generate(actor=None, period=period, region=Region.objects.get(code="6531"))
    return county, prefecture


def print_areas(sheet) -> list[tuple[int, int, int, int]]:
    """The sheet's print ranges as (first column, first row, last column, last row)."""
    ranges = re.findall(r"\$?[A-Z]+\$?\d+:\$?[A-Z]+\$?\d+", sheet.print_area)
    return [range_boundaries(r.replace("$", "")) for r in ranges]


@pytest.mark.django_db
def test_every_sheet_is_set_up_for_a4_landscape_with_its_headers_on_every_page(reports):
    county, prefecture = reports
    for report in (county, prefecture):
        book = load_workbook(io.BytesIO(build(report)))
        for sheet in book:
            setup = sheet.page_setup
            assert (setup.paperSize, setup.orientation) == (9, "landscape"), sheet.title
            assert sheet.print_title_rows == ("$3:$3" if sheet.title == "指标说明" else "$3:$4")
            assert sheet.oddHeader.right.text == "&A"
            assert sheet.oddFooter.center.text == "第 &P 页 共 &N 页"
            # Nothing outside the print ranges (and the repeated area column).
            areas = print_areas(sheet)
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.value is not None:
                        assert any(
                            left <= cell.column <= right and top <= cell.row <= bottom
                            for left, top, right, bottom in areas
                        ), (sheet.title, cell.coordinate)
            if sheet.title in ACROSS:
                assert len(areas) == ACROSS[sheet.title], sheet.title
                # The area column repeats on the second page across, not the title over it.
                assert sheet.print_title_cols == ("$A:$A" if len(areas) > 1 else None)
                assert all(top == 3 for _l, top, _r, _b in areas[1:])
    # The line under the title is wrapped within the first page's width, not cut: the county's,
    # naming who submitted and who approved, goes over several lines of a row tall enough.
    line = load_workbook(io.BytesIO(build(county)))["监测帮扶"]["A2"]
    assert "填报人：alice" in line.value and "审核人：bob" in line.value
    assert line.alignment.wrap_text and line.value.count("\n") >= 1
    assert line.parent.row_dimensions[2].height >= 16 * (line.value.count("\n") + 1)


@pytest.mark.django_db
def test_the_notes_name_each_indicator_in_chinese_with_its_figure_in_its_unit(reports):
    _county, prefecture = reports
    notes = load_workbook(io.BytesIO(build(prefecture)))["指标说明"]
    assert [c.value for c in notes[3]] == ["指标名称", "单位", "定义", "依据", "本期值（本地区）"]
    rows = {
        r[0].replace("\n", ""): [str(v).replace("\n", "") for v in r]
        for r in notes.iter_rows(min_row=4, values_only=True)
    }
    with translation.override("zh-hans"):
        names = [str(i.name) for i in catalogue.all()]
    assert list(rows) == names
    codes = {i.code for i in catalogue.all()}
    printed = " ".join(" ".join(row) for row in rows.values())
    assert not codes & set(re.findall(r"[a-z_]+", printed))  # no English code anywhere
    assert rows["搬迁人数"][4] == "3 人" and rows["搬迁户数"][4] == "2 户"
    assert rows["投资"][4] == "0.00 万元" and rows["本年分红"][4] == "0.00 元"
    assert rows["就业率"][4] == "—"  # nobody of working age: no rate, and no unit after it
    assert re.fullmatch(r"\d+\.\d%", rows["户籍迁移率"][4])
    # A breakdown by its categories, each with its figure and unit.
    assert rows["分产业投资"][4] == "一产 0.00 万元；二产 0.00 万元；三产 0.00 万元"
    # Wrapped within the page: long texts on several lines of a row tall enough for them.
    long = notes.cell(row=4 + names.index("不动产权证状态不详户数"), column=3)
    assert long.alignment.wrap_text and long.value.count("\n") >= 1
    assert notes.row_dimensions[long.row].height >= 16 * (long.value.count("\n") + 1)


def pages(pdf) -> list[dict]:
    """Each page of the PDF: its size, its sheet (the name in its header), its text without
    spaces, and the smallest text printed on it (in points, as scaled)."""
    result = []
    for page in pdf.pages:
        runs = []

        def visit(text, cm, tm, _font, size, runs=runs):
            if text.strip():
                runs.append((text, size * tm[0] * cm[0], tm[5] * cm[3] + cm[5]))

        page.extract_text(visitor_text=visit)
        height = float(page.mediabox.height)
        header = "".join(t for t, _s, y in runs if y > height - 50).strip()
        result.append(
            {
                "size": (float(page.mediabox.width), height),
                "sheet": next(
                    (s for s in [*DATA_SHEETS, "指标说明"] if header.endswith(s)), header
                ),
                "text": re.sub(r"\s", "", "".join(t for t, _s, _y in runs)),
                "smallest": min(s for _t, s, _y in runs),
            }
        )
    return result


@pytest.mark.browser
@pytest.mark.django_db
def test_printed_through_libreoffice_every_page_is_a4_landscape_and_readable(reports, tmp_path):
    soffice = shutil.which("soffice")
    if soffice is None:
        pytest.fail("Printing the workbook needs LibreOffice: run `make office` first.")
    for report in reports:
        data = build(report)
        book = load_workbook(io.BytesIO(data))
        source = tmp_path / f"{report.region_id}.xlsx"
        source.write_bytes(data)
        subprocess.run(
            [
                soffice,
                f"-env:UserInstallation=file://{tmp_path}/profile",
                "--headless",
                "--convert-to",
                "pdf",
                "--outdir",
                str(tmp_path),
                str(source),
            ],
            check=True,
            capture_output=True,
            timeout=180,
        )
        printed = pages(PdfReader(tmp_path / f"{report.region_id}.pdf"))
        for page in printed:
            assert page["size"] == pytest.approx(A4_LANDSCAPE, abs=1)
            assert page["smallest"] >= 8, page["sheet"]
        notes_pages = len(book["指标说明"].row_breaks.brk) + 1
        assert [p["sheet"] for p in printed] == [
            title for title in DATA_SHEETS for _page in range(ACROSS[title])
        ] + ["指标说明"] * notes_pages
        for title in [*DATA_SHEETS, "指标说明"]:
            sheet = [p["text"] for p in printed if p["sheet"] == title]
            # The line under the title printed whole on the sheet's first page.
            for part in re.split(r"\s{2,}|\n", book[title]["A2"].value):
                assert part.replace(" ", "") in sheet[0], (title, part)
            if title in DATA_SHEETS:
                # Every page across has the area column: the rows' names and 合计.
                names = [r[0].value for r in book[title].iter_rows(min_row=5) if r[0].value]
                for text in sheet:
                    assert all(n.replace("\n", "") in text for n in names if n[0] != "※")
                # Every column's header is printed on some page.
                for cell in book[title][4][1:]:
                    assert any(re.sub(r"\s", "", cell.value) in text for text in sheet)
        notes = "".join(p["text"] for p in printed if p["sheet"] == "指标说明")
        for row in book["指标说明"].iter_rows(min_row=4, max_col=1, values_only=True):
            assert re.sub(r"\s", "", row[0]) in notes
