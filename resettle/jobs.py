"""Imports and exports of ledger workbooks as jobs (resettle.models.ExcelJob): small ones run in
the request, large ones as Celery tasks whose progress the page shows. Every ledger's import and
export goes through here."""

from __future__ import annotations

import io
import tempfile

from celery import signature
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from resettle import audit, latechanges
from resettle.excel import (
    LEDGERS,
    ImportResult,
    annotated_workbook,
    estimate_rows,
    export_csv,
    export_xlsx,
    run_import,
)
from resettle.models import ExcelJob
from resettle.scoping import Scope

# Stages of an import job.
CHECK, COMMIT = "check", "commit"
FORMATS = ("xlsx", "csv")


def _home_region(user) -> str:
    return Scope.for_user(user).home_region() or ""


def _run_or_queue(job: ExcelJob, *, large: bool) -> ExcelJob:
    if large:
        # The task by its registered name (resettle.tasks.excel_job_run_task), which wraps this
        # module: calling it by name keeps the import one way (tasks -> jobs).
        task = signature("resettle.excel_job_run", args=(job.pk,))
        transaction.on_commit(task.delay)
        return job
    excel_job_run(job.pk)
    job.refresh_from_db()
    return job


def import_start(
    *, user, ledger: str, file_name: str, data: bytes, commit: bool = False, wait: bool = False
) -> ExcelJob:
    """Record an upload and check it (a dry run), or with `commit` check and write it in one step:
    in the request when it is small or the caller `wait`s (the API), else as a task."""
    job = ExcelJob.objects.create(
        kind=ExcelJob.Kind.IMPORT,
        ledger=ledger,
        user=user,
        region_code=_home_region(user),
        file_name=file_name[:255],
        content=data,
        params={"stage": COMMIT if commit else CHECK, "address": audit.current_address()},
    )
    if wait:
        return _run_or_queue(job, large=False)
    rows = estimate_rows(data, LEDGERS[ledger].columns)
    ExcelJob.objects.filter(pk=job.pk).update(rows=rows)
    return _run_or_queue(job, large=rows > settings.EXCEL_ASYNC_IMPORT_ROWS)


def import_commit_start(*, user, job: ExcelJob) -> ExcelJob:
    """Write a checked upload. Refused unless its dry run found no error."""
    if job.user_id != user.pk:
        raise ValidationError(_("Only the person who uploaded the file can import it."))
    if job.params.get("stage") != CHECK or job.status != ExcelJob.Status.CHECKED:
        raise ValidationError(_("This upload is not waiting to be imported."))
    if job.result.get("errors"):
        raise ValidationError(_("Fix the errors in the file and upload it again."))
    # Claimed by one request only: a second click finds it no longer checked.
    claimed = ExcelJob.objects.filter(pk=job.pk, status=ExcelJob.Status.CHECKED).update(
        params={**job.params, "stage": COMMIT, "address": audit.current_address()},
        status=ExcelJob.Status.QUEUED,
        progress=0,
    )
    if not claimed:
        raise ValidationError(_("This upload is not waiting to be imported."))
    job.refresh_from_db()
    return _run_or_queue(job, large=job.rows > settings.EXCEL_ASYNC_IMPORT_ROWS)


def export_start(*, user, ledger: str, params: dict, fmt: str, reveal: bool) -> ExcelJob:
    """Record a large export of what the user sees with the list's filters `params`, masked
    unless `reveal` (which the caller checked). The file is not written yet: the job waits
    (queued) for `export_run`, which its page calls as soon as it shows, so that the page and
    its progress bar are there at once however the task runs (by the worker, or within that
    call where Celery runs in-process, the embedded default). Raises ValidationError for wrong
    filters."""
    query = LEDGERS[ledger].export_query(user, params)
    rows = query.count()
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    job = ExcelJob.objects.create(
        kind=ExcelJob.Kind.EXPORT,
        ledger=ledger,
        user=user,
        region_code=_home_region(user),
        file_name=f"{LEDGERS[ledger].title}-{stamp}.{fmt}",
        params={
            "filters": params,
            "format": fmt,
            "reveal": reveal,
            "address": audit.current_address(),
        },
        rows=rows,
    )
    return job


def export_run(*, user, job: ExcelJob) -> ExcelJob:
    """Write the file of an export recorded by `export_start`, as a task (`excel_job_run`;
    where Celery runs in-process it is written before this returns). Only the user who started
    it may; a second call (a reload of its page) finds it started and leaves it. Raises
    ValidationError when the job is not the user's or no export."""
    if job.user_id != user.pk or job.kind != ExcelJob.Kind.EXPORT:
        raise ValidationError(_("Only the person who started this job can use its file."))
    # Claimed by one request only, as an import's commit is.
    claimed = (
        ExcelJob.objects.filter(pk=job.pk, status=ExcelJob.Status.QUEUED)
        .exclude(params__has_key="started")
        .update(params={**job.params, "started": True})
    )
    if claimed:
        _run_or_queue(job, large=True)
    job.refresh_from_db()
    return job


def excel_job_run(job_id: int) -> None:
    """Run a job's next step (the body of the Celery task); a failure is recorded on the job."""
    # Claimed by one worker only: a task delivered twice finds the job taken.
    if not ExcelJob.objects.filter(pk=job_id, status=ExcelJob.Status.QUEUED).update(
        status=ExcelJob.Status.RUNNING
    ):
        return
    job = ExcelJob.objects.select_related("user").get(pk=job_id)
    try:
        if job.kind == ExcelJob.Kind.IMPORT:
            _run_import(job)
        else:
            _run_export(job)
    except Exception:
        # The details go to the log, not to the page: they may hold ID numbers.
        ExcelJob.objects.filter(pk=job.pk).update(
            status=ExcelJob.Status.FAILED,
            message=_(
                "The job stopped with an error; nothing was written. Try again, or tell "
                "the administrator (job %(job)d)."
            )
            % {"job": job.pk},
            finished=timezone.now(),
        )
        if job.kind == ExcelJob.Kind.IMPORT and job.params.get("stage") == COMMIT:
            _record_commit(job, committed=False, rows=0)
        raise


# An export reports its progress every this many rows (a county's households: some 5,000).
PROGRESS_EVERY = 250
# How long a running job's progress is kept in the cache (seconds): longer than any job runs.
PROGRESS_KEPT = 6 * 3600


def _progress_key(job: ExcelJob) -> str:
    # With the job's creation time (SQLite may give a deleted job's number to a new one) and
    # its stage (an import's commit starts again from 0 after its check reached 100).
    stage = job.params.get("stage", "")
    return f"excel-job-progress:{job.pk}:{job.created.timestamp()}:{stage}"


def job_progress(job: ExcelJob) -> int:
    """How far `job` has got, in percent (0–100): the furthest of its stored figure and the one
    its task last reported to the cache. A task that reads a long export on SQLite (the embedded
    default) cannot always write its row while it reads; the cache, which the page's status
    poll reads too, always takes the figure."""
    reported = cache.get(_progress_key(job)) if job.is_running else None
    return max(job.progress, reported or 0)


def _progress(job: ExcelJob):
    last = [-1]

    def report(percent: int) -> None:
        if percent == last[0]:
            return  # a write only when the bar moves
        last[0] = percent
        cache.set(_progress_key(job), percent, PROGRESS_KEPT)
        try:
            ExcelJob.objects.filter(pk=job.pk).update(progress=percent)
        except OperationalError:
            # SQLite (the embedded default) refuses this write while the job's connection
            # reads the export's rows and another request is writing (a page's session): the
            # bar is not moved this time, the job goes on. Other databases are told.
            if connection.vendor != "sqlite":
                raise

    return report


def _run_import(job: ExcelJob) -> None:
    commit = job.params.get("stage") == COMMIT
    with latechanges.collected() as late:
        result = run_import(
            LEDGERS[job.ledger],
            bytes(job.content),
            actor=job.user,
            commit=commit,
            file_name=job.file_name,
            progress=_progress(job),
        )
    # Rows dated into approved months: which approved reports the import leaves behind, once
    # each, on the job's page.
    result.warnings.extend(late())
    fields = {
        "result": result.as_dict(),
        "rows": result.rows,
        "progress": 100,
        "finished": timezone.now(),
        "status": ExcelJob.Status.DONE if commit else ExcelJob.Status.CHECKED,
    }
    if commit and result.committed:
        fields["content"] = None  # the records hold it now; the upload need not stay
    if commit and not result.committed:
        fields["status"] = ExcelJob.Status.FAILED
        fields["message"] = _("Nothing was imported: the file has the errors listed below.")
    ExcelJob.objects.filter(pk=job.pk).update(**fields)
    if commit:
        _record_commit(job, committed=result.committed, rows=result.rows)


def _record_commit(job: ExcelJob, *, committed: bool, rows: int) -> None:
    """An import's commit in the audit trail: written, or refused for errors or a failure."""
    audit.record(
        audit.Action.IMPORT_COMMITTED,
        user=job.user,
        outcome=audit.Outcome.SUCCESS if committed else audit.Outcome.FAILURE,
        model="resettle.exceljob",
        object_id=job.pk,
        rows=rows,
        detail=f"{job.ledger}: {job.file_name}",
        address=job.params.get("address"),
    )


def _run_export(job: ExcelJob) -> None:
    ledger = LEDGERS[job.ledger]
    reveal = bool(job.params.get("reveal"))
    query = ledger.export_query(job.user, job.params.get("filters", {}))
    report = _progress(job)
    total = max(1, job.rows)

    def progress(count: int) -> None:
        report(min(99, count * 100 // total))

    file = export_file(
        ledger, query, fmt=job.params.get("format", "xlsx"), reveal=reveal, progress=progress
    )
    with file:
        content = file.read()
    if reveal:
        log_full_export(
            job.user,
            ledger=job.ledger,
            rows=job.rows,
            detail=job.file_name,
            address=job.params.get("address"),
        )
    ExcelJob.objects.filter(pk=job.pk).update(
        content=content, status=ExcelJob.Status.DONE, progress=100, finished=timezone.now()
    )


def export_rows(ledger, query, *, reveal: bool, progress=None):
    for count, row in enumerate(ledger.export_rows(query, reveal=reveal), start=1):
        if progress and count % PROGRESS_EVERY == 0:
            progress(count)
        yield row


def export_file(ledger, query, *, fmt: str, reveal: bool, progress=None) -> io.IOBase:
    """The export as a temporary file (read back from its start), written in bounded memory."""
    rows = export_rows(ledger, query, reveal=reveal, progress=progress)
    if fmt == "xlsx":
        return export_xlsx(ledger.columns, ledger.title, rows)
    file = tempfile.TemporaryFile()  # noqa: SIM115 (returned open)
    for chunk in export_csv(ledger.columns, rows):
        file.write(chunk.encode("utf-8"))
    file.seek(0)
    return file


def log_full_export(user, *, ledger: str, rows: int, detail: str, address=None) -> None:
    """Write a full (unmasked) export of `rows` records of `ledger` to the audit trail; from a
    request, or from a task with the `address` of the request that started it."""
    audit.record(
        audit.Action.EXPORT, user=user, model=ledger, rows=rows, detail=detail, address=address
    )


def import_errors_workbook(job: ExcelJob) -> io.IOBase:
    """The uploaded rows with the cells in error marked and a column of reasons."""
    result = ImportResult.from_dict(job.result)
    return annotated_workbook(LEDGERS[job.ledger], bytes(job.content), result.errors)
