"""The import's check page before 确认导入: which households and persons the file will create and
change, field by field (old → new), and how many rows it leaves; masked as the user may see the
values, long lists cut, and a page whose queries do not grow with the file."""

import datetime as dt
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_user
from households.excel import LEDGER
from households.models import Household
from households.tests.factories import make_id_number
from households.tests.test_excel_import import family
from households.tests.workbooks import person_row, xlsx
from resettle.excel import run_import
from resettle.imports import PREVIEW_LIMIT
from resettle.models import AccessLog, ExcelJob

OTHER_HEAD = make_id_number("653125", dt.date(1979, 4, 2), 21, "male")
OTHER_WIFE = make_id_number("653125", dt.date(1981, 9, 12), 22, "female")
NEWBORN = make_id_number("653125", dt.date(2024, 2, 29), 23, "female")


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client, data: bytes):
    return client.post(
        reverse("household-import"), {"file": SimpleUploadedFile("台账.xlsx", data)}, follow=True
    )


def text_of(page) -> str:
    """The page as a reader sees it: its text without tags, spaces collapsed."""
    html = page.content.decode()
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def other_family() -> list[list]:
    common = {
        "household_no": "653125001-0200",
        "site_code": "653125001",
        "category": "同步搬迁户",
        "phone": "13700001111",
    }
    return [
        person_row(**common, name="吐尔逊·卡德尔", id_number=OTHER_HEAD, relation="户主"),
        person_row(**common, name="帕提古丽", id_number=OTHER_WIFE, relation="配偶"),
    ]


def edited_sheet() -> bytes:
    """The two households as recorded, but for a new phone of the first and a newborn in it."""
    rows = family(phone="13800004321")
    rows.append(
        person_row(
            household_no="653125001-0100", name="努尔曼古丽", id_number=NEWBORN, relation="孙子女"
        )
    )
    return xlsx(rows + other_family())


@pytest.fixture
def recorded(alice, shache_site):
    """Both households recorded by an import of their sheet."""
    client = browser(alice)
    upload(client, xlsx(family() + other_family()))
    client.post(reverse("excel-job-commit", args=[ExcelJob.objects.get().pk]))
    assert Household.objects.count() == 2
    ExcelJob.objects.all().delete()


@pytest.mark.django_db
def test_the_check_names_what_changes_and_what_is_new_masked_without_the_permission(recorded):
    erin = make_user("erin", "county_operator", "653125")  # may enter households, not reveal
    page = text_of(upload(browser(erin), edited_sheet()))
    assert "导入将做的更改" in page
    # The household by its number and head, the phone field old → new, masked; the newborn.
    assert "修改 653125001-0100 买买提·艾力" in page
    assert "联系电话 139****5678 → 138****4321" in page
    assert "新增 努尔曼古丽 孙子女" in page
    assert "13912345678" not in page and "13800004321" not in page
    # The unchanged household is not listed, only counted.
    assert "653125001-0200" not in page
    assert "新增 1 行，更新 3 行，2 行不变" in page
    assert "显示完整身份证号和电话" not in page  # no way to reveal without the permission
    job = ExcelJob.objects.get()
    assert browser(erin).get(reverse("excel-job", args=[job.pk]) + "?reveal=1").status_code == 403
    # Nothing is written before 确认导入.
    assert Household.objects.get(household_no="653125001-0100").phone == "13912345678"


@pytest.mark.django_db
def test_a_user_with_the_permission_sees_the_values_in_full_on_request_and_it_is_logged(
    recorded, alice
):
    client = browser(alice)
    page = text_of(upload(client, edited_sheet()))
    assert "联系电话 139****5678 → 138****4321" in page
    assert not AccessLog.objects.filter(action="reveal").exists()
    job = ExcelJob.objects.get()
    page = text_of(client.get(reverse("excel-job", args=[job.pk]) + "?reveal=1"))
    assert "联系电话 13912345678 → 13800004321" in page
    assert AccessLog.objects.filter(action="reveal", user=alice).count() == 1


@pytest.mark.django_db
def test_only_the_uploader_sees_the_preview_and_not_beside_errors(recorded, alice, bob):
    job_page = upload(browser(alice), edited_sheet())
    job = ExcelJob.objects.get()
    # bob reads the county's uploads but the file's names and values are the uploader's.
    page = text_of(browser(bob).get(reverse("excel-job", args=[job.pk])))
    assert "导入将做的更改" in text_of(job_page) and "导入将做的更改" not in page
    assert "努尔曼古丽" not in page
    rows = family(phone="1380000432")  # one digit short: an error
    page = text_of(upload(browser(alice), xlsx(rows)))
    assert "联系电话" in page and "导入将做的更改" not in page


@pytest.mark.django_db
def test_a_long_list_shows_its_first_records_and_counts_the_rest(alice, shache_site):
    rows = []
    for n in range(PREVIEW_LIMIT + 3):
        rows.append(
            person_row(
                household_no=f"653125001-{n:04d}",
                site_code="653125001",
                category="同步搬迁户",
                name=f"居民{n}",
                id_number=make_id_number("653125", dt.date(1970, 1, 1), n, "male"),
                relation="户主",
            )
        )
    page = text_of(upload(browser(alice), xlsx(rows)))
    assert "新增 653125001-0000 居民0" in page
    assert f"653125001-{PREVIEW_LIMIT - 1:04d}" in page
    assert f"653125001-{PREVIEW_LIMIT:04d}" not in page
    assert f"以上列出前 {PREVIEW_LIMIT} 条，另有 3 条未列出。" in page


@pytest.mark.django_db
def test_the_check_page_reads_the_same_few_queries_for_a_short_and_a_long_list(alice, shache_site):
    client = browser(alice)

    def queries(households: int) -> int:
        rows = [
            person_row(
                household_no=f"653125001-{n:04d}",
                site_code="653125001",
                category="同步搬迁户",
                name=f"居民{n}",
                id_number=make_id_number("653125", dt.date(1975, 1, 1), households + n, "male"),
                relation="户主",
            )
            for n in range(households)
        ]
        upload(client, xlsx(rows))
        job = ExcelJob.objects.latest("pk")
        with CaptureQueriesContext(connection) as seen:
            page = client.get(reverse("excel-job", args=[job.pk]))
        assert f"居民{households - 1}" in page.content.decode()
        return len(seen)

    few, many = queries(2), queries(40)
    assert few == many and many <= 12


@pytest.mark.django_db
def test_a_step_done_without_its_date_reads_date_unknown_from_the_import_day(recorded, alice):
    rows = family(homestead_reclaimed="是")
    result = run_import(LEDGER, xlsx(rows), actor=alice, commit=False, file_name="台账.xlsx")
    [household] = result.preview.shown(reveal=False)
    today = dt.date.today().isoformat()
    assert [(f["header"], f["old"], f["new"]) for f in household["fields"]] == [
        ("宅基地是否复垦", "否", "是"),
        ("宅基地复垦日期", "", f"日期不详（自 {today} 起计）"),
    ]
    assert household["parts"] == []  # the members stay as they are
