from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response

from households.api import serializers
from households.excel import LEDGER
from households.filtersets import (
    HouseholdFilterSet,
    PersonFilterSet,
    RegionFilterSet,
    SiteFilterSet,
)
from households.history import household_history
from households.models import REVEAL_PERMISSION, Household, Person, Region, Site
from households.views import EXPORT_PARAMS
from resettle.api.views import FileDownloadNegotiation, ScopedModelViewSet, ScopedReadOnlyViewSet
from resettle.excel import XLSX_CONTENT_TYPE
from resettle.jobs import FORMATS, import_start
from resettle.reveal import wants_reveal
from resettle.views import ledger_export_response


class RegionViewSet(ScopedReadOnlyViewSet):
    """Administrative regions in and above the user's scope."""

    queryset = Region.objects.all()
    serializer_class = serializers.RegionSerializer
    filterset_class = RegionFilterSet


class SiteViewSet(ScopedModelViewSet):
    """Settlement sites. Administrators create and change them."""

    queryset = Site.objects.select_related("county", "township")
    serializer_class = serializers.SiteSerializer
    filterset_class = SiteFilterSet


class HouseholdViewSet(ScopedModelViewSet):
    """Relocated households with their members."""

    queryset = Household.objects.select_related("site").prefetch_related(
        Prefetch("members", queryset=Person.objects.order_by("id"))
    )
    serializer_class = serializers.HouseholdSerializer
    filterset_class = HouseholdFilterSet
    reveal_permission = REVEAL_PERMISSION
    reveal_actions = ("retrieve", "history")

    @extend_schema(
        request={"multipart/form-data": serializers.ImportRequestSerializer},
        responses={
            200: serializers.ImportResultSerializer,
            400: serializers.ImportResultSerializer,
        },
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
        """Import the household ledger from an .xlsx in the template's columns. With
        `dry_run=true` every row is checked and nothing is written; otherwise the file is
        written in one transaction if no row has an error. 400 lists the errors."""
        form = serializers.ImportRequestSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        if not Site.objects.households_writable_by(request.user).exists():
            raise PermissionDenied(_("Your role may not add households."))
        upload = form.validated_data["file"]
        job = import_start(
            user=request.user,
            ledger=LEDGER.name,
            file_name=upload.name,
            data=upload.read(),
            commit=not form.validated_data["dry_run"],
            wait=True,
        )
        result = {k: v for k, v in job.result.items() if k != "committed"}
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
        """The households the list's filters select, one row per person in the import template's
        columns, as .xlsx or CSV (UTF-8 with BOM); masked unless `reveal=1` by a permitted user."""
        fmt = request.query_params.get("format", "xlsx")
        if fmt not in FORMATS:
            raise ValidationError({"format": _("Exports are .xlsx or .csv.")})
        reveal = wants_reveal(request._request, permission=REVEAL_PERMISSION)
        params = {k: v for k, v in request.query_params.items() if k not in EXPORT_PARAMS}
        try:
            return ledger_export_response(
                request, ledger=LEDGER, params=params, fmt=fmt, reveal=reveal
            )
        except DjangoValidationError as exc:
            raise ValidationError({"filters": exc.messages}) from None

    @extend_schema(responses={200: dict})
    @action(detail=True, methods=["get"])
    def history(self, request, pk=None):
        """Recorded changes to the household and its members, newest first."""
        household = self.get_object()
        return Response({"results": household_history(household, reveal=self.reveal())})


class PersonViewSet(ScopedModelViewSet):
    """Household members."""

    queryset = Person.objects.select_related("household")
    serializer_class = serializers.PersonSerializer
    filterset_class = PersonFilterSet
    reveal_permission = REVEAL_PERMISSION
