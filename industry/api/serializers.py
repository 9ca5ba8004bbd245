from rest_framework import serializers

from households.api.serializers import VersionedSerializerMixin
from households.choices import RegionLevel
from households.models import Household, Region, Site
from industry import services
from industry.models import (
    BenefitLink,
    Dividend,
    IndustryProject,
    Investment,
    ProjectSite,
    ProjectStatusChange,
)
from resettle.api.fields import ScopedPrimaryKeyRelatedField, ScopedSlugRelatedField
from resettle.api.serializers import ModelSerializer
from resettle.validators import bounds_of


def actor(serializer):
    return serializer.context["request"].user


class ServedSiteSerializer(serializers.Serializer):
    site = ScopedPrimaryKeyRelatedField(queryset=Site.objects.all())
    site_name = serializers.CharField(source="site.name", read_only=True)
    travel_minutes = serializers.IntegerField(
        required=False, allow_null=True, validators=bounds_of(ProjectSite, "travel_minutes")
    )


class StatusChangeSerializer(ModelSerializer):
    """One entry of a project's status history: `changed_on` null when not known."""

    class Meta:
        model = ProjectStatusChange
        fields = ["status", "changed_on", "created"]


class IndustryProjectSerializer(VersionedSerializerMixin, ModelSerializer):
    county = ScopedSlugRelatedField(
        slug_field="code",
        queryset=Region.objects.filter(level=RegionLevel.COUNTY),
        help_text="County code",
    )
    served = ServedSiteSerializer(many=True, required=False, help_text="Sites served")
    status_since = serializers.DateField(
        write_only=True,
        required=False,
        allow_null=True,
        validators=bounds_of(ProjectStatusChange, "changed_on"),
        help_text="The day the project took `status` (needed for a new project and when the "
        "status changes; not in the future). Kept in `status_history`.",
    )
    status_history = StatusChangeSerializer(
        source="status_changes", many=True, read_only=True, help_text="Status by date, oldest first"
    )

    class Meta:
        model = IndustryProject
        fields = [
            "id",
            "code",
            "name",
            "county",
            "served",
            "sector",
            "kind",
            "operator_type",
            "operator",
            "status",
            "status_since",
            "status_history",
            "planned_start",
            "actual_start",
            "planned_completion",
            "actual_completion",
            "units",
            "area_m2",
            "jobs_offered",
            "version",
        ]
        extra_kwargs = {"version": {"required": False}}

    def _served(self, validated_data):
        served = validated_data.pop("served", None)
        if served is None:
            return None
        return [(s["site"], s.get("travel_minutes")) for s in served]

    def create(self, validated_data):
        validated_data.pop("version", None)
        served = self._served(validated_data)
        since = validated_data.pop("status_since", None)
        return services.project_save(
            actor=actor(self), data=validated_data, served=served or [], status_since=since
        )

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        served = self._served(validated_data)
        since = validated_data.pop("status_since", None)
        return services.project_save(
            actor=actor(self),
            data=validated_data,
            served=served,
            project=instance,
            version=version,
            status_since=since,
        )


class InvestmentSerializer(ModelSerializer):
    project = ScopedPrimaryKeyRelatedField(queryset=IndustryProject.objects.all())

    class Meta:
        model = Investment
        fields = ["id", "project", "source", "amount", "year", "note"]

    def create(self, validated_data):
        project = validated_data.pop("project")
        return services.investment_add(actor=actor(self), project=project, data=validated_data)


class BenefitLinkSerializer(ModelSerializer):
    project = ScopedPrimaryKeyRelatedField(queryset=IndustryProject.objects.all())
    household = ScopedPrimaryKeyRelatedField(queryset=Household.objects.all())

    class Meta:
        model = BenefitLink
        fields = ["id", "project", "household", "kind", "since"]
        validators = []  # the service says which link exists

    def create(self, validated_data):
        project = validated_data.pop("project")
        household = validated_data.pop("household")
        return services.link_add(
            actor=actor(self), project=project, household=household, data=validated_data
        )


class DividendSerializer(ModelSerializer):
    project = ScopedPrimaryKeyRelatedField(queryset=IndustryProject.objects.all())
    household = ScopedPrimaryKeyRelatedField(queryset=Household.objects.all())

    class Meta:
        model = Dividend
        fields = ["id", "project", "household", "year", "amount", "paid_on"]
        # `paid_on` is null when the day it was paid is not known: never filled in.
        extra_kwargs = {"paid_on": {"required": True, "allow_null": True}}
        validators = []  # the service says which dividend exists

    def create(self, validated_data):
        project = validated_data.pop("project")
        household = validated_data.pop("household")
        return services.dividend_add(
            actor=actor(self), project=project, household=household, data=validated_data
        )
