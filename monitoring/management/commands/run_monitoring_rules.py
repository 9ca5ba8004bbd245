import time

from django.core.management.base import BaseCommand, CommandError

from households.models import Region
from monitoring.rules import RULES, run_rules


class Command(BaseCommand):
    help = "Run the return-to-poverty early-warning rules and raise alerts (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument("--region", help="region code, e.g. 653125 (default: everywhere)")

    def handle(self, *args, region=None, **options):
        if region and not Region.objects.filter(code=region).exists():
            raise CommandError(f"No region has the code {region}.")
        started = time.perf_counter()
        created = run_rules(region=region)
        for code, count in created.items():
            self.stdout.write(f"{code:16} {RULES[code].name}: {count}")
        self.stdout.write(
            f"{sum(created.values())} new alerts in {time.perf_counter() - started:.1f} s"
        )
