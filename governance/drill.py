"""Drill-through (issue 15, item 7): every count on a dashboard, a report page and the
indicator API opens the list of the records it counts, as of the same date, in the same area,
for users who may read records. The records are the catalogue's (`Indicator.records`, the
owning app's population selectors), so the list's total is the figure.

The leading group reads figures only (`resettle.scoping.LEDGER_READERS`): no link is offered
to them, and the page answers them 404."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import OuterRef, Subquery
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from governance.models import DispatchReport
from households.choices import Relation
from households.models import Household, Person, Region, Site
from industry.models import IndustryProject
from monitoring.models import Alert, MonitoringCase
from resettle.indicators import Area, Indicator, catalogue
from resettle.scoping import CODE_LENGTHS, Scope, permits, scope_for


def reader_scope(user) -> Scope:
    """What `user` may read record by record (the households they may `view`): empty for the
    leading group."""
    return scope_for(user, Household, "view")


def may_open_records(user, *, region: str | None = None, site: int | None = None) -> bool:
    """Whether figures shown to `user` link to their records: in the region (or the site)
    given, whether the user reads records of all of it; with neither, anywhere."""
    if region is not None:
        return permits(user, Household, "view", region_code=region)
    scope = reader_scope(user)
    if site is not None:
        return Site.objects.within(scope).filter(pk=site).exists()
    return not scope.is_empty


def first_day() -> dt.date:
    """The earliest date figures are counted for: the first month of relocation reporting
    (settings.DISPATCH["FIRST_PERIOD"])."""
    return dt.date.fromisoformat(settings.DISPATCH["FIRST_PERIOD"] + "-01")


def opens_records(code: str) -> bool:
    """Whether the figure `code` has a list of records (counts and their breakdowns do;
    ratios and sums of money do not)."""
    return catalogue.get(code).records is not None


def records_url(
    code: str,
    *,
    as_of: dt.date,
    region: str | None = None,
    site: int | None = None,
    category: str | None = None,
    report: int | None = None,
    computed: str | None = None,
) -> str:
    """The address of the list of the records the figure `code` counts in the region (or the
    site) as of `as_of`; `report`: the report whose frozen figure the page compares with;
    `computed`: when the live figure linked from was computed ("YYYY-MM-DD HH:MM")."""
    query = {"as_of": as_of.isoformat()}
    if site is not None:
        query["site"] = site
    elif region:
        query["region"] = region
    if category:
        query["category"] = category
    if report is not None:
        query["report"] = report
    if computed:
        query["computed"] = computed
    return f"{reverse('figure-records', args=[code])}?{urlencode(query)}"


class BadQuery(ValueError):
    """A query the page cannot answer, with what to fix (in the user's language)."""


@dataclass(frozen=True)
class Asked:
    indicator: Indicator
    area: Area
    name: str  # the region's or the site's name
    category_label: str


def asked(user, code: str, params) -> Asked:
    """The figure, area, date and category a request asks for, within what `user` may read.
    Raises Http404 for an unknown figure, one without records, or an area outside the user's
    scope (or one they hold only part of: a part is asked for by its own code); BadQuery for
    a malformed date or category."""
    try:
        indicator = catalogue.get(code)
    except KeyError:
        raise Http404 from None
    scope = reader_scope(user)
    if indicator.records is None or scope.is_empty:
        raise Http404
    as_of = _date(params.get("as_of"))
    category, category_label = None, ""
    if indicator.kind == "breakdown":
        labels = {c: str(label) for c, label in indicator.categories}
        category = params.get("category") or ""
        if category not in labels:
            raise BadQuery(_("No such category of this figure: choose one of its chart's bars."))
        category_label = labels[category]
    site_id = params.get("site")
    if site_id:
        if not str(site_id).isdigit():
            raise Http404
        site = Site.objects.within(scope).filter(pk=int(site_id)).first()
        if site is None:
            raise Http404
        area = Area(as_of, scope, site.region_code, site.pk, category)
        return Asked(indicator, area, site.name, category_label)
    code_asked = params.get("region") or scope.home_region() or ""
    if not code_asked.isdigit() or len(code_asked) not in CODE_LENGTHS:
        raise Http404
    region = Region.objects.filter(code=code_asked).first()
    if region is None or not permits(user, Household, "view", region_code=region.code):
        raise Http404
    return Asked(
        indicator, Area(as_of, scope, region.code, None, category), region.name, category_label
    )


def _date(text: str | None) -> dt.date:
    today = dt.date.today()
    if not text:
        return today
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        raise BadQuery(_("Write the date as YYYY-MM-DD, e.g. 2026-10-31.")) from None
    if day > today:
        raise BadQuery(_("The date cannot be in the future."))
    if day < first_day():
        raise BadQuery(
            _("Figures begin with %(first)s: choose a later date.") % {"first": first_day()}
        )
    return day


def _head_name(of_household: bool = True) -> Subquery:
    """The name of the head of the household: the row's own (a household), or its household's
    (a case, an alert)."""
    household = OuterRef("pk") if of_household else OuterRef("household_id")
    return Subquery(
        Person.objects.filter(household=household, relation=Relation.HEAD).values("name")[:1]
    )


def table(asked: Asked, records) -> tuple[list[str], object, object]:
    """How to show `records` (a queryset of the indicator's model): the column headers, the
    queryset to page (related rows joined, in a stable order, so that a page costs a fixed
    number of queries) and a function giving a record's cells as (text, link or "")."""
    model = records.model
    app = asked.indicator.app
    if model is Household:
        rows = records.select_related("site").annotate(head=_head_name()).order_by("household_no")

        def cells(h):
            return [
                (h.household_no, reverse("household-detail", args=[h.pk])),
                (h.head or "—", ""),
                (h.site.name, ""),
            ]

        return [_("Household number"), _("Head of household"), _("Settlement site")], rows, cells
    if model is Person:
        rows = records.select_related("site", "household").order_by("household__household_no", "pk")
        page = "labor-card" if app == "employment" else None

        def cells(p):
            link = (
                reverse(page, args=[p.pk])
                if page
                else reverse("household-detail", args=[p.household_id])
            )
            return [
                (p.name, link),
                (p.household.household_no, reverse("household-detail", args=[p.household_id])),
                (p.site.name if p.site_id else "—", ""),
            ]

        return [_("Full name"), _("Household number"), _("Settlement site")], rows, cells
    if model is MonitoringCase:
        rows = (
            records.select_related("household__site")
            .annotate(head=_head_name(of_household=False))
            .order_by("household__household_no", "pk")
        )

        def cells(c):
            return [
                (c.household.household_no, reverse("case-detail", args=[c.pk])),
                (c.head or "—", ""),
                (c.household.site.name, ""),
                (c.get_category_display(), ""),
                (c.identified_on.isoformat() if c.identified_on else "—", ""),
                (c.get_status_display(), ""),
            ]

        return (
            [
                _("Household number"),
                _("Head of household"),
                _("Settlement site"),
                _("category"),
                _("included on"),
                _("Status"),
            ],
            rows,
            cells,
        )
    if model is Alert:
        rows = (
            records.select_related("household__site")
            .annotate(head=_head_name(of_household=False))
            .order_by("household__household_no", "pk")
        )

        def cells(a):
            return [
                (a.household.household_no, reverse("household-detail", args=[a.household_id])),
                (a.head or "—", ""),
                (a.household.site.name, ""),
                (a.get_rule_display(), ""),
                (a.raised_on.isoformat(), ""),
            ]

        return (
            [
                _("Household number"),
                _("Head of household"),
                _("Settlement site"),
                _("rule"),
                _("raised on"),
            ],
            rows,
            cells,
        )
    if model is IndustryProject:
        rows = records.select_related("county").order_by("county_id", "code")

        def cells(p):
            return [
                (p.name, reverse("project-detail", args=[p.pk])),
                (p.code, ""),
                (p.county.name, ""),
                (p.get_kind_display(), ""),
                (f"{p.jobs_offered:,}" if p.jobs_offered is not None else "—", ""),
            ]

        return (
            [_("Project"), _("code"), _("County"), _("kind"), _("jobs offered")],
            rows,
            cells,
        )
    if model is Site:
        rows = records.select_related("county").order_by("code")

        def cells(s):
            return [
                (s.name, reverse("site-detail", args=[s.pk])),
                (s.code, ""),
                (s.county.name, ""),
            ]

        return [_("Settlement site"), _("code"), _("County")], rows, cells
    raise TypeError(f"no table for {model.__name__}")


def link_dashboard(data: dict, user) -> dict:
    """A dashboard's payload (governance.dashboard) with the addresses of the records its counts
    open, for `user` if they may read records: each card's `url`, each row's `urls` by column,
    and a breakdown chart's `links` by category. As of the payload's date."""
    scope = data["scope"]
    here = {"site": scope["id"]} if scope["kind"] == "site" else {"region": scope["code"]}
    if not may_open_records(user, **here):
        data["links"] = []  # the site's lists of households and cases: records too
        return data
    as_of = data["as_of"]
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    report = computed = None
    if data["period"] == "live" and data.get("computed_at"):
        computed = timezone.localtime(data["computed_at"]).strftime("%Y-%m-%d %H:%M")
    if data["period"] != "live":  # the lists compare themselves with the report's figures
        county = (
            Site.objects.filter(pk=scope["id"]).values_list("county_id", flat=True).first()
            if scope["kind"] == "site"
            else scope["code"]
        )
        report = (
            DispatchReport.objects.filter(region_id=county, period=data["period"])
            .values_list("pk", flat=True)
            .first()
        )
    for card in data["cards"]:
        if opens_records(card["code"]):
            card["url"] = records_url(
                card["code"], as_of=as_of, report=report, computed=computed, **here
            )
    below = "site" if scope["kind"] == "region" and scope["level"] == "county" else "region"
    for row in data["rows"]:
        where = {below: row["key"]}
        row["urls"] = {
            c["code"]: records_url(
                c["code"], as_of=as_of, report=report, computed=computed, **where
            )
            for c in data["columns"]
            if opens_records(c["code"])
        }
    for chart in data["charts"]:
        code = chart["key"]
        if code in _BREAKDOWNS and opens_records(code):
            indicator = catalogue.get(code)
            chart["links"] = [
                records_url(
                    code, as_of=as_of, category=category, report=report, computed=computed, **here
                )
                for category, _label in indicator.categories
            ]
    return data


_BREAKDOWNS = frozenset(i.code for i in catalogue.all() if i.kind == "breakdown")
