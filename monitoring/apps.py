"""Return-to-poverty monitoring (防返贫动态监测): income checks, alerts, cases, measures."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        # The household page gains its monitoring panel and the demo its cases, here: the
        # registry does not know monitoring (apps depend one way).
        from households.demo import DEMO_STEPS
        from households.views import HOUSEHOLD_PANELS
        from monitoring.demo import seed_monitoring
        from monitoring.models import (
            Alert,
            AssistanceMeasure,
            CaseEvent,
            IncomeCheck,
            MonitoringCase,
        )
        from monitoring.views import household_panel

        HOUSEHOLD_PANELS.append(household_panel)
        DEMO_STEPS.append(
            (
                seed_monitoring,
                [IncomeCheck, MonitoringCase, CaseEvent, AssistanceMeasure, Alert],
            )
        )
