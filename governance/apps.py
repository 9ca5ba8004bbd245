"""Oversight: the indicator API, monthly dispatch reports and their approval, dashboards."""

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GovernanceConfig(AppConfig):
    name = "governance"
    verbose_name = _("Governance")

    def ready(self):
        # The ledgers' writes dated into approved months reach the reports (issue 15, item 8).
        from governance.latechanges import (
            late_changes_covered_until,
            late_changes_notes,
            late_changes_record,
        )
        from resettle import latechanges

        latechanges.register(
            record=late_changes_record,
            notes=late_changes_notes,
            covered_until=late_changes_covered_until,
        )
        # The app's tasks are registered with this process's Celery app: the report services
        # queue theirs by name (so the import points one way, tasks -> generation), and
        # in-process (eager, without REDIS_URL) Celery runs a task by name only once registered.
        from governance import tasks  # noqa: F401
