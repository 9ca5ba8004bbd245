from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from monitoring import filtersets, services
from monitoring.api import serializers
from monitoring.models import (
    Alert,
    AssistanceMeasure,
    Incident,
    IncomeCheck,
    MonitoringCase,
    MonitoringLine,
)
from resettle.api.views import ScopedModelViewSet, ScopedReadOnlyViewSet


class MonitoringLineViewSet(viewsets.ModelViewSet):
    """Monitoring lines (监测线): reference data every user reads; administrators of the region
    add and change them (the service checks)."""

    http_method_names = ["get", "post", "put", "patch", "head", "options"]
    queryset = MonitoringLine.objects.select_related("region")
    serializer_class = serializers.MonitoringLineSerializer
    filterset_class = filtersets.MonitoringLineFilterSet
    permission_classes = [IsAuthenticated]


class IncomeCheckViewSet(ScopedModelViewSet):
    """Income checks; the per-capita net income is derived."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = IncomeCheck.objects.select_related("household")
    serializer_class = serializers.IncomeCheckSerializer
    filterset_class = filtersets.IncomeCheckFilterSet


class IncidentViewSet(ScopedModelViewSet):
    """Natural disasters and accidents that struck households."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = Incident.objects.select_related("household")
    serializer_class = serializers.IncidentSerializer
    filterset_class = filtersets.HouseholdRecordFilterSet


class AlertViewSet(ScopedReadOnlyViewSet):
    """Alerts raised by the early-warning rules, newest first, with the reason in words."""

    queryset = Alert.objects.select_related("household")
    serializer_class = serializers.AlertSerializer
    filterset_class = filtersets.AlertFilterSet

    @extend_schema(request=serializers.DismissSerializer, responses=serializers.AlertSerializer)
    @action(detail=True, methods=["post"])
    def dismiss(self, request, pk=None):
        """Close the alert after checking found no risk (the reason is required)."""
        alert = self.get_object()  # a write: `change` of the alert (ScopedViewSetMixin)
        form = serializers.DismissSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        alert = services.alert_dismiss(
            actor=request.user, alert=alert, reason=form.validated_data["reason"]
        )
        return Response(
            serializers.AlertSerializer(alert, context=self.get_serializer_context()).data
        )


class MonitoringCaseViewSet(ScopedModelViewSet):
    """Monitoring cases (监测对象) with their steps. POST opens one at 预警; each further step is
    `POST {id}/transition/`."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = MonitoringCase.objects.select_related("household").prefetch_related("events__by")
    serializer_class = serializers.MonitoringCaseSerializer
    filterset_class = filtersets.MonitoringCaseFilterSet

    @extend_schema(
        request=serializers.TransitionSerializer,
        responses={
            200: serializers.MonitoringCaseSerializer,
            202: serializers.MonitoringCaseSerializer,
        },
    )
    @action(detail=True, methods=["post"])
    def transition(self, request, pk=None):
        """Move the case one step with its date, reason and evidence. 400 names the rule a step
        breaks; 202 means a county decision asked by a site cadre, recorded as a proposal."""
        case = self.get_object()
        form = serializers.TransitionSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        data = form.validated_data
        case = services.case_transition(
            actor=request.user,
            case=case,
            to=data["to"],
            on=data.get("on"),
            reason=data["reason"],
            evidence=data["evidence"],
            version=data["version"],
        )
        case = (
            self.get_queryset().get(pk=case.pk)
            if not getattr(case, "proposal_recorded", False)
            else case
        )
        body = serializers.MonitoringCaseSerializer(
            case, context=self.get_serializer_context()
        ).data
        return Response(body, status=202 if getattr(case, "proposal_recorded", False) else 200)


class AssistanceMeasureViewSet(ScopedModelViewSet):
    """Assistance measures of monitored households; `POST {id}/end/` records the day one ended."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = AssistanceMeasure.objects.select_related("case")
    serializer_class = serializers.AssistanceMeasureSerializer
    filterset_class = filtersets.AssistanceMeasureFilterSet

    @extend_schema(
        request=serializers.EndMeasureSerializer, responses=serializers.AssistanceMeasureSerializer
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        measure = self.get_object()
        self.check_object_permissions(request, measure)
        form = serializers.EndMeasureSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        measure = services.measure_end(
            actor=request.user, measure=measure, end_date=form.validated_data["end_date"]
        )
        return Response(self.get_serializer(measure).data)
