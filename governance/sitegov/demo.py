"""Site governance in the demo (issue 19, item 9): most facilities and services of each site in
place and some gaps; the county's leaders answering for its sites (a site of 10,000 persons its
county head, but one such site a deputy where a principal is needed; a smaller one a deputy; a
few none, or a township secretary); a first secretary and team at each site of 100 or more
persons of 建档立卡 households (a few short of members); a community and Party branch of its own
at each site of 3,000 persons (one without its branch), the others belonging to their township's
community; storefronts with their income at the larger sites; households willing to farm at the
rural sites, most of them with a greenhouse of the county's greenhouse project.

The first site of each county keeps every rule, so that a small demo has complete sites too.
Each site draws from a generator seeded with the run's seed and its code. Rows are written in
bulk; the dates are facts' dates before the demo's report months end."""

import datetime as dt
import random
from decimal import Decimal

from django.db.models import Count, Q

from governance.sitegov import rules
from governance.sitegov.choices import LeaderPosition, Rank, TeamRole
from governance.sitegov.models import (
    Cadre,
    CommunityBody,
    FacilityKind,
    FarmingWish,
    Greenhouse,
    ServiceKind,
    ShopAsset,
    ShopIncome,
    SiteFacility,
    SiteLeader,
    SiteService,
    TeamMember,
)
from governance.sitegov.selectors import sites_built
from households.choices import AreaType
from households.models import Household, Region, Site
from households.selectors import registered_persons
from industry.choices import Kind
from industry.models import IndustryProject
from resettle.demo import OVERSIGHT, Context, register

# The unit responsible for each service (十到位), by its code.
RESPONSIBLE = {
    "party_member_service": "县委组织部",
    "industry_support": "县农业农村局",
    "employment_security": "县人力资源和社会保障局",
    "public_security": "县公安局",
    "civility": "县委宣传部（文明办）",
    "deliberation": "乡镇人民政府",
    "mediation": "县司法局",
    "hardship_assistance": "县民政局",
    "working_funds": "县财政局",
}
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = [
    "建国",
    "志强",
    "海峰",
    "红梅",
    "立新",
    "永平",
    "晓东",
    "丽华",
    "春生",
    "国庆",
    "文斌",
    "秀英",
]
CROPS = ["香菇", "设施蔬菜", "草莓", "西红柿", "辣椒", "食用菌"]
# One in this many sites has no leader, one in this many a leader of too low a post; one in
# this many teams is short of a member.
NO_LEADER, LOW_LEADER, SHORT_TEAM = 40, 60, 7


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _day(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randint(0, max((end - start).days, 0)))


class _County:
    """A county's cadres: its Party secretary, its head, three deputy county-level leaders and
    the township secretaries and section-level cadres made as its sites need them."""

    def __init__(self, region: Region, rng: random.Random):
        self.region = region
        self.rng = rng
        self.cadres: list[Cadre] = []
        self.secretary = self.cadre("县委书记", "县委", Rank.COUNTY_PRINCIPAL)
        self.head = self.cadre("县长", "县人民政府", Rank.COUNTY_PRINCIPAL)
        self.deputies = [self.cadre("副县长", "县人民政府", Rank.COUNTY_DEPUTY) for _ in range(3)]

    def cadre(self, post: str, unit: str, rank: str) -> Cadre:
        cadre = Cadre(
            name=_name(self.rng),
            post=post,
            unit=unit,
            rank=rank,
            phone=f"139{self.rng.randint(0, 99_999_999):08d}",
            region=self.region,
        )
        self.cadres.append(cadre)
        return cadre


class _Seeding:
    """One run's records, built site by site (`add`) and written in bulk (`write`)."""

    def __init__(self, context: Context, sites: list[Site]):
        self.seed = context.seed
        self.last = context.as_of - dt.timedelta(days=200)  # before the report months
        self.persons, self.poor = {}, {}
        for row in (
            registered_persons(context.as_of)
            .order_by()
            .values("site_id")
            .annotate(
                n=Count("id"), poor=Count("id", filter=Q(household__category=rules.TEAM_CATEGORY))
            )
        ):
            self.persons[row["site_id"]], self.poor[row["site_id"]] = row["n"], row["poor"]
        self.facilities = list(FacilityKind.objects.filter(region__isnull=True))
        self.services = list(ServiceKind.objects.filter(region__isnull=True))
        self.regions = Region.objects.in_bulk({s.county_id for s in sites})
        self.counties: dict[str, _County] = {}
        self.others = 0  # the sites added that are not the first of their county
        self.rows: dict[type, list] = {
            model: []
            for model in (SiteFacility, SiteService, CommunityBody, TeamMember, SiteLeader)
        }
        large = sorted(
            (s for s in sites if self.size(s) >= rules.large_persons()), key=lambda s: -self.size(s)
        )
        # The second largest site of 10,000 persons has a deputy where a principal is needed;
        # the smallest of 3,000 no Party branch of its own.
        self.deputy_instead = large[1].pk if len(large) > 1 else None
        self.branchless = next(
            (s.pk for s in sites[::-1] if self.size(s) >= rules.community_persons()), None
        )

    def size(self, site: Site) -> int:
        return self.persons.get(site.pk, 0)

    def add(self, site: Site) -> None:
        """The records of `site`: the first of its county keeps every rule; of the others, the
        run's first has no leader and its second a township secretary, whatever the scale, and
        each draws its gaps."""
        first = site.county_id not in self.counties
        if first:
            rng = random.Random(f"{self.seed}-{site.county_id}")
            self.counties[site.county_id] = _County(self.regions[site.county_id], rng)
        rng = random.Random(f"{self.seed}-{site.code}")
        start = dt.date(max(site.build_year or 2018, 2016), 1, 1)
        self._items(site, rng, start, keeps=first)
        if self.poor.get(site.pk, 0) >= rules.team_persons():
            self._team(site, rng, start, keeps=first)
        draw = 0 if first else rng.randrange(NO_LEADER * LOW_LEADER)
        if not first:
            self.others += 1
        if first or (self.others != 1 and draw % NO_LEADER != 1):
            low = not first and (self.others == 2 or draw % LOW_LEADER == 2)
            self._leader(site, rng, start, low=low)
        self._bodies(site, rng, start)

    def _items(self, site: Site, rng: random.Random, start: dt.date, *, keeps: bool) -> None:
        """Its facilities and services: about one in ten missing, absent or not known."""
        for kind in self.facilities:
            draw = 1.0 if keeps else rng.random()
            if draw < 0.05:
                continue  # never recorded
            present = True if draw >= 0.1 else (False if draw >= 0.07 else None)
            capacity = (
                rng.randrange(90, 361, 30) if present and kind.measure == "capacity" else None
            )
            area = Decimal(rng.randrange(30, 601, 10)) if present and capacity is None else None
            since = _day(rng, start, self.last) if present is not None else None
            self.rows[SiteFacility].append(
                SiteFacility(
                    site=site,
                    kind=kind,
                    present=present,
                    since=since,
                    area_m2=area,
                    capacity=capacity,
                )
            )
        for kind in self.services:
            draw = 1.0 if keeps else rng.random()
            if draw < 0.04:
                continue
            in_place = True if draw >= 0.08 else (False if draw >= 0.06 else None)
            self.rows[SiteService].append(
                SiteService(
                    site=site,
                    kind=kind,
                    in_place=in_place,
                    since=_day(rng, start, self.last) if in_place is not None else None,
                    responsible_unit=RESPONSIBLE.get(kind.code, ""),
                )
            )

    def _team(self, site: Site, rng: random.Random, start: dt.date, *, keeps: bool) -> None:
        """A first secretary and members sent on one day; one team in SHORT_TEAM a member short."""
        county = self.counties[site.county_id]
        members = rules.team_size() - (0 if keeps or rng.randrange(SHORT_TEAM) else 1)
        sent = _day(rng, start, self.last)
        for i in range(members):
            unit = rng.choice(list(RESPONSIBLE.values()))
            cadre = county.cadre("第一书记" if i == 0 else "工作队员", unit, Rank.SECTION_DEPUTY)
            role = TeamRole.FIRST_SECRETARY if i == 0 else TeamRole.MEMBER
            self.rows[TeamMember].append(
                TeamMember(site=site, cadre=cadre, role=role, start_date=sent, sent_by=unit)
            )

    def _leader(self, site: Site, rng: random.Random, start: dt.date, *, low: bool) -> None:
        """The county head at a site of 10,000 persons (but one), else a deputy; `low`: a
        township secretary instead."""
        county = self.counties[site.county_id]
        if self.size(site) >= rules.large_persons() and site.pk != self.deputy_instead:
            leader, post = county.head, LeaderPosition.GOVERNMENT_HEAD
        elif low:
            leader = county.cadre("乡镇党委书记", "乡镇党委", Rank.SECTION_PRINCIPAL)
            post = LeaderPosition.OTHER
        else:
            leader, post = rng.choice(county.deputies), LeaderPosition.DEPUTY
        self.rows[SiteLeader].append(
            SiteLeader(
                site=site, cadre=leader, position=post, start_date=_day(rng, start, self.last)
            )
        )

    def _bodies(self, site: Site, rng: random.Random, start: dt.date) -> None:
        """Its own community and Party branch from 3,000 persons (one site without its branch);
        else the township's community it belongs to."""
        if self.size(site) < rules.community_persons():
            place = site.township.name if site.township_id else self.regions[site.county_id].name
            self.rows[CommunityBody].append(
                CommunityBody(site=site, kind="community", name=f"{place}社区", is_own=False)
            )
            return
        founded = _day(rng, start, self.last)
        kinds = [("community", f"{site.name}社区")]
        if site.pk != self.branchless:
            kinds.append(("party_branch", f"{site.name}社区党支部"))
        for kind, name in kinds:
            self.rows[CommunityBody].append(
                CommunityBody(site=site, kind=kind, name=name, is_own=True, established_on=founded)
            )

    def write(self) -> None:
        cadres = [c for county in self.counties.values() for c in county.cadres]
        Cadre.objects.bulk_create(cadres, batch_size=2000)
        for model, rows in self.rows.items():
            model.objects.bulk_create(rows, batch_size=2000)


def seed_site_governance(context: Context) -> None:
    """The site governance records of every site built by the demo's day (the module's docstring
    says what)."""
    sites = list(
        Site.objects.filter(sites_built(context.as_of))
        .select_related("township")
        .order_by("county_id", "code")
    )
    seeding = _Seeding(context, sites)
    for site in sites:
        seeding.add(site)
    seeding.write()
    projects = {
        p.county_id: p
        for p in IndustryProject.objects.filter(kind=Kind.FACILITY).order_by("county_id", "-id")
    }
    _seed_shops(context, sites, seeding.persons, seeding.last)
    _seed_greenhouses(context, sites, projects, seeding.last)


def _seed_shops(context: Context, sites, persons: dict, last: dt.date) -> None:
    """A row of storefronts at each urban site and each of 800 persons or more, owned by the
    county's state assets company, operated and managed by the community; its income of last
    year and this year, a share to the community's running and to its collective economy."""
    assets, incomes = [], []
    for site in sites:
        if site.area_type != AreaType.URBAN and persons.get(site.pk, 0) < 800:
            continue
        rng = random.Random(f"{context.seed}-{site.code}-shops")
        units = rng.randint(6, 30)
        asset = ShopAsset(
            site=site,
            kind="storefront",
            name=f"{site.name}沿街门面",
            area_m2=Decimal(units * rng.randint(30, 60)),
            units=units,
            owner="县国有资产投资经营公司",
            operator=f"{site.name}社区股份经济合作社",
            manager=f"{site.name}社区居委会",
        )
        assets.append(asset)
        for year in (last.year - 1, last.year):
            income = Decimal(units * rng.randint(3000, 9000))
            incomes.append(
                ShopIncome(
                    asset=asset,
                    year=year,
                    income=income,
                    to_community_running=(income * Decimal("0.3")).quantize(Decimal("1")),
                    to_collective_economy=(income * Decimal("0.2")).quantize(Decimal("1")),
                )
            )
    ShopAsset.objects.bulk_create(assets, batch_size=2000)
    ShopIncome.objects.bulk_create(incomes, batch_size=2000)


def _seed_greenhouses(context: Context, sites, projects: dict, last: dt.date) -> None:
    """At each rural site, one household in fifteen willing to farm since 2021; four in five of
    them with a greenhouse of about 1 mu of the county's greenhouse project, allotted by the
    next spring."""
    rural = [s.pk for s in sites if s.area_type == AreaType.RURAL]
    households = Household.objects.filter(site_id__in=rural).order_by("id")
    wishes, greenhouses = [], []
    for household_id, site_id, county in households.values_list("id", "site_id", "site__county_id"):
        if household_id % 15:
            continue
        rng = random.Random(f"{context.seed}-{household_id}-farming")
        since = _day(rng, dt.date(2021, 3, 1), dt.date(2022, 6, 30))
        crop = rng.choice(CROPS)
        wishes.append(FarmingWish(household_id=household_id, since=since, crop=crop))
        if rng.random() < 0.8:
            project = projects.get(county)
            greenhouses.append(
                Greenhouse(
                    household_id=household_id,
                    number=f"{site_id}-{len(greenhouses) + 1:03d}",
                    area_mu=Decimal(rng.choice(["0.8", "1.0", "1.0", "1.2"])),
                    crop=crop,
                    project=project,
                    allotted_on=min(_day(rng, since, since + dt.timedelta(days=300)), last),
                )
            )
    FarmingWish.objects.bulk_create(wishes, batch_size=2000)
    Greenhouse.objects.bulk_create(greenhouses, batch_size=2000)


# Before the monthly reports (OVERSIGHT), which take its figures.
register(
    OVERSIGHT - 10,
    seed_site_governance,
    name="governance.sites",
    loads=[
        Cadre,
        SiteFacility,
        SiteService,
        TeamMember,
        SiteLeader,
        CommunityBody,
        ShopAsset,
        ShopIncome,
        FarmingWish,
        Greenhouse,
    ],
)
