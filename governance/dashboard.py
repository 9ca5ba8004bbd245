"""The dashboards' figures (issue: dashboards): headline cards with the change on last month,
the comparison of the regions (or sites) below with red / amber / green against the policy
targets, and the charts' data, for a region or a site, live or as of a month's report.

Every figure is the catalogue's, read (governance.selectors) from a report's snapshot or from
the live figures (`LiveFigures`, cut out of the same rollup as the reports and refreshed by a
task; a page never writes them); the page and its script only show what this module returns,
formatted here too. The rules are governance.targets, the charts governance.charts."""

from __future__ import annotations

from django.conf import settings
from django.shortcuts import get_object_or_404
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.charts import bar, breakdown_chart, trend_charts
from governance.selectors import live_figures, report_figures, report_periods
from governance.targets import RULES, attention, flags
from households.models import Region, Site
from resettle.indicators import catalogue, shown
from resettle.periods import last_ended, month_before
from resettle.scoping import CODE_LENGTHS, LEVEL_LENGTHS, Scope, permits

LIVE = "live"

# The headline cards, in order.
CARDS = (
    "households",
    "persons",
    "labor_force",
    "employment_rate",
    "zero_employment_households",
    "monitored_households",
    "eliminated_this_month",
    "open_alerts",
    "projects",
    "investment",
    "property_certificate_rate",
    # Site governance (issue 19): 十有 complete sites of all sites, sites with shortfalls.
    "sites_facilities_complete",
    "sites_with_shortfall",
    "greenhouse_coverage",
)
# A card shown as "x / y": its figure out of another's (the same sites, built by the date).
OUT_OF = {"sites_facilities_complete": "sites"}
# The breakdowns drawn as charts, in order.
BREAKDOWNS = (
    "employed_by_channel",
    "employed_by_job_type",
    "monitored_by_category",
    "monitored_by_risk",
    "investment_by_sector",
    "investment_by_source",
)


def _last_month(period: str) -> str:
    """The month the change is on: the last ended month for live figures, else the month
    before; with no report of it, the cards say so rather than compare with an older one."""
    return last_ended() if period == LIVE else month_before(period)


# An area chart with more bars than this is drawn with the bars down the side.
HORIZONTAL_FROM = 8


# The payload --------------------------------------------------------------------------------


class NotFound(Exception):
    """No figures for the period asked (no report of that month)."""


# Figures of the month so far: live, they are not compared with a whole month.
MONTH_TO_DATE = frozenset({"eliminated_this_month", "new_monitored"})


def _card(code: str, values: dict, previous: dict | None, live: bool) -> dict:
    indicator = catalogue.get(code)
    value = values.get(code)
    before = previous.get(code) if previous else None
    change = None
    change_label = "—"
    if value is not None and before is not None:
        change = round(value - before, 4) if indicator.kind == "ratio" else value - before
        if indicator.kind == "ratio":
            # Rounded first, so that a tiny fall reads +0.0, not -0.0.
            change_label = _("%(points)+.1f points") % {"points": round(change * 100, 1) + 0.0}
        elif indicator.kind == "amount":
            change_label = f"{change:+,.2f}"
        else:
            change_label = f"{change:+,}"
    flag = next((r.flag(values) for r in RULES if r.code == code), None)
    if live and code in MONTH_TO_DATE:
        change, change_label = None, "—"
        change_text = _("this month so far; last month %(value)s") % {
            "value": shown(indicator.kind, before)
        }
    elif before is None:
        change_text = _("no report last month")
    else:
        change_text = _("on last month: %(change)s") % {"change": change_label}
    return {
        "code": code,
        "name": str(indicator.name),
        "unit": str(indicator.unit),
        "kind": indicator.kind,
        "value": value,
        "label": _out_of(code, values, shown(indicator.kind, value)),
        "previous": before,
        "change": change,
        "change_label": change_label,
        "change_text": change_text,
        "flag": flag,
    }


def _out_of(code: str, values: dict, label: str) -> str:
    """A card's figure as shown: "x / y" where OUT_OF names its whole and there is one."""
    whole = values.get(OUT_OF.get(code, ""))
    if whole is None or values.get(code) is None:
        return label
    return f"{label} / {shown(catalogue.get(OUT_OF[code]).kind, whole)}"


def _governance_link(site: Site, values: dict) -> list[dict]:
    """The site's governance page (issue 19) with its standing in brief: 十有 items present of
    those required and the shortfalls' count, as the catalogue counts them. [] where that page
    is not routed."""
    try:
        url = reverse("site-governance", args=[site.pk])
    except NoReverseMatch:
        return []
    present = values.get("facility_items_present")
    required = values.get("facility_items_required")
    name = _("Site governance")
    if present is not None and required:
        name = _("Site governance: facilities %(present)s of %(required)s, %(standing)s") % {
            "present": present,
            "required": required,
            "standing": _("with shortfalls")
            if values.get("sites_with_shortfall")
            else _("no shortfall"),
        }
    return [{"name": name, "url": url}]


def region_payload(region: Region, period: str = LIVE) -> dict:
    """The dashboard of a region: a province or prefecture compares its child regions, a county
    its sites."""
    county = len(region.code) >= LEVEL_LENGTHS["county"]
    parts = ("region", "sites") if county else ("region", "children")
    source = (
        live_figures(region.code, parts)
        if period == LIVE
        else report_figures(region.code, period, parts)
    )
    if source is None:
        raise NotFound(period)
    previous = report_figures(region.code, _last_month(period), ("region",))
    values = source["region"].get("values", {})
    if county:  # its sites
        below = [(s["id"], s, "dashboard-site") for s in source["sites"]]
    else:  # its child regions that have sites
        below = [
            (c["code"], c, "dashboard-region")
            for c in source["children"]
            if any(c["values"].get(k) for k in ("sites", "households"))
        ]
    rows = [
        {"key": key, "name": row["name"], "url": _url(page, key, period), "values": row["values"]}
        for key, row, page in below
    ]
    return _payload(
        scope={
            "kind": "region",
            "code": region.code,
            "name": region.name,
            "level": region.level,
            "level_label": region.get_level_display(),
            "rows_label": _("Settlement site")
            if county
            else (
                _("Prefecture")
                if len(region.code) == LEVEL_LENGTHS["province"]
                else _("County (district)")
            ),
        },
        up=_up(region.code[: _parent_length(region.code)], period),
        period=period,
        source=source,
        values=values,
        previous=previous["region"].get("values") if previous else None,
        rows=rows,
        trend=trend_charts(region.code, None, None if period == LIVE else period),
        periods=report_periods(region.code),
    )


def site_payload(site: Site, period: str = LIVE) -> dict:
    """The dashboard of a site: its households' figures (from its county's figures)."""
    county = site.county_id
    source = (
        live_figures(county, ("sites",))
        if period == LIVE
        else report_figures(county, period, ("sites",))
    )
    if source is None:
        raise NotFound(period)
    row = next((s for s in source["sites"] if s.get("id") == site.pk), None)
    values = row["values"] if row else catalogue.empty_row()
    previous_source = report_figures(county, _last_month(period), ("sites",))
    previous = None
    if previous_source is not None:
        same = next((s for s in previous_source["sites"] if s.get("id") == site.pk), None)
        previous = same["values"] if same else None
    return _payload(
        scope={
            "kind": "site",
            "id": site.pk,
            "code": site.code,
            "name": site.name,
            "level": "site",
            "level_label": _("Settlement site"),
            "rows_label": "",
        },
        up=_up(county, period),
        period=period,
        source=source,
        values=values,
        previous=previous,
        rows=[],
        trend=trend_charts(county, site.pk, None if period == LIVE else period),
        periods=report_periods(county),
        links=[
            {
                "name": _("Zero-employment households of the site"),
                "url": f"{reverse('household-list')}?zero_employment=true&site={site.pk}",
            },
            {
                "name": _("Monitoring cases of the site"),
                "url": f"{reverse('case-list')}?site={site.pk}",
            },
            {
                "name": _("Households of the site"),
                "url": f"{reverse('household-list')}?site={site.pk}",
            },
            *_governance_link(site, values),
        ],
    )


def _payload(*, scope, up, period, source, values, previous, rows, trend, periods, links=()):
    for row in rows:
        row["flags"] = flags(row["values"])
        row["labels"] = {
            code: shown(catalogue.get(code).kind, row["values"].get(code))
            for code in (*COMPARED, *(r.code for r in RULES))
        }
    charts = []
    if rows:
        target = settings.DASHBOARD["EMPLOYMENT_TARGET"]
        charts.append(
            bar(
                "employment_rate_by_row",
                _("Employment rate by %(rows)s") % {"rows": scope["rows_label"]},
                "%",
                "ratio",
                [r["name"] for r in rows],
                [
                    (
                        str(catalogue.get("employment_rate").name),
                        [r["values"].get("employment_rate") for r in rows],
                    )
                ],
                kind="bar",
                # Many areas' names overlap under the bars: drawn down the side instead.
                horizontal=len(rows) > HORIZONTAL_FROM,
                links=[r["url"] for r in rows],
                target={"name": _("Target"), "value": target, "label": shown("ratio", target)},
            )
        )
    charts.extend(breakdown_chart(code, values) for code in BREAKDOWNS)
    charts.extend(trend)
    report = source.get("report")
    if report is None:
        standing = _(
            "Live figures as of %(date)s, computed at %(time)s (every %(minutes)s minutes)."
        ) % {
            "date": source["as_of"].isoformat(),
            "time": timezone.localtime(source["computed_at"]).strftime("%Y-%m-%d %H:%M"),
            "minutes": settings.DASHBOARD["REFRESH_MINUTES"],
        }
        if source.get("stale"):  # the refresh task has not run lately: said, not hidden
            standing += " " + _(
                "They are older than that: the figures have not been refreshed since."
            )
    else:
        standing = _("The report of %(period)s, %(status)s; figures as of %(date)s.") % {
            "period": period,
            "status": report["status_label"],
            "date": source["as_of"].isoformat(),
        }
        if report["approved"]:
            standing += " " + _("Approved by %(who)s on %(when)s.") % {
                "who": report["approved_by"] or "—",
                "when": timezone.localtime(report["approved_at"]).strftime("%Y-%m-%d %H:%M")
                if report["approved_at"]
                else "—",
            }
    return {
        "standing": standing,
        "attention": attention(rows),
        "no_data": _("No figures."),
        "scope": scope,
        "up": up,
        "period": period,
        "as_of": source["as_of"],
        "computed_at": source.get("computed_at"),
        "report": report,
        "periods": periods,
        "cards": [_card(code, values, previous, period == LIVE) for code in CARDS],
        "flags": flags(values),
        "rules": [{"code": r.code, "text": r.text(), "source": r.source} for r in RULES],
        "columns": [
            {"code": c, "name": str(catalogue.get(c).name)}
            for c in (*COMPARED, *(r.code for r in RULES))
        ],
        "rows": rows,
        "charts": charts,
        "links": list(links),
    }


# The comparison table's columns before the rule columns.
COMPARED = (
    "households",
    "labor_force",
    "employment_rate",
    "zero_employment_households",
    "sites_facilities_complete",
    "sites_with_shortfall",
)


def _parent_length(code: str) -> int:
    return max((n for n in CODE_LENGTHS if n < len(code)), default=0)


def _url(name: str, key, period: str) -> str:
    url = reverse(name, args=[key])
    return url if period == LIVE else f"{url}?period={period}"


def _up(code: str, period: str) -> dict | None:
    region = Region.objects.filter(code=code).values("code", "name").first() if code else None
    if region is None:
        return None
    return {**region, "url": _url("dashboard-region", region["code"], period)}


def home_of(user) -> tuple[str, object] | None:
    """Where a user's dashboard opens: the narrowest region holding all of their area, else
    (an area over several counties, say) the first region they hold, else their first site;
    for a superuser, the first province with sites."""
    scope = Scope.for_user(user)
    if scope.everything:
        codes = Site.objects.order_by("region_code").values_list("region_code", flat=True)
        first = codes.first()
        return ("region", first[: LEVEL_LENGTHS["province"]]) if first else None
    home = scope.home_region()
    if home and may_see_region(user, home):
        return ("region", home)
    if scope.region_prefixes:
        return ("region", min(scope.region_prefixes))
    if scope.site_ids:
        return ("site", min(scope.site_ids))
    return None


def may_see_region(user, code: str) -> bool:
    """A region's dashboard shows the whole area: for users whose scope covers it all (the
    `figures` action of Region)."""
    return permits(user, Region, "figures", region_code=code)


def visible_region(user, code: str) -> Region:
    """The region whose dashboard `user` asks for, or 404 (unknown, or not all of it theirs)."""
    return get_object_or_404(Region.objects.restrict(user, "figures"), code=code)


def visible_site(user, pk: int) -> Site:
    """The site whose dashboard `user` asks for, or 404."""
    return get_object_or_404(Site.objects.visible_to(user), pk=pk)
