from django.conf import settings
from django.core.management.base import BaseCommand

from resettle.audit import prune_audit_trail


class Command(BaseCommand):
    help = (
        "Delete the audit trail's rows older than AUDIT_RETENTION_DAYS (at least 180 days); "
        "Celery beat does it every night."
    )

    def handle(self, *args, **options):
        deleted = prune_audit_trail()
        self.stdout.write(
            f"{deleted} rows older than {settings.AUDIT_RETENTION_DAYS} days deleted from the "
            "audit trail."
        )
