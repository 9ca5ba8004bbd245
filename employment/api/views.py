from employment import filtersets
from employment.api import serializers
from employment.excel import LEDGER
from employment.models import Employment, FollowUpVisit, JobMatch, LaborProfile, Training
from resettle.api.views import LedgerActionsMixin, ScopedModelViewSet


class LaborProfileViewSet(ScopedModelViewSet):
    """Labor profiles (劳动力档案), one per person."""

    # In a fixed order: the pages of an unordered list may repeat or skip profiles.
    queryset = LaborProfile.objects.select_related("person").order_by("person_id")
    serializer_class = serializers.LaborProfileSerializer
    filterset_class = filtersets.LaborProfileFilterSet


class EmploymentViewSet(LedgerActionsMixin, ScopedModelViewSet):
    """Employment spells; PATCH with `end_date` and `version` ends one. `import/` and `export/`
    take and give the labor ledger's workbook (one row per person: profile and current job)."""

    ledger = LEDGER

    queryset = Employment.objects.select_related("person")
    serializer_class = serializers.EmploymentSerializer
    filterset_class = filtersets.EmploymentFilterSet


class TrainingViewSet(ScopedModelViewSet):
    """Trainings attended."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = Training.objects.select_related("person")
    serializer_class = serializers.TrainingSerializer
    filterset_class = filtersets.TrainingFilterSet


class JobMatchViewSet(ScopedModelViewSet):
    """Job matches (岗位对接) offered to persons seeking work."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = JobMatch.objects.select_related("person")
    serializer_class = serializers.JobMatchSerializer
    filterset_class = filtersets.JobMatchFilterSet


class FollowUpVisitViewSet(ScopedModelViewSet):
    """Follow-up visits (跟踪回访) to employed persons."""

    http_method_names = ["get", "post", "head", "options"]
    queryset = FollowUpVisit.objects.select_related("person")
    serializer_class = serializers.FollowUpVisitSerializer
    filterset_class = filtersets.FollowUpVisitFilterSet
