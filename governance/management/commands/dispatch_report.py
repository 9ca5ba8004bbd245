import time

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from governance.selectors import check_period
from governance.tasks import dispatch_reports_task
from households.models import Region
from resettle.periods import last_ended


class Command(BaseCommand):
    help = "Make the monthly dispatch reports (月调度) of a period, for one region or all."

    def add_arguments(self, parser):
        parser.add_argument("--period", help="YYYY-MM (default: last month)")
        parser.add_argument("--region", help="a county or prefecture code (default: all)")

    def handle(self, *args, period=None, region=None, **options):
        period = period or last_ended()
        try:
            check_period(period)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from None
        if region and not Region.objects.filter(code=region).exists():
            raise CommandError(f"No region has the code {region}.")
        started = time.perf_counter()
        result = dispatch_reports_task(period=period, region=region)
        self.stdout.write(
            f"{period}: {len(result['made'])} made, {len(result['kept'])} kept (submitted or "
            f"approved) in {time.perf_counter() - started:.1f} s"
        )
