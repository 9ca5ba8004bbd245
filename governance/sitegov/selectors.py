"""Reads of site governance as of a date: the facts of each site (what it has, who runs it, how
many live there) in one statement, the rules each site breaks (the shortfall worklist, 安置区短板)
and the populations the indicators count. Each rule is written once, here (`RULES`), and read by
the worklist, the indicators and the lists their figures open, so they agree.

Dates: a facility or service counts from its own date (`since`), a body from its founding, a
wish and a greenhouse from theirs; one whose date is not known from the day it was recorded
(`counted_from`). A team member or leader serves from `start_date` to `end_date`, both days
included (`resettle.models.running_on`); a wish withdrawn, or a greenhouse ended, on a day no
longer counts on that day."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import (
    Count,
    Exists,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Length, Substr
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from governance.sitegov import rules
from governance.sitegov.choices import TeamRole
from governance.sitegov.models import (
    CommunityBody,
    FacilityKind,
    FarmingWish,
    Greenhouse,
    ServiceKind,
    ShopIncome,
    SiteFacility,
    SiteLeader,
    SiteService,
    TeamMember,
    counted_from,
)
from households.models import Household, Site
from households.selectors import has_registered_member, registered_persons
from resettle.indicators import analytic_session
from resettle.models import running_on
from resettle.scoping import LEVEL_LENGTHS

COUNTY = LEVEL_LENGTHS["county"]


def sites_built(as_of: dt.date) -> Q:
    """Sites built by the year of `as_of` (or of unknown year): the sites the registry counts
    (`households.indicators`' `sites`), and so the sites governance checks."""
    return Q(build_year__isnull=True) | Q(build_year__lte=as_of.year)


# ---- What a site has and who runs it, record by record ----------------------------------------


def _on_list() -> Q:
    """Items of a reference list on the list of the site OuterRef("region_code"): the
    documents' own, or of a region holding the site."""
    return Q(region__isnull=True) | Q(
        region_id=Substr(OuterRef("region_code"), 1, Length("region_id"))
    )


def _kind_on_list() -> Q:
    """Records of a site (`site`) whose item (`kind`) is on the site's list."""
    return Q(kind__region__isnull=True) | Q(site__region_code__startswith=F("kind__region_id"))


def facilities_present(as_of: dt.date) -> QuerySet:
    """The facility records that say their facility, on their site's list, is present on
    `as_of` (since then, or, their date not known, recorded by then)."""
    return (
        SiteFacility.objects.filter(_kind_on_list(), present=True)
        .alias(on=counted_from("since"))
        .filter(on__lte=as_of)
    )


def services_in_place(as_of: dt.date) -> QuerySet:
    """The service records that say their service, on their site's list, is in place on
    `as_of`."""
    return (
        SiteService.objects.filter(_kind_on_list(), in_place=True)
        .alias(on=counted_from("since"))
        .filter(on__lte=as_of)
    )


def team_on(as_of: dt.date) -> QuerySet:
    """The work team members serving on `as_of`."""
    return TeamMember.objects.filter(running_on(as_of))


def leaders_on(as_of: dt.date) -> QuerySet:
    """The leaders answering for a site (包保) on `as_of`."""
    return SiteLeader.objects.filter(running_on(as_of))


def own_bodies_on(as_of: dt.date) -> QuerySet:
    """The community bodies that are their site's own and exist on `as_of`."""
    return (
        CommunityBody.objects.filter(is_own=True)
        .alias(on=counted_from("established_on"))
        .filter(on__lte=as_of)
    )


# What a site has on a date, counted from its records: fact → (the records of a date, the
# condition on them). The facts of one source are counted together.
COUNTED = {
    "facility_items_present": (facilities_present, Q()),
    "service_items_present": (services_in_place, Q()),
    "members": (team_on, Q()),
    "secretaries": (team_on, Q(role=TeamRole.FIRST_SECRETARY)),
    "leader_count": (leaders_on, Q()),
    "principals": (leaders_on, Q(position__in=rules.PRINCIPAL_POSITIONS)),
    "deputies": (leaders_on, Q(position__in=rules.DEPUTY_POSITIONS)),
    "communities": (own_bodies_on, Q(kind__in=rules.SELF_GOVERNING_KINDS)),
    "branches": (own_bodies_on, Q(kind__in=rules.PARTY_KINDS)),
}


def _count(queryset: QuerySet) -> Subquery:
    """The number of rows of `queryset` (correlated to the outer site) as a subquery; 0 for
    none."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _required(sites: QuerySet) -> QuerySet:
    """`sites` with the number of facilities and services on each one's list annotated
    (`facility_items_required`, `service_items_required`)."""
    return sites.annotate(
        facility_items_required=_count(FacilityKind.objects.filter(_on_list())),
        service_items_required=_count(ServiceKind.objects.filter(_on_list())),
    )


def site_facts(as_of: dt.date, sites: QuerySet | None = None) -> QuerySet:
    """`sites` (a Site queryset; all when None) with what each has on `as_of` annotated, site
    by site (a page's or a list's few sites; `site_rows` counts many at once): the facilities
    and services on its list (`facility_items_required`, `service_items_required`) and of them
    present or in place (`facility_items_present`, `service_items_present`); its team members
    serving (`members`) and first secretaries (`secretaries`); its leaders (`leader_count`) and
    those whose post would fit a large site (`principals`) or a smaller one (`deputies`); its
    own self-governing bodies (`communities`) and Party branches (`branches`)."""
    sites = Site.objects.all() if sites is None else sites
    return _required(sites).annotate(
        **{
            fact: _count(records(as_of).filter(condition, site=OuterRef("pk")))
            for fact, (records, condition) in COUNTED.items()
        }
    )


# The annotations of `site_facts`, in the order a row gives them.
FACTS = (
    "facility_items_required",
    "facility_items_present",
    "service_items_required",
    "service_items_present",
    "members",
    "secretaries",
    "leader_count",
    "principals",
    "deputies",
    "communities",
    "branches",
)


# ---- The rules ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """A rule of site governance over a site's facts (`site_rows`' columns, row alias f): `sql`
    is true for a site it names, with `params()` for its %s. `shortfall`: breaking it puts the
    site on the worklist (县级统一管理 and 需选派工作队 only describe a site)."""

    code: str
    label: object
    sql: str
    params: object = lambda: []
    shortfall: bool = True


RULES = (
    Rule(
        "facilities_incomplete",
        gettext_lazy("Facilities (十有) incomplete"),
        "f.facility_items_present < f.facility_items_required",
    ),
    Rule(
        "services_incomplete",
        gettext_lazy("Services (十到位) incomplete"),
        "f.service_items_present < f.service_items_required",
    ),
    Rule(
        "needs_team",
        gettext_lazy("Needs a first secretary and work team"),
        "f.poor_persons >= %s",
        lambda: [rules.team_persons()],
        shortfall=False,
    ),
    Rule(
        "county_managed",
        gettext_lazy("Managed by the county as a whole"),
        "f.poor_persons < %s",
        lambda: [rules.team_persons()],
        shortfall=False,
    ),
    Rule(
        "team_lacking",
        gettext_lazy("Work team lacking (一点一队、一队三人)"),
        "f.poor_persons >= %s AND (f.members < %s OR f.secretaries = 0)",
        lambda: [rules.team_persons(), rules.team_size()],
    ),
    Rule(
        "leader_missing",
        gettext_lazy("No leader answering for the site (包保)"),
        "f.leader_count = 0",
    ),
    Rule(
        "leader_unfit",
        gettext_lazy("Leader's post does not fit the site's size"),
        "f.leader_count > 0 AND NOT ((f.persons >= %s AND f.principals > 0)"
        " OR (f.persons < %s AND f.deputies > 0))",
        lambda: [rules.large_persons(), rules.large_persons()],
    ),
    Rule(
        "community_missing",
        gettext_lazy("Large site without its own community and Party branch"),
        "f.persons >= %s AND (f.communities = 0 OR f.branches = 0)",
        lambda: [rules.community_persons()],
    ),
)
RULES_BY_CODE = {rule.code: rule for rule in RULES}
SHORTFALLS = tuple(rule for rule in RULES if rule.shortfall)


def _persons(as_of: dt.date, region_code: str | None) -> QuerySet:
    """Registered persons on `as_of` per site, and of them members of 建档立卡 households
    (`rules.TEAM_CATEGORY`, read from the member's copy of the category: one table); within `region_code` when it is a county or smaller (by the index),
    else all (the sites' rows narrow them anyway)."""
    persons = registered_persons(as_of)
    if region_code and len(region_code) >= COUNTY:
        persons = persons.filter(site__region_code__startswith=region_code)
    return (
        persons.order_by()
        .values("site_id")
        .annotate(n=Count("id"), poor=Count("id", filter=Q(household_category=rules.TEAM_CATEGORY)))
    )


def _grouped(as_of: dt.date) -> list[tuple[str, list, list[str]]]:
    """The facts of COUNTED per site on `as_of`, one grouped query per source of records: its
    SQL, params and facts (its columns: `site_id` and those facts)."""
    sources: dict = {}
    for fact, (records, condition) in COUNTED.items():
        sources.setdefault(records, {})[fact] = Count("id", filter=condition)
    queries = []
    for records, counts in sources.items():
        sql, params = (
            records(as_of).order_by().values("site_id").annotate(**counts).query.sql_with_params()
        )
        queries.append((sql, list(params), list(counts)))
    return queries


def site_rows(as_of: dt.date, rows: QuerySet, region_code: str | None = None) -> tuple[str, list]:
    """SQL and params of one row per site of `rows` (`facts_values`: the columns `_key`, `sid`
    the site's id, and the items required), with the other FACTS, `persons` and `poor_persons`
    joined (each counted once, grouped by site) and a column 0/1 per rule of RULES and for any
    shortfall (row alias f in the rules). `region_code` narrows the persons counted."""
    inner, params = rows.query.sql_with_params()
    params = list(params)
    persons, person_params = _persons(as_of, region_code).query.sql_with_params()
    joins = [f" LEFT JOIN ({persons}) p ON p.site_id = s.sid"]
    params += person_params
    columns = ["COALESCE(p.n, 0) AS persons", "COALESCE(p.poor, 0) AS poor_persons"]
    for i, (sql, source_params, facts) in enumerate(_grouped(as_of)):
        joins.append(f" LEFT JOIN ({sql}) g{i} ON g{i}.site_id = s.sid")
        params += source_params
        columns += [f"COALESCE(g{i}.{fact}, 0) AS {fact}" for fact in facts]
    facts = f"SELECT s.*, {', '.join(columns)} FROM ({inner}) s{''.join(joins)}"
    flags = [f"CASE WHEN {rule.sql} THEN 1 ELSE 0 END AS {rule.code}" for rule in RULES]
    flag_params = [p for rule in RULES for p in rule.params()]
    shortfall = " OR ".join(f"({rule.sql})" for rule in SHORTFALLS)
    shortfall_params = [p for rule in SHORTFALLS for p in rule.params()]
    sql = (
        f"SELECT f.*, {', '.join(flags)}, CASE WHEN {shortfall} THEN 1 ELSE 0 END AS shortfall"
        f" FROM ({facts}) f"
    )
    return sql, [*flag_params, *shortfall_params, *params]


def facts_values(sites: QuerySet, as_of: dt.date, key=None) -> QuerySet:
    """The values rows `site_rows` takes for `sites` (a Site queryset): the site's id (`sid`),
    its group (`_key`: the expression `key`, or one group) and the items on its lists, which
    are the same on any date (`as_of`: the date the rows are for, as `site_rows` takes it)."""
    return (
        _required(sites)
        .order_by()
        .values(
            "facility_items_required",
            "service_items_required",
            sid=F("id"),
            _key=Value("total") if key is None else key,
        )
    )


def sites_where(
    rule: str,
    as_of: dt.date,
    sites: QuerySet,
    *,
    broken: bool = True,
    region_code: str | None = None,
) -> QuerySet:
    """The sites of `sites` (a Site queryset, within `region_code` when given) that break the
    rule `rule` (a code of RULES, or "shortfall": any of SHORTFALLS) on `as_of`, or with
    `broken=False` that keep it: the records a figure counts, as a Site queryset. Raises
    KeyError for an unknown rule (a typo is not "no site")."""
    if rule != "shortfall" and rule not in RULES_BY_CODE:
        raise KeyError(rule)
    sql, params = site_rows(as_of, facts_values(sites, as_of), region_code)
    chosen = f"SELECT f.sid FROM ({sql}) f WHERE f.{rule} = %s"
    return Site.objects.filter(pk__in=RawSQL(chosen, [*params, 1 if broken else 0]))


# ---- The shortfall worklist (安置区短板) --------------------------------------------------------


@dataclass
class Shortfall:
    """A rule a site breaks (`rule`, a code of RULES) and what is missing, in words."""

    rule: str
    text: str


@dataclass
class SiteShortfalls:
    """A site as governance sees it on a date: its registered persons and those of 建档立卡
    households, whether the county manages it as a whole (below the team threshold: not a
    shortfall), its facts (`site_facts`' counts) and the rules it breaks, in RULES' order."""

    site: Site
    persons: int
    poor_persons: int
    county_managed: bool
    facts: dict
    shortfalls: list[Shortfall] = field(default_factory=list)

    @property
    def rules(self) -> list[str]:
        return [s.rule for s in self.shortfalls]


def site_shortfall_list(
    *,
    user,
    as_of: dt.date,
    region: str | None = None,
    site: Site | None = None,
    rule: str | None = None,
    include_all: bool = False,
) -> list[SiteShortfalls]:
    """The sites `user` may see (within `region`, a region code, or the one `site`), built by
    `as_of`, that break a rule of site governance on `as_of` (`rule`: only that one), each with
    what it lacks by name: the facilities and services not in place (and those whose state is
    not known), the work team missing or short of members or of its first secretary, the 包保
    leader missing or of a post not fitting its size, its own community or Party branch missing.
    A site below the team threshold is marked managed by the county, not as lacking a team.
    `include_all`: every site, those keeping all rules too (a site's own page). Ordered by site
    code. A fixed number of queries, however many sites. Raises KeyError for an unknown rule."""
    if rule is not None and rule not in RULES_BY_CODE:
        raise KeyError(rule)
    sites = Site.objects.restrict(user, "view", region=region).filter(sites_built(as_of))
    if site is not None:
        sites = sites.filter(pk=site.pk)
    sql, params = site_rows(as_of, facts_values(sites, as_of), region)
    with analytic_session() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    wanted = "shortfall" if rule is None else rule
    if not include_all:
        rows = [row for row in rows if row[wanted]]
    if not rows:
        return []
    by_id = {
        s.pk: s
        for s in Site.objects.filter(pk__in=[row["sid"] for row in rows]).select_related("county")
    }
    named = _Names.read(as_of, [s for s in by_id.values()])
    result = []
    for row in sorted(rows, key=lambda r: by_id[r["sid"]].code):
        listed = by_id[row["sid"]]
        entry = SiteShortfalls(
            site=listed,
            persons=int(row["persons"]),
            poor_persons=int(row["poor_persons"]),
            county_managed=bool(row["county_managed"]),
            facts={name: int(row[name]) for name in FACTS},
        )
        entry.shortfalls = [
            Shortfall(r.code, named.text(r.code, listed, entry)) for r in SHORTFALLS if row[r.code]
        ]
        result.append(entry)
    return result


@dataclass
class _Names:
    """What the worklist names, read once for all its sites: the items of each list, the items
    present and those whose state is not known by site, and the leaders serving."""

    facilities: list
    services: list
    present: dict
    unknown: dict
    leaders: dict

    @classmethod
    def read(cls, as_of: dt.date, sites: list[Site]) -> _Names:
        ids = [s.pk for s in sites]
        present, unknown = defaultdict(set), defaultdict(set)
        for model, on in ((SiteFacility, facilities_present), (SiteService, services_in_place)):
            for site_id, kind_id in (
                on(as_of).filter(site_id__in=ids).values_list("site_id", "kind_id")
            ):
                present[model, site_id].add(kind_id)
        state = {SiteFacility: "present", SiteService: "in_place"}
        for model, flag in state.items():
            blank = model.objects.filter(site_id__in=ids, **{f"{flag}__isnull": True})
            for site_id, kind_id in blank.values_list("site_id", "kind_id"):
                unknown[model, site_id].add(kind_id)
        leaders = defaultdict(list)
        for charge in leaders_on(as_of).filter(site_id__in=ids).select_related("cadre"):
            leaders[charge.site_id].append(charge)
        return cls(
            facilities=list(FacilityKind.objects.all()),
            services=list(ServiceKind.objects.all()),
            present=present,
            unknown=unknown,
            leaders=leaders,
        )

    def missing(self, model, kinds: list, site: Site) -> str:
        """The items of `kinds` on the site's list not present: "卫生室、幼儿园", and those of
        them whose state is not known said apart."""
        lacking = [
            k for k in kinds if k.applies_to(site) and k.pk not in self.present[model, site.pk]
        ]
        unknown = self.unknown[model, site.pk]
        known = "、".join(k.name for k in lacking if k.pk not in unknown)
        not_known = "、".join(k.name for k in lacking if k.pk in unknown)
        if known and not_known:
            return _("%(missing)s; not known: %(unknown)s") % {
                "missing": known,
                "unknown": not_known,
            }
        return known or _("not known: %(unknown)s") % {"unknown": not_known}

    def text(self, rule: str, site: Site, entry: SiteShortfalls | SiteSummary) -> str:
        facts = entry.facts
        if rule == "facilities_incomplete":
            return _("Facilities (十有) not in place: %(names)s.") % {
                "names": self.missing(SiteFacility, self.facilities, site)
            }
        if rule == "services_incomplete":
            return _("Services (十到位) not in place: %(names)s.") % {
                "names": self.missing(SiteService, self.services, site)
            }
        if rule == "team_lacking":
            return _team_text(entry)
        if rule == "leader_missing":
            return _("No leader answers for the site (包保): the county names one.")
        if rule == "leader_unfit":
            names = "、".join(
                f"{c.cadre.name}（{c.get_position_display()}）" for c in self.leaders[site.pk]
            )
            if entry.persons >= rules.large_persons():
                return _(
                    "The site has %(persons)s persons: from %(large)s, the county's principal Party "
                    "or government leader answers for it, not %(names)s."
                ) % {
                    "persons": f"{entry.persons:,}",
                    "large": f"{rules.large_persons():,}",
                    "names": names,
                }
            return _("A deputy county-level leader at least answers for a site, not %(names)s.") % {
                "names": names
            }
        if rule == "community_missing":
            lacking = []
            if not facts["communities"]:
                lacking.append(_("its own community (residents' or village committee)"))
            if not facts["branches"]:
                lacking.append(_("its own Party branch"))
            return _("The site has %(persons)s persons and lacks %(what)s (from %(size)s).") % {
                "persons": f"{entry.persons:,}",
                "what": _(" and ").join(str(x) for x in lacking),
                "size": f"{rules.community_persons():,}",
            }
        raise KeyError(rule)


def _team_text(entry: SiteShortfalls | SiteSummary) -> str:
    facts = entry.facts
    values = {
        "poor": f"{entry.poor_persons:,}",
        "threshold": rules.team_persons(),
        "size": rules.team_size(),
        "team": facts["members"],
    }
    if facts["members"] == 0:
        return (
            _(
                "%(poor)s persons of registered poor households (from %(threshold)s): no work team; "
                "the county sends a first secretary and a team of %(size)s."
            )
            % values
        )
    parts = []
    if facts["members"] < rules.team_size():
        parts.append(_("the work team has %(team)s members, fewer than %(size)s") % values)
    if facts["secretaries"] == 0:
        parts.append(_("no first secretary"))
    return _("%(poor)s persons of registered poor households: %(what)s.") % {
        **values,
        "what": _("; ").join(str(p) for p in parts),
    }


# ---- Greenhouses and shop income ----------------------------------------------------------------


def wishes_on(as_of: dt.date) -> QuerySet:
    """The wishes to farm standing on `as_of`: since then (or recorded by then when the day is
    not known) and not withdrawn by then."""
    return (
        FarmingWish.objects.alias(on=counted_from("since"))
        .filter(on__lte=as_of)
        .filter(Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=as_of))
    )


def greenhouses_on(as_of: dt.date) -> QuerySet:
    """The greenhouses held on `as_of`: allotted by then (or recorded by then when the day is
    not known) and not ended by then."""
    return (
        Greenhouse.objects.alias(on=counted_from("allotted_on"))
        .filter(on__lte=as_of)
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gt=as_of))
    )


def willing_households(as_of: dt.date) -> QuerySet:
    """Households registered on `as_of` (a member registered) on the ledger of households
    willing to farm then, with `has_greenhouse` (whether they hold a greenhouse then) as an
    alias to filter on."""
    return Household.objects.filter(
        Exists(wishes_on(as_of).filter(household=OuterRef("pk"))), has_registered_member(as_of)
    ).alias(has_greenhouse=Exists(greenhouses_on(as_of).filter(household=OuterRef("pk"))))


def shop_income_of_year(as_of: dt.date) -> QuerySet:
    """The shop assets' incomes of the year of `as_of` (yearly records: the year's income
    recorded so far)."""
    return ShopIncome.objects.filter(year=as_of.year)


# ---- A page of sites with their governance (the list pages and the API) --------------------------


@dataclass
class SiteSummary:
    """A site's governance on a date as the lists show it: its persons and those of 建档立卡
    households, `site_facts`' counts (`facts`), the rules it keeps or breaks (`flags`: code of
    RULES → bool, and "shortfall"), the leaders answering for it then (`leaders`, SiteLeader
    with their cadre) and the rules it breaks in the worklist's words (`shortfalls`)."""

    persons: int
    poor_persons: int
    facts: dict
    flags: dict
    leaders: list = field(default_factory=list)
    shortfalls: list[Shortfall] = field(default_factory=list)


def site_summaries(sites: list[Site], as_of: dt.date) -> dict[int, SiteSummary]:
    """The governance of `sites` (a page of a list) on `as_of`, by site id, from the statement
    the worklist and the figures read (`site_rows`), with the worklist's reasons: a fixed
    number of queries, however many sites."""
    if not sites:
        return {}
    chosen = Site.objects.filter(pk__in=[s.pk for s in sites])
    sql, params = site_rows(as_of, facts_values(chosen, as_of))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    named = _Names.read(as_of, sites)
    by_id = {s.pk: s for s in sites}
    summaries = {}
    for row in rows:
        summary = SiteSummary(
            persons=int(row["persons"]),
            poor_persons=int(row["poor_persons"]),
            facts={name: int(row[name]) for name in FACTS},
            flags={code: bool(row[code]) for code in (*RULES_BY_CODE, "shortfall")},
            leaders=sorted(named.leaders[row["sid"]], key=lambda c: (c.start_date, c.pk)),
        )
        site = by_id[row["sid"]]
        summary.shortfalls = [
            Shortfall(r.code, named.text(r.code, site, summary)) for r in SHORTFALLS if row[r.code]
        ]
        summaries[row["sid"]] = summary
    return summaries
