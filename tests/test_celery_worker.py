"""A real Celery worker, on the real Redis, runs a task against the real database."""

import datetime as dt
import os
import signal
import subprocess
import sys
import time
from decimal import Decimal
from pathlib import Path

import pytest
from celery import current_app
from celery.signals import beat_init
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.urls import reverse

from governance.models import DispatchReport, LiveFigures
from governance.tasks import dispatch_reports_task, refresh_live_figures_task
from households.models import Household, Site
from households.tasks import site_refresh_population_task
from households.tests.factories import HouseholdFactory, PersonFactory, SiteFactory
from households.tests.test_excel_import import family
from households.tests.workbooks import xlsx
from monitoring.models import Alert, MonitoringLine
from monitoring.services import income_check_record
from monitoring.tasks import run_rules_task
from resettle.celery import run_at_start
from resettle.models import ExcelJob
from resettle.periods import last_ended

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parent.parent


def database_url() -> str:
    db = connection.settings_dict
    if db["ENGINE"] != "django.db.backends.postgresql":
        pytest.fail("the integration tests need DATABASE_URL=postgres://… (make test-integration)")
    user = db["USER"] or "postgres"
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{user}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    )


@pytest.fixture
def worker(regions):
    if not settings.REDIS_URL:
        pytest.fail("the integration tests need REDIS_URL=redis://… (make test-integration)")
    queue = f"test-{os.getpid()}-{time.monotonic_ns()}"
    env = {**os.environ, "DATABASE_URL": database_url(), "REDIS_URL": settings.REDIS_URL}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "resettle",
            "worker",
            "--pool=solo",
            "--concurrency=1",
            "-Q",
            queue,
            "--loglevel=INFO",
            "--without-gossip",
            "--without-mingle",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    yield queue
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()


def test_worker_refreshes_site_population(worker):
    site = SiteFactory(county_id="653125", code="653125001")
    household = HouseholdFactory(site=site)
    PersonFactory.create_batch(3, household=household)
    PersonFactory(household=household, status="moved_out", status_changed_on=dt.date(2025, 1, 1))
    assert Site.objects.get(pk=site.pk).registered_persons == 0

    result = site_refresh_population_task.apply_async(args=["653125"], queue=worker)
    assert result.get(timeout=60) == 1
    assert Site.objects.get(pk=site.pk).registered_persons == 3

    # Idempotent: running it again changes nothing.
    again = site_refresh_population_task.apply_async(args=["653125"], queue=worker)
    assert again.get(timeout=60) == 0


def test_worker_checks_and_imports_a_large_upload(worker, alice, shache_site, settings, client):
    settings.EXCEL_ASYNC_IMPORT_ROWS = 1
    previous = current_app.conf.task_default_queue
    current_app.conf.task_default_queue = worker
    try:
        client.force_login(alice)
        data = SimpleUploadedFile("大表.xlsx", xlsx(family()))
        page = client.post(reverse("household-import"), {"file": data}, follow=True)
        assert "<progress" in page.content.decode()
        job = ExcelJob.objects.get()
        assert wait_for(job, "checked").result["created"] == 3
        client.post(reverse("excel-job-commit", args=[job.pk]))
        assert wait_for(job, "done").result["committed"]
    finally:
        current_app.conf.task_default_queue = previous
    assert Household.objects.get().members.count() == 3


def wait_for(job, status: str, timeout: float = 60):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.status == status:
            return job
        assert job.status != "failed", job.message
        time.sleep(0.2)
    pytest.fail(f"job {job.pk} still {job.status} after {timeout} s")


def test_worker_runs_the_early_warning_rules_once(worker):
    site = SiteFactory(county_id="653125", code="653125001")
    household = HouseholdFactory(site=site)
    PersonFactory.create_batch(2, household=household)
    today = dt.date.today()
    MonitoringLine.objects.get_or_create(year=today.year, region=None, defaults={"amount": 6000})
    income_check_record(
        actor=None,
        household=household,
        data={
            "year": today.year,
            "checked_on": today,
            "household_size": 2,
            "wage_income": Decimal(7000),
        },
    )
    first = run_rules_task.apply_async(args=["653125"], queue=worker).get(timeout=60)
    assert first["below_line"] == 1 and sum(first.values()) == 1
    again = run_rules_task.apply_async(args=["653125"], queue=worker).get(timeout=60)
    assert sum(again.values()) == 0
    assert Alert.objects.get().household == household
    assert "monitoring-rules-daily" in settings.CELERY_BEAT_SCHEDULE


def test_worker_makes_the_monthly_reports(worker):
    site = SiteFactory(county_id="653125", code="653125001")
    PersonFactory.create_batch(2, household=HouseholdFactory(site=site))
    period = last_ended()
    result = dispatch_reports_task.apply_async(kwargs={"period": period}, queue=worker).get(
        timeout=120
    )
    assert sorted(result["made"]) == ["65", "6531", "653125"]
    county = DispatchReport.objects.get(period=period, region_id="653125")
    assert county.values["region"]["values"]["persons"] == 2
    assert "dispatch-reports-monthly" in settings.CELERY_BEAT_SCHEDULE


def test_worker_refreshes_the_dashboards_live_figures(worker):
    site = SiteFactory(county_id="653125", code="653125001")
    PersonFactory.create_batch(3, household=HouseholdFactory(site=site))
    result = refresh_live_figures_task.apply_async(queue=worker).get(timeout=120)
    assert result == {"65": 3}  # the province, the prefecture, the county
    county = LiveFigures.objects.get(region_id="653125")
    assert county.values["region"]["values"]["persons"] == 3
    assert [s["id"] for s in county.values["sites"]] == [site.pk]
    assert "live-figures" in settings.CELERY_BEAT_SCHEDULE


def test_beat_starting_sends_the_live_figures_refresh_at_once(worker):
    """A new deployment: no live figures stored; beat's start sends the refresh (not one
    interval later) and the worker stores them."""
    site = SiteFactory(county_id="653125", code="653125001")
    PersonFactory.create_batch(2, household=HouseholdFactory(site=site))
    assert not LiveFigures.objects.exists()
    assert run_at_start in [receiver() for _key, receiver in beat_init.receivers]
    previous = current_app.conf.task_default_queue
    current_app.conf.task_default_queue = worker
    try:
        assert run_at_start() == ["governance.refresh_live_figures"]
    finally:
        current_app.conf.task_default_queue = previous
    deadline = time.monotonic() + 120
    while not LiveFigures.objects.filter(region_id="653125").exists():
        assert time.monotonic() < deadline, "the worker stored no live figures"
        time.sleep(0.3)
    assert LiveFigures.objects.get(region_id="653125").values["region"]["values"]["persons"] == 2
