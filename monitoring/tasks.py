from celery import shared_task

from monitoring.rules import run_rules


@shared_task(name="monitoring.run_rules")
def run_rules_task(region: str | None = None) -> dict:
    """Every early-warning rule over the region (all when None), as of today."""
    return run_rules(region=region)
