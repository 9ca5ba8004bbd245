"""The household ledger's Excel pages and API: template, upload → check → import, history,
export with the list's filters, masked unless revealed, and large jobs run as tasks."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import client_for, make_user
from households.models import Household
from households.tests.factories import HouseholdFactory, PersonFactory
from households.tests.test_excel_import import ID_HEAD, family
from households.tests.workbooks import HEADERS, xlsx
from resettle.jobs import _progress
from resettle.models import AccessLog, ExcelJob


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def upload(client, data: bytes, name="台账.xlsx"):
    return client.post(
        reverse("household-import"), {"file": SimpleUploadedFile(name, data)}, follow=True
    )


@pytest.mark.django_db
def test_upload_check_then_import_from_the_page(alice, shache_site):
    client = browser(alice)
    page = upload(client, xlsx(family()))
    assert "未发现错误" in page.content.decode() and not Household.objects.exists()
    job = ExcelJob.objects.get()
    page = client.post(reverse("excel-job-commit", args=[job.pk]), follow=True)
    assert "已导入" in page.content.decode()
    assert Household.objects.get().members.count() == 3
    # The history names who uploaded what and the counts.
    history = client.get(reverse("household-import")).content.decode()
    assert "台账.xlsx" in history and "alice" in history


@pytest.mark.django_db
def test_errors_are_listed_and_the_marked_workbook_has_them(alice, shache_site):
    rows = family()
    rows[0][HEADERS.index("身份证号")] = "653125198503150010"
    client = browser(alice)
    page = upload(client, xlsx(rows)).content.decode()
    assert "校验位" in page and "确认导入" not in page
    job = ExcelJob.objects.get()
    marked = client.get(reverse("excel-job-errors", args=[job.pk]))
    sheet = load_workbook(io.BytesIO(b"".join(marked.streaming_content))).active
    assert sheet.cell(1, len(HEADERS) + 1).value == "错误原因"
    assert "第2行「身份证号」" in sheet.cell(2, len(HEADERS) + 1).value
    id_column = HEADERS.index("身份证号") + 1
    assert sheet.cell(2, id_column).fill.fgColor.rgb.endswith("FFC7CE")
    assert sheet.cell(3, len(HEADERS) + 1).value in (None, "")
    # The check's result belongs to the uploader.
    assert client.post(reverse("excel-job-commit", args=[job.pk])).status_code == 302
    assert not Household.objects.exists()


@pytest.mark.django_db
def test_a_large_upload_runs_as_a_task_with_progress(
    alice, shache_site, settings, django_capture_on_commit_callbacks
):
    settings.EXCEL_ASYNC_IMPORT_ROWS = 2
    client = browser(alice)
    with django_capture_on_commit_callbacks() as queued:
        page = upload(client, xlsx(family())).content.decode()
    job = ExcelJob.objects.get()
    assert "<progress" in page and job.status == "queued"
    status = client.get(reverse("excel-job-status", args=[job.pk])).json()
    assert status == {"status": "queued", "progress": 0, "running": True}
    for task in queued:
        task()  # what the worker does (a real one runs in tests/test_celery_worker.py)
    status = client.get(reverse("excel-job-status", args=[job.pk])).json()
    assert status == {"status": "checked", "progress": 100, "running": False}
    with django_capture_on_commit_callbacks() as queued:
        client.post(reverse("excel-job-commit", args=[job.pk]))
    # The import starts its bar again from 0: the check's 100 is not the import's.
    status = client.get(reverse("excel-job-status", args=[job.pk])).json()
    assert status == {"status": "queued", "progress": 0, "running": True}
    for task in queued:
        task()
    job.refresh_from_db()
    assert job.status == "done" and job.result["created"] == 3


@pytest.mark.django_db
def test_an_upload_is_seen_in_its_area_but_its_file_only_by_the_uploader(
    alice, bob, charlie, shache_site
):
    upload(browser(alice), xlsx(family()))
    job = ExcelJob.objects.get()
    assert browser(bob).get(reverse("excel-job", args=[job.pk])).status_code == 200
    assert browser(charlie).get(reverse("excel-job", args=[job.pk])).status_code == 404
    assert browser(bob).post(reverse("excel-job-commit", args=[job.pk])).status_code == 403


@pytest.mark.django_db
def test_reviewers_may_not_import(bob):
    assert browser(bob).get(reverse("household-import")).status_code == 403


@pytest.mark.django_db
def test_the_template_downloads_from_the_list_page(alice, shache_site):
    page = browser(alice).get(reverse("household-list")).content.decode()
    assert reverse("household-template") in page
    response = browser(alice).get(reverse("household-template"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    assert [c.value for c in book.active[1]] == HEADERS


def _export(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.content[:300]
    return b"".join(response.streaming_content)


@pytest.mark.django_db
def test_an_export_is_masked_filtered_and_reimports_unchanged(alice, shache_household, shache_site):
    client = browser(alice)
    data = _export(
        client, reverse("household-export") + "?format=xlsx&search=" + shache_household.household_no
    )
    sheet = load_workbook(io.BytesIO(data)).active
    assert [c.value for c in sheet[1]] == HEADERS
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2
    id_number = rows[0][HEADERS.index("身份证号")]
    assert "********" in id_number and rows[0][HEADERS.index("联系电话")] == "138****1234"
    assert not AccessLog.objects.filter(action="export").exists()
    # Re-importing the masked export changes nothing.
    page = upload(client, data, name="导出.xlsx").content.decode()
    job = ExcelJob.objects.get(kind="import")
    assert job.result["errors"] == [], job.result["errors"]
    assert job.result["unchanged"] == 2 and "未发现错误" in page


@pytest.mark.django_db
def test_a_full_export_needs_the_permission_and_is_logged(alice, bob, shache_household):
    full = _export(browser(alice), reverse("household-export") + "?format=csv&reveal=1")
    text = full.decode("utf-8")
    assert text.startswith("\ufeff户编号,")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert shache_household.members.first().id_number in {
        r[HEADERS.index("身份证号")] for r in rows
    }
    log = AccessLog.objects.get(action="export")
    assert (log.user, log.action, log.rows) == (alice, "export", 2)
    assert browser(bob).get(reverse("household-export") + "?reveal=1").status_code == 403


@pytest.mark.django_db
def test_cells_that_would_run_as_formulas_are_neutralised(alice, shache_household):
    shache_household.dwelling = '=HYPERLINK("http://x")'
    shache_household.save()
    text = _export(browser(alice), reverse("household-export") + "?format=csv").decode()
    assert "'=HYPERLINK" in text
    sheet = load_workbook(io.BytesIO(_export(browser(alice), reverse("household-export")))).active
    assert sheet.cell(2, HEADERS.index("楼栋单元门牌") + 1).value.startswith("'=")


@pytest.mark.django_db
def test_an_export_holds_only_what_the_user_sees(charlie, shache_household, shufu_household):
    text = _export(browser(charlie), reverse("household-export") + "?format=csv").decode()
    assert shufu_household.household_no in text and shache_household.household_no not in text


@pytest.mark.django_db
def test_a_large_export_runs_as_a_task_and_its_file_is_the_users(
    alice, bob, shache_household, settings, django_capture_on_commit_callbacks
):
    settings.EXCEL_ASYNC_EXPORT_ROWS = 1
    response = browser(alice).get(reverse("household-export") + "?format=xlsx")
    job = ExcelJob.objects.get(kind="export")
    # The job's page opens at once, with its progress bar; the page starts the task.
    assert response.status_code == 302 and response["Location"] == reverse(
        "excel-job", args=[job.pk]
    )
    assert job.status == "queued"
    page = browser(alice).get(response["Location"]).content.decode()
    assert "<progress" in page and reverse("excel-job-start", args=[job.pk]) in page
    start = reverse("excel-job-start", args=[job.pk])
    assert browser(bob).post(start).status_code == 403
    with django_capture_on_commit_callbacks(execute=True) as queued:
        answer = browser(alice).post(start, headers={"accept": "application/json"})
    assert answer.status_code == 200 and len(queued) == 1
    job.refresh_from_db()
    assert job.status == "done" and job.rows == 2
    # A second start (a reload of the page) leaves the written file as it is.
    assert browser(alice).post(start).status_code == 302
    assert ExcelJob.objects.get(pk=job.pk).finished == job.finished
    data = _export(browser(alice), reverse("excel-job-file", args=[job.pk]))
    assert len(list(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2))) == 2
    assert browser(bob).get(reverse("excel-job-file", args=[job.pk])).status_code == 403


@pytest.mark.django_db
def test_the_progress_bar_moves_even_when_the_jobs_row_cannot_be_written(
    alice, shache_household, settings
):
    """On SQLite a long export's reads keep its row from taking the progress at times (the write
    is refused while another page writes); the status the page polls still moves."""
    settings.EXCEL_ASYNC_EXPORT_ROWS = 1
    response = browser(alice).get(reverse("household-export") + "?format=xlsx")
    job = ExcelJob.objects.get(kind="export")
    ExcelJob.objects.filter(pk=job.pk).update(status="running")
    job.refresh_from_db()
    status = response["Location"] + "status/"
    assert browser(alice).get(status).json()["progress"] == 0
    report = _progress(job)
    with transaction.atomic():  # the row's write is lost, as when SQLite refuses it
        report(37)
        transaction.set_rollback(True)
    assert ExcelJob.objects.get(pk=job.pk).progress == 0
    answer = browser(alice).get(status).json()
    assert (answer["progress"], answer["running"]) == (37, True)


@pytest.mark.django_db
def test_the_api_imports_with_the_contract(alice, shache_site):
    client = client_for(alice)
    url = "/api/v1/households/import/"
    dry = client.post(
        url,
        {"file": SimpleUploadedFile("a.xlsx", xlsx(family())), "dry_run": "true"},
        format="multipart",
    )
    assert dry.status_code == 200, dry.content
    assert dry.json() | {"warnings": []} == {
        "rows": 3,
        "created": 3,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
        "warnings": [],
    }
    assert not Household.objects.exists()
    done = client.post(
        url,
        {"file": SimpleUploadedFile("a.xlsx", xlsx(family())), "dry_run": "false"},
        format="multipart",
    )
    assert done.status_code == 200 and done.json()["created"] == 3
    assert Household.objects.count() == 1
    bad = family()
    bad[0][HEADERS.index("身份证号")] = ID_HEAD[:-1] + "X"
    answer = client.post(
        url,
        {"file": SimpleUploadedFile("b.xlsx", xlsx(bad)), "dry_run": "false"},
        format="multipart",
    )
    assert answer.status_code == 400
    assert (
        answer.json()["errors"][0]["row"] == 2
        and answer.json()["errors"][0]["column"] == "身份证号"
    )
    missing = client.post(url, {"dry_run": "true"}, format="multipart")
    assert missing.status_code == 400


@pytest.mark.django_db
def test_the_api_exports_with_the_lists_filters(alice, bob, shache_household, shufu_household):
    response = client_for(bob).get("/api/v1/households/export/?format=csv&region=653121")
    text = b"".join(response.streaming_content).decode()
    assert shufu_household.household_no in text and shache_household.household_no not in text
    response = client_for(alice).get("/api/v1/households/export/")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    bad = client_for(alice).get("/api/v1/households/export/?region=99")
    assert bad.status_code == 400


@pytest.mark.django_db
def test_an_export_costs_the_same_queries_for_ten_households_as_for_one(
    alice, shache_site, django_assert_max_num_queries
):
    client = browser(alice)
    household = HouseholdFactory(site=shache_site)
    PersonFactory(household=household)
    client.get(reverse("household-list"))  # the session and memberships, read once
    with django_assert_max_num_queries(12) as one:
        _export(client, reverse("household-export"))
    for _ in range(10):
        PersonFactory.create_batch(3, household=HouseholdFactory(site=shache_site))
    with django_assert_max_num_queries(len(one.captured_queries)):
        data = _export(client, reverse("household-export"))
    assert len(list(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2))) == 31


@pytest.mark.django_db
def test_the_errors_of_an_upload_are_the_uploaders_and_leaders_see_no_uploads(
    alice, bob, regions, shache_site
):
    rows = family()
    rows[0][HEADERS.index("身份证号")] = "653125198503150010"
    upload(browser(alice), xlsx(rows))
    job = ExcelJob.objects.get()
    page = browser(bob).get(reverse("excel-job", args=[job.pk])).content.decode()
    assert "上传该文件的人" in page and "653125198503150010" not in page
    leader = make_user("leader", "leader_viewer", "6531")
    assert browser(leader).get(reverse("excel-job", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_the_warnings_of_an_upload_that_quote_its_numbers_are_the_uploaders(
    alice, bob, shache_site
):
    rows = family()
    rows[0][HEADERS.index("身份证号")] = "653125850315001"  # an old 15-digit number
    upload(browser(alice), xlsx(rows))
    job = ExcelJob.objects.get()
    assert any("653125850315001" in w for w in job.result["warnings"])
    own = browser(alice).get(reverse("excel-job", args=[job.pk])).content.decode()
    assert "653125850315001" in own
    other = browser(bob).get(reverse("excel-job", args=[job.pk])).content.decode()
    assert "653125850315001" not in other and "6531251985031500" not in other


@pytest.mark.django_db
def test_an_unreadable_file_offers_no_marked_workbook(alice, shache_site):
    client = browser(alice)
    headers = [h if h != "人员状态" else "" for h in HEADERS]
    page = upload(client, xlsx(family(), headers=headers)).content.decode()
    assert "人员状态" in page and "标注了错误的工作簿" not in page
    job = ExcelJob.objects.get()
    assert client.get(reverse("excel-job-errors", args=[job.pk])).status_code == 404


@pytest.mark.django_db
def test_a_second_click_on_import_imports_nothing_more(alice, shache_site):
    client = browser(alice)
    upload(client, xlsx(family()))
    job = ExcelJob.objects.get()
    client.post(reverse("excel-job-commit", args=[job.pk]))
    page = client.post(reverse("excel-job-commit", args=[job.pk]), follow=True).content.decode()
    assert "不在待导入状态" in page
    assert Household.objects.get().members.count() == 3
