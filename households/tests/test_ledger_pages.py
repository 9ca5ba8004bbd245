"""The household ledger pages as a cadre uses them (alice / bob / charlie, and a leader)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import make_user
from households.services import household_update
from households.tests.factories import HouseholdFactory, PersonFactory
from resettle.models import AccessLog

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def page(user, url) -> str:
    response = logged_in(user).get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def test_the_list_shows_only_the_users_households(
    alice, bob, charlie, shache_household, shufu_household
):
    assert "653125001-0001" in page(alice, "/households/")
    assert "653121001-0001" not in page(alice, "/households/")
    both = page(bob, "/households/")
    assert "653125001-0001" in both and "653121001-0001" in both and "共 2 户" in both
    assert logged_in(charlie).get(f"/households/{shache_household.pk}/").status_code == 404


def test_a_row_shows_head_and_registered_members(alice, shache_household):
    PersonFactory(
        household=shache_household,
        name="离开的人",
        status="moved_out",
        status_changed_on=dt.date(2024, 1, 1),
        relation="child",
    )
    html = page(alice, "/households/")
    row = html[html.index("653125001-0001") :]
    row = row[: row.index("</tr>")]
    assert "阿卜杜拉·买买提" in row and '<td class="num">2</td>' in row


def test_filters_search_and_sorting(bob, shache_site, shufu_site):
    for household in [
        HouseholdFactory(site=shache_site, household_no="A-2", category="concurrent"),
        HouseholdFactory(
            site=shache_site,
            household_no="A-1",
            property_certificate_status="issued",
            property_certificate_on=dt.date(2022, 1, 1),
        ),
        HouseholdFactory(site=shufu_site, household_no="B-1"),
    ]:
        PersonFactory(household=household)

    def numbers(query):
        html = page(bob, f"/households/?{query}")
        return [n for n in ["A-1", "A-2", "B-1"] if f">{n}</a>" in html], html

    assert numbers("region=653125")[0] == ["A-1", "A-2"]
    assert numbers("category=concurrent")[0] == ["A-2"]
    assert numbers("property_certificate_status=issued")[0] == ["A-1"]
    assert numbers("q=B-")[0] == ["B-1"]
    _, html = numbers("ordering=-household_no")
    assert html.index(">B-1</a>") < html.index(">A-2</a>") < html.index(">A-1</a>")
    # The header links sort the other way next time and keep the filters.
    _, html = numbers("region=653125&ordering=household_no")
    assert "region=653125&amp;ordering=-household_no" in html


def test_bad_filters_say_why_and_list_nothing(bob, shache_household):
    html = page(bob, "/households/?region=65x")
    assert "位数字" in html and "共 0 户" in html


def test_the_county_drop_down_offers_the_users_counties(alice, bob):
    assert '<option value="653125">莎车县</option>' in page(alice, "/households/")
    assert '<option value="653121">' not in page(alice, "/households/")
    assert '<option value="653121">疏附县</option>' in page(bob, "/households/")


def test_the_household_page_masks_and_reveals_with_a_log(alice, bob, shache_household):
    person = shache_household.members.first()
    html = page(alice, f"/households/{shache_household.pk}/")
    assert person.id_number not in html and person.id_number[:6] + "*" * 12 in html
    assert person.birth_date.isoformat() not in html and f"{person.birth_date.year}-**-**" in html
    assert "138****1234" in html and "阿卜杜拉·买买提" in html
    assert not AccessLog.objects.filter(action="reveal").exists()
    html = page(alice, f"/households/{shache_household.pk}/?reveal=1")
    assert person.id_number in html and "13812341234" in html
    assert person.birth_date.isoformat() in html
    assert AccessLog.objects.get(action="reveal").object_id == str(shache_household.pk)
    assert logged_in(bob).get(f"/households/{shache_household.pk}/?reveal=1").status_code == 403
    assert "显示完整" not in page(bob, f"/households/{shache_household.pk}/")


def test_the_household_page_shows_who_changed_what(alice, shache_household):
    household_update(
        actor=alice, household=shache_household, data={"dwelling": "3栋2单元501"}, version=1
    )
    html = page(alice, f"/households/{shache_household.pk}/")
    assert "楼栋单元门牌：（空） → 3栋2单元501" in html and ">alice<" in html


def test_leaders_read_figures_not_households(regions, shache_household):
    leader = make_user("leader", "leader_viewer", "6531")
    html = page(leader, "/")
    assert "搬迁户台账" not in html and "搬迁户数" in html
    assert logged_in(leader).get(f"/households/{shache_household.pk}/").status_code == 404
    assert "共 0 户" in page(leader, "/households/")
    assert "领导小组 · 喀什地区" in html


def test_the_header_shows_scope_and_menu(alice, shache_household):
    html = page(alice, "/")
    assert "县级填报员 · 莎车县" in html and '<a href="/households/">搬迁户台账</a>' in html
    assert f'<a href="/households/{shache_household.pk}/">' in page(alice, "/households/")
    assert 'class="breadcrumbs"' in page(alice, "/households/")


def test_list_queries_do_not_grow_with_rows(alice, shache_site):
    client = logged_in(alice)
    PersonFactory(household=HouseholdFactory(site=shache_site))
    client.get("/households/")
    with CaptureQueriesContext(connection) as few:
        client.get("/households/")
    for _ in range(30):
        PersonFactory.create_batch(2, household=HouseholdFactory(site=shache_site))
    with CaptureQueriesContext(connection) as many:
        assert "共 31 户" in client.get("/households/").content.decode()
    assert len(many) == len(few)
