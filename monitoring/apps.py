"""Return-to-poverty monitoring (防返贫动态监测): income checks, alerts, cases, measures."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")

    def ready(self):
        # The household page gains its monitoring panel here: the registry does not know
        # monitoring (apps depend one way). The demo finds its seeder itself (resettle.demo).
        from households.views import HOUSEHOLD_PANELS
        from monitoring.views import household_panel

        HOUSEHOLD_PANELS.append(household_panel)
