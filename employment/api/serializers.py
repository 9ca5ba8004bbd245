from django.utils.translation import gettext as _
from rest_framework import serializers

from employment import services
from employment.models import Employment, FollowUpVisit, JobMatch, LaborProfile, Training
from households.api.serializers import VersionedSerializerMixin
from households.models import Person
from industry.models import IndustryProject
from resettle.api.fields import ScopedPrimaryKeyRelatedField
from resettle.api.serializers import ModelSerializer


class PersonRecordSerializer(ModelSerializer):
    person = ScopedPrimaryKeyRelatedField(queryset=Person.objects.all())
    person_name = serializers.CharField(source="person.name", read_only=True)

    def actor(self):
        return self.context["request"].user


class LaborProfileSerializer(VersionedSerializerMixin, PersonRecordSerializer):
    class Meta:
        model = LaborProfile
        fields = [
            "id",
            "person",
            "person_name",
            "capacity",
            "skill",
            "language",
            "willingness",
            "training_intention",
            "service_needs",
            "recorded_on",
            "version",
        ]
        extra_kwargs = {"version": {"required": False}}

    def create(self, validated_data):
        validated_data.pop("version", None)
        person = validated_data.pop("person")
        return services.labor_profile_save(actor=self.actor(), person=person, data=validated_data)

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        validated_data.pop("person", None)
        return services.labor_profile_save(
            actor=self.actor(), person=instance.person, data=validated_data, version=version
        )


class EmploymentSerializer(VersionedSerializerMixin, PersonRecordSerializer):
    project = ScopedPrimaryKeyRelatedField(
        queryset=IndustryProject.objects.all(),
        required=False,
        allow_null=True,
        help_text="The industry project the job is in",
    )

    class Meta:
        model = Employment
        fields = [
            "id",
            "person",
            "person_name",
            "channel",
            "job_type",
            "place",
            "employer",
            "industry",
            "monthly_income",
            "start_date",
            "end_date",
            "organised",
            "is_main",
            "project",
            "version",
        ]
        extra_kwargs = {"version": {"required": False}}

    def create(self, validated_data):
        validated_data.pop("version", None)
        person = validated_data.pop("person")
        return services.employment_open(actor=self.actor(), person=person, data=validated_data)

    def update(self, instance, validated_data):
        version = validated_data.pop("version")
        changed = {k for k, v in validated_data.items() if getattr(instance, k) != v}
        if changed - {"end_date"} or not validated_data.get("end_date"):
            raise serializers.ValidationError(
                _(
                    "A spell changes only by ending: send its end_date. To correct other "
                    "fields, end it and record the job again."
                )
            )
        return services.employment_close(
            actor=self.actor(), spell=instance, end_date=validated_data["end_date"], version=version
        )


class TrainingSerializer(PersonRecordSerializer):
    class Meta:
        model = Training
        fields = [
            "id",
            "person",
            "person_name",
            "course",
            "provider",
            "start_date",
            "end_date",
            "certificate",
        ]

    def create(self, validated_data):
        person = validated_data.pop("person")
        return services.training_record(actor=self.actor(), person=person, data=validated_data)


class JobMatchSerializer(PersonRecordSerializer):
    class Meta:
        model = JobMatch
        fields = ["id", "person", "person_name", "matched_on", "employer", "job", "result"]

    def create(self, validated_data):
        person = validated_data.pop("person")
        return services.job_match_record(actor=self.actor(), person=person, data=validated_data)


class FollowUpVisitSerializer(PersonRecordSerializer):
    class Meta:
        model = FollowUpVisit
        fields = ["id", "person", "person_name", "visited_on", "still_employed", "note"]

    def create(self, validated_data):
        person = validated_data.pop("person")
        return services.follow_up_record(actor=self.actor(), person=person, data=validated_data)
