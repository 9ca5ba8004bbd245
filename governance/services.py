"""The monthly dispatch reports' approval (issue: monthly dispatch reports, items 1–3): a report
asked for from the web (made by the task, governance.generation), submitted by a county operator,
approved by a prefecture reviewer, locking it, or returned with a reason; the prefecture's report
is approved once all its counties' are. Also what waits on a user (`to_do`)."""

from __future__ import annotations

import datetime as dt

from celery import signature
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.generation import locked_message
from governance.latechanges import reopen_chain
from governance.models import DRAFTS, LOCKED, DispatchReport, ReportEvent, ReportStatus
from governance.selectors import check_period, regions_to_report
from households.models import Region, Site
from resettle import audit, periods
from resettle.scoping import LEVEL_LENGTHS, child_length, permits
from resettle.versioning import versioned_update


@transaction.atomic
def report_request(*, actor, period: str, region: Region) -> DispatchReport:
    """Ask for a region's report from the web: the report (a draft to be filled, or the one to
    make again) is marked as being made and the work goes to a task; its page shows the progress
    and survives a reload. Asked by the county's operators or the reviewers above it."""
    if not permits(actor, DispatchReport, "generate", region_code=region.code):
        raise PermissionDenied(_("The region's operators and reviewers make its report."))
    if region.level not in ("county", "prefecture", "province"):
        raise ValidationError(
            {"region": _("Reports are made for counties, prefectures and provinces.")}
        )
    check_period(period)
    report = DispatchReport.objects.select_for_update().filter(period=period, region=region).first()
    if report is not None and report.status in LOCKED:
        raise ValidationError(locked_message(report))
    if report is None:
        report = DispatchReport.objects.create(
            period=period,
            region=region,
            as_of=periods.last_day(period),
            generated_at=timezone.now(),
            generated_by=actor,
            values={},
        )
    if report.generating and not report.stuck:
        return report  # asked already: one task makes it
    DispatchReport.objects.filter(pk=report.pk).update(
        generating=True, progress=0, asked_at=timezone.now()
    )
    report.refresh_from_db()
    # The task by its registered name (governance.tasks.dispatch_reports_task, which calls
    # generation.reports_generate): the import points one way, tasks -> generation.
    user = actor.pk if actor is not None else None
    task = signature(
        "governance.dispatch_reports",
        kwargs={"period": period, "region": region.code, "user": user},
    )
    transaction.on_commit(task.delay)
    return report


def regions_to_generate(actor) -> list[Region]:
    """The counties and prefectures with sites whose reports `actor` may ask for (the
    `generate` action of DispatchReport)."""
    return [
        r
        for r in regions_to_report()
        if permits(actor, DispatchReport, "generate", region_code=r.code)
    ]


@transaction.atomic
def report_submit(*, actor, report: DispatchReport, version: int) -> DispatchReport:
    """A county operator submits the county's report (已上报)."""
    report = versioned_update(report, changes={}, version=version, actor=actor)
    if len(report.region_id) != LEVEL_LENGTHS["county"]:
        raise ValidationError(
            _(
                "Only a county's report is submitted; a prefecture's is approved once its counties' are."
            )
        )
    if not permits(actor, DispatchReport, "submit", region_code=report.region_id):
        raise PermissionDenied(_("The county's operators submit its report."))
    if report.status not in (ReportStatus.DRAFT, ReportStatus.RETURNED):
        raise ValidationError(
            _("The report is %(status)s: only a draft or a returned report is submitted.")
            % {"status": report.get_status_display()}
        )
    if report.generating or not report.values:
        raise ValidationError(_("The report is being made: submit it once it is."))
    report.status = ReportStatus.SUBMITTED
    report.save()
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.SUBMITTED, by=actor)
    _audit(audit.Action.REPORT_SUBMITTED, actor=actor, report=report)
    return report


def _audit(action: str, *, actor, report: DispatchReport, reason: str = "") -> None:
    """A report's step in the security audit trail (resettle.audit), in the step's transaction."""
    detail = f"{report.region_id} {report.period}" + (f": {reason}" if reason else "")
    audit.record(
        action, user=actor, model="governance.dispatchreport", object_id=report.pk, detail=detail
    )


def _children_of(region_code: str) -> list[str]:
    """The regions one level below whose reports a prefecture's (or province's) report waits
    for: its counties (prefectures) with sites."""
    length = child_length(region_code)
    return sorted(
        {
            county[:length]
            for county in Site.objects.filter(region_code__startswith=region_code).values_list(
                "county_id", flat=True
            )
        }
    )


@transaction.atomic
def report_approve(*, actor, report: DispatchReport, version: int) -> DispatchReport:
    """A prefecture reviewer approves a submitted county report, or a prefecture's (province's)
    report once every county (prefecture) of it with sites has its report for the period
    approved (已审核, locked)."""
    report = versioned_update(report, changes={}, version=version, actor=actor)
    county = len(report.region_id) == LEVEL_LENGTHS["county"]
    if not permits(actor, DispatchReport, "review", region_code=report.region_id):
        raise PermissionDenied(_("The prefecture's reviewers approve reports."))
    if county and report.status != ReportStatus.SUBMITTED:
        raise ValidationError(
            _("The county has not submitted this report (it is %(status)s).")
            % {"status": report.get_status_display()}
        )
    if county and actor is not None:
        submitted = (
            report.events.filter(action=ReportEvent.Action.SUBMITTED).order_by("-at", "-id").first()
        )
        if submitted is not None and submitted.by_id == actor.pk:
            raise PermissionDenied(_("Who submitted a report does not approve it as well."))
    if report.status == ReportStatus.APPROVED:
        raise ValidationError(_("The report is approved already."))
    if not county:
        approved = set(
            DispatchReport.objects.filter(
                period=report.period,
                region_id__in=_children_of(report.region_id),
                status=ReportStatus.APPROVED,
            ).values_list("region_id", flat=True)
        )
        waiting = [c for c in _children_of(report.region_id) if c not in approved]
        if waiting:
            names = dict(Region.objects.filter(code__in=waiting).values_list("code", "name"))
            raise ValidationError(
                _("Approve the reports below it first; not yet approved: %(counties)s.")
                % {"counties": "、".join(names.get(c, c) for c in waiting)}
            )
    if not county:
        rows = {row["code"]: row["values"] for row in report.values.get("children", [])}
        differing = [
            c.region.name
            for c in DispatchReport.objects.select_for_update()
            .filter(period=report.period, region_id__in=rows, status=ReportStatus.APPROVED)
            .select_related("region")
            if c.values["region"]["values"] != rows[c.region_id]
        ]
        if differing:
            raise ValidationError(
                _(
                    "The approved reports of %(counties)s have other figures than this one, made "
                    "before them: make this report again, then approve it."
                )
                % {"counties": "、".join(differing)}
            )
    report.status = ReportStatus.APPROVED
    report.approved_at = timezone.now()
    report.approved_by = actor
    report.save()
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.APPROVED, by=actor)
    _audit(audit.Action.REPORT_APPROVED, actor=actor, report=report)
    return report


@transaction.atomic
def report_return(*, actor, report: DispatchReport, version: int, reason: str) -> DispatchReport:
    """A prefecture reviewer returns a submitted report, or un-approves an approved one, with a
    reason (退回). A report is un-approved only while the report above it is not."""
    report = versioned_update(report, changes={}, version=version, actor=actor)
    if not permits(actor, DispatchReport, "review", region_code=report.region_id):
        raise PermissionDenied(_("The prefecture's reviewers return reports."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report is returned.")})
    if report.status not in (ReportStatus.SUBMITTED, ReportStatus.APPROVED):
        raise ValidationError(
            _("The report is %(status)s: only a submitted or approved report is returned.")
            % {"status": report.get_status_display()}
        )
    parent_length = max((n for n in LEVEL_LENGTHS.values() if n < len(report.region_id)), default=0)
    parent = (
        DispatchReport.objects.select_for_update()
        .filter(
            period=report.period,
            region_id=report.region_id[:parent_length],
            status=ReportStatus.APPROVED,
        )
        .select_related("region")
        .first()
        if parent_length
        else None
    )
    if parent is not None:
        raise ValidationError(
            _("The report of %(region)s for %(period)s is approved: un-approve it first.")
            % {"region": parent.region.name, "period": report.period}
        )
    action = (
        ReportEvent.Action.UNAPPROVED
        if report.status == ReportStatus.APPROVED
        else ReportEvent.Action.RETURNED
    )
    report.status = ReportStatus.RETURNED
    report.approved_at = report.approved_by = None
    report.save()
    ReportEvent.objects.create(report=report, action=action, by=actor, reason=reason.strip())
    _audit(
        audit.Action.REPORT_REOPENED
        if action == ReportEvent.Action.UNAPPROVED
        else audit.Action.REPORT_RETURNED,
        actor=actor,
        report=report,
        reason=reason.strip(),
    )
    return report


@transaction.atomic
def report_reopen(
    *, actor, report: DispatchReport, version: int, reason: str
) -> list[DispatchReport]:
    """A reviewer returns an approved report (as read at `version`) whose month later changes
    touched, with a reason, to be made again with them (issue 15, item 8). With it go the
    reports `latechanges.reopen_chain` names: the approved reports above it for the month,
    returned first (an approved report holds the figures of those below it), and the approved
    reports below it whose figures the changes move (else the remade report would keep their
    old figures). Each is un-approved with the reason (a ReportEvent), then asked for again
    (`report_request`); the county submits its report again and the reviewers approve them as
    before. Returns the reports returned, top down. Raises ValidationError (not approved, no
    reason), PermissionDenied (one of them is not the actor's to review), VersionConflict."""
    if not permits(actor, DispatchReport, "review", region_code=report.region_id):
        raise PermissionDenied(_("The prefecture's reviewers return reports."))
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the report is returned.")})
    if report.status != ReportStatus.APPROVED:
        raise ValidationError(
            _("The report is %(status)s: only an approved report is returned to be made again.")
            % {"status": report.get_status_display()}
        )
    chain = reopen_chain(report)
    for other in chain:
        if not permits(actor, DispatchReport, "review", region_code=other.region_id):
            raise PermissionDenied(
                _(
                    "The approved report of %(region)s for %(period)s holds these figures and is "
                    "returned with this one: ask its reviewers to return it first."
                )
                % {"region": other.region.name, "period": other.period}
            )
    returned = []
    for other in chain:
        why = reason.strip()
        if other.pk != report.pk:
            why = _("%(reason)s (returned with the report of %(region)s)") % {
                "reason": why,
                "region": report.region.name,
            }
        returned.append(
            report_return(
                actor=actor,
                report=other,
                version=version if other.pk == report.pk else other.version,
                reason=why[:500],
            )
        )
    for other in returned:
        report_request(actor=actor, period=other.period, region=other.region)
    return returned


def to_do(user, today: dt.date | None = None) -> list[dict]:
    """The reports waiting on `user`, oldest month first: county reports to submit (a draft or a
    returned one, with its due day and whether it is late) and reports to review (a submitted
    county report; a prefecture's or province's once all the reports below it are approved).
    Only those the user can act on are read."""
    today = today or dt.date.today()
    county = Q(region__level="county")
    submit = DispatchReport.objects.restrict(user, "submit").filter(status__in=DRAFTS)
    review = DispatchReport.objects.restrict(user, "review").filter(
        (county & Q(status=ReportStatus.SUBMITTED)) | (~county & Q(status__in=DRAFTS))
    )
    candidates = list(
        (submit | review)
        .filter(generating=False)
        .exclude(values={})
        .select_related("region")
        .defer("values")
        .order_by("period", "region_id")
    )
    above = [r for r in candidates if r.region.level != "county"]
    approved = set(
        DispatchReport.objects.filter(
            period__in={r.period for r in above}, status=ReportStatus.APPROVED
        ).values_list("period", "region_id")
        if above
        else []
    )
    children: dict[str, list[str]] = {}
    items = []
    for report in candidates:
        code = report.region_id
        if report.region.level == "county":
            if report.status in DRAFTS:
                due = DispatchReport.due_on(report.period)
                items.append(
                    {"report": report, "action": "submit", "due": due, "late": today > due}
                )
            else:
                items.append({"report": report, "action": "review", "due": None, "late": False})
            continue
        below = children.setdefault(code, _children_of(code))
        if below and all((report.period, c) in approved for c in below):
            items.append({"report": report, "action": "review", "due": None, "late": False})
    return items
