"""The registry: regions, settlement sites, households and their members."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HouseholdsConfig(AppConfig):
    name = "households"
    verbose_name = _("Registry")

    def ready(self):
        from households import signals
        from households.views import county_choices, site_choices
        from resettle.views import AREA_FILTERS, AreaFilter

        signals.connect()
        # The list pages of every app offer the counties and sites the user may see.
        AREA_FILTERS["region"] = AreaFilter(
            everything=_("All counties"), choices=county_choices, label=_("County")
        )
        AREA_FILTERS["site"] = AreaFilter(everything=_("All sites"), choices=site_choices)
