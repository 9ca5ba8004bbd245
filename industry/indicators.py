"""What industry support contributes to the indicator catalogue, and the workshop rules of the
Yuncheng plan (seeds/002 §三(二)) checked project by project: every figure of this area is
computed here. By site, a project counts at each site it serves."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.db.models import (
    CharField,
    Count,
    DecimalField,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, Substr
from django.utils.translation import gettext_lazy as _

from households.models import Household, Person, Site, registered_on_date
from industry import choices
from industry.models import (
    BenefitLink,
    Dividend,
    IndustryProject,
    Investment,
    ProjectSite,
    ProjectStatusChange,
)
from resettle.indicators import TOTAL, Area, Grouping, Indicator, Values, catalogue
from resettle.models import running_on

APP = "industry"
KASHGAR = _("Kashgar report §二(二)")
YUNCHENG = _("Yuncheng plan §三(二)")
TEN_THOUSAND = Decimal(10000)


def _status_on(as_of: dt.date) -> Subquery:
    """A project's status on `as_of`: that of its latest status entry counted by then (by its
    own date, `ProjectStatusChange.counted_from`), None before its first."""
    latest = (
        ProjectStatusChange.objects.filter(project=OuterRef("pk"))
        .alias(since=ProjectStatusChange.counted_from())
        .filter(since__lte=as_of)
        .order_by("-since", "-id")
        .values("status")[:1]
    )
    return Subquery(latest, output_field=CharField())


def projects_on(as_of: dt.date, projects=None):
    """The projects (of `projects`, a queryset, or all) that exist on `as_of`, with their status
    of that date as the alias `status_on` (None when they started before their first recorded
    status: not known). A project exists from its actual start or from the date of its first
    status, whichever comes first: a planned project not started yet exists from the day it was
    planned as a fact, never from the day it was entered (issue 14, "Facts keep their own
    dates")."""
    projects = IndustryProject.objects.all() if projects is None else projects
    started = ProjectStatusChange.objects.filter(project=OuterRef("pk")).alias(
        since=ProjectStatusChange.counted_from()
    )
    return projects.alias(status_on=_status_on(as_of)).filter(
        Q(actual_start__lte=as_of) | Exists(started.filter(since__lte=as_of))
    )


def operating_workshops(as_of: dt.date):
    """The workshops whose status on `as_of` is operating (by their status history)."""
    return IndustryProject.objects.alias(status_on=_status_on(as_of)).filter(
        kind=choices.Kind.WORKSHOP, status_on=choices.ProjectStatus.OPERATING
    )


def _grouped(grouping: Grouping, queryset, path: str, **aggregates) -> Values:
    """`aggregates` over `queryset`, whose project is at `path` ("" or "project__"): by the
    project's county (or child region, or in total), or by each site the project serves."""
    if grouping.by != "site":
        return grouping.aggregate(queryset, **aggregates)
    sites = grouping.within(Site.objects.all()).values("id")
    rows = (
        queryset.filter(**{f"{path}served__site__in": sites})
        .order_by()
        .values(_key=F(f"{path}served__site_id"))
        .annotate(**aggregates)
    )
    return {row.pop("_key"): row for row in rows}


SHARED = _(
    "A project serving several sites counts in the row of each site it serves, and once in the "
    "total: the rows can add up to more than the total."
)
SHARED_MONEY = _(
    "The money of a project serving several sites counts in the row of each site it serves, "
    "and once in the total: the rows can add up to more than the total."
)


def _in_area(area: Area, projects):
    """`projects` (of a queryset whose project is the record) in `area`: a region's are its
    counties' projects; a site's, the projects serving it."""
    if area.site_id is None:
        return area.within(projects)
    return projects.filter(served__site__in=area.sites(Site.objects.all())).distinct()


def _projects(code: str):
    """The drill-through of a project count: the projects existing on the date, of the area's
    category of the breakdown `code`; the workshops operating on the date for `workshops`."""

    def records(area: Area):
        projects = projects_on(area.as_of)
        if code in ("workshops", "workshop_jobs"):
            projects = projects.filter(
                kind=choices.Kind.WORKSHOP, status_on=choices.ProjectStatus.OPERATING
            )
        elif area.category and code in PROJECT_BREAKDOWNS:
            projects = projects.filter(**{PROJECT_BREAKDOWNS[code][0]: area.category})
        return _in_area(area, projects)

    return records


def _staffed_on(as_of: dt.date, projects):
    """`projects` narrowed to those with a job open on `as_of` (an employment spell of the labor
    ledger whose project it is, reached through `Employment.project`'s `employments`: industry
    sits below employment and does not import it). An annotation over `employments__` after this
    filter counts those open jobs only."""
    return projects.filter(running_on(as_of, "employments__"))


# Relocated laborers counted once each, over the open jobs of `_staffed_on`'s projects.
_WORKERS = Count("employments__person", distinct=True)


def _workshop_workers(area: Area):
    """Relocated persons holding a job on the date in an operating workshop of the area."""
    workshops = _in_area(area, operating_workshops(area.as_of))
    staffed = _staffed_on(area.as_of, IndustryProject.objects.filter(pk__in=workshops.values("pk")))
    return Person.objects.filter(pk__in=staffed.values("employments__person"))


def _breakdowns(codes: dict[str, tuple[str, type]], row: dict) -> None:
    for code, (_field, categories) in codes.items():
        row[code] = {value: row.pop(f"{code}:{value}") for value in categories.values}


PROJECT_BREAKDOWNS = {
    "projects_by_sector": ("sector", choices.Sector),
    "projects_by_kind": ("kind", choices.Kind),
    # The status of the date, from the status history (`projects_on`).
    "projects_by_status": ("status_on", choices.ProjectStatus),
}


@catalogue.source(
    Indicator(
        "projects",
        _("Industry projects"),
        _("projects"),
        _(
            "Industry support projects started by the date, or not started and with a status "
            "(such as planned) dated by then."
        ),
        source=KASHGAR,
        app=APP,
        records=_projects("projects"),
        shared_note=SHARED,
    ),
    Indicator(
        "projects_by_sector",
        _("Projects by sector"),
        _("projects"),
        _("Industry projects by sector: primary, secondary, tertiary."),
        kind="breakdown",
        source=KASHGAR,
        app=APP,
        records=_projects("projects_by_sector"),
        shared_note=SHARED,
        categories=tuple(choices.Sector.choices),
    ),
    Indicator(
        "projects_by_kind",
        _("Projects by kind"),
        _("projects"),
        _("Industry projects by kind: crops, greenhouses, workshops, shops and the rest."),
        kind="breakdown",
        source=KASHGAR,
        app=APP,
        records=_projects("projects_by_kind"),
        shared_note=SHARED,
        categories=tuple(choices.Kind.choices),
    ),
    Indicator(
        "projects_by_status",
        _("Projects by status"),
        _("projects"),
        _("Industry projects by their status on the date: planned, building, operating, stopped."),
        kind="breakdown",
        source=KASHGAR,
        app=APP,
        records=_projects("projects_by_status"),
        shared_note=SHARED,
        categories=tuple(choices.ProjectStatus.choices),
    ),
    Indicator(
        "workshops",
        _("Workshops"),
        _("workshops"),
        _("Village workshops operating on the date."),
        source=YUNCHENG,
        app=APP,
        records=_projects("workshops"),
        shared_note=SHARED,
    ),
    Indicator(
        "workshop_jobs",
        _("Workshop jobs"),
        _("jobs"),
        _("Jobs offered by the workshops operating on the date."),
        source=YUNCHENG,
        app=APP,
        records=_projects("workshop_jobs"),
        records_sum="jobs_offered",
        shared_note=SHARED,
    ),
)
def project_counts(grouping: Grouping) -> Values:
    """Projects existing on the date (`projects_on`), by sector, kind and their status of the
    date; the workshops operating on the date and the jobs they offer."""
    as_of = grouping.as_of
    workshop = Q(kind=choices.Kind.WORKSHOP, status_on=choices.ProjectStatus.OPERATING)
    aggregates = {
        "projects": Count("id", distinct=True),
        "workshops": Count("id", filter=workshop, distinct=True),
        "workshop_jobs": Coalesce(Sum("jobs_offered", filter=workshop), 0),
    }
    for code, (field, categories) in PROJECT_BREAKDOWNS.items():
        for value in categories.values:
            aggregates[f"{code}:{value}"] = Count("id", filter=Q(**{field: value}), distinct=True)
    values = _grouped(grouping, projects_on(as_of), "", **aggregates)
    for row in values.values():
        _breakdowns(PROJECT_BREAKDOWNS, row)
    return values


INVESTMENT_BREAKDOWNS = {
    "investment_by_sector": ("project__sector", choices.Sector),
    "investment_by_source": ("source", choices.FundSource),
}


@catalogue.source(
    Indicator(
        "investment",
        _("Investment"),
        _("10,000 yuan"),
        _(
            "Money invested in industry projects by the date: from 1 January of the year it was "
            "invested; money of unknown year from the day its project exists."
        ),
        kind="amount",
        source=KASHGAR,
        app=APP,
        shared_note=SHARED_MONEY,
    ),
    Indicator(
        "investment_by_sector",
        _("Investment by sector"),
        _("10,000 yuan"),
        _("Investment by the project's sector: primary, secondary, tertiary."),
        kind="breakdown",
        source=KASHGAR,
        app=APP,
        shared_note=SHARED_MONEY,
        categories=tuple(choices.Sector.choices),
        category_kind="amount",
    ),
    Indicator(
        "investment_by_source",
        _("Investment by fund source"),
        _("10,000 yuan"),
        _("Investment by where the money came from."),
        kind="breakdown",
        source=KASHGAR,
        app=APP,
        shared_note=SHARED_MONEY,
        categories=tuple(choices.FundSource.choices),
        category_kind="amount",
    ),
)
def investment(grouping: Grouping) -> Values:
    """Money invested by the date, in 10,000 yuan, by sector and fund source. An investment
    counts by its own `year`, from 1 January of that year on (whatever the project's start or
    the day it was entered: a county's ledger gives the year of the money; Kashgar report
    §二(二) counts investment by year). Where its year is blank (not known), it counts from the
    day its project exists (`projects_on`): the money was put into the project, so a county
    office expects it in the project's total, and no year is made up for it."""
    as_of = grouping.as_of
    invested = Q(year__lte=as_of.year) | Q(
        year__isnull=True, project__in=projects_on(as_of).values("pk")
    )
    aggregates = {"investment": Coalesce(Sum("amount"), Decimal(0))}
    for code, (field, categories) in INVESTMENT_BREAKDOWNS.items():
        for value in categories.values:
            aggregates[f"{code}:{value}"] = Coalesce(
                Sum("amount", filter=Q(**{field: value})), Decimal(0)
            )
    values = _grouped(
        grouping,
        Investment.objects.filter(invested),
        "project__",
        **aggregates,
    )
    for row in values.values():
        for key, amount in row.items():
            row[key] = round(float(amount / TEN_THOUSAND), 4)
        _breakdowns(INVESTMENT_BREAKDOWNS, row)
    return values


@catalogue.source(
    Indicator(
        "workshop_relocated_workers",
        _("Relocated workers in workshops"),
        _("persons"),
        _("Relocated laborers holding a job in an operating workshop on the date."),
        source=YUNCHENG,
        app=APP,
        records=_workshop_workers,
        shared_note=SHARED,
    ),
)
def workshop_workers(grouping: Grouping) -> Values:
    workshops = _staffed_on(grouping.as_of, operating_workshops(grouping.as_of))
    if grouping.by == "site":
        return _grouped(grouping, workshops, "", workshop_relocated_workers=_WORKERS)
    scope = grouping.scope.narrowed_to(grouping.region_code)
    workshops = workshops.filter(scope.q(region_field="county__code", site_field=None))
    if grouping.by == "total":
        return {TOTAL: workshops.aggregate(workshop_relocated_workers=_WORKERS)}
    rows = (
        workshops.order_by()
        .values(_key=Substr("county__code", 1, grouping.key_length()))
        .annotate(workshop_relocated_workers=_WORKERS)
    )
    return {row.pop("_key"): row for row in rows}


catalogue.ratio(
    Indicator(
        "workshop_relocated_share",
        _("Workshop jobs held by relocated laborers"),
        _("%"),
        _("Relocated laborers in operating workshops ÷ the jobs those workshops offer (≥ 50%)."),
        kind="ratio",
        source=YUNCHENG,
        app=APP,
    ),
    numerator="workshop_relocated_workers",
    denominator="workshop_jobs",
)


@catalogue.source(
    Indicator(
        "households_linked",
        _("Households with a benefit link"),
        _("households"),
        _("Relocated households linked to an industry project by the date."),
        source=_("Guizhou opinions"),
        app=APP,
        records=lambda area: area.within(linked_households(area.as_of)),
    ),
    additive=True,
)
def links(grouping: Grouping) -> Values:
    """Households with a benefit link by the date (a household linked to several projects
    counts once)."""
    return grouping.aggregate(
        BenefitLink.objects.filter(since__lte=grouping.as_of),
        households_linked=Count("household_id", distinct=True),
    )


def linked_households(as_of: dt.date):
    """Households linked to an industry project by `as_of` (Kashgar report §四(二)3: benefit links)."""
    return Household.objects.filter(
        Exists(BenefitLink.objects.filter(since__lte=as_of, household=OuterRef("pk")))
    )


@catalogue.source(
    Indicator(
        "dividends_paid_ytd",
        _("Dividends paid this year"),
        _("yuan"),
        _(
            "Dividends paid to relocated households from 1 January to the date, by the day "
            "each was paid; one whose payment day is not known from the day it was recorded."
        ),
        kind="amount",
        app=APP,
    ),
)
def dividends(grouping: Grouping) -> Values:
    """Dividends paid from 1 January of the date's year to the date, in yuan, counted by their
    own `paid_on` (not the year they are for, nor the day they were entered). One whose payment
    day is not known (blank in the sheet) counts from the day it was recorded, the rule for an
    undated fact (issue 14, item 2): it was paid by then at the latest."""
    as_of = grouping.as_of
    first = as_of.replace(month=1, day=1)
    paid = Q(paid_on__gte=first, paid_on__lte=as_of) | Q(
        paid_on__isnull=True, created__date__gte=first, created__date__lte=as_of
    )
    values = grouping.aggregate(
        Dividend.objects.filter(paid),
        dividends_paid_ytd=Coalesce(Sum("amount"), Decimal(0)),
    )
    for row in values.values():
        row["dividends_paid_ytd"] = float(row["dividends_paid_ytd"])
    return values


def _small_sites(as_of: dt.date):
    """Sites with fewer registered persons than the workshop rule's size on `as_of`, and no
    operating workshop serving them."""
    persons = (
        Person.objects.filter(registered_on_date(as_of), site=OuterRef("pk"))
        .order_by()
        .values("site")
        .annotate(n=Count("id"))
        .values("n")
    )
    # Served by an operating workshop within the living circle (a far one does not count).
    workshop = ProjectSite.objects.filter(
        site=OuterRef("pk"),
        travel_minutes__lte=settings.INDUSTRY["WORKSHOP_MAX_MINUTES"],
        project__in=operating_workshops(as_of).values("pk"),
    )
    return (
        Site.objects.annotate(
            persons_on=Coalesce(Subquery(persons, output_field=IntegerField()), Value(0))
        )
        .filter(persons_on__lt=settings.INDUSTRY["WORKSHOP_SITE_PERSONS"], persons_on__gt=0)
        .filter(~Exists(workshop))
    )


@catalogue.source(
    Indicator(
        "sites_under_800_without_workshop",
        _("Small sites without a workshop"),
        _("sites"),
        _(
            "Sites of fewer than 800 registered relocated persons that no operating workshop serves."
        ),
        source=YUNCHENG,
        app=APP,
        records=lambda area: area.within(_small_sites(area.as_of)),
    ),
    additive=True,
)
def small_sites(grouping: Grouping) -> Values:
    return grouping.aggregate(
        _small_sites(grouping.as_of), sites_under_800_without_workshop=Count("id")
    )


# --- The workshop rules, project by project (the workshops page) ---------------------------------


def workshop_rules(projects, as_of: dt.date) -> list[IndustryProject]:
    """The workshops among `projects` (a scoped queryset), each with `relocated_workers` (in jobs
    open on `as_of`), `relocated_share` (None without jobs offered), `served_sites` (with their
    travel minutes), `operating` (its status on `as_of`, from its status history is operating),
    and for an operating workshop `share_ok`, `too_far` (the sites beyond the
    living circle), `missing` (what is not recorded: no site, a travel time, the jobs offered)
    and `breaks_rules`. A workshop not operating is checked for nothing."""
    share = settings.INDUSTRY["WORKSHOP_RELOCATED_SHARE"]
    minutes = settings.INDUSTRY["WORKSHOP_MAX_MINUTES"]
    workers = (
        _staffed_on(as_of, IndustryProject.objects.filter(pk=OuterRef("pk")))
        .order_by()
        .values("pk")
        .annotate(n=_WORKERS)
        .values("n")
    )
    workshops = list(
        projects.filter(kind=choices.Kind.WORKSHOP)
        .annotate(
            relocated_workers=Coalesce(Subquery(workers, output_field=IntegerField()), Value(0))
        )
        .select_related("county")
        .prefetch_related("served__site")
        .order_by("county_id", "code")
    )
    operating = set(
        projects.filter(pk__in=operating_workshops(as_of).values("pk")).values_list("pk", flat=True)
    )
    for workshop in workshops:
        workshop.operating = workshop.pk in operating
        workshop.relocated_share = (
            round(workshop.relocated_workers / workshop.jobs_offered, 4)
            if workshop.jobs_offered
            else None
        )
        workshop.served_sites = list(workshop.served.all())
        workshop.share_ok = (
            not workshop.operating
            or workshop.relocated_share is None
            or workshop.relocated_share >= share
        )
        workshop.too_far = [
            s
            for s in workshop.served_sites
            if workshop.operating and s.travel_minutes is not None and s.travel_minutes > minutes
        ]
        workshop.missing = []
        if workshop.operating:
            if not workshop.served_sites:
                workshop.missing.append(_("no site served"))
            workshop.missing += [
                _("travel time from %(site)s") % {"site": s.site.name}
                for s in workshop.served_sites
                if s.travel_minutes is None
            ]
            if not workshop.jobs_offered:
                workshop.missing.append(_("jobs offered"))
        workshop.breaks_rules = not workshop.share_ok or bool(workshop.too_far)
    return workshops


def breaking(workshops: list[IndustryProject]) -> int:
    """How many of `workshop_rules`'s workshops break a rule."""
    return sum(1 for w in workshops if w.breaks_rules)


def with_investment(projects):
    """`projects` with `investment`, their money in yuan (resettle.money.to_wan gives 万元)."""
    money = (
        Investment.objects.filter(project=OuterRef("pk"))
        .order_by()
        .values("project")
        .annotate(total=Sum("amount"))
        .values("total")
    )
    total = Coalesce(
        Subquery(money, output_field=DecimalField(max_digits=16, decimal_places=2)),
        Value(Decimal(0)),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )
    return projects.annotate(investment=total)


def small_sites_without_workshop(sites, as_of: dt.date):
    """The sites among `sites` (a scoped queryset) that the workshop rule says need one."""
    return _small_sites(as_of).filter(pk__in=sites.values("pk")).order_by("code")
