"""The labor ledger (就业台账): labor profiles, employment spells, trainings, job matches, visits."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "employment"
    verbose_name = _("Employment")

    def ready(self):
        # The household list gains the zero-employment filter and the household page its
        # employment summary, here: the registry does not know the labor ledger (apps depend one
        # way, households ← employment). The demo finds its seeder itself (resettle.demo).
        from employment.filtersets import ZeroEmploymentFilter
        from employment.views import household_panel
        from households.filtersets import HouseholdFilterSet
        from households.views import HOUSEHOLD_PANELS

        HouseholdFilterSet.base_filters["zero_employment"] = ZeroEmploymentFilter(
            label=_("Zero-employment households")
        )
        HOUSEHOLD_PANELS.append(household_panel)
