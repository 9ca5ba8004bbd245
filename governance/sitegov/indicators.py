"""What site governance contributes to the indicator catalogue (issue 19, item 7): the sites that
keep or break each rule of `selectors.RULES`, the facilities and services in place, greenhouse
coverage and shop income to the community; as of any date, by site and rolled up. The site
counts come from the same statement as the shortfall worklist (`selectors.site_rows`), so a
figure is the number of sites the worklist names for its rule."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, F, Q, QuerySet, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from governance.sitegov.selectors import (
    facts_values,
    shop_income_of_year,
    site_facts,
    site_rows,
    sites_built,
    sites_where,
    willing_households,
)
from households.models import Site
from resettle import worklists
from resettle.indicators import Area, Grouping, Indicator, Values, analytic_session, catalogue
from resettle.worklists import Worklist

APP = "governance"
FACILITIES_SOURCE = _("Yuncheng plan §三(四)")
TEAM_SOURCE = _("Yuncheng plan §三(五)一")
LEADER_SOURCE = _("Guizhou opinions item 24")
COMMUNITY_SOURCE = _("Kashgar report §二(四)")
GREENHOUSE_SOURCE = _("Yuncheng plan §三(三)三")
SHOP_SOURCE = _("Guizhou opinions item 9")


def _built(as_of: dt.date) -> QuerySet:
    return Site.objects.filter(sites_built(as_of))


def _sites(rule: str, *, broken: bool = True):
    """The drill-through of a site count: the area's sites (built by the date) breaking `rule`
    on the date, or keeping it (`broken=False`)."""

    def records(area: Area) -> QuerySet:
        sites = area.within(_built(area.as_of))
        return area.within(
            sites_where(rule, area.as_of, sites, broken=broken, region_code=area.region_code)
        )

    return records


def _items(area: Area) -> QuerySet:
    """The drill-through of an item count: the area's sites with their items annotated (the
    figure is the sum of the field `records_sum` names)."""
    return area.within(site_facts(area.as_of, _built(area.as_of)))


# Figures read off each site's rules: (indicator, column of `site_rows`).
RULE_COLUMNS = {
    "sites_needing_team": "needs_team",
    "sites_county_managed": "county_managed",
    "sites_team_lacking": "team_lacking",
    "sites_leader_missing": "leader_missing",
    "sites_leader_unfit": "leader_unfit",
    "sites_large_without_community": "community_missing",
    "sites_with_shortfall": "shortfall",
}
ITEM_COLUMNS = (
    "facility_items_required",
    "facility_items_present",
    "service_items_required",
    "service_items_present",
)


@catalogue.source(
    Indicator(
        "sites_facilities_complete",
        _("Sites with all facilities (十有齐全)"),
        _("sites"),
        _(
            "Sites built by the date with every facility of their list present on the date: the "
            "ten of the Yuncheng plan (党员活动室 … 休闲广场) and any their province added."
        ),
        source=FACILITIES_SOURCE,
        app=APP,
        records=_sites("facilities_incomplete", broken=False),
    ),
    Indicator(
        "facility_items_present",
        _("Facility items present"),
        _("items"),
        _(
            "Facilities of the sites' lists present on the date (by the day each opened, or was "
            "recorded when that is not known), summed over the sites."
        ),
        source=FACILITIES_SOURCE,
        app=APP,
        records=_items,
        records_sum="facility_items_present",
    ),
    Indicator(
        "facility_items_required",
        _("Facility items required"),
        _("items"),
        _("Facilities on the sites' lists, summed over the sites built by the date."),
        source=FACILITIES_SOURCE,
        app=APP,
        records=_items,
        records_sum="facility_items_required",
    ),
    Indicator(
        "sites_services_complete",
        _("Sites with all services in place (十到位)"),
        _("sites"),
        _(
            "Sites built by the date with every service of their list in place on the date: the "
            "nine the Yuncheng plan lists under the name of ten, and any their province added."
        ),
        source=FACILITIES_SOURCE,
        app=APP,
        records=_sites("services_incomplete", broken=False),
    ),
    Indicator(
        "service_items_present",
        _("Service items in place"),
        _("items"),
        _("Services of the sites' lists in place on the date, summed over the sites."),
        source=FACILITIES_SOURCE,
        app=APP,
        records=_items,
        records_sum="service_items_present",
    ),
    Indicator(
        "service_items_required",
        _("Service items required"),
        _("items"),
        _("Services on the sites' lists, summed over the sites built by the date."),
        source=FACILITIES_SOURCE,
        app=APP,
        records=_items,
        records_sum="service_items_required",
    ),
    Indicator(
        "sites_needing_team",
        _("Sites needing a work team"),
        _("sites"),
        _(
            "Sites with 100 or more registered persons of registered poor (建档立卡) households "
            "on the date: the county sends them a first secretary and a work team."
        ),
        source=TEAM_SOURCE,
        app=APP,
        records=_sites("needs_team"),
    ),
    Indicator(
        "sites_county_managed",
        _("Sites managed by the county as a whole"),
        _("sites"),
        _(
            "Sites with fewer than 100 registered persons of registered poor households on the "
            "date: managed by the county as a whole, not lacking a team."
        ),
        source=TEAM_SOURCE,
        app=APP,
        records=_sites("county_managed"),
    ),
    Indicator(
        "sites_team_lacking",
        _("Sites lacking their work team"),
        _("sites"),
        _(
            "Sites needing a work team that on the date have no first secretary or fewer than "
            "three team members, the first secretary counted (一点一队、一队三人)."
        ),
        source=TEAM_SOURCE,
        app=APP,
        records=_sites("team_lacking"),
    ),
    Indicator(
        "sites_leader_missing",
        _("Sites without a leader answering for them"),
        _("sites"),
        _("Sites with no leader answering for them (包保) on the date."),
        source=LEADER_SOURCE,
        app=APP,
        records=_sites("leader_missing"),
    ),
    Indicator(
        "sites_leader_unfit",
        _("Sites whose leader's post does not fit their size"),
        _("sites"),
        _(
            "Sites whose leaders on the date are none of the posts their size needs: from 10,000 "
            "registered persons the county's principal Party or government leader, below it a "
            "deputy county-level leader at least."
        ),
        source=LEADER_SOURCE,
        app=APP,
        records=_sites("leader_unfit"),
    ),
    Indicator(
        "sites_large_without_community",
        _("Large sites without their own community and Party branch"),
        _("sites"),
        _(
            "Sites of 3,000 registered persons or more on the date without a community (or "
            "residents' or village committee) and a Party branch of their own."
        ),
        source=COMMUNITY_SOURCE,
        app=APP,
        records=_sites("community_missing"),
    ),
    Indicator(
        "sites_with_shortfall",
        _("Sites with shortfalls (安置区短板)"),
        _("sites"),
        _(
            "Sites breaking one rule of site governance or more on the date: facilities or "
            "services missing, work team lacking, leader missing or not fitting, large site "
            "without its own community and Party branch."
        ),
        app=APP,
        records=_sites("shortfall"),
    ),
    additive=True,
)
def site_governance_counts(grouping: Grouping) -> Values:
    """Each group's sites (built by the date) by the rules they keep or break and the items they
    have, from one statement over the sites' facts (`selectors.site_rows`)."""
    as_of = grouping.as_of
    sites = grouping.within(_built(as_of))
    rows = facts_values(sites, as_of, key=grouping.key(Site))
    sql, params = site_rows(as_of, rows, grouping.region_code)
    columns = [
        *ITEM_COLUMNS,
        "facilities_incomplete",
        "services_incomplete",
        *RULE_COLUMNS.values(),
    ]
    sums = ", ".join(f"SUM(f.{column})" for column in columns)
    values: Values = {}
    with analytic_session() as cursor:
        cursor.execute(f"SELECT f._key, COUNT(*), {sums} FROM ({sql}) f GROUP BY f._key", params)
        for key, count, *figures in cursor.fetchall():
            # (PostgreSQL's SUM of integers is a bigint or numeric)
            row = dict(zip(columns, map(int, figures), strict=True))
            values[key] = {
                **{column: row[column] for column in ITEM_COLUMNS},
                "sites_facilities_complete": count - row["facilities_incomplete"],
                "sites_services_complete": count - row["services_incomplete"],
                **{code: row[column] for code, column in RULE_COLUMNS.items()},
            }
    return values


catalogue.ratio(
    Indicator(
        "facility_rate",
        _("Facilities present (十有)"),
        "%",
        _("Facility items present ÷ facility items required."),
        kind="ratio",
        source=FACILITIES_SOURCE,
        app=APP,
    ),
    numerator="facility_items_present",
    denominator="facility_items_required",
)
catalogue.ratio(
    Indicator(
        "service_rate",
        _("Services in place (十到位)"),
        "%",
        _("Service items in place ÷ service items required."),
        kind="ratio",
        source=FACILITIES_SOURCE,
        app=APP,
    ),
    numerator="service_items_present",
    denominator="service_items_required",
)


@catalogue.source(
    Indicator(
        "greenhouse_willing_households",
        _("Households willing to farm"),
        _("households"),
        _(
            "Registered households on the ledger of households willing to farm on the date "
            "(since the day they said so, not withdrawn)."
        ),
        source=GREENHOUSE_SOURCE,
        app=APP,
        records=lambda area: area.within(willing_households(area.as_of)),
    ),
    Indicator(
        "greenhouse_households",
        _("Willing households with a greenhouse"),
        _("households"),
        _("Households willing to farm that hold a greenhouse on the date (一户一棚)."),
        source=GREENHOUSE_SOURCE,
        app=APP,
        records=lambda area: area.within(
            willing_households(area.as_of).filter(has_greenhouse=True)
        ),
    ),
    additive=True,
)
def greenhouse_counts(grouping: Grouping) -> Values:
    """Willing households, and of them those holding a greenhouse, by group."""
    return grouping.aggregate(
        willing_households(grouping.as_of),
        greenhouse_willing_households=Count("id"),
        greenhouse_households=Count("id", filter=Q(has_greenhouse=True)),
    )


catalogue.ratio(
    Indicator(
        "greenhouse_coverage",
        _("Greenhouse coverage"),
        "%",
        _("Willing households with a greenhouse ÷ households willing to farm."),
        kind="ratio",
        source=GREENHOUSE_SOURCE,
        app=APP,
    ),
    numerator="greenhouse_households",
    denominator="greenhouse_willing_households",
)


@catalogue.source(
    Indicator(
        "shop_income_to_community",
        _("Shop income to the community this year"),
        _("yuan"),
        _(
            "Of the income of the sites' storefronts and shops recorded for the date's year, what "
            "went to the community's running and to its collective economy."
        ),
        kind="amount",
        source=SHOP_SOURCE,
        app=APP,
    ),
)
def shop_income(grouping: Grouping) -> Values:
    values = grouping.aggregate(
        shop_income_of_year(grouping.as_of),
        shop_income_to_community=Coalesce(
            Sum(F("to_community_running") + F("to_collective_economy")), Decimal(0)
        ),
    )
    return {
        key: {"shop_income_to_community": float(row["shop_income_to_community"])}
        for key, row in values.items()
    }


# The shortfall worklist (安置区短板): the governance list filtered to the sites the figure
# `sites_with_shortfall` counts, each with what it lacks; under the menu's settlement sites.
worklists.register(
    Worklist(
        "sites_with_shortfall",
        _("Site shortfalls (安置区短板)"),
        "sites",
        "site-governance-list",
        query="shortfall=any",
    )
)
