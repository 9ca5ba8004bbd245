from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from employment.models import (
    Employment,
    FollowUpVisit,
    JobMatch,
    LaborProfile,
    Training,
    Unemployment,
)


@admin.register(LaborProfile)
class LaborProfileAdmin(SimpleHistoryAdmin):
    list_display = ["person", "capacity", "willingness", "training_intention", "recorded_on"]
    list_filter = ["capacity", "willingness"]
    raw_id_fields = ["person"]


@admin.register(Employment)
class EmploymentAdmin(SimpleHistoryAdmin):
    list_display = ["person", "channel", "job_type", "place", "start_date", "end_date"]
    list_filter = ["channel", "job_type", "place"]
    raw_id_fields = ["person"]


for model in (Unemployment, Training, JobMatch, FollowUpVisit):
    admin.site.register(model, raw_id_fields=["person"])
