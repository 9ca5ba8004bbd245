"""A county cadre's long export and an import's check, in a real browser: the export's page
shows at once with its progress bar and the file downloads by itself; the check lists what the
import will create and change, masked, without sideways scrolling at 1366 and 390 px."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from households.excel import LEDGER
from households.tests.factories import make_id_number
from households.tests.test_excel_import import family
from households.tests.workbooks import HEADERS, person_row, xlsx
from resettle.excel import run_import
from resettle.models import ExcelJob
from tests.browser.test_household_ledger import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEWBORN = make_id_number("653125", dt.date(2024, 2, 29), 23, "female")


def test_a_long_export_shows_its_progress_at_once_and_downloads_by_itself(
    page, screenshot, alice, shache_household, settings
):
    settings.EXCEL_ASYNC_EXPORT_ROWS = 1  # a "long" export: run as a job, as a county's is
    sign_in(page)
    page.click("nav >> text=搬迁户台账")
    with page.expect_download() as download:
        page.click("text=导出 Excel")
        page.wait_for_url("**/jobs/*/")
        assert page.locator(".job-progress progress").count() == 1
    assert download.value.suggested_filename.startswith("搬迁户台账-")
    rows = list(
        load_workbook(io.BytesIO(download.value.path().read_bytes())).active.iter_rows(
            min_row=2, values_only=True
        )
    )
    assert {r[HEADERS.index("户编号")] for r in rows} == {shache_household.household_no}
    # No second click: the page says the file is downloading and offers it again.
    assert page.locator("text=文件已生成，正在下载").is_visible()
    assert page.locator(".job-progress").is_hidden()
    screenshot("downloaded")
    assert ExcelJob.objects.get(kind="export").status == "done"


@pytest.mark.parametrize("width", [1366, 390])
def test_the_check_lists_the_changes_before_the_import_on_a_screen_and_a_phone(
    page, screenshot, alice, shache_site, width
):
    run_import(LEDGER, xlsx(family()), actor=alice, commit=True, file_name="台账.xlsx")
    rows = family(phone="13800004321")
    rows.append(
        person_row(
            household_no="653125001-0100", name="努尔曼古丽", id_number=NEWBORN, relation="孙子女"
        )
    )
    page.set_viewport_size({"width": width, "height": 844 if width == 390 else 768})
    sign_in(page)
    page.goto("/households/import/")
    page.set_input_files(
        "#id_file",
        files=[{"name": "台账.xlsx", "mimeType": "application/octet-stream", "buffer": xlsx(rows)}],
    )
    page.click("text=上传并检查")
    household = page.locator(".import-preview li.change", has_text="653125001-0100").first
    assert household.locator("text=买买提·艾力").is_visible()
    phone = household.locator("dd").first.inner_text()
    assert phone == "139****5678 → 138****4321"
    assert household.locator("li.change.created", has_text="努尔曼古丽").is_visible()
    assert page.locator("button", has_text="确认导入").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"check-{width}")
