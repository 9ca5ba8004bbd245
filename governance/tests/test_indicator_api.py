"""The indicator catalogue and its values, scoped to the user, counted as of a date."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import client_for, make_user
from households.services import membership_grant
from households.tests.factories import HouseholdFactory, PersonFactory, SiteFactory
from resettle.indicators import catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def kashgar(regions):
    """Two sites in 莎车县 (one urban, one dispersed) and one in 疏附县."""
    shache_a = SiteFactory(county_id="653125", code="653125001", area_type="urban")
    shache_b = SiteFactory(county_id="653125", code="653125002", placement="dispersed")
    shufu = SiteFactory(county_id="653121", code="653121001")
    h1 = HouseholdFactory(
        site=shache_a, property_certificate_status="issued", hukou_transferred=True
    )
    PersonFactory.create_batch(3, household=h1)
    h2 = HouseholdFactory(site=shache_a)
    PersonFactory(household=h2)
    # Moved out on 2025-06-30: registered before that day, not after.
    PersonFactory(household=h2, status="moved_out", status_changed_on=dt.date(2025, 6, 30))
    h3 = HouseholdFactory(
        site=shache_b,
        property_certificate_status="issued",
        property_certificate_on=dt.date(2026, 3, 1),
    )
    PersonFactory.create_batch(2, household=h3)
    # A household whose only member died: no longer counted.
    h4 = HouseholdFactory(site=shufu)
    PersonFactory(household=h4, status="deceased", status_changed_on=dt.date(2024, 1, 5))
    h5 = HouseholdFactory(site=shufu, hukou_transferred=True)
    PersonFactory.create_batch(4, household=h5)
    # Registered in 2026 only.
    PersonFactory(household=h5, registered_on=dt.date(2026, 5, 1))
    return {"shache_a": shache_a, "shache_b": shache_b, "shufu": shufu}


def values(user, query):
    response = client_for(user).get(f"/api/v1/indicator-values/?{query}")
    assert response.status_code == 200, response.json()
    return response.json()


def test_catalogue_lists_the_registry_indicators(alice):
    catalogue = {i["code"]: i for i in client_for(alice).get("/api/v1/indicators/").json()}
    for code in [
        "sites",
        "households",
        "persons",
        "property_certificate_rate",
        "hukou_transfer_rate",
        "sites_concentrated",
        "sites_dispersed",
        "sites_urban",
        "sites_rural",
    ]:
        assert code in catalogue
    assert catalogue["households"]["name"] == "搬迁户数"
    assert catalogue["property_certificate_rate"]["kind"] == "ratio"


def test_prefecture_values_by_child_as_of_a_date(bob, kashgar):
    body = values(bob, "region=6531&as_of=2026-10-31&by=child")
    assert body["region"] == "6531" and body["as_of"] == "2026-10-31"
    rows = {r["code"]: r for r in body["rows"]}
    assert len(rows) == 12  # every county of the prefecture, with zeros where nothing is
    shache, shufu = rows["653125"]["values"], rows["653121"]["values"]
    assert rows["653125"]["name"] == "莎车县"
    assert (shache["sites"], shache["households"], shache["persons"]) == (2, 3, 6)
    assert (shache["sites_urban"], shache["sites_dispersed"], shache["sites_concentrated"]) == (
        1,
        1,
        1,
    )
    assert shache["property_certificate_rate"] == pytest.approx(2 / 3, abs=1e-4)
    assert shache["hukou_transfer_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert (shufu["households"], shufu["persons"], shufu["hukou_transfer_rate"]) == (1, 5, 1.0)
    assert rows["653101"]["values"]["households"] == 0
    assert rows["653101"]["values"]["property_certificate_rate"] is None


def test_counts_follow_the_date(bob, kashgar):
    before = values(bob, "region=653125&as_of=2025-06-29")["values"]
    after = values(bob, "region=653125&as_of=2025-06-30")["values"]
    assert before["persons"] == after["persons"] + 1
    # The certificate issued on 2026-03-01 does not count before that day.
    assert before["property_certificate_rate"] == pytest.approx(1 / 3, abs=1e-4)
    assert values(bob, "region=653121&as_of=2026-04-30")["values"]["persons"] == 4
    assert values(bob, "region=653121&as_of=2026-05-01")["values"]["persons"] == 5


def test_by_site(bob, kashgar):
    body = values(bob, "region=653125&as_of=2026-10-31&by=site")
    assert [(r["code"], r["values"]["persons"]) for r in body["rows"]] == [
        ("653125001", 4),
        ("653125002", 2),
    ]


def test_by_county_for_a_province(kashgar):
    province = make_user("province", "prefecture_reviewer", "65")
    rows = values(province, "region=65&as_of=2026-10-31&by=county&codes=households")["rows"]
    assert {r["code"]: r["values"]["households"] for r in rows if r["values"]["households"]} == {
        "653125": 3,
        "653121": 1,
    }
    assert set(rows[0]["values"]) == {"households"}


def test_values_are_scoped_to_the_user(alice, charlie, kashgar):
    # A county's operator asks for their county by its own code; its prefecture, its province,
    # a sibling county and another province are not theirs: 404, not their part under the
    # whole's name.
    assert values(alice, "region=653125&as_of=2026-10-31")["values"]["households"] == 3
    assert values(charlie, "region=653121&as_of=2026-10-31")["values"]["households"] == 1
    for user, region in [
        (alice, "6531"),
        (alice, "65"),
        (alice, "653121"),
        (charlie, "6531"),
        (charlie, "653125"),
        (charlie, "52"),
    ]:
        response = client_for(user).get(f"/api/v1/indicator-values/?region={region}")
        assert response.status_code == 404, (user, region)
    # Without a region, the user's own.
    assert values(alice, "as_of=2026-10-31")["region"] == "653125"


def test_one_grouped_query_per_source(bob, regions, django_assert_num_queries):
    """The number of queries does not depend on how many counties, sites or rows there are."""
    url = "/api/v1/indicator-values/?region=6531&as_of=2026-10-31&by=child"
    client = client_for(bob)
    site = SiteFactory(county_id="653125")
    PersonFactory(household=HouseholdFactory(site=site))
    client.get(url)  # the user's memberships are read once, then kept
    with CaptureQueriesContext(connection) as one_site:
        client.get(url)
    for county in ["653101", "653121", "653122", "653123", "653124"]:
        for _ in range(2):
            PersonFactory.create_batch(
                3, household=HouseholdFactory(site=SiteFactory(county_id=county))
            )
    with django_assert_num_queries(len(one_site)):
        rows = client.get(url).json()["rows"]
    assert sum(r["values"]["persons"] for r in rows) == 31
    assert sum(r["values"]["sites"] for r in rows) == 11


@pytest.mark.parametrize(
    ("query", "field", "text"),
    [
        ("region=65311", "region", "位数字"),
        ("region=6531&as_of=2026-13-01", "as_of", "日期"),
        ("region=6531&as_of=2999-01-01", "as_of", "晚于今天"),
        ("region=6531&by=province", "by", "合法"),
        ("region=6531&codes=households,bogus", "codes", "bogus"),
    ],
)
def test_bad_queries(bob, kashgar, query, field, text):
    response = client_for(bob).get(f"/api/v1/indicator-values/?{query}")
    assert response.status_code == 400
    assert text in str(response.json()[field])


def test_a_site_operator_asks_for_their_site_by_its_own_id(kashgar):
    site_operator = make_user("sally", "site_operator", kashgar["shache_a"].code)
    own = values(site_operator, "as_of=2026-10-31")
    assert (own["site"], own["name"]) == (kashgar["shache_a"].pk, kashgar["shache_a"].name)
    assert own["values"]["persons"] == 4
    assert values(site_operator, f"site={kashgar['shache_a'].pk}&as_of=2026-10-31") == own
    # Its county, prefecture and a sibling site are not theirs.
    for query in ["region=653125", "region=6531", f"site={kashgar['shache_b'].pk}"]:
        assert (
            client_for(site_operator).get(f"/api/v1/indicator-values/?{query}").status_code == 404
        )


def test_counts_link_to_their_records_for_who_reads_records(alice, kashgar):
    body = values(alice, "region=653125&as_of=2026-10-31&by=site")
    page = Client()
    page.force_login(alice)
    households = page.get(body["rows"][0]["records"]["households"])
    assert households.status_code == 200
    assert households.context["total"] == body["rows"][0]["values"]["households"] == 2
    assert "property_certificate_rate" not in body["rows"][0]["records"]  # a ratio lists nothing
    leader = make_user("lg", "leader_viewer", "6531")
    body = values(leader, "region=6531&as_of=2026-10-31")
    assert body["values"]["households"] == 4 and "records" not in body


@pytest.mark.parametrize(
    ("role", "scope", "answered", "refused"),
    [
        ("leader_viewer", "6531", ["6531", "653125", "653121"], ["65", "52", "5201"]),
        ("prefecture_reviewer", "6531", ["6531", "653125"], ["65", "6532", "52"]),
        ("county_operator", "653125", ["653125"], ["65", "6531", "653121"]),
    ],
)
def test_each_role_gets_its_area_and_its_children_not_the_ancestors_or_siblings(
    kashgar, role, scope, answered, refused
):
    user = make_user("u", role, scope)
    for region in answered:
        assert values(user, f"region={region}&as_of=2026-10-31")["region"] == region
    for region in refused:
        response = client_for(user).get(f"/api/v1/indicator-values/?region={region}")
        assert response.status_code == 404, region


def test_links_only_where_records_are_read_and_a_breakdown_by_category(alice, kashgar):
    body = values(alice, "region=653125&as_of=2026-10-31&codes=households,employed_by_channel")
    channels = {code for code, _label in catalogue.get("employed_by_channel").categories}
    assert set(body["records"]["employed_by_channel"]) == channels
    assert all("category=" in url for url in body["records"]["employed_by_channel"].values())
    # A leader of the prefecture who runs one site reads its records, not the prefecture's.
    mixed = make_user("mixed", "leader_viewer", "6531")
    membership_grant(user=mixed, role="site_operator", scope_code=kashgar["shache_a"].code)
    assert "records" not in values(mixed, "region=6531&as_of=2026-10-31")
    assert "records" in values(mixed, f"site={kashgar['shache_a'].pk}&as_of=2026-10-31")
    early = client_for(alice).get("/api/v1/indicator-values/?region=653125&as_of=0001-01-01")
    assert early.status_code == 400 and "2016-01-01" in str(early.json()["as_of"])
