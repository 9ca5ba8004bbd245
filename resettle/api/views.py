"""Base classes of every API viewset: the queryset restricted to the user's scope (out of scope
→ 404), writes checked with the same rule (read-only in scope → 403), sensitive fields revealed
only on request by a permitted user and logged."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import SAFE_METHODS
from rest_framework.response import Response

from resettle import latechanges
from resettle.api.serializers import ImportRequestSerializer, ImportResultSerializer
from resettle.excel import XLSX_CONTENT_TYPE, Ledger
from resettle.jobs import FORMATS, import_start
from resettle.reveal import reveal_allowed, wants_reveal
from resettle.scoping import READ_ONLY, allowed
from resettle.views import export_params, ledger_export_response


class ScopedViewSetMixin:
    """Records through `restrict` (resettle.scoping): the list and every detail are what the
    user may `view` (anything else is 404); a write to a record is the model's action named in
    `scope_actions` for the viewset's action (`change` for create, update and the viewset's
    other unsafe actions), refused with 403 when the user may view but not do it."""

    # Permission (app_label.codename) that lets a user see sensitive fields in full; None when
    # the model has none.
    reveal_permission: str | None = None
    # The model's action (resettle.scoping.grants) each of the viewset's unsafe actions does;
    # those not named are `change`; None: the action's service decides (through `permits`),
    # after its own checks, with its own reason.
    scope_actions: dict[str, str | None] = {}

    def get_queryset(self):
        region = self.request.query_params.get("region")
        return super().get_queryset().restrict(self.request.user, "view", region=region)

    def filter_queryset(self, queryset):
        # A record asked for by its id is found whatever the list's filters say: a list's
        # default state (households with a registered member, say) hides no record from its
        # own page, its history or its writes.
        if self.detail:
            return queryset
        return super().filter_queryset(queryset)

    def scope_action(self) -> str | None:
        """The model's action that this request does to a record (None: its service decides)."""
        if self.request.method in SAFE_METHODS:
            return "view"
        return self.scope_actions.get(self.action, "change")

    def check_object_permissions(self, request, obj):
        super().check_object_permissions(request, obj)
        action = self.scope_action()
        if action not in (None, "view") and not allowed(request.user, action, obj):
            if action == "change":
                raise PermissionDenied(READ_ONLY)
            raise PermissionDenied(
                _("You can read this record but your role may not take this step.")
            )

    # Detail actions on which `?reveal=1` shows sensitive fields in full.
    reveal_actions: tuple[str, ...] = ("retrieve",)

    def reveal(self) -> bool:
        """Whether this request shows sensitive fields in full (`?reveal=1` on a detail action
        by a permitted user; logged)."""
        if self.reveal_permission is None or self.action not in self.reveal_actions:
            return False
        return reveal_allowed(
            self.request._request,
            permission=self.reveal_permission,
            model_label=self.queryset.model._meta.label_lower,
            object_id=str(self.kwargs.get(self.lookup_url_kwarg or self.lookup_field, "")),
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "reveal": self.reveal()}

    def finalize_response(self, request, response, *args, **kwargs):
        """A write dated into a month whose monthly report is approved answers, under
        "warnings", which approved reports it leaves behind (`resettle.latechanges`)."""
        response = super().finalize_response(request, response, *args, **kwargs)
        if isinstance(getattr(response, "data", None), dict):
            notes = latechanges.take_notes()
            if notes:
                response.data["warnings"] = [*response.data.get("warnings", []), *notes]
        return response


class RemovableMixin:
    """DELETE removes a record entered by mistake, with `?reason=` (kept in its history),
    through the app's service `remove_record(actor=, record=, reason=)`, which holds what may
    not be removed and raises ValidationError (400) saying why."""

    remove_record = None  # staticmethod(the app's record_remove)

    @extend_schema(parameters=[OpenApiParameter("reason", str, required=True)])
    def destroy(self, request, *args, **kwargs):
        return super().destroy(request, *args, **kwargs)

    def perform_destroy(self, instance):
        self.remove_record(
            actor=self.request.user,
            record=instance,
            reason=self.request.query_params.get("reason", ""),
        )


class ScopedModelViewSet(ScopedViewSetMixin, viewsets.ModelViewSet):
    http_method_names = ["get", "post", "put", "patch", "head", "options"]


class ScopedReadOnlyViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    pass


class FileDownloadNegotiation(DefaultContentNegotiation):
    """For actions answering a file: `?format=` names the file's format (xlsx, csv), not one of
    the API's renderers; errors are still JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class LedgerActionsMixin:
    """`import/` and `export/` of a viewset's Excel ledger (`ledger`), with the pages' contract:
    a dry run by default, the whole file or nothing, the list's filters on the export."""

    ledger: Ledger

    @extend_schema(
        request={"multipart/form-data": ImportRequestSerializer},
        responses={200: ImportResultSerializer, 400: ImportResultSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import",
        parser_classes=[MultiPartParser],
        filter_backends=[],
        pagination_class=None,
    )
    def import_workbook(self, request):
        """Import the ledger from an .xlsx in its template's columns. With `dry_run=true` every
        row is checked and nothing is written; otherwise the file is written in one transaction
        if no row has an error. 400 lists the errors."""
        form = ImportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        if not self.ledger.may_import(request.user):
            raise PermissionDenied(self.ledger.import_denied)
        upload = form.validated_data["file"]
        job = import_start(
            user=request.user,
            ledger=self.ledger.name,
            file_name=upload.name,
            data=upload.read(),
            commit=not form.validated_data["dry_run"],
            wait=True,
        )
        # The page's preview of what the import will write is the page's (its values are
        # masked as it is shown); the API answers the counts, errors and warnings.
        result = {k: v for k, v in job.result.items() if k not in {"committed", "preview"}}
        return Response(result, status=400 if result["errors"] else 200)

    @extend_schema(
        parameters=[
            OpenApiParameter("format", enum=list(FORMATS), default="xlsx"),
            OpenApiParameter(
                "reveal", enum=["1"], description="ID numbers and phones in full (logged)"
            ),
        ],
        responses={
            (200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY,
            (200, "text/csv"): OpenApiTypes.BINARY,
        },
    )
    @action(
        detail=False,
        methods=["get"],
        pagination_class=None,
        filter_backends=[],
        content_negotiation_class=FileDownloadNegotiation,
    )
    def export(self, request):
        """The ledger's rows the list's filters select, in the import template's columns, as
        .xlsx or CSV (UTF-8 with BOM); masked unless `reveal=1` by a permitted user (logged)."""
        fmt = request.query_params.get("format", "xlsx")
        if fmt not in FORMATS:
            raise ValidationError({"format": [_("Exports are .xlsx or .csv.")]})
        reveal = wants_reveal(request._request, permission=self.ledger.reveal_permission)
        try:
            return ledger_export_response(
                request,
                ledger=self.ledger,
                params=export_params(request.query_params),
                fmt=fmt,
                reveal=reveal,
            )
        except DjangoValidationError as exc:
            raise ValidationError({"filters": exc.messages}) from None
