"""Base classes of the pages: the same scoping as the API (out of scope → 404)."""

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from resettle.excel import LEDGERS, XLSX_CONTENT_TYPE, ImportResult, Ledger, export_csv
from resettle.jobs import (
    export_file,
    export_rows,
    import_commit_start,
    import_errors_workbook,
    log_full_export,
)
from resettle.models import ExcelJob

# Errors listed on an import's page; the marked workbook has them all.
JOB_PAGE_ERRORS = 200


class ScopedQuerysetMixin(LoginRequiredMixin):
    """For list and detail views: `queryset` narrowed to what the user may see."""

    def get_queryset(self):
        region = self.request.GET.get("region")
        return super().get_queryset().visible_to(self.request.user, region=region)


def jobs_visible_to(user):
    """Imports and exports in the user's area (the upload history), and their own."""
    return ExcelJob.objects.visible_to(user) | ExcelJob.objects.filter(user=user)


def ledger_export_response(request, *, ledger: Ledger, params: dict, fmt: str, reveal: bool):
    """The export of `ledger` with the list's filters `params`, streamed from a temporary file
    (xlsx) or row by row (CSV) in bounded memory; a full export is logged. Errors in the filters
    raise ValidationError."""
    query = ledger.export_query(request.user, params)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    name = f"{ledger.title}-{stamp}.{fmt}"
    if reveal:
        log_full_export(request.user, ledger=ledger.name, rows=query.count(), detail=name)
    if fmt == "csv":
        rows = export_rows(ledger, query, reveal=reveal)
        response = StreamingHttpResponse(
            (chunk.encode("utf-8") for chunk in export_csv(ledger.columns, rows)),
            content_type="text/csv; charset=utf-8",
        )
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
    return FileResponse(
        export_file(ledger, query, fmt="xlsx", reveal=reveal),
        as_attachment=True,
        filename=name,
        content_type=XLSX_CONTENT_TYPE,
    )


def _job_for(request, pk: int, *, own: bool = False) -> ExcelJob:
    job = get_object_or_404(jobs_visible_to(request.user), pk=pk)
    if own and job.user_id != request.user.pk:
        raise PermissionDenied(_("Only the person who started this job can use its file."))
    return job


@login_required
def excel_job_detail(request, pk: int):
    """An import's check and result, or an export's progress and file."""
    job = _job_for(request, pk)
    ledger = LEDGERS[job.ledger]
    result = ImportResult.from_dict(job.result) if job.result else None
    own = job.user_id == request.user.pk
    return render(
        request,
        "excel/job_detail.html",
        {
            "job": job,
            "ledger": ledger,
            "result": result,
            # The errors quote ID numbers and names from the file: the uploader's to read.
            "shown_errors": result.errors[:JOB_PAGE_ERRORS] if result and own else [],
            "marked": own and job.content and any(e.row for e in result.errors)
            if result
            else False,
            "own": own,
            "may_commit": job.user_id == request.user.pk
            and job.status == ExcelJob.Status.CHECKED
            and result is not None
            and not result.errors,
        },
    )


@login_required
def excel_job_status(request, pk: int):
    """The job's progress, for the page's progress bar."""
    job = _job_for(request, pk)
    return JsonResponse({"status": job.status, "progress": job.progress, "running": job.is_running})


@login_required
@require_POST
def excel_job_commit(request, pk: int):
    job = _job_for(request, pk, own=True)
    try:
        job = import_commit_start(user=request.user, job=job)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if job.status == ExcelJob.Status.DONE:
            result = ImportResult.from_dict(job.result)
            messages.success(
                request,
                _("Imported: %(created)d created, %(updated)d updated, %(unchanged)d unchanged.")
                % {
                    "created": result.created,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
            )
    return redirect("excel-job", pk=job.pk)


@login_required
def excel_job_file(request, pk: int):
    """An export's file."""
    job = _job_for(request, pk, own=True)
    if job.kind != ExcelJob.Kind.EXPORT or job.status != ExcelJob.Status.DONE:
        raise Http404(_("This job has no file to download."))
    content_type = (
        "text/csv; charset=utf-8" if job.file_name.endswith(".csv") else XLSX_CONTENT_TYPE
    )
    content = ExcelJob.objects.filter(pk=job.pk).values_list("content", flat=True).get()
    return FileResponse(
        io.BytesIO(bytes(content)),
        as_attachment=True,
        filename=job.file_name,
        content_type=content_type,
    )


@login_required
def excel_job_errors(request, pk: int):
    """The uploaded rows with the bad cells marked and the reasons in a last column."""
    job = _job_for(request, pk, own=True)
    errors = job.result.get("errors") or []
    if job.kind != ExcelJob.Kind.IMPORT or not job.content or not any(e["row"] for e in errors):
        raise Http404(_("This upload has no errors to mark."))
    stem = job.file_name.rsplit(".", 1)[0]
    return FileResponse(
        import_errors_workbook(job),
        as_attachment=True,
        filename=f"{stem}-错误标注.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
