"""The registry: regions, settlement sites, households and their members."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Registry")

    def ready(self):
        from households import signals

        signals.connect()
