import logging

from celery import shared_task

from governance.services import previous_period, regions_to_report, report_generate
from households.models import Region

logger = logging.getLogger(__name__)


@shared_task(name="governance.dispatch_reports")
def dispatch_reports_task(
    period: str | None = None, region: str | None = None, user: int | None = None
) -> dict:
    """Make the month's reports (the month before by default) of every county and prefecture
    with sites, or of one region; a submitted or approved one is left as it is."""
    period = period or previous_period()
    regions = list(Region.objects.filter(code=region)) if region else regions_to_report()
    made, kept, failed = [], [], []
    from django.contrib.auth import get_user_model
    from django.core.exceptions import ValidationError

    actor = get_user_model().objects.filter(pk=user).first() if user else None

    from governance.models import DispatchReport

    # Prefectures first (their codes sort first): each county reuses its prefecture's figures.
    prefectures: dict[str, dict] = {}
    for one in regions:
        parent = prefectures.get(one.code[:4])
        try:
            report = report_generate(actor=actor, period=period, region=one, prefecture=parent)
        except ValidationError:
            DispatchReport.objects.filter(period=period, region=one).update(generating=False)
            kept.append(one.code)
            if len(one.code) == 4:  # approved: its counties are too; a submitted one is read
                report = DispatchReport.objects.get(period=period, region=one)
                prefectures[one.code] = report.values
        except Exception:  # one region's failure does not stop the month's run
            logger.exception("dispatch report %s %s failed", period, one.code)
            DispatchReport.objects.filter(period=period, region=one).update(generating=False)
            failed.append(one.code)
        else:
            made.append(one.code)
            if len(one.code) == 4:
                prefectures[one.code] = report.values
    return {"period": period, "made": made, "kept": kept, "failed": failed}
