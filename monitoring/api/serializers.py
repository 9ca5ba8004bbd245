from rest_framework import serializers

from households.api.serializers import VersionedSerializerMixin
from households.models import Household, Region
from monitoring import choices, services
from monitoring.models import (
    Alert,
    AssistanceMeasure,
    CaseEvent,
    Incident,
    IncomeCheck,
    MonitoringCase,
    MonitoringLine,
)
from resettle.api.fields import ScopedPrimaryKeyRelatedField
from resettle.api.serializers import ModelSerializer
from resettle.validators import bounds_of


def actor(serializer):
    return serializer.context["request"].user


class MonitoringLineSerializer(ModelSerializer):
    region = serializers.PrimaryKeyRelatedField(
        queryset=Region.objects.all(),
        allow_null=True,
        required=False,
        help_text="Region code; null for the national line",
    )

    class Meta:
        model = MonitoringLine
        fields = ["id", "year", "region", "amount", "source"]
        validators = []  # the service says which line already exists

    def create(self, validated_data):
        return services.line_save(actor=actor(self), data=validated_data)

    def update(self, instance, validated_data):
        return services.line_save(actor=actor(self), data=validated_data, line=instance)


class HouseholdRecordSerializer(ModelSerializer):
    household = ScopedPrimaryKeyRelatedField(queryset=Household.objects.all())
    household_no = serializers.CharField(source="household.household_no", read_only=True)


class IncomeCheckSerializer(HouseholdRecordSerializer):
    class Meta:
        model = IncomeCheck
        fields = [
            "id",
            "household",
            "household_no",
            "year",
            "checked_on",
            "wage_income",
            "operating_income",
            "property_income",
            "transfer_income",
            "production_costs",
            "medical_expense",
            "schooling_expense",
            "household_size",
            "per_capita_net",
        ]
        read_only_fields = ["per_capita_net"]

    def create(self, validated_data):
        household = validated_data.pop("household")
        return services.income_check_record(
            actor=actor(self), household=household, data=validated_data
        )


class IncidentSerializer(HouseholdRecordSerializer):
    class Meta:
        model = Incident
        fields = ["id", "household", "household_no", "kind", "occurred_on", "note"]

    def create(self, validated_data):
        household = validated_data.pop("household")
        return services.incident_record(actor=actor(self), household=household, data=validated_data)


class AlertSerializer(ModelSerializer):
    household_no = serializers.CharField(source="household.household_no", read_only=True)
    rule_name = serializers.CharField(read_only=True)
    explanation = serializers.CharField(read_only=True, help_text="The reason, in words")

    class Meta:
        model = Alert
        fields = [
            "id",
            "household",
            "household_no",
            "rule",
            "rule_name",
            "raised_on",
            "details",
            "explanation",
            "status",
            "case",
            "closed_on",
            "reason",
        ]
        read_only_fields = fields


class DismissSerializer(serializers.Serializer):
    reason = serializers.CharField(help_text="What the check found")


class CaseEventSerializer(ModelSerializer):
    by = serializers.CharField(source="by.username", default="", read_only=True)

    class Meta:
        model = CaseEvent
        fields = ["from_status", "to_status", "on", "at", "by", "reason", "evidence", "proposal"]


class MonitoringCaseSerializer(VersionedSerializerMixin, HouseholdRecordSerializer):
    risks = serializers.ListField(
        child=serializers.ChoiceField(choices=choices.Risk.choices),
        source="risk_list",
        help_text="One or more risk types",
    )
    alerts = ScopedPrimaryKeyRelatedField(
        many=True,
        queryset=Alert.objects.all(),
        required=False,
        write_only=True,
        help_text="Open alerts of the household that start the case",
    )
    events = CaseEventSerializer(many=True, read_only=True)

    class Meta:
        model = MonitoringCase
        fields = [
            "id",
            "household",
            "household_no",
            "category",
            "risks",
            "found_through",
            "status",
            "opened_on",
            "visited_on",
            "notice_from",
            "decided_on",
            "identified_on",
            "assisted_from",
            "closed_on",
            "note",
            "alerts",
            "events",
            "version",
        ]
        read_only_fields = [
            "status",
            "visited_on",
            "notice_from",
            "decided_on",
            "identified_on",
            "assisted_from",
            "closed_on",
        ]
        extra_kwargs = {"version": {"required": False}, "opened_on": {"required": False}}

    def create(self, validated_data):
        validated_data.pop("version", None)
        household = validated_data.pop("household")
        alerts = validated_data.pop("alerts", None)
        validated_data["risks"] = validated_data.pop("risk_list")
        return services.case_open(
            actor=actor(self), household=household, data=validated_data, alerts=alerts
        )


class TransitionSerializer(serializers.Serializer):
    to = serializers.ChoiceField(choices=choices.Status.choices, help_text="The target step")
    on = serializers.DateField(
        required=False,
        validators=bounds_of(CaseEvent, "on"),
        help_text="When it happened; default today",
    )
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    evidence = serializers.DictField(
        required=False,
        default=dict,
        help_text='For 风险消除: {"basic_needs": true, "drinking_water": true}',
    )
    version = serializers.IntegerField(help_text="The case's version as read")


class AssistanceMeasureSerializer(ModelSerializer):
    case = ScopedPrimaryKeyRelatedField(queryset=MonitoringCase.objects.all())

    class Meta:
        model = AssistanceMeasure
        fields = [
            "id",
            "case",
            "kind",
            "description",
            "responsible",
            "start_date",
            "end_date",
            "amount",
        ]

    def create(self, validated_data):
        case = validated_data.pop("case")
        return services.measure_add(actor=actor(self), case=case, data=validated_data)


class EndMeasureSerializer(serializers.Serializer):
    end_date = serializers.DateField(
        validators=bounds_of(AssistanceMeasure, "end_date"), help_text="The measure's last day"
    )
