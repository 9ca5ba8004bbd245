"""The API of site governance (issue 19, item 8): scoped like the rest (a record outside the
user's area is not found, 404; a write the role may not make, 403) and written through the
services, whose refusals come back as 400 with their Chinese message by field."""

import datetime as dt

import pytest
from django.urls import reverse

from conftest import make_user
from governance.sitegov import services
from governance.sitegov.models import Cadre, FacilityKind, SiteFacility, TeamMember
from households.models import Region
from households.tests.factories import SiteFactory
from resettle.testing import api_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def sam(shache_site):
    return make_user("sam", "site_operator", shache_site.code)


@pytest.fixture
def clinic(alice, shache_site):
    return services.site_facility_save(
        actor=alice,
        site=shache_site,
        kind=FacilityKind.objects.get(code="clinic"),
        data={"present": True, "since": dt.date(2020, 5, 1), "area_m2": 120},
    )


FACILITIES = reverse("api:sitefacility-list")


def test_the_governance_list_is_the_users_area_with_its_counts(alice, charlie, clinic, shufu_site):
    rows = api_client(alice).get(reverse("api:site-governance-list")).json()["results"]
    assert [(r["code"], r["facilities_present"], r["facilities_required"]) for r in rows] == [
        ("653125001", 1, 10)
    ]
    assert rows[0]["services_required"] == 9 and rows[0]["leader_missing"] is True
    assert rows[0]["county_managed"] is True and rows[0]["shortfall"] is True
    detail = reverse("api:site-governance-detail", args=[clinic.site_id])
    assert api_client(alice).get(detail).json()["facilities_present"] == 1
    assert api_client(charlie).get(detail).status_code == 404
    lacking = api_client(alice).get(
        reverse("api:site-governance-list"), {"missing_facility": "clinic"}
    )
    assert lacking.json()["results"] == []


def test_a_record_outside_the_area_is_not_found(charlie, clinic):
    url = reverse("api:sitefacility-detail", args=[clinic.pk])
    client = api_client(charlie)
    assert client.get(url).status_code == 404
    assert (
        client.patch(url, {"note": "x", "version": clinic.version}, format="json").status_code
        == 404
    )
    assert client.delete(f"{url}?reason=录错").status_code == 404
    assert SiteFacility.objects.filter(pk=clinic.pk).exists()


def test_a_reader_and_a_site_operator_are_refused_what_their_role_may_not(
    alice, bob, sam, shache_site, clinic
):
    body = {"site": shache_site.pk, "kind": "kindergarten", "present": True, "capacity": 300}
    assert api_client(bob).post(FACILITIES, body, format="json").status_code == 403
    url = reverse("api:sitefacility-detail", args=[clinic.pk])
    assert api_client(bob).patch(url, {"version": clinic.version}, format="json").status_code == 403
    assert SiteFacility.objects.count() == 1
    cadre = services.cadre_save(
        actor=alice, data={"name": "李强", "region": Region.objects.get(code="653125")}
    )
    member = {
        "site": shache_site.pk,
        "cadre": cadre.pk,
        "role": "member",
        "start_date": "2024-01-01",
    }
    answer = api_client(sam).post(reverse("api:teammember-list"), member, format="json")
    assert answer.status_code == 403
    assert not TeamMember.objects.exists()
    assert (
        api_client(alice).post(reverse("api:teammember-list"), member, format="json").status_code
        == 201
    )


def test_a_refused_rule_is_400_with_the_services_message(alice, shache_site, clinic):
    client = api_client(alice)
    absent = {"site": shache_site.pk, "kind": "police_room", "present": False, "area_m2": "40"}
    answer = client.post(FACILITIES, absent, format="json")
    assert answer.status_code == 400
    assert answer.json() == {"area_m2": ["“警务室”未登记为具备：请清空此项，或改为具备。"]}
    again = client.post(FACILITIES, {"site": shache_site.pk, "kind": "clinic"}, format="json")
    assert again.status_code == 400
    assert "本安置区已登记「卫生室」" in again.json()["kind"][0]
    url = reverse("api:sitefacility-detail", args=[clinic.pk])
    assert client.patch(url, {"note": "无版本"}, format="json").status_code == 400
    future = (dt.date.today() + dt.timedelta(days=3)).isoformat()
    answer = client.patch(url, {"since": future, "version": clinic.version}, format="json")
    assert answer.status_code == 400 and answer.json() == {"since": ["日期不能晚于今天。"]}
    clinic.refresh_from_db()
    assert clinic.since == dt.date(2020, 5, 1)
    answer = client.patch(url, {"area_m2": "150.5", "version": clinic.version}, format="json")
    assert answer.status_code == 200 and answer.json()["area_m2"] == "150.50"


def test_a_record_is_removed_with_a_reason(alice, clinic):
    url = reverse("api:sitefacility-detail", args=[clinic.pk])
    client = api_client(alice)
    assert client.delete(url).status_code == 400
    assert client.delete(f"{url}?reason=录入错误").status_code == 204
    assert not SiteFacility.objects.exists()


def test_a_cadres_phone_is_masked_unless_revealed(alice, bob):
    cadre = services.cadre_save(
        actor=alice,
        data={
            "name": "张红梅",
            "phone": "13912348479",
            "region": Region.objects.get(code="653125"),
        },
    )
    url = reverse("api:cadre-detail", args=[cadre.pk])
    assert api_client(bob).get(url).json()["phone"] == "139****8479"
    assert api_client(alice).get(url, {"reveal": "1"}).json()["phone"] == "13912348479"
    assert api_client(bob).get(url, {"reveal": "1"}).status_code == 403


CADRES = reverse("api:cadre-list")


@pytest.fixture
def neighbour(shache_site):
    """Another site of 莎车县, outside the site operator's scope."""
    return SiteFactory(county_id="653125", code="653125002", name="莎车县团结安置区")


def test_a_site_operator_records_and_sees_the_cadres_of_their_own_site_only(
    alice, sam, shache_site, neighbour
):
    county = Region.objects.get(code="653125")
    theirs = services.cadre_save(
        actor=alice, data={"name": "吐尔逊", "region": county, "site": neighbour}
    )
    services.cadre_save(actor=alice, data={"name": "李强", "region": county})
    client = api_client(sam)
    added = client.post(
        CADRES,
        {"name": "阿不都", "post": "楼栋长", "region": "653125", "site": shache_site.pk},
        format="json",
    )
    assert added.status_code == 201, added.json()
    ours = Cadre.objects.get(name="阿不都")
    assert ours.site == shache_site and ours.region_id == "653125"
    listed = client.get(CADRES).json()["results"]
    assert [(c["name"], c["site"]) for c in listed] == [("阿不都", shache_site.pk)]
    url = reverse("api:cadre-detail", args=[ours.pk])
    changed = client.patch(url, {"post": "片长", "version": ours.version}, format="json")
    assert changed.status_code == 200 and changed.json()["post"] == "片长"
    # Another site's cadre is not found, to read or to change.
    other = reverse("api:cadre-detail", args=[theirs.pk])
    assert client.get(other).status_code == 404
    assert (
        client.patch(other, {"post": "x", "version": theirs.version}, format="json").status_code
        == 404
    )
    theirs.refresh_from_db()
    assert theirs.post == "" and theirs.version == 1


def test_a_site_operator_may_not_name_a_cadre_for_a_site_outside_their_scope(
    sam, shache_site, neighbour
):
    """Another site's, or the county's as a whole: refused, saying what to fix, nothing saved."""
    client = api_client(sam)
    unseen = {
        "site": [f"您的管辖范围内没有编号为 {neighbour.pk} 的记录：请核对编号，或联系其管理单位。"]
    }
    own_area = {"region": ["请选择您所辖区划：只能登记本辖区的干部。"]}
    answer = client.post(
        CADRES, {"name": "阿不都", "region": "653125", "site": neighbour.pk}, format="json"
    )
    assert (answer.status_code, answer.json()) == (400, unseen)
    answer = client.post(CADRES, {"name": "阿不都", "region": "653125"}, format="json")
    assert (answer.status_code, answer.json()) == (400, own_area)
    assert not Cadre.objects.exists()
    added = client.post(
        CADRES, {"name": "阿不都", "region": "653125", "site": shache_site.pk}, format="json"
    )
    assert added.status_code == 201
    ours = Cadre.objects.get()
    url = reverse("api:cadre-detail", args=[ours.pk])
    moved = client.patch(url, {"site": neighbour.pk, "version": ours.version}, format="json")
    assert (moved.status_code, moved.json()) == (400, unseen)
    widened = client.patch(url, {"site": None, "version": ours.version}, format="json")
    assert (widened.status_code, widened.json()) == (400, own_area)
    ours.refresh_from_db()
    assert (ours.site, ours.version) == (shache_site, 1)
