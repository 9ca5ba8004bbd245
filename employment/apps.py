"""The labor ledger (就业台账): labor profiles, employment spells, trainings, job matches, visits."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmploymentConfig(AppConfig):
    name = "employment"
    verbose_name = _("Employment")

    def ready(self):
        # The household list gains the zero-employment filter, the household page its
        # employment summary and the demo its labor ledger, here: the registry does not know
        # the labor ledger (apps depend one way, households ← employment).
        from employment.demo import seed_labor
        from employment.filtersets import ZeroEmploymentFilter
        from employment.models import Employment, FollowUpVisit, LaborProfile
        from employment.views import household_panel
        from households.demo import DEMO_STEPS
        from households.filtersets import HouseholdFilterSet
        from households.views import HOUSEHOLD_PANELS

        HouseholdFilterSet.base_filters["zero_employment"] = ZeroEmploymentFilter(
            label=_("Zero-employment households")
        )
        HOUSEHOLD_PANELS.append(household_panel)
        DEMO_STEPS.append((seed_labor, [LaborProfile, Employment, FollowUpVisit]))
