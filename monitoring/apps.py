"""Return-to-poverty monitoring (防返贫动态监测): income checks, alerts, cases, measures."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "monitoring"
    verbose_name = _("Monitoring")
