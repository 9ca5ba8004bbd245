"""Industry support projects (产业项目), workshops, benefit links and dividends."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndustryConfig(AppConfig):
    name = "industry"
    verbose_name = _("Industry support")

    def ready(self):
        # The demo gains its projects here: the registry does not know this app.
        from households.demo import DEMO_STEPS
        from industry.demo import seed_industry
        from industry.models import (
            BenefitLink,
            Dividend,
            IndustryProject,
            Investment,
            ProjectSite,
            ProjectStatusChange,
        )

        DEMO_STEPS.append(
            (
                seed_industry,
                [
                    IndustryProject,
                    ProjectStatusChange,
                    ProjectSite,
                    Investment,
                    BenefitLink,
                    Dividend,
                ],
            )
        )
