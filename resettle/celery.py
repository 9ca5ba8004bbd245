"""The Celery app. Without REDIS_URL tasks run eagerly in-process (settings.CELERY_TASK_ALWAYS_EAGER)."""

import os

from celery import Celery
from celery.signals import beat_init
from django.conf import settings

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "resettle.settings")

app = Celery("resettle")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@beat_init.connect
def run_at_start(sender=None, **kwargs) -> list[str]:
    """When Celery beat starts, send the schedule's entries named in
    settings.CELERY_BEAT_AT_START at once instead of one interval later (beat runs an interval
    entry first when the interval has passed): a new deployment's dashboards have stored live
    figures within minutes, not after half an hour of computing them on every view.

    Takes beat's signal arguments (unused). Returns the names of the tasks sent. Raises
    KeyError for a name not in settings.CELERY_BEAT_SCHEDULE."""
    sent = []
    for name in settings.CELERY_BEAT_AT_START:
        entry = settings.CELERY_BEAT_SCHEDULE[name]
        app.send_task(entry["task"], args=entry.get("args", ()), kwargs=entry.get("kwargs", {}))
        sent.append(entry["task"])
    return sent
