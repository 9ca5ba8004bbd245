from django.contrib import admin

from monitoring.models import (
    Alert,
    AssistanceMeasure,
    CaseEvent,
    Incident,
    IncomeCheck,
    MonitoringCase,
    MonitoringLine,
)


@admin.register(MonitoringLine)
class MonitoringLineAdmin(admin.ModelAdmin):
    """The lines are reference data administrators keep here (or through the API)."""

    list_display = ["year", "region", "amount", "source"]
    list_filter = ["year"]
    raw_id_fields = ["region"]


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    readonly_fields = [
        "from_status",
        "to_status",
        "on",
        "at",
        "by",
        "reason",
        "evidence",
        "proposal",
    ]
    can_delete = False


@admin.register(MonitoringCase)
class MonitoringCaseAdmin(admin.ModelAdmin):
    """Read here; cases move only through their steps (the pages and the API)."""

    list_display = ["household", "category", "status", "opened_on", "identified_on", "closed_on"]
    list_filter = ["status", "category"]
    raw_id_fields = ["household"]
    inlines = [CaseEventInline]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Alert)
class AlertAdmin(admin.ModelAdmin):
    list_display = ["household", "rule", "raised_on", "status", "closed_on"]
    list_filter = ["rule", "status"]
    raw_id_fields = ["household", "case"]


for model in (IncomeCheck, Incident):
    admin.site.register(model, raw_id_fields=["household"])
admin.site.register(AssistanceMeasure, raw_id_fields=["case"])
