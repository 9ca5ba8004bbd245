"""Industry support in the demo: in each county eight projects, each with its status history
(building from its start, operating from its completion), whose investment splits by sector as
the Kashgar report's (一产 4.1988, 二产 2.3150, 三产 3.0994 亿元 of 9.6142), two workshops of
which one keeps the Yuncheng rules and one breaks them (too few relocated workers, a site 35
minutes away), jobs of relocated laborers linked to the workshops, and households linked to the
shops project with last year's dividends."""

import datetime as dt
from decimal import Decimal

from households.models import Household, Site
from industry import choices
from industry.models import (
    BenefitLink,
    Dividend,
    IndustryProject,
    Investment,
    ProjectSite,
    ProjectStatusChange,
)
from resettle.demo import LEDGERS, Context, register

# Kashgar's 9.6142 亿 yuan over its 12 counties, per county, by sector (yuan).
PER_COUNTY = {
    choices.Sector.PRIMARY: Decimal("419880000") / 12,
    choices.Sector.SECONDARY: Decimal("231500000") / 12,
    choices.Sector.TERTIARY: Decimal("309940000") / 12,
}
# (name, sector, kind, share of its sector's money, units, m², jobs)
PROJECTS = [
    ("特色林果种植基地", "primary", "crops", Decimal("0.35"), 1, 276000, 30),
    ("设施农业温室大棚", "primary", "facility", Decimal("0.40"), 15, 3300, 45),
    ("养殖小区及棚圈", "primary", "livestock", Decimal("0.25"), 200, 12000, 25),
    ("乡村生产车间（服装）", "secondary", "workshop", Decimal("0.40"), 1, 2400, 40),
    ("乡村生产车间（电子元件）", "secondary", "workshop", Decimal("0.35"), 1, 3000, 200),
    ("农产品加工厂", "secondary", "processing", Decimal("0.25"), 1, 1800, 35),
    ("安置区商铺门面", "tertiary", "shops", Decimal("0.70"), 160, 6940, 0),
    ("农贸市场", "tertiary", "market", Decimal("0.30"), 1, 2200, 12),
]
SOURCES = [
    (choices.FundSource.RELOCATION, Decimal("0.40")),
    (choices.FundSource.AGRICULTURE, Decimal("0.30")),
    (choices.FundSource.CENTRAL, Decimal("0.15")),
    (choices.FundSource.EAST_WEST, Decimal("0.10")),
    (choices.FundSource.SOCIAL, Decimal("0.05")),
]


def seed_industry(context: Context) -> None:
    """Eight projects in each county with sites, their status history, sites served and
    investments, workshop jobs linked from the labor ledger and the shops' dividends, as of
    `context.as_of`."""
    as_of = context.as_of
    sites_by_county: dict[str, list[Site]] = {}
    for site in Site.objects.order_by("county_id", "code"):
        sites_by_county.setdefault(site.county_id, []).append(site)
    projects, served, investments = [], [], []
    started = as_of.replace(year=as_of.year - 3, month=4, day=1)
    for county, sites in sites_by_county.items():
        for index, (name, sector, kind, share, units, area, jobs) in enumerate(PROJECTS, start=1):
            project = IndustryProject(
                code=f"P{county}{index:02d}",
                name=name,
                county_id=county,
                sector=sector,
                kind=kind,
                operator_type="enterprise" if kind in ("workshop", "processing") else "cooperative",
                operator=f"{name}经营主体",
                status=choices.ProjectStatus.OPERATING,
                planned_start=started,
                actual_start=started,
                planned_completion=started.replace(month=10),
                actual_completion=started.replace(month=11),
                units=units,
                area_m2=Decimal(area),
                jobs_offered=jobs,
            )
            projects.append(project)
            # The second workshop serves a far site too: 35 minutes, beyond the living circle.
            far = kind == "workshop" and index == 5 and len(sites) > 1
            for number, site in enumerate(sites[: 2 if far else 1]):
                served.append((project, site, 35 if far and number == 1 else 12))
            money = PER_COUNTY[sector] * share
            for source, part in SOURCES:
                investments.append(
                    (project, source, (money * part).quantize(Decimal("0.01")), started.year)
                )
    IndustryProject.objects.bulk_create(projects, batch_size=1000)
    ProjectSite.objects.bulk_create(
        [ProjectSite(project=p, site=s, travel_minutes=m) for p, s, m in served], batch_size=2000
    )
    Investment.objects.bulk_create(
        [Investment(project=p, source=s, amount=a, year=y) for p, s, a, y in investments],
        batch_size=2000,
    )
    # Each project's status history: under construction from its start, operating from its
    # completion, so that a past date sees the status of that date.
    ProjectStatusChange.objects.bulk_create(
        [
            ProjectStatusChange(project=p, status=status, changed_on=day)
            for p in projects
            for status, day in (
                (choices.ProjectStatus.BUILDING, p.actual_start),
                (choices.ProjectStatus.OPERATING, p.actual_completion),
            )
        ],
        batch_size=2000,
    )
    _link_households(projects, as_of)


def _link_households(projects, as_of: dt.date) -> None:
    """Twenty households of each county's first site share the shops' rent as dividends."""
    links, dividends = [], []
    for project in projects:
        if project.kind != choices.Kind.SHOPS:
            continue
        households = Household.objects.filter(site__county_id=project.county_id).order_by("id")[:20]
        for household in households:
            links.append(
                BenefitLink(
                    project=project,
                    household=household,
                    kind="dividend",
                    since=project.actual_completion,
                )
            )
            dividends.append(
                Dividend(
                    project=project,
                    household=household,
                    year=as_of.year - 1,
                    amount=Decimal("600"),
                    paid_on=min(dt.date(as_of.year, 1, 20), as_of),
                )
            )
    BenefitLink.objects.bulk_create(links, batch_size=2000)
    Dividend.objects.bulk_create(dividends, batch_size=2000)


# The first of the ledgers: the labor ledger links its jobs to the workshops (employment.demo).
register(
    LEDGERS,
    seed_industry,
    loads=[IndustryProject, ProjectStatusChange, ProjectSite, Investment, BenefitLink, Dividend],
)
