"""Changes dated into approved months (issue 15, item 8): the recorder the ledgers' writes reach
through `resettle.latechanges`, what their authors are told, and what a report's page lists.

A fact dated D moves the figures of every month from D's on: a job that ended on 15 September
is counted as held at the end of September and of October alike. So a change touches each
approved report of its county, prefecture or province whose month ends on or after D, not only
the report of D's own month."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from django.db.models import Count, Max, QuerySet
from django.utils.translation import gettext as _

from governance.models import DispatchReport, LateChange, ReportStatus
from households.models import Household
from resettle.latechanges import DatedChange
from resettle.periods import period_of
from resettle.scoping import LEVEL_LENGTHS

# The levels that have monthly reports, by code length: a county's change is in each of them.
REPORT_LENGTHS = (LEVEL_LENGTHS["province"], LEVEL_LENGTHS["prefecture"], LEVEL_LENGTHS["county"])


def _prefixes(counties) -> set[str]:
    return {county[:n] for county in counties for n in REPORT_LENGTHS}


def late_changes_covered_until() -> dt.date | None:
    """The last day of the latest approved month, in any region; None when none is approved."""
    return DispatchReport.objects.filter(status=ReportStatus.APPROVED).aggregate(last=Max("as_of"))[
        "last"
    ]


def late_changes_record(*, actor, changes: Sequence[DatedChange], batch: str) -> bool:
    """Keep, under `batch`, those of `changes` that move the figures of a report approved now
    (its region holds the change's county and its month ends on or after the change's date).
    Returns whether there were any. One query when no approved report is as late as the
    changes; then one per 5,000 households to place them, and the inserts."""
    first = min(change.on for change in changes)
    latest: dict[str, str] = {}  # the last approved month of each region
    for region, period in DispatchReport.objects.filter(
        status=ReportStatus.APPROVED, period__gte=period_of(first)
    ).values_list("region_id", "period"):
        latest[region] = max(period, latest.get(region, ""))
    if not latest:
        return False
    last = max(latest.values())
    changes = [c for c in changes if period_of(c.on) <= last]
    wanted = sorted({c.household_id for c in changes if c.household_id and not c.region})
    households: dict[int, tuple[str, str]] = {}
    for start in range(0, len(wanted), 5000):
        households.update(
            (pk, (number, county))
            for pk, number, county in Household.objects.filter(
                pk__in=wanted[start : start + 5000]
            ).values_list("pk", "household_no", "site__county_id")
        )
    rows = []
    for change in changes:
        number, county = households.get(change.household_id, ("", ""))
        county = change.region[: LEVEL_LENGTHS["county"]] or county
        month = period_of(change.on)
        if not any(month <= latest.get(county[:n], "") for n in REPORT_LENGTHS):
            continue
        rows.append(
            LateChange(
                by=actor,
                on=change.on,
                county_id=county,
                what=str(change.what)[:100],
                model=change.record._meta.label_lower,
                object_id=change.record.pk,
                label=(change.label or number)[:64],
                household_id=change.household_id,
                batch=batch,
            )
        )
    LateChange.objects.bulk_create(rows, batch_size=1000)
    return bool(rows)


def month_label(period: str) -> str:
    """ "2026-09" as the UI writes a month (2026年9月)."""
    year, month = (int(p) for p in period.split("-"))
    return _("%(year)d-%(month)02d") % {"year": year, "month": month}


def late_changes_notes(*, batch: str) -> list[str]:
    """What the author of the changes recorded under `batch` is told: one message per region
    whose approved reports they touch, naming its months, however many records touched them.
    Two queries."""
    rows = list(
        LateChange.objects.filter(batch=batch)
        .order_by()
        .values("county_id", "on")
        .annotate(n=Count("id"))
    )
    if not rows:
        return []
    first = min(row["on"] for row in rows)
    reports = (
        DispatchReport.objects.filter(
            status=ReportStatus.APPROVED,
            region_id__in=_prefixes({row["county_id"] for row in rows}),
            period__gte=period_of(first),
        )
        .select_related("region")
        .defer("values")
        .order_by("period")
    )
    by_region: dict[str, list[DispatchReport]] = {}
    for report in reports:
        by_region.setdefault(report.region_id, []).append(report)
    notes = []
    # The county's reports first, then the prefecture's and the province's.
    for region in sorted(by_region, key=lambda code: (-len(code), code)):
        months = by_region[region]
        touching = [row for row in rows if row["county_id"].startswith(region)]
        periods = [r for r in months if any(row["on"] <= r.as_of for row in touching)]
        if not periods:
            continue
        last = periods[-1].as_of
        counted = [row for row in touching if row["on"] <= last]
        count = sum(row["n"] for row in counted)
        values = {
            "count": count,
            "date": min(row["on"] for row in counted).isoformat(),
            "region": months[0].region.name,
            "periods": "、".join(month_label(r.period) for r in periods),
        }
        if count == 1:
            message = _(
                "This change, dated %(date)s, moves the figures of the approved monthly report "
                "of %(region)s for %(periods)s. The approved report keeps its figures: to "
                "correct them, ask its reviewer to return it and make it again."
            )
        else:
            message = _(
                "%(count)d of these changes, dated from %(date)s, move the figures of the "
                "approved monthly report of %(region)s for %(periods)s. The approved report "
                "keeps its figures: to correct them, ask its reviewer to return it and make it "
                "again."
            )
        notes.append(message % values)
    return notes


def later_changes(report: DispatchReport) -> QuerySet[LateChange]:
    """The changes entered since `report` was made that move its figures: in its region, dated
    on or before its last day; newest first."""
    return LateChange.objects.filter(
        county__code__startswith=report.region_id,
        on__lte=report.as_of,
        at__gt=report.generated_at,
    ).order_by("-at", "-id")


def reopen_chain(report: DispatchReport) -> list[DispatchReport]:
    """The reports to return with `report` (approved) so that making them again takes the later
    changes in, in the order they are returned: the approved reports above it for the month
    (a prefecture's report holds its counties' figures, and an approved report may not sit
    above a returned one), itself, then the approved reports below it whose own figures the
    later changes move (made again without them, a prefecture's report would keep their old
    figures)."""
    code = report.region_id
    above = [code[:n] for n in REPORT_LENGTHS if n < len(code)]
    related = list(
        DispatchReport.objects.filter(period=report.period, status=ReportStatus.APPROVED)
        .filter(region_id__in=above)
        .select_related("region")
        .defer("values")
    ) + list(
        DispatchReport.objects.filter(
            period=report.period,
            status=ReportStatus.APPROVED,
            region__code__startswith=code,
        )
        .exclude(region_id=code)
        .select_related("region")
        .defer("values")
    )
    below = [r for r in related if len(r.region_id) > len(code)]
    if below:
        entered = dict(
            LateChange.objects.filter(county__code__startswith=code, on__lte=report.as_of)
            .order_by()
            .values("county_id")
            .annotate(last=Max("at"))
            .values_list("county_id", "last")
        )
        below = [
            r
            for r in below
            if any(
                county.startswith(r.region_id) and last > r.generated_at
                for county, last in entered.items()
            )
        ]
    chain = [r for r in related if len(r.region_id) < len(code)] + [report] + below
    return sorted(chain, key=lambda r: (len(r.region_id), r.region_id))
