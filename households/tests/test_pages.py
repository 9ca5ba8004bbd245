"""The registry's pages use the same scoping as the API."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from households.models import Membership

pytestmark = pytest.mark.django_db


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_anonymous_is_sent_to_sign_in(shache_site):
    response = Client().get("/sites/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")
    assert "登录" in Client().get("/login/").content.decode()


def test_site_pages_follow_scope(alice, bob, charlie, shache_site, shufu_site):
    page = logged_in(alice).get("/sites/").content.decode()
    assert "653125001" in page and "653121001" not in page
    assert logged_in(alice).get(f"/sites/{shache_site.pk}/").status_code == 200
    assert logged_in(charlie).get(f"/sites/{shache_site.pk}/").status_code == 404
    both = logged_in(bob).get("/sites/").content.decode()
    assert "653125001" in both and "653121001" in both


def test_home_shows_the_users_scope_and_figures(alice, shache_household):
    page = logged_in(alice).get("/").content.decode()
    assert "县级填报员" in page and "莎车县" in page
    # One row for the county's sites recorded without a township: 1 site, 1 household, 2 persons,
    # each opening its records; the total is the county's.
    (summary,) = logged_in(alice).get("/").context["summaries"]
    assert [(r["name"], [v for v, _url in r["counts"]]) for r in summary["rows"]] == [
        ("未填写乡镇", ["1", "1", "2", "0.0%", "0.0%"])
    ]
    assert [v for v, _url in summary["total_counts"]] == ["1", "1", "2", "0.0%", "0.0%"]
    assert all(url.startswith("/figures/") for _v, url in summary["total_counts"][:3])


def test_add_member_creates_and_grants(regions, shache_site):
    call_command(
        "add_member", "wang", role="county_operator", scope="653125", password="Wang#2026ab"
    )
    call_command("add_member", "wang", role="site_operator", scope="653125001")
    scopes = {
        (m.role, m.region_id, m.site_id) for m in Membership.objects.filter(user__username="wang")
    }
    assert scopes == {("county_operator", "653125", None), ("site_operator", None, shache_site.pk)}
    with pytest.raises(CommandError, match="999999"):
        call_command("add_member", "wang", role="county_operator", scope="999999")
    with pytest.raises(CommandError):
        call_command("add_member", "zhao", role="county_operator", scope="653125")


def test_chinese_unless_english_is_chosen(alice):
    client = logged_in(alice)
    page = client.get("/sites/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "安置区" in page and "Settlement sites" not in page
    client.post("/i18n/setlang/", {"language": "en", "next": "/sites/"})
    assert "Settlement sites" in client.get("/sites/").content.decode()
    client.post("/i18n/setlang/", {"language": "zh-hans", "next": "/sites/"})
    assert "安置区" in client.get("/sites/").content.decode()
