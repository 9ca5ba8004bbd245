"""The shortfall worklist (安置区短板) names exactly the sites breaking each rule of site governance,
and why, at the thresholds of the documents (100 persons of 建档立卡 households, 10,000 and 3,000
registered persons); the catalogue's figures are its counts, and each opens its sites (issue
19, items 6 and 7)."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from governance.sitegov import services
from governance.sitegov.models import FacilityKind, ServiceKind
from governance.sitegov.selectors import site_shortfall_list
from households.models import Person, Region
from households.tests.factories import HouseholdFactory, SiteFactory
from resettle.indicators import TOTAL, Area, Grouping, catalogue
from resettle.scoping import Scope

pytestmark = pytest.mark.django_db
AS_OF = dt.date(2025, 6, 30)
SINCE = dt.date(2022, 1, 1)
_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def populate(site, persons: int, category: str = "registered_poor") -> None:
    """`persons` registered members (since 2019) of households of `category` at `site`, written
    in bulk: 500 to a household."""
    households = [HouseholdFactory(site=site, category=category) for _ in range(-(-persons // 500))]
    rows = []
    for i in range(persons):
        n = next(_numbers)
        rows.append(
            Person(
                household=households[i // 500],
                site=site,
                household_category=category,
                name=f"居民{n}",
                id_number=f"T{n:017d}",
                gender="male",
                birth_date=dt.date(1980, 1, 1),
                relation="other",
                registered_on=dt.date(2019, 6, 1),
            )
        )
    Person.objects.bulk_create(rows, batch_size=2000)


def site(name: str, code: str) -> object:
    return SiteFactory(county_id="653125", code=code, name=name)


def cadre(alice, name, rank="county_deputy"):
    return services.cadre_save(
        actor=alice, data={"name": name, "rank": rank, "region": Region.objects.get(code="653125")}
    )


def team(alice, at, members: int, *, secretary: bool = True) -> None:
    for i in range(members):
        role = "first_secretary" if secretary and i == 0 else "member"
        services.team_member_save(
            actor=alice,
            site=at,
            data={
                "cadre": cadre(alice, f"{at.code}队员{i}", "staff"),
                "role": role,
                "start_date": SINCE,
            },
        )


def lead(alice, at, position: str, rank: str = "county_deputy", name: str = "") -> None:
    services.site_leader_save(
        actor=alice,
        site=at,
        data={
            "cadre": cadre(alice, name or f"{at.code}领导", rank),
            "position": position,
            "start_date": SINCE,
        },
    )


def equip(alice, at, *, except_facilities=(), except_services=()) -> None:
    """Every facility and service of the lists, but those named, in place since 2022."""
    for kind in FacilityKind.objects.exclude(code__in=except_facilities):
        services.site_facility_save(
            actor=alice, site=at, kind=kind, data={"present": True, "since": SINCE}
        )
    for kind in ServiceKind.objects.exclude(code__in=except_services):
        services.site_service_save(
            actor=alice, site=at, kind=kind, data={"in_place": True, "since": SINCE}
        )


def bodies(alice, at, *kinds, own=True) -> None:
    for kind in kinds:
        services.community_body_save(
            actor=alice,
            site=at,
            data={
                "kind": kind,
                "name": f"{at.name}{kind}" if own else f"乡镇{kind}",
                "is_own": own,
                "established_on": SINCE,
            },
        )


def listed(user, rule=None) -> dict:
    """{site name: [(rule, text)]} of the worklist on AS_OF."""
    return {
        entry.site.name: [(s.rule, s.text) for s in entry.shortfalls]
        for entry in site_shortfall_list(user=user, as_of=AS_OF, rule=rule)
    }


def figures(by="site", region="653125") -> dict:
    codes = [i.code for i in catalogue.all() if i.app == "governance"]
    return catalogue.values(Grouping(region, AS_OF, Scope.system(), by=by), codes)


def opened(code: str, region="653125", site_id=None) -> int:
    indicator = catalogue.get(code)
    records = catalogue.records(code, Area(AS_OF, Scope.system(), region, site_id))
    return catalogue.records_total(indicator, records)


def test_the_work_team_is_needed_from_100_persons_of_registered_poor_households(alice):
    small, needing = site("九十九人点", "653125001"), site("一百人点", "653125002")
    populate(small, 99)
    populate(small, 400, category="concurrent")  # 同步搬迁: not counted for the team
    populate(needing, 100)
    for at in (small, needing):
        equip(alice, at)
        lead(alice, at, "deputy")
    work = listed(alice)
    assert list(work) == ["一百人点"]
    ((rule, text),) = work["一百人点"]
    assert rule == "team_lacking"
    assert (
        text
        == "建档立卡人口 100 人（100 人以上）：无工作队，应由县级选派第一书记和 3 人以上的工作队。"
    )
    every = {e.site.name: e for e in site_shortfall_list(user=alice, as_of=AS_OF, include_all=True)}
    assert every["九十九人点"].county_managed and not every["一百人点"].county_managed
    assert every["九十九人点"].poor_persons == 99 and every["九十九人点"].persons == 499
    values = figures()
    assert values[needing.pk]["sites_team_lacking"] == 1
    assert values[small.pk]["sites_team_lacking"] == 0
    assert values[small.pk]["sites_county_managed"] == 1
    assert values[needing.pk]["sites_needing_team"] == 1

    team(alice, needing, 2)
    (text,) = [t for _r, t in listed(alice)["一百人点"]]
    assert text == "建档立卡人口 100 人：工作队仅 2 人，不足 3 人。"
    team(alice, needing, 1, secretary=False)
    assert listed(alice) == {}
    assert figures(by="total")[TOTAL]["sites_team_lacking"] == 0


def test_a_team_without_first_secretary_lacks_one_and_counts_as_of_its_dates(alice):
    needing = site("一百人点", "653125002")
    populate(needing, 150)
    equip(alice, needing)
    lead(alice, needing, "deputy")
    team(alice, needing, 3, secretary=False)
    (text,) = [t for _r, t in listed(alice)["一百人点"]]
    assert text == "建档立卡人口 150 人：无第一书记。"
    secretary = cadre(alice, "周书记", "section_principal")
    services.team_member_save(
        actor=alice,
        site=needing,
        data={"cadre": secretary, "role": "first_secretary", "start_date": dt.date(2025, 7, 1)},
    )
    assert "一百人点" in listed(alice)  # sent after the date asked for
    later = site_shortfall_list(user=alice, as_of=dt.date(2025, 7, 1))
    assert later == []


def test_the_leaders_post_fits_the_sites_size_at_10000_persons(alice):
    below, large = site("九千九百九十九人点", "653125003"), site("万人点", "653125004")
    populate(below, 9_999, category="concurrent")
    populate(large, 9_000)
    populate(large, 1_000, category="concurrent")
    for at in (below, large):
        equip(alice, at)
        team(alice, at, 3)
        bodies(alice, at, "community", "party_branch")
        lead(alice, at, "deputy")
    work = listed(alice)
    assert list(work) == ["万人点"]
    ((rule, text),) = work["万人点"]
    assert rule == "leader_unfit"
    assert text == (
        "安置区有 10,000 人：10,000 人以上应由县（市、区）党政主要负责同志包保，"
        "现为 653125004领导（副县级领导干部）。"
    )
    values = figures()
    assert (
        values[large.pk]["sites_leader_unfit"] == 1 and values[below.pk]["sites_leader_unfit"] == 0
    )
    assert opened("sites_leader_unfit") == 1
    lead(alice, large, "government_head", rank="county_principal", name="县长")
    assert listed(alice) == {}
    # A post below a deputy county-level leader fits no site.
    lead(alice, below, "other", rank="section_principal", name="乡镇书记")
    assert listed(alice) == {}  # the deputy still answers for it
    other = site("无包保点", "653125005")
    populate(other, 10, category="concurrent")
    equip(alice, other)
    lead(alice, other, "other", rank="section_principal", name="科级干部")
    assert [r for r, _t in listed(alice)["无包保点"]] == ["leader_unfit"]
    assert figures(by="total")[TOTAL]["sites_leader_missing"] == 0


def test_a_site_of_3000_persons_needs_its_own_community_and_party_branch(alice):
    small, large = site("两千九百九十九人点", "653125006"), site("三千人点", "653125007")
    populate(small, 2_999, category="concurrent")
    populate(large, 3_000, category="concurrent")
    for at in (small, large):
        equip(alice, at)
        lead(alice, at, "deputy")
    work = listed(alice)
    assert list(work) == ["三千人点"]
    assert work["三千人点"] == [
        (
            "community_missing",
            "安置区有 3,000 人，未设自己的社区（居委会、村委会）和自己的党支部（3,000 人以上应设）。",
        )
    ]
    bodies(alice, large, "village_committee")
    bodies(alice, large, "party_branch", own=False)  # the township's: not its own
    assert listed(alice)["三千人点"] == [
        ("community_missing", "安置区有 3,000 人，未设自己的党支部（3,000 人以上应设）。")
    ]
    assert figures(by="total")[TOTAL]["sites_large_without_community"] == 1
    bodies(alice, large, "party_branch")
    assert listed(alice) == {}


def test_facilities_and_services_missing_are_named_as_of_their_dates(alice):
    at = site("设施点", "653125008")
    populate(at, 20, category="concurrent")
    lead(alice, at, "deputy")
    equip(alice, at, except_facilities=("clinic", "kindergarten"), except_services=("mediation",))
    kindergarten = FacilityKind.objects.get(code="kindergarten")
    services.site_facility_save(actor=alice, site=at, kind=kindergarten, data={"present": None})
    opened_later = FacilityKind.objects.get(code="police_room")
    services.site_facility_save(
        actor=alice,
        site=at,
        kind=opened_later,
        data={"present": True, "since": dt.date(2025, 7, 1)},
        version=1,
    )
    assert listed(alice)["设施点"] == [
        ("facilities_incomplete", "十有缺：卫生室、警务室；情况不明：幼儿园。"),
        ("services_incomplete", "十到位缺：民调机构。"),
    ]
    values = figures()[at.pk]
    assert values["facility_items_required"] == 10 and values["facility_items_present"] == 7
    assert values["facility_rate"] == 0.7 and values["service_rate"] == round(8 / 9, 4)
    assert values["sites_facilities_complete"] == 0 and values["sites_services_complete"] == 0
    assert opened("facility_items_present", site_id=at.pk) == 7
    assert opened("service_items_required") == 9
    # A province's own service is on its sites' lists.
    services.reference_item_save(
        actor=None,
        model=ServiceKind,
        data={"code": "bilingual", "name": "双语服务", "region": Region.objects.get(code="65")},
    )
    assert figures()[at.pk]["service_items_required"] == 10
    assert "双语服务" in listed(alice)["设施点"][1][1]


def test_the_figures_are_the_worklists_counts_and_open_its_sites(alice, bob, charlie):
    sites = [site(f"点{i}", f"65312501{i}") for i in range(6)]
    for i, at in enumerate(sites):
        populate(at, 60 * i)
        if i % 2:
            equip(alice, at)
        if i % 3:
            lead(alice, at, "deputy")
        if i == 5:
            team(alice, at, 3)
    elsewhere = SiteFactory(county_id="653121", code="653121001", name="疏附点")
    populate(elsewhere, 120)
    by_rule = {}
    for code, rule in (
        ("sites_team_lacking", "team_lacking"),
        ("sites_leader_missing", "leader_missing"),
        ("sites_with_shortfall", None),
    ):
        by_rule[code] = set(listed(alice, rule))
    values = figures(by="total")[TOTAL]
    assert values["sites_team_lacking"] == len(by_rule["sites_team_lacking"]) == 3
    assert values["sites_leader_missing"] == len(by_rule["sites_leader_missing"]) == 2
    assert values["sites_with_shortfall"] == len(by_rule["sites_with_shortfall"]) == 4
    assert values["sites_facilities_complete"] == 3
    for code, names in by_rule.items():
        records = catalogue.records(code, Area(AS_OF, Scope.system(), "653125"))
        assert {s.name for s in records} == names
    # The county's row of its prefecture is its sites' sum; a reviewer of the prefecture sees
    # both counties' sites, charlie only his.
    county = figures(by="county", region="6531")
    assert county["653125"]["sites_with_shortfall"] == 4
    assert county["653121"]["sites_team_lacking"] == 1
    assert {e.site.name for e in site_shortfall_list(user=bob, as_of=AS_OF)} == {
        *by_rule["sites_with_shortfall"],
        "疏附点",
    }
    assert {e.site.name for e in site_shortfall_list(user=charlie, as_of=AS_OF)} == {"疏附点"}


def test_the_worklist_costs_the_same_queries_for_2_sites_as_for_20(alice):
    def make(count: int, start: int):
        for i in range(start, start + count):
            at = site(f"批量点{i}", f"6531250{i:02d}")
            populate(at, 110)
            bodies(alice, at, "community")
            if i % 2:
                lead(alice, at, "deputy")
            services.site_facility_save(
                actor=alice,
                site=at,
                kind=FacilityKind.objects.get(code="clinic"),
                data={"present": None},
            )

    make(2, 50)
    with CaptureQueriesContext(connection) as two:
        assert len(site_shortfall_list(user=alice, as_of=AS_OF)) == 2
    make(18, 60)
    with CaptureQueriesContext(connection) as twenty:
        assert len(site_shortfall_list(user=alice, as_of=AS_OF)) == 20
    assert len(twenty) == len(two) <= 12


def test_greenhouse_coverage_and_shop_income_to_the_community(alice, shache_site):
    households = [HouseholdFactory(site=shache_site) for _ in range(3)]
    for household in households:
        Person.objects.create(
            household=household,
            site=shache_site,
            name="种植户",
            id_number=f"G{household.pk:017d}",
            gender="female",
            birth_date=dt.date(1985, 1, 1),
            relation="head",
            registered_on=dt.date(2019, 6, 1),
        )
        services.farming_wish_save(actor=alice, household=household, data={"since": SINCE})
    for household, ended in ((households[0], None), (households[1], dt.date(2025, 1, 1))):
        services.greenhouse_save(
            actor=alice,
            household=household,
            data={
                "area_mu": Decimal("1"),
                "crop": "设施蔬菜",
                "allotted_on": dt.date(2023, 3, 1),
                "ended_on": ended,
            },
        )
    asset = services.shop_asset_save(
        actor=alice, site=shache_site, data={"kind": "shop", "name": "商铺一排"}
    )
    for year, parts in ((2024, ("500", "300")), (2025, ("1200", "800"))):
        services.shop_income_save(
            actor=alice,
            asset=asset,
            data={
                "year": year,
                "income": Decimal("5000"),
                "to_community_running": Decimal(parts[0]),
                "to_collective_economy": Decimal(parts[1]),
            },
        )
    values = figures(by="total")[TOTAL]
    assert values["greenhouse_willing_households"] == 3 and values["greenhouse_households"] == 1
    assert values["greenhouse_coverage"] == round(1 / 3, 4)
    assert values["shop_income_to_community"] == 2000.0
    earlier = catalogue.values(
        Grouping("653125", dt.date(2024, 6, 30), Scope.system()), ["greenhouse_coverage"]
    )[TOTAL]
    assert earlier["greenhouse_coverage"] == round(2 / 3, 4)
    assert opened("greenhouse_households") == 1 and opened("greenhouse_willing_households") == 3
