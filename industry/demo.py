"""Industry support in the demo: each county its own projects, drawn for the county from the
kinds the Kashgar and Yuncheng reports name (specialty crops, greenhouses, livestock quarters,
village workshops, processing, shops, markets, e-commerce, rural tourism, cold chains), named
after the township of the site they serve and the region's own crops and goods, started in
different years (a few still being built), with sizes, jobs and money of their own.

The money splits by sector as the Kashgar report's (一产 4.1988, 二产 2.3150, 三产 3.0994 亿元
of 9.6142 over its 12 counties), a county's share in proportion to its households, then among
its projects of the sector. Every county has its shops, whose rent twenty-odd households share
as last year's dividends, and two or three village workshops: the first keeps the Yuncheng rules,
the second breaks them (many jobs, few of them relocated workers, and a site 35 minutes or more
away); the labor ledger links its jobs to them (employment.demo.link_workshop_jobs).

Each county draws from a random generator seeded with the run's seed and the county's code, so
that a seed gives the same projects and no two counties the same."""

import datetime as dt
import random
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count

from households.models import Household, Region, Site
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

# Kashgar's 9.6142 亿 yuan over its 12 counties: a county of average size, by sector (yuan).
PER_COUNTY = {
    choices.Sector.PRIMARY: Decimal("419880000") / 12,
    choices.Sector.SECONDARY: Decimal("231500000") / 12,
    choices.Sector.TERTIARY: Decimal("309940000") / 12,
}
SOURCES = [
    (choices.FundSource.RELOCATION, Decimal("0.40")),
    (choices.FundSource.AGRICULTURE, Decimal("0.30")),
    (choices.FundSource.CENTRAL, Decimal("0.15")),
    (choices.FundSource.EAST_WEST, Decimal("0.10")),
    (choices.FundSource.SOCIAL, Decimal("0.05")),
]


@dataclass(frozen=True)
class Kind:
    """A kind of project a county may have: its name ({crop}, {livestock}, {goods}, {product}
    are filled from the region's words), kind, who runs it, the ranges of its units, area (m²)
    and jobs, and its weight against the county's other projects of its sector (their money)."""

    name: str
    kind: str
    operator_type: str
    units: tuple[int, int]
    area: tuple[int, int]
    jobs: tuple[int, int]
    weight: int

    @property
    def sector(self) -> str:
        return SECTORS[self.kind]


SECTORS = {
    **dict.fromkeys(("crops", "facility", "livestock"), choices.Sector.PRIMARY),
    **dict.fromkeys(("workshop", "processing"), choices.Sector.SECONDARY),
    **dict.fromkeys(
        ("shops", "market", "ecommerce", "tourism", "cold_chain"), choices.Sector.TERTIARY
    ),
}
PRIMARY = [
    Kind("{crop}种植基地", "crops", "cooperative", (1, 1), (120_000, 420_000), (15, 60), 4),
    Kind("设施农业温室大棚", "facility", "cooperative", (8, 40), (2000, 9000), (20, 60), 4),
    Kind("{livestock}养殖小区", "livestock", "cooperative", (60, 300), (5000, 20_000), (12, 40), 3),
    Kind("食用菌种植大棚", "facility", "cooperative", (6, 24), (1500, 6000), (15, 45), 2),
    Kind("{crop}标准化示范园", "crops", "enterprise", (1, 1), (60_000, 200_000), (10, 35), 3),
]
SECONDARY = [
    Kind("{goods}加工厂", "processing", "enterprise", (1, 1), (1200, 4000), (25, 60), 3),
    Kind("{goods}精深加工车间", "processing", "enterprise", (1, 1), (800, 2500), (15, 40), 2),
]
TERTIARY = [
    Kind("农贸市场", "market", "collective", (1, 1), (1500, 4000), (8, 20), 3),
    Kind("电商服务站", "ecommerce", "enterprise", (1, 3), (200, 800), (5, 15), 1),
    Kind("乡村旅游民宿", "tourism", "cooperative", (6, 20), (800, 3000), (8, 25), 2),
    Kind("冷链物流仓储中心", "cold_chain", "enterprise", (1, 1), (2000, 6000), (10, 30), 3),
]
SHOPS = Kind("安置区商铺门面", "shops", "collective", (60, 200), (3000, 9000), (0, 0), 7)
# The workshops: the first keeps the rules (few jobs), the second breaks them (many), a third
# (in some counties) is small.
WORKSHOPS = [
    Kind("乡村生产车间（{product}）", "workshop", "enterprise", (1, 1), (1500, 3000), (30, 50), 4),
    Kind(
        "乡村生产车间（{product}）", "workshop", "enterprise", (1, 1), (2500, 4500), (120, 260), 4
    ),
    Kind("就业帮扶车间（{product}）", "workshop", "enterprise", (1, 1), (600, 1500), (20, 40), 2),
]
PRODUCTS = ["服装", "鞋帽", "电子元件", "假发", "地毯", "手工艺品", "箱包", "玩具", "刺绣"]
# The words of a region (by the longest code prefix): what grows, is raised and is processed.
WORDS = {
    "65": {
        "crop": ["红枣", "核桃", "巴旦木", "石榴", "杏", "葡萄", "无花果"],
        "livestock": ["牛羊", "鸽子", "驴", "肉鸡"],
        "goods": ["红枣", "核桃", "干果", "乳制品", "棉纺"],
    },
    "52": {
        "crop": ["茶叶", "刺梨", "猕猴桃", "蓝莓", "中药材", "辣椒"],
        "livestock": ["生猪", "肉牛", "蛋鸡", "山羊"],
        "goods": ["茶叶", "辣椒", "刺梨", "竹编", "腊肉"],
    },
    "": {
        "crop": ["蔬菜", "水果", "中药材"],
        "livestock": ["肉牛", "生猪", "肉鸡"],
        "goods": ["农产品", "粮油", "果蔬"],
    },
}
# A far site of the rule-breaking workshop lies beyond the 20-minute living circle.
FAR_MINUTES = (35, 50)
NEAR_MINUTES = (5, 18)


def _words(county: str) -> dict[str, list[str]]:
    return next(WORDS[code] for code in (county[:2], "") if code in WORDS)


def _place(site: Site, county_name: str) -> str:
    """The township (乡, 镇, 街道) or park of a site's name, else the county's name."""
    rest = site.name.removeprefix(county_name)
    ends = [rest.find(word) + len(word) for word in ("乡", "镇", "街道", "园区") if word in rest]
    return rest[: min(ends)] if ends else county_name


def _kinds(rng: random.Random) -> list[Kind]:
    """A county's projects: two to four of the primary kinds, two or three workshops, up to two
    processing plants, its shops and one to three other services."""
    return [
        *rng.sample(PRIMARY, rng.randint(2, 4)),
        *WORKSHOPS[: rng.randint(2, 3)],
        *rng.sample(SECONDARY, rng.randint(0, 2)),
        SHOPS,
        *rng.sample(TERTIARY, rng.randint(1, 3)),
    ]


# What an operator of a kind whose name names nothing of the region is about.
TRADES = {
    "facility": "设施农业",
    "market": "农贸",
    "ecommerce": "电子商务",
    "tourism": "乡村旅游",
    "cold_chain": "冷链物流",
}


def _operator(kind: Kind, place: str, words: dict[str, str]) -> str:
    """Who runs a project of `kind` at `place`: a cooperative, the village collective or a
    company, named after what the project's name grows, raises or makes."""
    if kind.operator_type == "collective":
        return f"{place}村集体经济合作社"
    used = [word for key, word in words.items() if "{" + key + "}" in kind.name]
    trade = used[0] if used else TRADES.get(kind.kind, "")
    if kind.operator_type == "cooperative":
        return f"{place}{trade}农民专业合作社"
    return f"{place}{trade}有限责任公司"


def _money(total: Decimal, rng: random.Random) -> list[tuple[str, Decimal]]:
    """`total` yuan split over the fund sources, in about their usual shares."""
    weights = [part * Decimal(str(round(rng.uniform(0.7, 1.3), 2))) for _s, part in SOURCES]
    scale = total / sum(weights)
    amounts = [(w * scale).quantize(Decimal("0.01")) for w in weights]
    amounts[0] += total.quantize(Decimal("0.01")) - sum(amounts)
    return [(source, amount) for (source, _p), amount in zip(SOURCES, amounts, strict=True)]


class _County:
    """One county's projects as unsaved rows: the projects, the sites each serves (with travel
    minutes) and the investments."""

    def __init__(self, county: Region, sites: list[Site], share: Decimal, seed: int, as_of):
        self.rng = random.Random(f"{seed}:industry:{county.code}")
        self.county, self.sites, self.share, self.as_of = county, sites, share, as_of
        self.words = _words(county.code)
        self.projects: list[IndustryProject] = []
        self.served: list[tuple[IndustryProject, Site, int]] = []
        self.investments: list[tuple[IndustryProject, str, Decimal, int]] = []

    def build(self) -> None:
        rng = self.rng
        kinds = _kinds(rng)
        weights = [k.weight * rng.uniform(0.6, 1.4) for k in kinds]
        by_sector = Counter()
        for kind, weight in zip(kinds, weights, strict=True):
            by_sector[kind.sector] += weight
        products = rng.sample(PRODUCTS, 3)
        for index, (kind, weight) in enumerate(zip(kinds, weights, strict=True), start=1):
            workshop = kind in WORKSHOPS
            # The workshops of the rules at the county's first site, whose laborers they employ.
            site = self.sites[0] if kind in WORKSHOPS[:2] else rng.choice(self.sites)
            word = {
                "crop": rng.choice(self.words["crop"]),
                "livestock": rng.choice(self.words["livestock"]),
                "goods": rng.choice(self.words["goods"]),
                "product": products[WORKSHOPS.index(kind)] if workshop else "",
            }
            place = _place(site, self.county.name)
            name = place + kind.name.format(**word)
            money = PER_COUNTY[kind.sector] * self.share * Decimal(weight / by_sector[kind.sector])
            project = self._project(index, kind, name, _operator(kind, place, word))
            self.projects.append(project)
            self.served.append((project, site, rng.randint(*NEAR_MINUTES)))
            # The rule-breaking workshop serves a far site too, beyond the living circle.
            if kind is WORKSHOPS[1] and len(self.sites) > 1:
                far = rng.choice(self.sites[1:])
                self.served.append((project, far, rng.randint(*FAR_MINUTES)))
            self.investments += [
                (project, source, amount, project.actual_start.year)
                for source, amount in _money(money, rng)
            ]

    def _project(self, index: int, kind: Kind, name: str, operator: str) -> IndustryProject:
        """The project, started on the 1st of a spring month one to six years ago (a workshop
        or the shops at least two), built in seven to eleven months."""
        rng, as_of = self.rng, self.as_of
        years = rng.randint(2, 6) if kind.kind in ("workshop", "shops") else rng.randint(1, 6)
        started = dt.date(as_of.year - years, rng.randint(3, 5), 1)
        months = rng.randint(7, 11)
        planned = _months_later(started, months - 1)
        completed = _months_later(started, months)
        return IndustryProject(
            code=f"P{self.county.code}{index:02d}",
            name=name,
            county_id=self.county.code,
            sector=kind.sector,
            kind=kind.kind,
            operator_type=kind.operator_type,
            operator=operator,
            status=(
                choices.ProjectStatus.OPERATING
                if completed <= as_of
                else choices.ProjectStatus.BUILDING
            ),
            planned_start=started,
            actual_start=started,
            planned_completion=planned,
            actual_completion=completed if completed <= as_of else None,
            units=rng.randint(*kind.units),
            area_m2=Decimal(rng.randint(*kind.area) // 10 * 10),
            jobs_offered=rng.randint(*kind.jobs),
        )


def _months_later(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def seed_industry(context: Context) -> None:
    """Each county's projects with the sites they serve, their status history and investments,
    and the shops' dividends, as of `context.as_of` (the module's docstring says what)."""
    as_of = context.as_of
    sites_by_county: dict[str, list[Site]] = {}
    for site in Site.objects.order_by("county_id", "code"):
        sites_by_county.setdefault(site.county_id, []).append(site)
    counties = Region.objects.in_bulk(list(sites_by_county))
    households = Counter(
        dict(
            Household.objects.order_by()
            .values_list("site__county_id")
            .annotate(n=Count("id"))
            .values_list("site__county_id", "n")
        )
    )
    average = Decimal(sum(households.values()) or 1) / max(len(sites_by_county), 1)
    built = []
    for code, sites in sites_by_county.items():
        county = _County(
            counties[code], sites, Decimal(households[code] or 1) / average, context.seed, as_of
        )
        county.build()
        built.append(county)
    projects = [p for c in built for p in c.projects]
    IndustryProject.objects.bulk_create(projects, batch_size=1000)
    ProjectSite.objects.bulk_create(
        [ProjectSite(project=p, site=s, travel_minutes=m) for c in built for p, s, m in c.served],
        batch_size=2000,
    )
    Investment.objects.bulk_create(
        [
            Investment(project=p, source=s, amount=a, year=y)
            for c in built
            for p, s, a, y in c.investments
        ],
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
            if day is not None
        ],
        batch_size=2000,
    )
    _link_households(built, as_of)


def _link_households(built: list[_County], as_of: dt.date) -> None:
    """Twelve to thirty households of each county share its shops' rent as last year's
    dividends, 400 to 900 yuan a household."""
    links, dividends = [], []
    for county in built:
        rng = county.rng
        for project in county.projects:
            if project.kind != choices.Kind.SHOPS:
                continue
            count, amount = rng.randint(12, 30), Decimal(rng.randint(8, 18) * 50)
            households = Household.objects.filter(site__county_id=project.county_id).order_by("id")[
                :count
            ]
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
                        amount=amount,
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
