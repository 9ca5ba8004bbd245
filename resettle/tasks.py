"""Celery tasks of the kernel: thin wrappers around the functions of the same name."""

from celery import shared_task

from resettle.audit import prune_audit_trail
from resettle.jobs import excel_job_run


@shared_task(name="resettle.excel_job_run")
def excel_job_run_task(job_id: int) -> None:
    excel_job_run(job_id)


@shared_task(name="resettle.prune_audit_trail")
def prune_audit_trail_task() -> int:
    return prune_audit_trail()
