"""The dispatch reports over the API: list, generate, submit, approve, return, values."""

import django_filters
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from governance import services
from governance.models import DispatchReport, ReportEvent, ReportStatus
from governance.views import workbook_response
from households.filtersets import RegionFilter
from households.models import Region
from resettle.api.serializers import ModelSerializer
from resettle.api.views import FileDownloadNegotiation, ScopedReadOnlyViewSet
from resettle.excel import XLSX_CONTENT_TYPE
from resettle.users import system_or_name


@extend_schema_field({"type": "string", "nullable": True, "readOnly": True})
class UserNameField(serializers.Field):
    """A user's 姓名 as the pages show it (`resettle.users.display_name`). Read-only; gives a
    str, or for no user 「系统」 (a step the system took) when `system` is true, else None."""

    def __init__(self, *, system: bool = False, **kwargs):
        self.system = system
        super().__init__(read_only=True, allow_null=not system, **kwargs)

    def get_attribute(self, instance):
        # Wrapped, so that no user reaches to_representation (DRF serves a None as null).
        return (getattr(instance, self.source),)

    def to_representation(self, value):
        (user,) = value
        if user is None and not self.system:
            return None
        return system_or_name(user)


class ReportEventSerializer(ModelSerializer):
    by = serializers.CharField(source="by.username", default="", read_only=True)
    by_name = UserNameField(source="by", system=True)

    class Meta:
        model = ReportEvent
        fields = ["action", "at", "by", "by_name", "reason"]


class DispatchReportSerializer(ModelSerializer):
    region_name = serializers.CharField(source="region.name", read_only=True)
    approved_by = serializers.CharField(
        source="approved_by.username", default=None, read_only=True, allow_null=True
    )
    approved_by_name = UserNameField(source="approved_by")
    events = ReportEventSerializer(many=True, read_only=True)

    class Meta:
        model = DispatchReport
        fields = [
            "id",
            "period",
            "region",
            "region_name",
            "status",
            "as_of",
            "generated_at",
            "approved_at",
            "approved_by",
            "approved_by_name",
            "version",
            "generating",
            "progress",
            "events",
        ]


class GenerateSerializer(serializers.Serializer):
    period = serializers.CharField(help_text="YYYY-MM, a month that has ended")
    region = serializers.CharField(help_text="A county or prefecture code")


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="The report's version as read")


class ReturnSerializer(VersionSerializer):
    reason = serializers.CharField()


class DispatchReportFilterSet(django_filters.FilterSet):
    region = RegionFilter()
    period = django_filters.CharFilter()
    status = django_filters.ChoiceFilter(choices=ReportStatus.choices)

    class Meta:
        model = DispatchReport
        fields = ["region", "period", "status"]


class DispatchReportViewSet(ScopedReadOnlyViewSet):
    """Monthly dispatch reports of the regions the user sees, with their status and steps."""

    queryset = DispatchReport.objects.select_related("region", "approved_by").prefetch_related(
        "events__by"
    )
    serializer_class = DispatchReportSerializer
    filterset_class = DispatchReportFilterSet
    # Submitting, approving and returning are decided by their services (DispatchReport's
    # `submit` and `review` actions, through `permits`) after the checks that come first (a
    # prefecture's report is not submitted: 400; a stale version: 409), with the step's reason.
    scope_actions = {"submit": None, "approve": None, "return_": None}

    def _respond(self, report, status=200):
        report = self.get_queryset().get(pk=report.pk)
        return Response(self.get_serializer(report).data, status=status)

    @extend_schema(request=GenerateSerializer, responses={202: DispatchReportSerializer})
    @action(detail=False, methods=["post"], filter_backends=[], pagination_class=None)
    def generate(self, request):
        """Ask for a county's or prefecture's report of a month, made (again) by a task: 202 with
        the report, `generating` until it is made. Refused when it is submitted or approved."""
        form = GenerateSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        code = form.validated_data["region"]
        region = Region.objects.visible_to(request.user).filter(code=code).first()
        if region is None:
            # A code in the body, not the address: refused as the other fields naming a record
            # are (ScopedSlugRelatedField), the same whether missing or outside the area.
            raise ValidationError(
                {
                    "region": [
                        _("No record with the code {value} in your area: check the code.").format(
                            value=code
                        )
                    ]
                }
            )
        report = services.report_request(
            actor=request.user, period=form.validated_data["period"], region=region
        )
        return self._respond(report, status=202)

    @extend_schema(request=VersionSerializer, responses=DispatchReportSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        form = VersionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        report = services.report_submit(
            actor=request.user, report=self.get_object(), version=form.validated_data["version"]
        )
        return self._respond(report)

    @extend_schema(request=VersionSerializer, responses=DispatchReportSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        form = VersionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        report = services.report_approve(
            actor=request.user, report=self.get_object(), version=form.validated_data["version"]
        )
        return self._respond(report)

    @extend_schema(request=ReturnSerializer, responses=DispatchReportSerializer)
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        form = ReturnSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        report = services.report_return(
            actor=request.user,
            report=self.get_object(),
            version=form.validated_data["version"],
            reason=form.validated_data["reason"],
        )
        return self._respond(report)

    @extend_schema(responses={(200, XLSX_CONTENT_TYPE): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"], content_negotiation_class=FileDownloadNegotiation)
    def workbook(self, request, pk=None):
        """The leading group's workbook, built from the snapshot: the same file every time."""
        return workbook_response(self.get_object())

    @extend_schema(responses={200: OpenApiTypes.OBJECT})
    @action(detail=True, methods=["get"])
    def values(self, request, pk=None):
        """The snapshot: every catalogue indicator for the region, its child regions and its
        sites, as computed when the report was made."""
        report = self.get_object()
        return Response({"period": report.period, "as_of": report.as_of, **report.values})
