"""The demo's monthly reports: the demo's report months (resettle.demo.report_months: the last
six, whose ends monitoring's rules ran as of) as the monthly task made them on each 1st,
the older months submitted by the counties and approved by the prefecture, the last one
submitted by one county only, so that the reviewer has work waiting and the board shows who is
late."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.utils import timezone

from governance.generation import live_figures_refresh
from governance.models import DRAFTS, DispatchReport, ReportEvent, ReportStatus
from governance.services import report_approve, report_submit
from governance.sitegov import demo as site_governance_demo  # noqa: F401 - registers its seeder
from governance.tasks import dispatch_reports_task
from resettle.demo import OVERSIGHT, Context, register, report_months
from resettle.periods import last_day
from resettle.scoping import LEVEL_LENGTHS, Role, Scope


def _at(period: str, day: int, hour: int) -> dt.datetime:
    """A moment in the month after `period` (the 1st: made; the 3rd: submitted …)."""
    first = last_day(period) + dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(first.replace(day=day), dt.time(hour)))


def seed_reports(context: Context) -> None:
    as_of = context.as_of
    users = {
        u.username: u
        for u in get_user_model().objects.filter(
            username__in=[
                "admin",
                "reviewer",
                "county",
            ]
        )
    }
    reviewer, county_user, admin = users["reviewer"], users["county"], users["admin"]
    prefecture = next(
        iter(Scope.for_user(reviewer, roles={Role.PREFECTURE_REVIEWER}).region_prefixes)
    )
    county_code = next(
        iter(Scope.for_user(county_user, roles={Role.COUNTY_OPERATOR}).region_prefixes)
    )
    periods = report_months(as_of)
    for period in periods:
        dispatch_reports_task(period=period)
        DispatchReport.objects.filter(period=period).update(generated_at=_at(period, 1, 2))
        reports = DispatchReport.objects.filter(period=period, region__code__startswith=prefecture)
        counties = [
            r for r in reports if len(r.region_id) == LEVEL_LENGTHS["county"] and r.status in DRAFTS
        ]
        if period == periods[-1]:  # this month: one county has submitted, the rest not yet
            counties = [r for r in counties if r.region_id == county_code]
        for report in counties:
            by = county_user if report.region_id == county_code else admin
            report = report_submit(actor=by, report=report, version=report.version)
            if period != periods[-1]:
                report_approve(actor=reviewer, report=report, version=report.version)
        top = reports.filter(region_id=prefecture).first()
        if period != periods[-1] and top is not None and top.status in DRAFTS:
            report_approve(actor=reviewer, report=top, version=top.version)
        events = ReportEvent.objects.filter(report__period=period)
        events.filter(action=ReportEvent.Action.GENERATED).update(at=_at(period, 1, 2))
        events.filter(action=ReportEvent.Action.SUBMITTED).update(at=_at(period, 3, 2))
        events.filter(action=ReportEvent.Action.APPROVED).update(at=_at(period, 6, 2))
        DispatchReport.objects.filter(period=period, status=ReportStatus.APPROVED).update(
            approved_at=_at(period, 6, 2)
        )


def seed_live_figures(context: Context) -> None:
    """The dashboards' live figures, stored as the refresh task stores them: a page view only
    reads them (no GET writes), and `make run` starts no Celery beat."""
    live_figures_refresh()


# Last: the reports take the ledgers' figures and are submitted and approved by the demo logins;
# then the dashboards' live figures are stored.
register(OVERSIGHT, seed_reports)
register(OVERSIGHT + 1, seed_live_figures, name="governance.live_figures")
