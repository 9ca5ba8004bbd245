"""Governance's Celery tasks: each calls one service of governance.generation."""

from celery import shared_task
from django.contrib.auth import get_user_model

from governance.generation import live_figures_refresh, reports_generate


@shared_task(name="governance.dispatch_reports")
def dispatch_reports_task(
    period: str | None = None, region: str | None = None, user: int | None = None
) -> dict:
    """The month's reports (`generation.reports_generate`), made by the user of id `user`
    (None: by the system)."""
    actor = get_user_model().objects.filter(pk=user).first() if user else None
    return reports_generate(actor=actor, period=period, region=region)


@shared_task(name="governance.refresh_live_figures")
def refresh_live_figures_task(region: str | None = None) -> dict:
    """The dashboards' live figures (`generation.live_figures_refresh`), scheduled by Celery
    beat every settings.DASHBOARD["REFRESH_MINUTES"]."""
    return live_figures_refresh(region=region)
