from django.utils.translation import gettext as _
from rest_framework import serializers

from households import services
from households.choices import RegionLevel
from households.models import Household, Person, Region, Site
from resettle.api.fields import (
    IdNumberField,
    MaskedDateField,
    PhoneField,
    ScopedPrimaryKeyRelatedField,
    ScopedSlugRelatedField,
)
from resettle.api.serializers import ModelSerializer
from resettle.masking import mask_birth_date
from resettle.validators import bounds_of


class VersionedSerializerMixin:
    """Updates must carry the `version` the user read; the service refuses a stale one (409)."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if self.instance is not None and "version" not in attrs:
            raise serializers.ValidationError(
                {"version": [_("Send the version of the record you edited (the `version` field).")]}
            )
        return attrs


class RegionSerializer(ModelSerializer):
    parent = serializers.CharField(source="parent_id", read_only=True, allow_null=True)

    class Meta:
        model = Region
        fields = ["code", "name", "level", "parent"]


class SiteSerializer(ModelSerializer):
    county_code = ScopedSlugRelatedField(
        source="county",
        slug_field="code",
        queryset=Region.objects.filter(level=RegionLevel.COUNTY),
        help_text="County code, 6 digits.",
    )
    township_code = ScopedSlugRelatedField(
        source="township",
        slug_field="code",
        queryset=Region.objects.filter(level=RegionLevel.TOWNSHIP),
        required=False,
        allow_null=True,
    )
    size_flags = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = Site
        fields = [
            "id",
            "code",
            "name",
            "county_code",
            "township_code",
            "region_code",
            "placement",
            "area_type",
            "build_year",
            "planned_households",
            "planned_persons",
            "address",
            "latitude",
            "longitude",
            "registered_persons",
            "size_flags",
        ]
        read_only_fields = ["region_code", "registered_persons"]

    def create(self, validated_data):
        return services.site_create(actor=self.context["request"].user, data=validated_data)

    def update(self, instance, validated_data):
        return services.site_update(
            actor=self.context["request"].user, site=instance, data=validated_data
        )


class UnknownDatesMixin:
    """A date nobody recorded is served as null beside its flag, as the export writes it blank:
    the day it was entered stands in for it in the counts, but is not its date, and a client
    that sends the record back with that day would make it a known date (issue 14)."""

    # date field → the flag that says it is not known
    unknown_dates: dict[str, str] = {}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        for date_field, flag in self.unknown_dates.items():
            if data.get(flag):
                data[date_field] = None
        return data


class PersonSerializer(UnknownDatesMixin, VersionedSerializerMixin, ModelSerializer):
    household = ScopedPrimaryKeyRelatedField(queryset=Household.objects.all())
    id_number = IdNumberField(max_length=32)
    phone = PhoneField(max_length=20, required=False, allow_blank=True)
    gender = serializers.ChoiceField(
        choices=Person._meta.get_field("gender").choices, required=False
    )
    birth_date = MaskedDateField(required=False)
    registered_on = MaskedDateField(required=False, always_masked=False)
    status_changed_on = serializers.DateField(
        required=False, allow_null=True, validators=bounds_of(Person, "status_changed_on")
    )
    version = serializers.IntegerField(required=False)
    unknown_dates = {"status_changed_on": "status_changed_on_unknown"}

    class Meta:
        model = Person
        fields = [
            "id",
            "household",
            "name",
            "id_number",
            "gender",
            "birth_date",
            "relation",
            "ethnicity",
            "education",
            "schooling",
            "health",
            "disability_grade",
            "medical_insurance",
            "pension_insurance",
            "dibao",
            "tekun",
            "phone",
            "status",
            "registered_on",
            "status_changed_on",
            "status_changed_on_unknown",
            "version",
        ]
        # A person who left on a date not sent is dated the day it is entered, its date unknown
        # (services.apply_person_status); the flag says so, and a date sent clears it.
        read_only_fields = ["status_changed_on_unknown"]
        # The service checks that an ID is unique among registered persons, naming the household.
        validators = []

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("reveal") and instance.registered_on == instance.birth_date:
            # A child born after the move is registered on its birth day: that day, served
            # beside the masked ID number, would complete it.
            data["registered_on"] = mask_birth_date(instance.registered_on)
        return data

    def create(self, validated_data):
        validated_data.pop("version", None)
        return services.person_create(actor=self.context["request"].user, data=validated_data)

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        return services.person_update(
            actor=self.context["request"].user,
            person=instance,
            data=validated_data,
            version=version,
        )


class MemberSerializer(PersonSerializer):
    """A member as nested in its household (read only)."""

    class Meta(PersonSerializer.Meta):
        fields = [f for f in PersonSerializer.Meta.fields if f != "household"]
        read_only_fields = fields


class HouseholdSerializer(UnknownDatesMixin, VersionedSerializerMixin, ModelSerializer):
    site = ScopedPrimaryKeyRelatedField(queryset=Site.objects.all())
    site_code = serializers.CharField(source="site.code", read_only=True)
    site_name = serializers.CharField(source="site.name", read_only=True)
    region_code = serializers.CharField(source="site.county_id", read_only=True)
    phone = PhoneField(max_length=20, required=False, allow_blank=True)
    members = MemberSerializer(many=True, read_only=True)
    unknown_dates = {
        f"{step}_on": f"{step}_on_unknown"
        for step in ("old_house_demolished", "homestead_reclaimed", "hukou_transferred")
    } | {"property_certificate_on": "property_certificate_on_unknown"}
    version = serializers.IntegerField(required=False)

    class Meta:
        model = Household
        fields = [
            "id",
            "household_no",
            "site",
            "site_code",
            "site_name",
            "region_code",
            "dwelling",
            "category",
            "origin_region_code",
            "origin_address",
            "relocation_year",
            "move_in_date",
            "old_house_demolished",
            "old_house_demolished_on",
            "old_house_demolished_on_unknown",
            "homestead_reclaimed",
            "homestead_reclaimed_on",
            "homestead_reclaimed_on_unknown",
            "property_certificate_status",
            "property_certificate_no",
            "property_certificate_on",
            "property_certificate_on_unknown",
            "hukou_transferred",
            "hukou_transferred_on",
            "hukou_transferred_on_unknown",
            "poverty_status",
            "phone",
            "version",
            "members",
            "created",
            "updated",
        ]
        # A step done with no date is dated the day it is entered, its date unknown (the
        # service's rule); the flags say so, and a date sent clears them.
        read_only_fields = [
            "old_house_demolished_on_unknown",
            "homestead_reclaimed_on_unknown",
            "property_certificate_on_unknown",
            "hukou_transferred_on_unknown",
            "created",
            "updated",
        ]

    def create(self, validated_data):
        validated_data.pop("version", None)
        return services.household_create(actor=self.context["request"].user, data=validated_data)

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        return services.household_update(
            actor=self.context["request"].user,
            household=instance,
            data=validated_data,
            version=version,
        )
