"""Governance's reads: the indicator catalogue composed for a region (the one place reports,
dashboards and the API get their figures from), a report's snapshot, the months a report may
be made for, the regions reported on, a period's board, and what a dashboard reads (a region's
live figures, a month's report, its trend and its months). Nothing here writes."""

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import DRAFTS, DispatchReport, LiveFigures, ReportStatus
from households.models import Household, Region, Site
from households.selectors import with_head
from monitoring.models import MonitoringCase
from monitoring.selectors import overdue_on
from resettle import periods, worklists
from resettle.indicators import TOTAL, By, Grouping, Values, catalogue
from resettle.scoping import LEVEL_LENGTHS, Scope, child_length, scope_for


def indicator_values(
    *,
    scope: Scope,
    region: Region,
    as_of: dt.date,
    by: By = "total",
    codes: list[str] | None = None,
    computed: Values | None = None,
) -> dict:
    """The catalogue's values for `region` as of `as_of`, in total or as rows per child region,
    county or site; restricted to `scope`. Regions and sites with no records get zeros.
    `computed`: the values already, keyed as the grouping keys them (cut out of a rollup)."""
    grouping = Grouping(region_code=region.code, as_of=as_of, scope=scope, by=by)
    values = catalogue.values(grouping, codes) if computed is None else computed
    empty = catalogue.empty_row(codes)
    result = {"region": region.code, "name": region.name, "as_of": as_of.isoformat()}
    if by == "total":
        result["values"] = {**empty, **values.get(TOTAL, {})}
        return result
    result["by"] = by
    if by == "site":
        sites = Site.objects.within(scope).filter(region_code__startswith=region.code)
        result["rows"] = [
            {
                "id": s.pk,
                "code": s.code,
                "name": s.name,
                "county": s.county_id,
                "values": {**empty, **values.get(s.pk, {})},
            }
            for s in sites.only("id", "code", "name", "county_id").order_by("code")
        ]
        return result
    length = grouping.key_length()
    children = Region.objects.within(scope).filter(code__startswith=region.code)
    names = dict(children.filter(code__regex=rf"^\d{{{length}}}$").values_list("code", "name"))
    if by == "county":
        names = {c: n for c, n in names.items() if len(c) == LEVEL_LENGTHS["county"]}
    keys = sorted(set(names) | {k for k in values if isinstance(k, str)})
    # Sites recorded without a township are keyed by their county: say so.
    names.setdefault(region.code, _("No township recorded"))
    result["rows"] = [
        {"code": key, "name": names.get(key, key), "values": {**empty, **values.get(key, {})}}
        for key in keys
    ]
    return result


def site_values(*, site: Site, as_of: dt.date, codes: list[str] | None = None) -> dict:
    """The catalogue's values for one site as of `as_of` (counted as the site's rows of its
    county are: a project serving it counts), under the site's own name; zeros where nothing
    is counted."""
    grouping = Grouping(region_code=site.region_code, as_of=as_of, scope=Scope.system(), by="site")
    values = catalogue.values(grouping, codes)
    return {
        "site": site.pk,
        "code": site.code,
        "name": site.name,
        "as_of": as_of.isoformat(),
        "values": {**catalogue.empty_row(codes), **values.get(site.pk, {})},
    }


def report_lengths(code: str) -> list[int]:
    """The levels a region's report shows: its own and its children's."""
    if len(code) < LEVEL_LENGTHS["village"]:
        return [len(code), child_length(code)]
    return [len(code)]


def rollup(code: str, as_of: dt.date, lengths=None, progress=None) -> dict:
    """The catalogue for every site and every region of the subtree of `code` as of the date,
    over all records, in one pass (`Catalogue.rollup`), at the code lengths given (by default
    the region's own and its children's). `cut` makes any region's report figures of it."""
    sites = Site.objects.filter(region_code__startswith=code)
    return catalogue.rollup(
        code,
        as_of,
        Scope.system(),
        site_regions=dict(sites.values_list("id", "region_code")),
        lengths=report_lengths(code) if lengths is None else lengths,
        progress=progress,
    )


def cut(levels: dict, region: Region, as_of: dt.date) -> dict:
    """A region's own values, its child regions' and its sites', out of a rollup that holds
    its level and its children's (the same rows `indicator_values` gives)."""
    scope = Scope.system()
    own = levels[len(region.code)].get(region.code, {})
    total = indicator_values(
        scope=scope, region=region, as_of=as_of, by="total", computed={TOTAL: own}
    )
    sites = indicator_values(
        scope=scope, region=region, as_of=as_of, by="site", computed=levels["site"]
    )
    children = []
    if len(region.code) < LEVEL_LENGTHS["village"]:
        below = levels[child_length(region.code)]
        children = indicator_values(
            scope=scope,
            region=region,
            as_of=as_of,
            by="child",
            computed={k: v for k, v in below.items() if k.startswith(region.code)},
        )["rows"]
    return {"values": total["values"], "children": children, "sites": sites["rows"]}


def _plain(value):
    """JSON for the snapshot: numbers as numbers."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return float(value)
    return value


def snapshot(region: Region, as_of: dt.date, levels: dict | None = None) -> dict:
    """Every catalogue indicator for the region, each child region and each site, as of the
    date, over all records (a report is the area's, whoever reads it), as plain JSON:
    {"region": {"code", "name", "values"}, "children": [rows], "sites": [rows]}. Cut out of
    `levels`, a rollup of a larger region made for the month's run, so that a county's report
    and its prefecture's share their numbers; or out of one made for the region alone."""
    if levels is None:
        levels = rollup(region.code, as_of)
    figures = cut(levels, region, as_of)
    return _plain(
        {
            "region": {"code": region.code, "name": region.name, "values": figures["values"]},
            "children": figures["children"],
            "sites": figures["sites"],
        }
    )


# Periods and regions of the monthly reports -------------------------------------------------


def check_period(period: str) -> dt.date:
    """The last day of `period`, a month "YYYY-MM" a report may be made for: from
    settings.DISPATCH["FIRST_PERIOD"] (the month relocation under the 13th five-year plan
    began) to the last month that has ended. Raises ValidationError ({"period": message})
    otherwise."""
    if not periods.is_period(period):
        raise ValidationError({"period": _("Write the month as YYYY-MM, e.g. 2026-10.")})
    first = settings.DISPATCH["FIRST_PERIOD"]
    if period < first:
        raise ValidationError(
            {
                "period": _("Monthly reports begin with %(first)s: write a later month.")
                % {"first": first}
            }
        )
    if period > periods.last_ended():  # compared as text: no date is made of "9999-12"
        raise ValidationError(
            {
                "period": _(
                    "%(period)s has not ended yet: its report is made from the 1st of the next month."
                )
                % {"period": period}
            }
        )
    return periods.last_day(period)


def regions_to_report() -> list[Region]:
    """Every county, prefecture and province with a site, by code: the regions whose reports
    are made monthly."""
    counties = set(Site.objects.values_list("county_id", flat=True))
    codes = {
        county[: LEVEL_LENGTHS[level]]
        for county in counties
        for level in ("province", "prefecture", "county")
    }
    return list(Region.objects.filter(code__in=codes).order_by("code"))


def board(reports, period: str, today: dt.date | None = None) -> dict:
    """A period's board over `reports` (those the user sees, with their regions): how many
    counties, submitted and approved, the names of those not submitted yet, the due day
    (DispatchReport.due_on) and whether they are late on `today` (by default today)."""
    today = today or dt.date.today()
    counties = [r for r in reports if len(r.region_id) == LEVEL_LENGTHS["county"]]
    waiting = [r.region.name for r in counties if r.status in DRAFTS]
    due = DispatchReport.due_on(period)
    return {
        "counties": len(counties),
        "submitted": sum(1 for r in counties if r.status == ReportStatus.SUBMITTED),
        "approved": sum(1 for r in counties if r.status == ReportStatus.APPROVED),
        "waiting": waiting,
        "due": due,
        "late": bool(waiting) and today > due,
    }


# What a dashboard reads ---------------------------------------------------------------------


def _stale(computed_at: dt.datetime) -> bool:
    """Whether stored live figures are older than the refresh interval, with half an interval
    of grace (settings.DASHBOARD["REFRESH_MINUTES"])."""
    age = timezone.now() - computed_at
    return age > dt.timedelta(minutes=1.5 * settings.DASHBOARD["REFRESH_MINUTES"])


def live_figures(code: str, parts: tuple[str, ...]) -> dict:
    """The live figures' `parts` ("region": a dict, "children", "sites": lists of rows) of the
    region `code`, with "as_of" (a date), "computed_at" (a datetime), "stored" and "stale": the
    stored ones (LiveFigures, refreshed by the task `governance.refresh_live_figures`) however
    old, "stale" when older than the refresh interval; where none are stored, computed now and
    not stored (a read never writes). Raises Region.DoesNotExist for an unknown code."""
    fields = ["as_of", "computed_at", *(f"values__{p}" for p in parts)]
    row = LiveFigures.objects.filter(region_id=code).values(*fields).first()
    if row is None:
        today = timezone.localdate()
        values = snapshot(Region.objects.get(code=code), today)
        row = {
            "as_of": today,
            "computed_at": timezone.now(),
            **{f"values__{p}": values[p] for p in parts},
        }
        stored = False
    else:
        stored = True
    return {
        "as_of": row["as_of"],
        "computed_at": row["computed_at"],
        "stored": stored,
        "stale": stored and _stale(row["computed_at"]),
        **{p: row[f"values__{p}"] or ({} if p == "region" else []) for p in parts},
    }


def report_figures(code: str, period: str, parts: tuple[str, ...]) -> dict | None:
    """The `parts` ("region", "children", "sites") of the report of region `code` for `period`
    ("YYYY-MM"), with its "as_of" and its "report" (status, its label, approved, by whom and
    when); None when the month has no report made."""
    fields = [
        "status",
        "as_of",
        "approved_at",
        "approved_by__username",
        *(f"values__{p}" for p in parts),
    ]
    row = (
        DispatchReport.objects.filter(region_id=code, period=period, generating=False)
        .exclude(values={})
        .values(*fields)
        .first()
    )
    if row is None:
        return None
    return {
        "as_of": row["as_of"],
        "report": {
            "status": row["status"],
            "status_label": ReportStatus(row["status"]).label,
            "approved": row["status"] == ReportStatus.APPROVED,
            "approved_by": row["approved_by__username"],
            "approved_at": row["approved_at"],
        },
        **{p: row[f"values__{p}"] or ({} if p == "region" else []) for p in parts},
    }


def report_trend(
    code: str, site_id: int | None, until: str | None
) -> tuple[list[str], list[bool], list[dict]]:
    """The last settings.DASHBOARD["TREND_MONTHS"] reports of region `code` (up to the month
    `until`, when given), oldest first: their months, whether each is approved, and the
    region's values in each (or the site's `site_id`, skipping the months without it)."""
    months = settings.DASHBOARD["TREND_MONTHS"]
    reports = DispatchReport.objects.filter(region_id=code, generating=False).exclude(values={})
    if until:
        reports = reports.filter(period__lte=until)
    part = "values__sites" if site_id is not None else "values__region__values"
    rows = list(reports.order_by("-period").values_list("period", "status", part)[:months])[::-1]
    months_shown, approved, points = [], [], []
    for period, status, data in rows:
        if site_id is not None:
            data = next((s["values"] for s in data or [] if s.get("id") == site_id), None)
            if data is None:
                continue
        months_shown.append(period)
        approved.append(status == ReportStatus.APPROVED)
        points.append(data or {})
    return months_shown, approved, points


def report_periods(code: str) -> list[dict]:
    """The months with a report of region `code`, latest first (36 at most), each
    {"period": "YYYY-MM", "approved": bool}."""
    rows = (
        DispatchReport.objects.filter(region_id=code, generating=False)
        .exclude(values={})
        .order_by("-period")
        .values_list("period", "status")[:36]
    )
    return [{"period": p, "approved": s == ReportStatus.APPROVED} for p, s in rows]


# What waits on a cadre: the worklists' counts, late reports, overdue home visits -------------


def worklist_counts(user, *, compute: bool = False, today: dt.date | None = None) -> dict | None:
    """The count of each registered worklist (resettle.worklists) in the area `user` reads
    record by record: {"counts": {indicator code: int}, "as_of": date, "computed_at":
    datetime, "stored": bool}. The counts are the dashboards' live figures (LiveFigures) of the
    user's regions, and of their sites' rows in their counties' figures, summed: the figure the
    dashboard shows for the same area and date, which the worklist's own list totals when the
    figures are fresh. None for a user who reads no records, or when some are not stored yet;
    with `compute`, those are computed now from the catalogue instead (not stored)."""
    scope = scope_for(user, Household, "view")
    codes = [w.code for w in worklists.registered()]
    if scope.is_empty or not codes:
        return None
    if scope.everything:
        regions = sorted({r.code[: LEVEL_LENGTHS["province"]] for r in regions_to_report()})
        sites: dict[int, str] = {}
    else:
        regions = sorted(
            p
            for p in scope.region_prefixes
            if not any(p != q and p.startswith(q) for q in scope.region_prefixes)
        )
        sites = {
            site: code[: LEVEL_LENGTHS["county"]]
            for site, code in scope.sites
            if not scope.covers_region(code)
        }
    if not regions and not sites:
        return None  # no site anywhere yet: nothing to count
    parts = []
    if regions:
        parts += [
            (row["as_of"], row["computed_at"], row["values__region__values"] or {})
            for row in LiveFigures.objects.filter(region_id__in=regions).values(
                "as_of", "computed_at", "values__region__values"
            )
        ]
    if sites:
        for row in LiveFigures.objects.filter(region_id__in=set(sites.values())).values(
            "as_of", "computed_at", "values__sites"
        ):
            parts += [
                (row["as_of"], row["computed_at"], site.get("values") or {})
                for site in row["values__sites"] or []
                if site.get("id") in sites
            ]
    complete = len(parts) == len(regions) + len(sites) and all(
        code in values for _as_of, _at, values in parts for code in codes
    )
    if complete:
        return {
            "counts": {c: sum(int(values[c] or 0) for _d, _t, values in parts) for c in codes},
            "as_of": min(as_of for as_of, _t, _v in parts),
            "computed_at": min(at for _d, at, _v in parts),
            "stored": True,
        }
    if not compute:
        return None
    today = today or timezone.localdate()
    grouping = Grouping(region_code=scope.home_region() or "", as_of=today, scope=scope)
    values = catalogue.values(grouping, codes).get(TOTAL, {})
    return {
        "counts": {c: int(values.get(c) or 0) for c in codes},
        "as_of": today,
        "computed_at": timezone.now(),
        "stored": False,
    }


def late_reports(user, today: dt.date | None = None) -> list[DispatchReport]:
    """The county reports `user` sees that are not submitted and past their due day
    (DispatchReport.due_on) on `today`, oldest month first, with their regions."""
    today = today or timezone.localdate()
    drafts = (
        DispatchReport.objects.visible_to(user)
        .filter(region__level="county", status__in=DRAFTS)
        .select_related("region")
        .defer("values")
        .order_by("period", "region_id")
    )
    return [r for r in drafts if DispatchReport.due_on(r.period) < today]


def overdue_visits(user, today: dt.date | None = None):
    """The monitoring cases `user` sees whose home visit is overdue on `today` (the
    `overdue_verifications` figure's records), oldest first, with their households' heads."""
    today = today or timezone.localdate()
    return with_head(
        MonitoringCase.objects.visible_to(user)
        .filter(overdue_on(today))
        .select_related("household__site")
        .order_by("opened_on", "id"),
        "household_id",
    )
