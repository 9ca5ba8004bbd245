import csv

from django.contrib import admin
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.http import StreamingHttpResponse
from django.shortcuts import redirect
from django.urls import path
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from simple_history.admin import SimpleHistoryAdmin

from resettle import audit
from resettle.excel import neutralise
from resettle.models import AccessLog


class ReadOnlyAdminMixin:
    """An administration page that only reads: no add, change, revert or delete."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class LedgerRecordAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    """A ledger's record read here with its history; it is written only through its services
    (the pages, the import and the API), which keep its rules and the copies other records keep
    of it (a member's site and category, `households.services.members_follow`)."""


# The administration pages carry the site's name, not "Django 管理".
admin.site.site_header = gettext_lazy("Relocation follow-up support · Administration")
admin.site.site_title = gettext_lazy("Relocation follow-up support")
admin.site.index_title = gettext_lazy("Administration")


class Echo:
    """A file-like object csv.writer writes a line to and gets it back (to stream rows)."""

    def write(self, value):
        return value


@admin.register(AccessLog)
class AccessLogAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """The security audit trail, read-only for everyone, superusers included (GB/T 22239-2019
    §8.1.4.3: records protected from deletion and change): filtered, searched and exported to
    CSV; each export is itself recorded."""

    list_display = ["when", "username", "action", "outcome", "address", "concerning", "detail"]
    list_filter = [
        "action",
        "outcome",
        ("at", admin.DateFieldListFilter),
        ("user", admin.RelatedOnlyFieldListFilter),
    ]
    search_fields = ["username", "address", "object_id", "detail"]
    date_hierarchy = "at"
    show_full_result_count = False
    list_per_page = 100
    actions = ["export_selected"]

    class Media:
        css = {"all": ["audit-admin.css"]}

    @admin.display(description=gettext_lazy("at"), ordering="at")
    def when(self, row: AccessLog) -> str:
        """To the second, in the site's time zone: the order of events matters."""
        return f"{timezone.localtime(row.at):%Y-%m-%d %H:%M:%S}"

    @admin.display(description=gettext_lazy("record concerned"))
    def concerning(self, row: AccessLog) -> str:
        """The record concerned (type and id), and how many rows an export or import moved."""
        text = " #".join(part for part in (row.model, row.object_id) if part)
        if row.rows != 1:
            text += " · " + _("%(rows)d rows") % {"rows": row.rows}
        return text or "—"

    def get_urls(self):
        export = self.admin_site.admin_view(self.export_view)
        return [path("export/", export, name="resettle_accesslog_export"), *super().get_urls()]

    def export_view(self, request):
        """The rows the list shows with its filters and search, as CSV."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return redirect("admin:resettle_accesslog_changelist")
        return self.export_response(request, changelist.get_queryset(request))

    @admin.action(description=gettext_lazy("Export the selected rows (CSV)"))
    def export_selected(self, request, queryset):
        return self.export_response(request, queryset)

    def export_response(self, request, queryset):
        """`queryset` as CSV (UTF-8 with BOM, for Excel and WPS), streamed; the export is
        recorded in the trail first, with the filters it was made with. Text a spreadsheet would
        run as a formula (a user name typed as `=…`) is neutralised."""
        rows = queryset.count()
        audit.record(
            audit.Action.AUDIT_EXPORTED,
            request=request,
            model="resettle.accesslog",
            rows=rows,
            detail=request.GET.urlencode(),
        )
        columns = [
            (field, str(AccessLog._meta.get_field(field).verbose_name))
            for field in (
                "at",
                "username",
                "action",
                "outcome",
                "address",
                "model",
                "object_id",
                "rows",
                "detail",
            )
        ]
        # Labels in the language of the request, before the response streams.
        actions = {value: str(label) for value, label in AccessLog.Action.choices}
        outcomes = {value: str(label) for value, label in AccessLog.Outcome.choices}
        header = [label for _field, label in columns]
        writer = csv.writer(Echo())

        def lines():
            yield "\ufeff" + writer.writerow(header)
            for row in queryset.order_by("-at", "-pk").iterator(chunk_size=2000):
                yield writer.writerow(
                    neutralise(value)
                    for value in [
                        timezone.localtime(row.at).strftime("%Y-%m-%d %H:%M:%S"),
                        row.username,
                        actions.get(row.action, row.action),
                        outcomes.get(row.outcome, row.outcome),
                        row.address or "",
                        row.model,
                        row.object_id,
                        row.rows,
                        row.detail,
                    ]
                )

        response = StreamingHttpResponse(
            (line.encode("utf-8") for line in lines()), content_type="text/csv; charset=utf-8"
        )
        name = f"{_('audit trail')}-{timezone.localtime():%Y%m%d-%H%M}.csv"
        response["Content-Disposition"] = content_disposition_header(True, name)
        return response
