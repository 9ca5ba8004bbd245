"""Two imports of the same new household at once (issue 16, item 5): the one that loses the race
is told "someone changed these records meanwhile, nothing was imported", its job is marked
failed, and it writes nothing; the winner's records stand. On PostgreSQL the imports insert by
binary COPY, whose unique violation is the driver's own error, not Django's IntegrityError."""

import datetime as dt
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from rest_framework.test import APIClient

from households.excel import LEDGER
from households.models import Household, Person
from households.tests.factories import HouseholdFactory, make_id_number
from households.tests.workbooks import person_row, xlsx
from resettle.excel import CHANGED_MEANWHILE, run_import
from resettle.models import ExcelJob

NUMBER = "653125001-0777"
HEAD = make_id_number("653125", dt.date(1979, 4, 2), 7, "male")


def new_household() -> bytes:
    return xlsx(
        [
            person_row(
                household_no=NUMBER,
                site_code="653125001",
                dwelling="3栋2单元501",
                category="建档立卡搬迁户",
                relocation_year=2019,
                move_in_date="2019-05-01",
                phone="13912345678",
                name="买买提·艾力",
                id_number=HEAD,
                relation="户主",
            )
        ]
    )


@pytest.mark.django_db
def test_an_import_whose_new_household_was_saved_meanwhile_writes_nothing_and_says_so(
    alice, shache_site, monkeypatch
):
    """The loser simulated: another transaction saves the household between the import's check
    and its commit."""
    planned = LEDGER.plan

    def plan_then_someone_saves(rows, *, actor, result):
        plan = planned(rows, actor=actor, result=result)
        HouseholdFactory(site=shache_site, household_no=NUMBER)
        return plan

    monkeypatch.setattr(LEDGER, "plan", plan_then_someone_saves)
    client = APIClient()
    client.force_authenticate(alice)
    upload = new_household()
    response = client.post(
        "/api/v1/households/import/",
        {"file": _file(upload), "dry_run": "false"},
        format="multipart",
    )
    assert response.status_code == 400
    assert [e["message"] for e in response.json()["errors"]] == [str(CHANGED_MEANWHILE)]
    assert "未导入任何数据" in response.json()["errors"][0]["message"]
    job = ExcelJob.objects.get()
    assert job.status == ExcelJob.Status.FAILED
    # The other transaction's household alone; no member of the file was written.
    assert Household.objects.filter(household_no=NUMBER).count() == 1
    assert not Person.objects.filter(id_number=HEAD).exists()


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_imports_of_one_new_household_one_wins_one_is_told(
    alice, shache_site, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.fail("the integration tests need DATABASE_URL=postgres://… (make test-integration)")
    both_checked = threading.Barrier(2, timeout=30)
    committing = LEDGER.commit

    def commit_together(plan, *, actor):
        # Both imports have checked the file and opened their transaction: now both write.
        both_checked.wait()
        committing(plan, actor=actor)

    monkeypatch.setattr(LEDGER, "commit", commit_together)
    upload = new_household()
    results = []

    def one_import():
        try:
            results.append(run_import(LEDGER, upload, actor=alice, commit=True))
        finally:
            connection.close()

    threads = [threading.Thread(target=one_import) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == 2
    won = [r for r in results if r.committed]
    lost = [r for r in results if not r.committed]
    assert len(won) == 1 and len(lost) == 1
    assert [e.message for e in lost[0].errors] == [str(CHANGED_MEANWHILE)]
    assert Household.objects.filter(household_no=NUMBER).count() == 1
    assert Person.objects.filter(id_number=HEAD).count() == 1


def _file(data: bytes):
    return SimpleUploadedFile(
        "台账.xlsx",
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
