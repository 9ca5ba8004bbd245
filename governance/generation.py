"""Governance's writes that make figures: a monthly dispatch report's snapshot
(`report_generate`), the month's run over every region reported on (`reports_generate`), and
the dashboards' stored live figures (`live_figures_refresh`). The tasks (governance.tasks) call
these; the approval steps are governance.services."""

from __future__ import annotations

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import LOCKED, DispatchReport, LiveFigures, ReportEvent, ReportStatus
from governance.selectors import check_period, regions_to_report, report_lengths, rollup, snapshot
from households.models import Region
from resettle import periods
from resettle.scoping import CODE_LENGTHS, LEVEL_LENGTHS, child_length
from resettle.users import display_name

logger = logging.getLogger(__name__)

# The figures whose change on last month the workbook shows.
CHANGE_CODES = ("employed", "monitored_households")


def locked_message(report: DispatchReport) -> str:
    """Why a submitted or approved report is not made again: who locked it and when."""
    if report.status == ReportStatus.APPROVED:
        return _(
            "The report of %(region)s for %(period)s is approved (by %(who)s on %(when)s) and "
            "locked: a reviewer un-approves it, with a reason, before it is made again."
        ) % {
            "region": report.region.name,
            "period": report.period,
            "who": display_name(report.approved_by),
            "when": timezone.localtime(report.approved_at).strftime("%Y-%m-%d %H:%M")
            if report.approved_at
            else "—",
        }
    submitted = (
        report.events.filter(action=ReportEvent.Action.SUBMITTED).order_by("-at", "-id").first()
    )
    return _(
        "The report of %(region)s for %(period)s is submitted (by %(who)s on %(when)s): the "
        "prefecture approves or returns it before it is made again."
    ) % {
        "region": report.region.name,
        "period": report.period,
        "who": display_name(submitted.by if submitted else None),
        "when": timezone.localtime(submitted.at).strftime("%Y-%m-%d %H:%M") if submitted else "—",
    }


def _previous_figures(region: Region, period: str) -> dict:
    """Last month's report's key figures, by row ("total", "c<code>", "s<site id>"), frozen
    into this report when it is made: its workbook never changes afterwards."""
    previous = DispatchReport.objects.filter(
        period=periods.month_before(period), region=region
    ).first()
    if previous is None or not previous.values:
        return {}

    def pick(values: dict) -> dict:
        return {code: values.get(code) for code in CHANGE_CODES}

    rows = {"total": pick(previous.values["region"]["values"])}
    for row in previous.values.get("children", []):
        rows[f"c{row['code']}"] = pick(row["values"])
    for row in previous.values.get("sites", []):
        rows[f"s{row['id']}"] = pick(row["values"])
    return rows


def _keep_locked_children(values: dict, period: str, length: int) -> None:
    """A prefecture's (province's) report made again keeps the figures of its counties'
    (prefectures') approved or submitted reports, as they reported them; `length`: the
    children's code length. A site's row is the one of the finest locked report holding it
    (its county's, else its prefecture's)."""
    children = [row["code"] for row in values["children"]]
    counties = {site.get("county") for site in values["sites"]} - {None}
    locked = {
        r.region_id: r.values
        for r in DispatchReport.objects.filter(
            period=period, region_id__in=[*children, *counties], status__in=LOCKED
        )
    }
    for row in values["children"]:
        if row["code"] in locked:
            row["values"] = locked[row["code"]]["region"]["values"]
    for site in values["sites"]:
        county = site.get("county") or ""
        for holder in (locked.get(county), locked.get(county[:length])):
            same = next((s for s in (holder or {}).get("sites", []) if s["id"] == site["id"]), None)
            if same is not None:
                site["values"] = same["values"]
                break


@transaction.atomic
def report_generate(
    *, actor, period: str, region: Region, levels: dict | None = None
) -> DispatchReport:
    """Make (or make again) the report of `region` for `period` ("YYYY-MM"), cut out of
    `levels` (the rollup of the month's run) or computed for the region alone; returns it, a
    draft. Raises ValidationError for a month no report is made for (selectors.check_period)
    or a report submitted or approved (not replaced)."""
    as_of = check_period(period)
    report = DispatchReport.objects.select_for_update().filter(period=period, region=region).first()
    if report is not None and report.status in LOCKED:
        raise ValidationError(locked_message(report))
    values = snapshot(region, as_of, levels)
    if len(region.code) < LEVEL_LENGTHS["county"]:
        _keep_locked_children(values, period, child_length(region.code))
    values["previous"] = _previous_figures(region, period)
    now = timezone.now()
    if report is None:
        report = DispatchReport(period=period, region=region)
    else:
        report.version += 1
    report.status = ReportStatus.DRAFT
    report.as_of = as_of
    report.values = values
    report.generated_at = now
    report.generated_by = actor
    report.approved_at = report.approved_by = None
    report.generating, report.progress = False, 100
    report.save()
    ReportEvent.objects.create(report=report, action=ReportEvent.Action.GENERATED, by=actor)
    return report


def reports_generate(*, actor, period: str | None = None, region: str | None = None) -> dict:
    """Make the month's reports (`period` "YYYY-MM", by default the last month ended) of every
    county, prefecture and province with sites, or of the one region coded `region`; a
    submitted or approved one is left as it is. The figures of a province's reports are
    computed once, together (`selectors.rollup`), and each report is cut out of them: a
    county's report and its prefecture's share their numbers. One province's or region's
    failure is logged and does not stop the run. Returns {"period", "made", "kept", "failed"}
    (lists of region codes)."""
    period = period or periods.last_ended()
    as_of = periods.last_day(period)
    if region:
        regions = list(Region.objects.filter(code=region))
        tops = [region]
    else:
        regions = regions_to_report()
        tops = sorted({r.code[: LEVEL_LENGTHS["province"]] for r in regions})
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


def _refresh_subtree(code: str, today: dt.date) -> int:
    """Compute the live figures of the region `code` and of every region below it with sites,
    in one rollup, and store them; the number of regions stored."""
    regions = [r for r in regions_to_report() if r.code.startswith(code)]
    asked = Region.objects.filter(code=code).first()
    if asked is not None and asked not in regions:
        regions.append(asked)
    # Every level of the regions stored, and the children's level of the region asked for (a
    # township's villages).
    lengths = {n for n in CODE_LENGTHS if len(code) <= n < LEVEL_LENGTHS["village"]}
    levels = rollup(code, today, lengths=sorted(lengths | set(report_lengths(code))))
    now = timezone.now()
    with transaction.atomic():
        for region in regions:
            LiveFigures.objects.update_or_create(
                region=region,
                defaults={
                    "as_of": today,
                    "computed_at": now,
                    "values": snapshot(region, today, levels),
                },
            )
    return len(regions)


def live_figures_refresh(*, region: str | None = None, today: dt.date | None = None) -> dict:
    """Store the dashboards' live figures (LiveFigures) as of `today` (by default the local
    date): of the region coded `region` and every region below it with sites, or of every
    province with sites, each in one rollup. Returns {region code asked: regions stored}."""
    today = today or timezone.localdate()
    provinces = {r.code[: LEVEL_LENGTHS["province"]] for r in regions_to_report()}
    tops = [region] if region else sorted(provinces)
    return {top: _refresh_subtree(top, today) for top in tops}
