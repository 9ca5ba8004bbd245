"""Who may see and change what, on every registry endpoint (alice / bob / charlie)."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from conftest import client_for, make_user
from households.models import Household
from households.tests.factories import HouseholdFactory, PersonFactory, SiteFactory
from resettle.idcard import check_char
from resettle.models import AccessLog

pytestmark = pytest.mark.django_db


def detail_urls(household):
    person = household.members.first()
    return [
        f"/api/v1/sites/{household.site_id}/",
        f"/api/v1/households/{household.pk}/",
        f"/api/v1/households/{household.pk}/history/",
        f"/api/v1/persons/{person.pk}/",
    ]


def test_anonymous_gets_401_everywhere(shache_household):
    client = client_for(None)
    for url in [*detail_urls(shache_household), "/api/v1/households/", "/api/v1/indicators/"]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response["WWW-Authenticate"] == "Token"


def test_alice_reads_her_county(alice, shache_household):
    client = client_for(alice)
    for url in detail_urls(shache_household):
        assert client.get(url).status_code == 200, url
    assert client.get("/api/v1/regions/653125/").status_code == 200


def test_bob_reads_every_county_of_his_prefecture(bob, shache_household, shufu_household):
    client = client_for(bob)
    for url in detail_urls(shache_household) + detail_urls(shufu_household):
        assert client.get(url).status_code == 200, url


def test_charlie_gets_404_outside_his_county(charlie, shache_household):
    client = client_for(charlie)
    for url in detail_urls(shache_household):
        assert client.get(url).status_code == 404, url
    assert client.get("/api/v1/regions/653125/").status_code == 404
    codes = {r["code"] for r in client.get("/api/v1/regions/?page_size=500").json()["results"]}
    assert {"65", "6531", "653121"} <= codes and "653125" not in codes
    assert client.get(f"/api/v1/households/{shache_household.pk}/").json()["detail"] == (
        "未找到该记录，或它不在您的管辖范围内。"
    )
    assert (
        client.patch(
            f"/api/v1/households/{shache_household.pk}/",
            {"dwelling": "x", "version": 1},
            format="json",
        ).status_code
        == 404
    )


def test_bob_may_not_write(bob, shache_household):
    client = client_for(bob)
    person = shache_household.members.first()
    response = client.patch(
        f"/api/v1/households/{shache_household.pk}/",
        {"dwelling": "1栋", "version": 1},
        format="json",
    )
    assert response.status_code == 403
    assert "不能修改" in response.json()["detail"]
    assert (
        client.patch(
            f"/api/v1/persons/{person.pk}/", {"name": "x", "version": 1}, format="json"
        ).status_code
        == 403
    )
    created = client.post(
        "/api/v1/households/",
        {"household_no": "NEW-1", "site": shache_household.site_id},
        format="json",
    )
    assert created.status_code == 403
    assert not Household.objects.filter(household_no="NEW-1").exists()
    site = client.patch(
        f"/api/v1/sites/{shache_household.site_id}/", {"name": "改名"}, format="json"
    )
    assert site.status_code == 403
    shache_household.refresh_from_db()
    assert shache_household.dwelling == "" and shache_household.version == 1


def test_alice_writes_and_the_history_says_who(alice, shache_household):
    client = client_for(alice)
    response = client.patch(
        f"/api/v1/households/{shache_household.pk}/",
        {"dwelling": "3栋2单元501", "version": 1},
        format="json",
    )
    assert response.status_code == 200, response.json()
    assert response.json()["version"] == 2
    history = client.get(f"/api/v1/households/{shache_household.pk}/history/").json()["results"]
    change = history[0]
    assert change["user"] == "alice" and change["type"] == "changed"
    assert change["changes"] == [
        {"field": "dwelling", "label": "楼栋单元门牌", "old": "", "new": "3栋2单元501"}
    ]


def test_counties_are_disjoint_and_the_prefecture_sees_their_union(
    alice, bob, charlie, shache_household, shufu_household
):
    def household_nos(user):
        return {
            h["household_no"] for h in client_for(user).get("/api/v1/households/").json()["results"]
        }

    def person_ids(user):
        return {p["id"] for p in client_for(user).get("/api/v1/persons/").json()["results"]}

    assert household_nos(alice) == {"653125001-0001"}
    assert household_nos(charlie) == {"653121001-0001"}
    assert household_nos(bob) == household_nos(alice) | household_nos(charlie)
    assert person_ids(alice).isdisjoint(person_ids(charlie))
    assert person_ids(bob) == person_ids(alice) | person_ids(charlie)


def test_site_operator_sees_only_their_site(regions, shache_site):
    other = SiteFactory(county_id="653125", code="653125002")
    PersonFactory(household=HouseholdFactory(site=shache_site, household_no="A-1"))
    PersonFactory(household=HouseholdFactory(site=other, household_no="B-1"))
    operator = make_user("siteop", "site_operator", "653125001")
    results = client_for(operator).get("/api/v1/households/").json()["results"]
    assert [h["household_no"] for h in results] == ["A-1"]
    sites = client_for(operator).get("/api/v1/sites/").json()["results"]
    assert [s["code"] for s in sites] == ["653125001"]


def test_user_without_membership_sees_nothing(regions, shache_household):
    nobody = User.objects.create_user("nobody", password="Pw#12345678")
    client = client_for(nobody)
    assert client.get("/api/v1/households/").json()["count"] == 0
    assert client.get(f"/api/v1/households/{shache_household.pk}/").status_code == 404


def test_sensitive_fields_are_masked_unless_revealed_and_reveal_is_logged(
    alice, bob, shache_household
):
    person = shache_household.members.first()
    masked = client_for(alice).get(f"/api/v1/persons/{person.pk}/").json()
    # The region only, and the birth year only: together they leave ~180,000 numbers.
    assert masked["id_number"] == person.id_number[:6] + "*" * 12
    assert masked["birth_date"] == f"{person.birth_date.year}-**-**"
    household = client_for(alice).get(f"/api/v1/households/{shache_household.pk}/").json()
    assert household["phone"] == "138****1234"
    assert "*" in household["members"][0]["id_number"]
    assert not AccessLog.objects.filter(action="reveal").exists()

    revealed = client_for(alice).get(f"/api/v1/persons/{person.pk}/?reveal=1").json()
    assert revealed["id_number"] == person.id_number
    assert revealed["birth_date"] == person.birth_date.isoformat()
    log = AccessLog.objects.get(action="reveal")
    assert (log.user.username, log.action, log.model, log.object_id) == (
        "alice",
        "reveal",
        "households.person",
        str(person.pk),
    )

    refused = client_for(bob).get(f"/api/v1/persons/{person.pk}/?reveal=1")
    assert refused.status_code == 403
    # The refusal is in the audit trail too, as bob's.
    assert AccessLog.objects.filter(action="reveal").count() == 2
    refusal = AccessLog.objects.latest("pk")
    assert (refusal.username, refusal.action, refusal.outcome) == ("bob", "reveal", "refused")


def test_list_never_reveals(alice, shache_household):
    results = client_for(alice).get("/api/v1/persons/?reveal=1").json()["results"]
    assert all("*" in p["id_number"] for p in results)


def test_admin_creates_a_site_with_defaults(admin_user):
    response = client_for(admin_user).post(
        "/api/v1/sites/",
        {"code": "653125009", "name": "新村安置点", "county_code": "653125"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["county_code"] == "653125" and body["placement"] == "concentrated"
    assert body["region_code"] == "653125"


def test_operators_may_not_create_sites_and_nobody_outside_the_county(alice, admin_user):
    response = client_for(alice).post(
        "/api/v1/sites/", {"code": "X1", "name": "x", "county_code": "653125"}, format="json"
    )
    assert response.status_code == 403
    guizhou_admin = make_user("gzadmin", "admin", "52")
    outside = client_for(guizhou_admin).post(
        "/api/v1/sites/", {"code": "X2", "name": "x", "county_code": "653125"}, format="json"
    )
    assert outside.status_code == 400
    assert "653125" in str(outside.json()["county_code"])


def test_token_auth(alice, shache_household):
    client = client_for(None)
    response = client.post(
        "/api/v1/auth/token/", {"username": "alice", "password": "Pw#12345678"}, format="json"
    )
    token = response.json()["token"]
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/v1/households/").json()["count"] == 1
    wrong = client_for(None).post(
        "/api/v1/auth/token/", {"username": "alice", "password": "nope"}, format="json"
    )
    assert wrong.status_code == 400


def test_list_query_count_does_not_grow_with_rows(alice, shache_site, django_assert_num_queries):
    def fill(households):
        for _ in range(households):
            household = HouseholdFactory(site=shache_site)
            PersonFactory.create_batch(3, household=household)

    client = client_for(alice)
    fill(2)
    client.get("/api/v1/households/")  # the user's memberships are read once, then kept
    with CaptureQueriesContext(connection) as few:
        assert len(client.get("/api/v1/households/").json()["results"]) == 2
        assert len(client.get("/api/v1/persons/?page_size=90").json()["results"]) == 6
    fill(28)
    with django_assert_num_queries(len(few)):
        assert len(client.get("/api/v1/households/").json()["results"]) == 30
        assert len(client.get("/api/v1/persons/?page_size=90").json()["results"]) == 90
    assert len(few) <= 11


def test_history_masks_unless_revealed_and_logs_the_reveal(alice, bob, shache_household):
    person = shache_household.members.first()
    old_number = person.id_number
    # Same birth date and gender (odd 17th digit), another sequence number.
    first17 = old_number[:14] + ("013" if old_number[14:17] != "013" else "015")
    new_number = first17 + check_char(first17)
    client = client_for(alice)
    changed = client.patch(
        f"/api/v1/persons/{person.pk}/", {"id_number": new_number, "version": 1}, format="json"
    )
    assert changed.status_code == 200, changed.json()
    url = f"/api/v1/households/{shache_household.pk}/history/"
    change = client.get(url).json()["results"][0]["changes"][0]
    assert change["label"] == "身份证号" and "*" in change["old"] and "*" in change["new"]
    assert not AccessLog.objects.filter(action="reveal").exists()
    change = client.get(url + "?reveal=1").json()["results"][0]["changes"][0]
    assert (change["old"], change["new"]) == (old_number, new_number)
    assert (
        AccessLog.objects.filter(user=alice, action="reveal", model="households.household").count()
        == 1
    )
    assert client_for(bob).get(url + "?reveal=1").status_code == 403
