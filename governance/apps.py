"""Oversight: the indicator API, monthly dispatch reports and their approval, dashboards."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")
