"""Base classes of the pages: the same scoping as the API (out of scope → 404)."""

import io
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import content_disposition_header, url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django.views.generic import ListView

from resettle.excel import (
    LEDGERS,
    XLSX_CONTENT_TYPE,
    ImportResult,
    Ledger,
    check_upload_size,
    export_csv,
    template_workbook,
)
from resettle.filters import PopulationFilter, StrictBooleanField
from resettle.jobs import (
    FORMATS,
    export_file,
    export_rows,
    export_run,
    export_start,
    import_commit_start,
    import_errors_workbook,
    import_start,
    job_progress,
    log_full_export,
)
from resettle.models import ExcelJob
from resettle.reveal import reveal_allowed, wants_reveal
from resettle.validators import check_page_number

# Errors listed on an import's page; the marked workbook has them all.
JOB_PAGE_ERRORS = 200


def favicon(request) -> HttpResponse:
    """/favicon.ico, which browsers ask of every site with each page: "no content", kept a day.
    The site has no icon, and its 404 page would render the whole layout (the user's menu and
    its counts) once more for every page a cadre opens."""
    response = HttpResponse(status=204)
    patch_cache_control(response, public=True, max_age=24 * 60 * 60)
    return response


def posted_id(request, name: str) -> int:
    """The record id a form posts as `name`. Raises Http404 for one that is no whole number
    (no record has it), as for an id no record has."""
    raw = request.POST.get(name, "")
    if not (raw.isascii() and raw.isdigit()):
        raise Http404(_("There is no such record."))
    return int(raw)


def safe_next(request, default: str = "") -> str:
    """Where to go back to after a form: the `next` the request carries (posted, else in the
    query string) when it is an address of this site (url_has_allowed_host_and_scheme: no other
    host, no other scheme), else `default`. A worklist sends it with the action it offers, so
    that recording a visit returns to the list."""
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return default


class PageNumberMixin:
    """For a paginated ListView: a `page` that is no whole number from 1 is refused in words
    (400, `check_page_number`), as the API refuses it; one past the end shows the last page (a
    link kept while records were removed)."""

    def get(self, request, *args, **kwargs):
        try:
            check_page_number(request.GET.get(self.page_kwarg))
        except ValidationError as exc:
            return render(
                request, "bad_request.html", {"message": " ".join(exc.messages)}, status=400
            )
        return super().get(request, *args, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        paginator = self.get_paginator(
            queryset,
            page_size,
            orphans=self.get_paginate_orphans(),
            allow_empty_first_page=self.get_allow_empty(),
        )
        asked = self.request.GET.get(self.page_kwarg)
        page = paginator.get_page(paginator.num_pages if asked == "last" else asked)
        return (paginator, page, page.object_list, page.has_other_pages())


class ScopedQuerysetMixin(LoginRequiredMixin):
    """For list and detail views: `queryset` narrowed to what the user may see."""

    def get_queryset(self):
        region = self.request.GET.get("region")
        return super().get_queryset().visible_to(self.request.user, region=region)


@dataclass(frozen=True)
class AreaFilter:
    """How the list pages offer an area filter (`region`, `site`): a drop-down of
    `choices(request)` ([(value, label)]: the areas the user may see), after a blank choice
    `everything` ("All counties"); `label` is the field's label on the page where it is not the
    filter's own."""

    everything: str
    choices: Callable[[HttpRequest], list[tuple[object, str]]]
    label: str | None = None


# The area filters of the list pages by filter name, in the order their choices are read. The
# registry app installs them when the apps are ready (households.apps), as the kernel imports no
# app.
AREA_FILTERS: dict[str, AreaFilter] = {}


class FilteredListView(PageNumberMixin, ScopedQuerysetMixin, ListView):
    """A scoped list filtered by the model's FilterSet (the same one as the API): the list base of
    every app's list pages."""

    filterset_class: type
    paginate_by = 50

    def get_queryset(self):
        data = self.request.GET.copy()
        for name, field in self.filterset_class.base_filters.items():
            if isinstance(field, PopulationFilter):
                data.setdefault(name, field.default)  # the drop-down shows the state listed
        self.filterset = self.filterset_class(data, queryset=super().get_queryset())
        # A filter builds its form field once and keeps it; the API schema (drf-spectacular) has
        # it built on the class's filters, with no label, in the schema's language, and copies
        # keep it: every list would then read "Category" for 搬迁类别 until a restart. Each
        # page builds its own, labelled from the model in the user's language.
        for filter_ in self.filterset.filters.values():
            vars(filter_).pop("_field", None)
        self.adapt_form(self.filterset.form)
        return self.filterset.qs if self.filterset.is_valid() else self.filterset.queryset.none()

    def adapt_form(self, form) -> None:
        """Page-only presentation of the FilterSet's fields (before the form is validated): the
        area filters offer what the user may see, as drop-downs (AREA_FILTERS); yes/no filters
        are drop-downs; a filter by a record's id (for the API and for links) is hidden."""
        for name, area in AREA_FILTERS.items():
            if name in form.fields:
                form.fields[name].widget = forms.Select(
                    choices=[("", area.everything), *area.choices(self.request)]
                )
                if area.label is not None:
                    form.fields[name].label = area.label
        for name in ("person", "household", "case"):
            if name in form.fields:
                form.fields[name].widget = forms.HiddenInput()
        for field in form.fields.values():
            if isinstance(field, StrictBooleanField):
                field.widget = forms.Select(
                    choices=[("", _("All")), ("true", _("Yes")), ("false", _("No"))]
                )

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            filterset=self.filterset, population=self.population(), **kwargs
        )

    def population(self) -> str | None:
        """The label of the state the list shows (PopulationFilter), said beside its total; None
        for a list without states or with a filter in error."""
        for name, field in self.filterset.filters.items():
            if isinstance(field, PopulationFilter) and self.filterset.is_valid():
                return field.labels[field.chosen(self.filterset.form.cleaned_data.get(name))]
        return None


def attach_errors(form, error) -> None:
    """Put a service's refusal on the form: on its fields where it names them, above the form
    otherwise (a version conflict or a rule of the whole record)."""
    if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        for message in getattr(error, "messages", [str(error)]):
            form.add_error(None, message)


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


# Parameters of the export links that are not list filters.
EXPORT_PARAMS = {"format", "reveal", "page"}


def export_params(query) -> dict:
    """The list filters among a request's parameters."""
    return {k: v for k, v in query.items() if k not in EXPORT_PARAMS}


class ImportForm(forms.Form):
    file = forms.FileField(label=_("Excel workbook (.xlsx)"))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        check_upload_size(upload.size)
        return upload


@login_required
def ledger_template(request, *, ledger: Ledger):
    """The ledger's import template."""
    return FileResponse(
        io.BytesIO(template_workbook(ledger)),
        as_attachment=True,
        filename=f"{ledger.title}导入模板.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )


@login_required
def ledger_import(request, *, ledger: Ledger):
    """Upload a workbook: it is checked first (a dry run), then imported on confirmation. The
    page lists the uploads made in the user's area."""
    if not ledger.may_import(request.user):
        raise PermissionDenied(ledger.import_denied)
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        job = import_start(
            user=request.user, ledger=ledger.name, file_name=upload.name, data=upload.read()
        )
        return redirect("excel-job", pk=job.pk)
    history = (
        ExcelJob.objects.visible_to(request.user)
        .filter(kind=ExcelJob.Kind.IMPORT, ledger=ledger.name)
        .select_related("user")
        .defer("content")[:50]
    )
    return render(
        request, "excel/ledger_import.html", {"form": form, "history": history, "ledger": ledger}
    )


@login_required
def ledger_export(request, *, ledger: Ledger):
    """The filtered list as .xlsx or CSV, masked unless `?reveal=1` by a permitted user
    (logged). A large export opens its job's page at once, which starts the task, shows its
    progress and downloads the file when it is written."""
    fmt = request.GET.get("format", "xlsx")
    if fmt not in FORMATS:
        raise Http404(_("Exports are .xlsx or .csv."))
    reveal = wants_reveal(request, permission=ledger.reveal_permission)
    params = export_params(request.GET)
    try:
        rows = ledger.export_query(request.user, params).count()
        if rows > settings.EXCEL_ASYNC_EXPORT_ROWS:
            job = export_start(
                user=request.user, ledger=ledger.name, params=params, fmt=fmt, reveal=reveal
            )
            return redirect("excel-job", pk=job.pk)
        return ledger_export_response(request, ledger=ledger, params=params, fmt=fmt, reveal=reveal)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(ledger.list_url)


def ledger_tools(user, ledger: Ledger) -> dict:
    """The context of a ledger list's Excel links (templates/excel/ledger_toolbar.html)."""
    return {
        "ledger": ledger,
        "may_import": ledger.may_import(user),
        "may_reveal": user.has_perm(ledger.reveal_permission),
    }


def ledger_urls(prefix: str, ledger: Ledger) -> list:
    """The template, import and export pages of `ledger` under `prefix` ("households/")."""
    return [
        path(
            f"{prefix}template/",
            ledger_template,
            {"ledger": ledger},
            name=f"{ledger.url_name}-template",
        ),
        path(
            f"{prefix}import/", ledger_import, {"ledger": ledger}, name=f"{ledger.url_name}-import"
        ),
        path(
            f"{prefix}export/", ledger_export, {"ledger": ledger}, name=f"{ledger.url_name}-export"
        ),
    ]


def _job_for(request, pk: int, *, own: bool = False) -> ExcelJob:
    job = get_object_or_404(ExcelJob.objects.visible_to(request.user), pk=pk)
    if own and job.user_id != request.user.pk:
        raise PermissionDenied(_("Only the person who started this job can use its file."))
    return job


@login_required
def excel_job_detail(request, pk: int):
    """An import's check and result, or an export's progress and file. A check without errors
    shows its uploader what the import will create and change (masked unless `?reveal=1` by a
    permitted user, logged); an export not yet started is started by the page."""
    job = _job_for(request, pk)
    ledger = LEDGERS[job.ledger]
    result = ImportResult.from_dict(job.result) if job.result else None
    own = job.user_id == request.user.pk
    # The preview quotes the file's names and values, as its errors do: the uploader's to read.
    preview = result.preview if result and own and job.status == ExcelJob.Status.CHECKED else None
    reveal = preview is not None and reveal_allowed(
        request,
        permission=ledger.reveal_permission,
        model_label=ExcelJob._meta.label_lower,
        object_id=str(job.pk),
    )
    return render(
        request,
        "excel/job_detail.html",
        {
            "job": job,
            "ledger": ledger,
            "result": result,
            "preview": preview.shown(reveal=reveal) if preview else [],
            "preview_more": preview.more if preview else 0,
            "reveal": reveal,
            "may_reveal": preview is not None
            and bool(ledger.reveal_permission)
            and request.user.has_perm(ledger.reveal_permission),
            "start": own
            and job.kind == ExcelJob.Kind.EXPORT
            and job.status == ExcelJob.Status.QUEUED
            and not job.params.get("started"),
            # The errors quote ID numbers and names from the file: the uploader's to read.
            "shown_errors": result.errors[:JOB_PAGE_ERRORS] if result and own else [],
            # So do the warnings (a converted ID number, a name that differs from the registry).
            "shown_warnings": result.warnings if result and own else [],
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
    return _job_state(_job_for(request, pk))


@login_required
@require_POST
def excel_job_start(request, pk: int):
    """Start writing an export's file (its page calls this as soon as it shows); answers the
    job's state as `excel_job_status` does, or, to a form without scripts, the job's page."""
    job = _job_for(request, pk, own=True)
    try:
        job = export_run(user=request.user, job=job)
    except ValidationError as exc:
        raise Http404(" ".join(exc.messages)) from None
    if request.headers.get("Accept") != "application/json":
        return redirect("excel-job", pk=job.pk)
    return _job_state(job)


def _job_state(job: ExcelJob) -> JsonResponse:
    return JsonResponse(
        {"status": job.status, "progress": job_progress(job), "running": job.is_running}
    )


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
