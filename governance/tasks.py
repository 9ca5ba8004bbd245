import logging

from celery import shared_task
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from governance.models import DispatchReport
from governance.selectors import report_lengths, rollup
from governance.services import LOCKED, previous_period, regions_to_report, report_generate
from households.models import Region

logger = logging.getLogger(__name__)


@shared_task(name="governance.dispatch_reports")
def dispatch_reports_task(
    period: str | None = None, region: str | None = None, user: int | None = None
) -> dict:
    """Make the month's reports (the month before by default) of every county and prefecture
    with sites, or of one region; a submitted or approved one is left as it is. The figures of a
    province's reports are computed once, together (`selectors.rollup`), and each report is cut
    out of them: a county's report and its prefecture's share their numbers."""
    period = period or previous_period()
    as_of = DispatchReport.last_day(period)
    actor = get_user_model().objects.filter(pk=user).first() if user else None
    if region:
        regions = list(Region.objects.filter(code=region))
        tops = [region]
    else:
        regions = regions_to_report()
        tops = sorted({r.code[:2] for r in regions})
    locked = set(
        DispatchReport.objects.filter(
            period=period, region__in=regions, status__in=LOCKED
        ).values_list("region_id", flat=True)
    )
    made, kept, failed = [], sorted(locked), []
    for top in tops:
        waiting = [r for r in regions if r.code.startswith(top) and r.code not in locked]
        if not waiting:
            continue

        def progress(share: float, waiting=waiting) -> None:
            DispatchReport.objects.filter(
                period=period, region__in=waiting, generating=True
            ).update(progress=int(share * 95))

        try:
            lengths = sorted({n for r in waiting for n in report_lengths(r.code)})
            levels = rollup(top, as_of, lengths=lengths, progress=progress)
        except Exception:  # one province's failure does not stop the month's run
            logger.exception("dispatch reports %s %s failed", period, top)
            codes = [r.code for r in waiting]
            DispatchReport.objects.filter(period=period, region__in=codes).update(generating=False)
            failed.extend(codes)
            continue
        for one in waiting:
            try:
                report_generate(actor=actor, period=period, region=one, levels=levels)
            except ValidationError:  # submitted or approved meanwhile: left as it is
                DispatchReport.objects.filter(period=period, region=one).update(generating=False)
                kept.append(one.code)
            except Exception:  # one region's failure does not stop the month's run
                logger.exception("dispatch report %s %s failed", period, one.code)
                DispatchReport.objects.filter(period=period, region=one).update(generating=False)
                failed.append(one.code)
            else:
                made.append(one.code)
    return {"period": period, "made": made, "kept": kept, "failed": failed}


@shared_task(name="governance.refresh_live_figures")
def refresh_live_figures_task(region: str | None = None) -> dict:
    """The dashboards' live figures: of one region (and those below it), or of every province
    with sites, each in one rollup."""
    from governance.dashboard import refresh_live

    tops = [region] if region else sorted({r.code[:2] for r in regions_to_report()})
    return {top: refresh_live(top) for top in tops}
