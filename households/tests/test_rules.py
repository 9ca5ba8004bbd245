"""The registry's rules as a cadre meets them: several memberships, moves, dates, counts."""

import datetime as dt

import pytest
from django.test import Client

from conftest import client_for, make_user
from households.models import Household, Person
from households.services import membership_grant
from households.tests.factories import (
    HouseholdFactory,
    PersonFactory,
    SiteFactory,
    make_id_number,
)

pytestmark = pytest.mark.django_db


def patch(user, url, data):
    return client_for(user).patch(url, data, format="json")


def persons_on(user, region, day):
    url = f"/api/v1/indicator-values/?region={region}&as_of={day}&codes=persons"
    return client_for(user).get(url).json()["values"]["persons"]


@pytest.fixture
def reviewer_and_operator(regions):
    """Reviews the prefecture, keeps the ledger of 莎车县 only."""
    user = make_user("wang", "prefecture_reviewer", "6531")

    membership_grant(user=user, role="county_operator", scope_code="653125")
    return user


def test_several_memberships_write_only_where_a_writing_role_holds(
    reviewer_and_operator, shache_household, shufu_household
):
    user = reviewer_and_operator
    assert client_for(user).get("/api/v1/households/").json()["count"] == 2
    assert (
        patch(
            user, f"/api/v1/households/{shache_household.pk}/", {"dwelling": "1栋", "version": 1}
        ).status_code
        == 200
    )
    assert (
        patch(
            user, f"/api/v1/households/{shufu_household.pk}/", {"dwelling": "1栋", "version": 1}
        ).status_code
        == 403
    )


def test_moving_a_household_where_one_may_not_write_rolls_back(
    reviewer_and_operator, shache_household, shufu_site
):
    url = f"/api/v1/households/{shache_household.pk}/"
    response = patch(reviewer_and_operator, url, {"site": shufu_site.pk, "version": 1})
    assert response.status_code == 403
    shache_household.refresh_from_db()
    assert (shache_household.site.code, shache_household.version) == ("653125001", 1)
    assert shache_household.history.count() == 1


def test_site_operator_writes_in_their_site_only(regions, shache_site):
    other = SiteFactory(county_id="653125", code="653125002")
    operator = make_user("siteop", "site_operator", "653125001")
    client = client_for(operator)
    ok = client.post(
        "/api/v1/households/", {"household_no": "N-1", "site": shache_site.pk}, format="json"
    )
    assert ok.status_code == 201, ok.json()
    elsewhere = client.post(
        "/api/v1/households/", {"household_no": "N-2", "site": other.pk}, format="json"
    )
    assert elsewhere.status_code == 400 and "管辖范围" in elsewhere.json()["site"][0]
    assert list(Household.objects.values_list("household_no", flat=True)) == ["N-1"]


def test_no_member_in_a_household_out_of_scope(charlie, shache_household):
    response = client_for(charlie).post(
        "/api/v1/persons/",
        {"household": shache_household.pk, "name": "x", "id_number": "11010519491231002X"},
        format="json",
    )
    assert response.status_code == 400 and "管辖范围" in response.json()["household"][0]
    assert Person.objects.count() == 2


def test_a_new_member_is_registered_from_the_move_in_date(alice, shache_household):
    response = client_for(alice).post(
        "/api/v1/persons/",
        {
            "household": shache_household.pk,
            "name": "x",
            "id_number": "11010519491231002X",
            "relation": "parent",
        },
        format="json",
    )
    assert response.json()["registered_on"] == "2019-06-01"
    born = client_for(alice).post(
        "/api/v1/persons/",
        {
            "household": shache_household.pk,
            "name": "y",
            "id_number": make_id_number("653125", dt.date(2023, 1, 1), 9, "male"),
            "relation": "grandchild",
            "registered_on": "2023-01-05",
        },
        format="json",
    )
    assert born.status_code == 201, born.json()
    assert persons_on(alice, "653125", "2023-01-04") == 3
    assert persons_on(alice, "653125", "2023-01-05") == 4


def test_status_dates_keep_past_counts(alice, shache_household):
    person = shache_household.members.first()
    url = f"/api/v1/persons/{person.pk}/"
    assert persons_on(alice, "653125", "2024-06-01") == 2
    assert (
        patch(
            alice, url, {"status": "moved_out", "status_changed_on": "2024-03-01", "version": 1}
        ).status_code
        == 200
    )
    assert persons_on(alice, "653125", "2024-02-29") == 2
    assert persons_on(alice, "653125", "2024-06-01") == 1
    # Dying later does not move the day the person left the register.
    assert patch(alice, url, {"status": "deceased", "version": 2}).status_code == 200
    person.refresh_from_db()
    assert person.status_changed_on == dt.date(2024, 3, 1)
    # A wrong date can be corrected on its own.
    assert patch(alice, url, {"status_changed_on": "2024-04-01", "version": 3}).status_code == 200
    assert persons_on(alice, "653125", "2024-03-15") == 2
    # A return keeps the original registration date.
    assert patch(alice, url, {"status": "active", "version": 4}).status_code == 200
    person.refresh_from_db()
    assert (person.registered_on, person.status_changed_on) == (dt.date(2019, 6, 1), None)
    assert persons_on(alice, "653125", "2020-01-01") == 2


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        (
            {"status": "moved_out", "status_changed_on": "2090-01-01"},
            "status_changed_on",
            "晚于今天",
        ),
        (
            {"status": "moved_out", "status_changed_on": "2018-01-01"},
            "status_changed_on",
            "2019-06-01",
        ),
        ({"status_changed_on": "2024-01-01"}, "status_changed_on", "迁出或死亡"),
    ],
)
def test_bad_status_dates(alice, shache_household, data, field, text):
    person = shache_household.members.first()
    response = patch(alice, f"/api/v1/persons/{person.pk}/", {**data, "version": 1})
    assert response.status_code == 400 and text in response.json()[field][0]
    person.refresh_from_db()
    assert (person.status, person.version) == ("active", 1)


@pytest.mark.parametrize(
    ("data", "field", "text"),
    [
        (
            {"property_certificate_status": "in_progress", "property_certificate_on": "2021-01-01"},
            "property_certificate_on",
            "标为未完成（办理中）",
        ),
        (
            {"hukou_transferred": False, "hukou_transferred_on": "2021-01-01"},
            "hukou_transferred_on",
            "标为未完成（否）",
        ),
        (
            {"old_house_demolished": True, "old_house_demolished_on": "2090-01-01"},
            "old_house_demolished_on",
            "晚于今天",
        ),
        ({"relocation_year": 1899}, "relocation_year", "2001"),
        ({"origin_region_code": "65312x"}, "origin_region_code", "6、9 或 12 位"),
    ],
)
def test_bad_household_facts(alice, shache_household, data, field, text):
    response = patch(alice, f"/api/v1/households/{shache_household.pk}/", {**data, "version": 1})
    assert response.status_code == 400
    assert text in response.json()[field][0]
    shache_household.refresh_from_db()
    assert shache_household.version == 1


def test_rates_count_from_the_date_of_each_step(alice, shache_household):
    url = f"/api/v1/households/{shache_household.pk}/"
    body = {
        "property_certificate_status": "issued",
        "property_certificate_on": "2022-05-01",
        "version": 1,
    }
    assert patch(alice, url, body).status_code == 200

    def rate(day):
        query = f"region=653125&as_of={day}&codes=property_certificate_rate"
        return (
            client_for(alice)
            .get(f"/api/v1/indicator-values/?{query}")
            .json()["values"]["property_certificate_rate"]
        )

    assert (rate("2022-04-30"), rate("2022-05-01")) == (0.0, 1.0)


def test_sites_count_from_their_build_year(alice, regions):
    SiteFactory(county_id="653125", code="653125001", build_year=2018)
    SiteFactory(county_id="653125", code="653125002", build_year=2020)
    url = "/api/v1/indicator-values/?region=653125&codes=sites&as_of="
    assert client_for(alice).get(url + "2019-12-31").json()["values"]["sites"] == 1
    assert client_for(alice).get(url + "2020-01-01").json()["values"]["sites"] == 2


def test_county_rows_name_sites_without_township(alice, shache_household):
    rows = client_for(alice).get("/api/v1/indicator-values/?region=653125&by=child").json()["rows"]
    assert [(r["code"], r["name"], r["values"]["persons"]) for r in rows] == [
        ("653125", "未填写乡镇", 2)
    ]


def test_a_user_of_two_counties_asks_for_each_by_its_code(
    regions, shache_household, shufu_household
):
    """Their common prefecture is not theirs: its figures would be their two counties' under
    the prefecture's name (issue 15, item 4)."""
    user = make_user("two", "county_operator", "653125")

    membership_grant(user=user, role="county_operator", scope_code="653121")
    response = client_for(user).get("/api/v1/indicator-values/")
    assert response.status_code == 400 and "region=6531" in str(response.json()["region"])
    assert client_for(user).get("/api/v1/indicator-values/?region=6531").status_code == 404
    for county in ("653125", "653121"):
        body = client_for(user).get(f"/api/v1/indicator-values/?region={county}").json()
        assert body["values"]["households"] == 1


@pytest.mark.parametrize(
    ("query", "field", "text"),
    [
        ("site=99999999999999999999", "site", "小于或等于"),
        ("site=abc", "site", "整数"),
        ("hukou_transferred=maybe", "hukou_transferred", "true 或 false"),
    ],
)
def test_bad_id_and_boolean_filters(alice, shache_household, query, field, text):
    response = client_for(alice).get(f"/api/v1/households/?{query}")
    assert response.status_code == 400 and text in str(response.json()[field])


def test_boolean_filter(alice, shache_site):
    transferred = HouseholdFactory(
        site=shache_site,
        household_no="T-1",
        hukou_transferred=True,
        hukou_transferred_on=dt.date(2021, 1, 1),
    )
    PersonFactory(household=transferred)
    PersonFactory(household=HouseholdFactory(site=shache_site, household_no="T-2"))
    results = client_for(alice).get("/api/v1/households/?hukou_transferred=true").json()["results"]
    assert [h["household_no"] for h in results] == ["T-1"]


def test_member_moved_between_households_shows_in_both_histories(
    alice, shache_household, shache_site
):
    other = HouseholdFactory(site=shache_site, household_no="653125001-0002")
    person = shache_household.members.first()
    response = patch(alice, f"/api/v1/persons/{person.pk}/", {"household": other.pk, "version": 1})
    assert response.status_code == 200, response.json()
    for household in (shache_household, other):
        history = (
            client_for(alice).get(f"/api/v1/households/{household.pk}/history/").json()["results"]
        )
        move = history[0]
        assert move["label"] == person.name
        assert move["changes"][0]["old"] == "653125001-0001"
        assert move["changes"][0]["new"] == "653125001-0002"


def test_members_move_with_their_household(alice, shache_household, shache_site, regions):
    other_site = SiteFactory(county_id="653125", code="653125002")
    response = patch(
        alice, f"/api/v1/households/{shache_household.pk}/", {"site": other_site.pk, "version": 1}
    )
    assert response.status_code == 200, response.json()
    assert set(shache_household.members.values_list("site_id", flat=True)) == {other_site.pk}
    by_site = (
        client_for(alice).get("/api/v1/indicator-values/?region=653125&by=site").json()["rows"]
    )
    assert {r["code"]: r["values"]["persons"] for r in by_site} == {"653125001": 0, "653125002": 2}
    persons = client_for(alice).get(f"/api/v1/persons/?site={other_site.pk}").json()
    assert persons["count"] == 2


def test_a_member_moving_household_moves_site(alice, shache_household, regions):
    elsewhere = HouseholdFactory(site=SiteFactory(county_id="653125", code="653125003"))
    person = shache_household.members.first()
    assert (
        patch(
            alice, f"/api/v1/persons/{person.pk}/", {"household": elsewhere.pk, "version": 1}
        ).status_code
        == 200
    )
    person.refresh_from_db()
    assert person.site_id == elsewhere.site_id


def test_members_follow_their_households_category(alice, shache_household, regions):
    """A household recategorised (同步搬迁户 → 建档立卡搬迁户, say) counts its members under the
    new category at once: site governance's 100-person team rule counts the members of 建档立卡
    households from the member's copy of the category."""
    assert set(shache_household.members.values_list("household_category", flat=True)) == {
        shache_household.category
    }
    new = "concurrent" if shache_household.category == "registered_poor" else "registered_poor"
    response = patch(
        alice, f"/api/v1/households/{shache_household.pk}/", {"category": new, "version": 1}
    )
    assert response.status_code == 200, response.json()
    assert set(shache_household.members.values_list("household_category", flat=True)) == {new}


def test_a_member_moving_household_takes_its_category(alice, shache_household, regions):
    other = "concurrent" if shache_household.category == "registered_poor" else "registered_poor"
    elsewhere = HouseholdFactory(
        site=SiteFactory(county_id="653125", code="653125003"), category=other
    )
    person = shache_household.members.first()
    response = patch(
        alice, f"/api/v1/persons/{person.pk}/", {"household": elsewhere.pk, "version": 1}
    )
    assert response.status_code == 200, response.json()
    person.refresh_from_db()
    assert (person.site_id, person.household_category) == (elsewhere.site_id, other)
    added = client_for(alice).post(
        "/api/v1/persons/",
        {
            "household": elsewhere.pk,
            "name": "新成员",
            "id_number": make_id_number("653125", dt.date(2001, 2, 3), 77, "female"),
            "relation": "child",
        },
        format="json",
    )
    assert added.status_code == 201, added.json()
    assert Person.objects.get(pk=added.json()["id"]).household_category == other


def test_the_administration_reads_households_and_members_but_does_not_write_them(
    admin_user, shache_household
):
    """A change in 系统管理 would skip the services' rules and leave the members' copies of the
    household's site and category behind: the records are read there, with their history."""
    admin_user.is_staff = admin_user.is_superuser = True
    admin_user.save()
    client = Client()
    client.force_login(admin_user)
    url = f"/admin/households/household/{shache_household.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()  # read, with no way to save a change
    new = "concurrent" if shache_household.category == "registered_poor" else "registered_poor"
    client.post(url, {"household_no": shache_household.household_no, "category": new})
    shache_household.refresh_from_db()
    assert shache_household.category != new
    member = shache_household.members.first()
    assert client.get(f"/admin/households/person/{member.pk}/change/").status_code == 200
    assert client.get("/admin/households/person/add/").status_code == 403
