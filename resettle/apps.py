from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules
from django.utils.translation import gettext_lazy as _


class ResettleConfig(AppConfig):
    name = "resettle"
    verbose_name = _("Shared kernel")

    def ready(self):
        from django.apps import apps
        from django.db.models.signals import pre_delete, pre_save

        from resettle import audit_signals
        from resettle.history import keep_previous_values, keeps_history

        # A row loaded without a change history gets one before its first change, so that the
        # change shows what it changed from (issue 15, item 6).
        for model in filter(keeps_history, apps.get_models()):
            pre_save.connect(keep_previous_values, sender=model)
            pre_delete.connect(keep_previous_values, sender=model)
        # Sign-ins, lockouts and changes of accounts and permissions go to the audit trail.
        audit_signals.connect()
        # Each app's indicators.py registers its indicators with the catalogue.
        autodiscover_modules("indicators")
        # Each app's excel.py registers its ledgers' workbooks (resettle.excel.LEDGERS).
        autodiscover_modules("excel")
        # The kernel's tasks are registered with the Celery app of this process: resettle.jobs
        # queues its task by name (so the import points one way, tasks -> jobs), and in-process
        # (eager, without REDIS_URL) Celery runs a task by name only once it is registered.
        from resettle import tasks  # noqa: F401
