"""A county cadre keeps the household ledger in a real browser."""

import datetime as dt
import io

import pytest
from openpyxl import load_workbook

from households.models import Person
from households.tests.factories import make_id_number
from households.tests.test_excel_import import ID_HEAD, family
from households.tests.workbooks import HEADERS, xlsx

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_ID = make_id_number("653125", dt.date(2015, 8, 20), 33, "male")
WRONG_ID = NEW_ID[:17] + ("1" if NEW_ID[17] == "0" else "0")


def sign_in(page, username="alice", password="Pw#12345678"):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.login button")
    page.wait_for_url("**/")


def test_find_a_household_add_a_member_fix_the_id_and_save(
    page, screenshot, alice, shache_household
):
    sign_in(page)
    page.click("nav >> text=搬迁户台账")
    page.fill("#id_q", "653125001-0001")
    page.click("form.filters button")
    assert page.locator("text=共 1 户").is_visible()
    page.click("table.ledger >> text=653125001-0001")
    page.click("text=编辑户信息和家庭成员")

    row = page.locator(".members fieldset.member").last
    row.locator("input[name$='-name']").fill("艾力·阿卜杜拉")
    row.locator("input[name$='-id_number']").fill(WRONG_ID)
    row.locator("select[name$='-relation']").select_option("grandchild")
    page.click("form.ledger-form button[type=submit]")
    message = page.locator(f"text=身份证号校验位错误：应为 {NEW_ID[17]}")
    assert message.is_visible()
    assert page.locator("text=没有保存任何内容").is_visible()
    screenshot("bad-id")
    assert not Person.objects.filter(name="艾力·阿卜杜拉").exists()

    page.locator(".members fieldset.member").last.locator("input[name$='-id_number']").fill(NEW_ID)
    page.click("form.ledger-form button[type=submit]")
    assert page.locator("text=已保存搬迁户 653125001-0001").is_visible()
    members = page.locator("table.ledger").first
    new_row = members.locator("tbody tr", has_text="艾力·阿卜杜拉")
    assert new_row.is_visible()
    # Alice may not reveal: the new member's number shows its region only.
    assert new_row.locator("td.masked").first.inner_text() == f"{NEW_ID[:6]}{'*' * 12}"
    assert NEW_ID[6:] not in new_row.inner_text()
    screenshot("saved")
    person = Person.objects.get(name="艾力·阿卜杜拉")
    assert (person.gender, person.birth_date) == ("male", dt.date(2015, 8, 20))


def test_a_reviewer_reads_but_cannot_edit(page, bob, shache_household):
    sign_in(page, "bob")
    page.goto(f"/households/{shache_household.pk}/")
    assert page.locator("h1", has_text="653125001-0001").is_visible()
    assert page.locator("text=编辑户信息和家庭成员").count() == 0
    response = page.goto(f"/households/{shache_household.pk}/edit/")
    assert response.status == 403


def test_import_a_small_file_then_export_the_list(page, screenshot, alice, shache_site, tmp_path):
    sign_in(page)
    page.click("nav >> text=搬迁户台账")
    page.click("text=从 Excel 导入")
    with page.expect_download() as template:
        page.click("text=下载模板")
    book = load_workbook(io.BytesIO(template.value.path().read_bytes()))
    assert [c.value for c in book.active[1]] == HEADERS

    # A file with a bad ID: the error is named by row and column and nothing is written.
    bad = family()
    bad[0][HEADERS.index("身份证号")] = ID_HEAD[:-1] + ("1" if ID_HEAD[-1] != "1" else "2")
    page.set_input_files(
        "#id_file",
        files=[{"name": "台账.xlsx", "mimeType": "application/octet-stream", "buffer": xlsx(bad)}],
    )
    page.click("text=上传并检查")
    errors = page.locator("table.errors")
    assert errors.locator("td", has_text="身份证号").first.is_visible()
    assert errors.locator("text=校验位错误").is_visible()
    assert page.locator("text=确认导入").count() == 0
    screenshot("import-errors")

    page.click("text=从 Excel 导入")
    page.set_input_files(
        "#id_file",
        files=[
            {"name": "台账.xlsx", "mimeType": "application/octet-stream", "buffer": xlsx(family())}
        ],
    )
    page.click("text=上传并检查")
    assert page.locator("text=检查未发现错误").is_visible()
    assert page.locator("tr.counts td").nth(1).inner_text() == "3"
    page.click("text=确认导入")
    assert page.locator("text=已导入：新增 3 行").is_visible()
    screenshot("imported")

    page.click("nav >> text=搬迁户台账")
    page.fill("#id_q", "653125001-0100")
    page.click("form.filters button")
    assert page.locator("text=共 1 户").is_visible()
    with page.expect_download() as export:
        page.click("text=导出 Excel")
    rows = list(
        load_workbook(io.BytesIO(export.value.path().read_bytes())).active.iter_rows(
            min_row=2, values_only=True
        )
    )
    assert len(rows) == 3
    assert {r[HEADERS.index("户编号")] for r in rows} == {"653125001-0100"}
    assert all("********" in r[HEADERS.index("身份证号")] for r in rows)
