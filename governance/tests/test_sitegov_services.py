"""Site governance's rules (issue 19, "Bad input"): each refused with a message saying what to fix,
and nothing changed; a site outside the user's area answered as missing."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import translation

from conftest import make_user
from governance.sitegov import services
from governance.sitegov.models import (
    Cadre,
    FacilityKind,
    FarmingWish,
    Greenhouse,
    GridRole,
    ServiceKind,
    ShopAsset,
    ShopIncome,
    SiteFacility,
    SiteLeader,
    TeamMember,
)
from households.models import Region
from households.tests.factories import HouseholdFactory, PersonFactory
from industry import services as industry

pytestmark = pytest.mark.django_db
TODAY = dt.date.today()
TOMORROW = TODAY + dt.timedelta(days=1)


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def refused(call, field=None) -> str:
    """The message of the ValidationError `call` raises (of `field` when given)."""
    with pytest.raises(ValidationError) as caught:
        call()
    error = caught.value
    if field is not None:
        return " ".join(error.message_dict[field])
    return " ".join(error.messages)


def cadre(alice, name="王建国", rank="county_deputy", region="653125", **more) -> Cadre:
    return services.cadre_save(
        actor=alice,
        data={"name": name, "rank": rank, "region": Region.objects.get(code=region), **more},
    )


def test_a_facility_dated_in_the_future_is_refused_and_nothing_is_saved(alice, shache_site):
    clinic = FacilityKind.objects.get(code="clinic")
    message = refused(
        lambda: services.site_facility_save(
            actor=alice, site=shache_site, kind=clinic, data={"present": True, "since": TOMORROW}
        ),
        "since",
    )
    assert message == "日期不能晚于今天。"
    assert not SiteFacility.objects.exists()


def test_a_facility_is_sized_as_its_kind_is_and_only_when_present(alice, shache_site):
    kindergarten = FacilityKind.objects.get(code="kindergarten")
    message = refused(
        lambda: services.site_facility_save(
            actor=alice,
            site=shache_site,
            kind=kindergarten,
            data={"present": True, "area_m2": Decimal("300")},
        ),
        "area_m2",
    )
    assert "幼儿园" in message and "容量" in message
    clinic = FacilityKind.objects.get(code="clinic")
    message = refused(
        lambda: services.site_facility_save(
            actor=alice,
            site=shache_site,
            kind=clinic,
            data={"present": False, "area_m2": Decimal("80")},
        ),
        "area_m2",
    )
    assert "卫生室" in message
    saved = services.site_facility_save(
        actor=alice,
        site=shache_site,
        kind=kindergarten,
        data={"present": True, "since": dt.date(2021, 9, 1), "capacity": 180},
    )
    assert saved.capacity == 180 and saved.version == 1
    again = services.site_facility_save(
        actor=alice, site=shache_site, kind=kindergarten, data={"capacity": 200}, version=1
    )
    assert again.pk == saved.pk and again.capacity == 200 and SiteFacility.objects.count() == 1


def test_a_site_outside_the_users_area_is_missing_and_a_site_operator_sends_no_team(
    alice, charlie, shache_site
):
    clinic = FacilityKind.objects.get(code="clinic")
    with pytest.raises(Http404):
        services.site_facility_save(
            actor=charlie, site=shache_site, kind=clinic, data={"present": True}
        )
    member = cadre(alice, name="李四", rank="staff")
    sally = make_user("sally", "site_operator", shache_site.code)
    with pytest.raises(PermissionDenied):
        services.team_member_save(
            actor=sally,
            site=shache_site,
            data={"cadre": member, "role": "member", "start_date": dt.date(2022, 3, 1)},
        )
    assert not TeamMember.objects.exists() and not SiteFacility.objects.exists()
    # A site operator records the site's facilities.
    services.site_facility_save(actor=sally, site=shache_site, kind=clinic, data={"present": True})
    assert SiteFacility.objects.count() == 1


def test_a_team_member_ends_after_starting_and_is_not_entered_twice(alice, shache_site):
    zhang = cadre(alice, name="张伟", rank="section_principal")
    message = refused(
        lambda: services.team_member_save(
            actor=alice,
            site=shache_site,
            data={
                "cadre": zhang,
                "role": "member",
                "start_date": dt.date(2023, 5, 1),
                "end_date": dt.date(2023, 4, 1),
            },
        ),
        "end_date",
    )
    assert "早于" in message or "之前" in message
    services.team_member_save(
        actor=alice,
        site=shache_site,
        data={"cadre": zhang, "role": "member", "start_date": dt.date(2022, 3, 1)},
    )
    message = refused(
        lambda: services.team_member_save(
            actor=alice,
            site=shache_site,
            data={"cadre": zhang, "role": "member", "start_date": dt.date(2024, 1, 1)},
        ),
        "cadre",
    )
    assert "张伟" in message and "2022-03-01" in message
    # Before the first spell and ended before it began: no overlap.
    services.team_member_save(
        actor=alice,
        site=shache_site,
        data={
            "cadre": zhang,
            "role": "member",
            "start_date": dt.date(2020, 3, 1),
            "end_date": dt.date(2021, 3, 1),
        },
    )
    assert TeamMember.objects.count() == 2


def test_a_site_has_one_first_secretary_at_a_time(alice, shache_site):
    one, two = cadre(alice, name="赵一"), cadre(alice, name="钱二")
    services.team_member_save(
        actor=alice,
        site=shache_site,
        data={"cadre": one, "role": "first_secretary", "start_date": dt.date(2022, 1, 1)},
    )
    message = refused(
        lambda: services.team_member_save(
            actor=alice,
            site=shache_site,
            data={"cadre": two, "role": "first_secretary", "start_date": dt.date(2024, 1, 1)},
        ),
        "role",
    )
    assert "赵一" in message and "第一书记" in message
    assert TeamMember.objects.count() == 1


def test_a_rank_or_post_not_on_the_list_is_refused(alice, shache_site):
    message = refused(lambda: cadre(alice, rank="处长"), "rank")
    assert "处长" in message and "副县级" in message
    assert not Cadre.objects.exists()
    leader = cadre(alice, name="孙副县长", rank="county_deputy")
    message = refused(
        lambda: services.site_leader_save(
            actor=alice,
            site=shache_site,
            data={"cadre": leader, "position": "mayor", "start_date": dt.date(2022, 1, 1)},
        ),
        "position",
    )
    assert "mayor" in message
    message = refused(
        lambda: services.site_leader_save(
            actor=alice,
            site=shache_site,
            data={
                "cadre": leader,
                "position": "party_secretary",
                "start_date": dt.date(2022, 1, 1),
            },
        ),
        "position",
    )
    assert "孙副县长" in message and "正县级" in message
    assert not SiteLeader.objects.exists()


def test_shop_income_below_zero_or_split_beyond_it_is_refused(alice, shache_site):
    asset = services.shop_asset_save(
        actor=alice,
        site=shache_site,
        data={
            "kind": "storefront",
            "name": "一号楼门面",
            "area_m2": Decimal("420"),
            "units": 12,
            "owner": "县国有资产投资公司",
            "operator": "幸福社区股份经济合作社",
            "manager": "幸福社区居委会",
        },
    )
    message = refused(
        lambda: services.shop_income_save(
            actor=alice, asset=asset, data={"year": 2024, "income": Decimal("-5")}
        ),
        "income",
    )
    assert "负" in message
    message = refused(
        lambda: services.shop_income_save(
            actor=alice,
            asset=asset,
            data={
                "year": 2024,
                "income": Decimal("100000"),
                "to_community_running": Decimal("60000"),
                "to_collective_economy": Decimal("50000"),
            },
        ),
        "to_collective_economy",
    )
    assert "110,000.00" in message and "100,000.00" in message
    assert not ShopIncome.objects.exists()
    income = services.shop_income_save(
        actor=alice,
        asset=asset,
        data={
            "year": 2024,
            "income": Decimal("100000"),
            "to_community_running": Decimal("60000"),
            "to_collective_economy": Decimal("40000"),
        },
    )
    assert income.pk
    message = refused(
        lambda: services.shop_income_save(
            actor=alice, asset=asset, data={"year": 2024, "income": Decimal("1")}
        ),
        "year",
    )
    assert "一号楼门面" in message and ShopIncome.objects.count() == 1


def test_a_greenhouse_goes_to_a_willing_household_and_a_project_of_its_county(
    alice, shache_household, shufu_site
):
    message = refused(
        lambda: services.greenhouse_save(
            actor=alice,
            household=shache_household,
            data={"area_mu": Decimal("1"), "crop": "香菇"},
        )
    )
    assert shache_household.household_no in message and "意愿" in message
    services.farming_wish_save(
        actor=alice, household=shache_household, data={"since": dt.date(2022, 2, 1)}
    )

    def of_project(code, name, county, sector, kind):
        project = industry.project_save(
            actor=None,
            data={
                "code": code,
                "name": name,
                "county_id": county,
                "sector": sector,
                "kind": kind,
                "operator_type": "collective",
                "status": "operating",
            },
            status_since=dt.date(2021, 1, 1),
        )
        return refused(
            lambda: services.greenhouse_save(
                actor=alice,
                household=shache_household,
                data={"area_mu": Decimal("1"), "crop": "香菇", "project": project},
            ),
            "project",
        )

    assert of_project("P-SF", "疏附县大棚", "653121", "primary", "facility")
    message = of_project("P-CJ", "莎车县扶贫车间", "653125", "secondary", "workshop")
    assert (
        message
        == "该项目属于「车间工坊」类：大棚只能归属种植类项目（特色种植、设施农业），请另选项目。"
    )
    message = refused(
        lambda: services.greenhouse_save(
            actor=alice,
            household=shache_household,
            data={"area_mu": Decimal("0"), "crop": "香菇"},
        ),
        "area_mu",
    )
    assert "亩" in message
    assert not Greenhouse.objects.exists()
    services.greenhouse_save(
        actor=alice,
        household=shache_household,
        data={"area_mu": Decimal("1.0"), "crop": "香菇", "allotted_on": dt.date(2022, 4, 1)},
    )
    message = refused(
        lambda: services.farming_wish_save(
            actor=alice, household=shache_household, data={"since": dt.date(2023, 1, 1)}
        ),
        "since",
    )
    assert shache_household.household_no in message and FarmingWish.objects.count() == 1


def test_a_grid_role_has_one_holder_and_says_where(alice, shache_household):
    site = shache_household.site
    resident = PersonFactory(household=HouseholdFactory(site=site))
    message = refused(
        lambda: services.grid_role_save(
            actor=alice, site=site, data={"role": "building_head", "person": resident}
        ),
        "area",
    )
    assert "楼栋" in message
    message = refused(
        lambda: services.grid_role_save(actor=alice, site=site, data={"role": "area_head"}),
        "person",
    )
    assert message
    services.grid_role_save(
        actor=alice,
        site=site,
        data={
            "role": "building_head",
            "person": resident,
            "area": "3号楼",
            "phone": "13912345678",
        },
    )
    assert GridRole.objects.get().holder_name == resident.name


def test_a_provinces_own_item_applies_to_its_sites_only(admin_user, alice, shache_site, shufu_site):
    own = services.reference_item_save(
        actor=admin_user,
        model=ServiceKind,
        data={
            "code": "kashgar_bilingual",
            "name": "双语服务",
            "region": Region.objects.get(code="6531"),
        },
    )
    assert own.applies_to(shache_site) and own.applies_to(shufu_site)
    with pytest.raises(PermissionDenied):
        services.reference_item_save(
            actor=admin_user, model=ServiceKind, data={"code": "x", "name": "全国项目"}
        )
    with pytest.raises(PermissionDenied):
        services.reference_item_save(
            actor=alice,
            model=FacilityKind,
            data={"code": "y", "name": "县项目", "measure": "area", "region_id": "653125"},
        )
    assert ServiceKind.objects.count() == 10 and FacilityKind.objects.count() == 10


def test_removing_needs_a_reason_and_keeps_an_asset_with_income(alice, shache_site):
    asset = ShopAsset.objects.create(site=shache_site, kind="shop", name="商铺A")
    ShopIncome.objects.create(asset=asset, year=2023, income=Decimal("10"))
    assert "理由" in refused(lambda: services.record_remove(actor=alice, record=asset, reason=""))
    assert refused(lambda: services.record_remove(actor=alice, record=asset, reason="录错"))
    assert ShopAsset.objects.count() == 1
