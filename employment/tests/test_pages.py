"""The labor ledger's pages: list, worklists (with CSV), a person's labor card and its forms."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse

from conftest import make_user
from employment.models import Employment, LaborProfile, Unemployment


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def head(shache_household):
    return shache_household.members.get(relation="head")


@pytest.mark.django_db
def test_a_cadre_records_profile_job_and_its_end_on_the_labor_card(alice, head, shache_household):
    client = browser(alice)
    card = reverse("labor-card", args=[head.pk])
    page = client.get(card).content.decode()
    assert "尚无劳动力档案" in page
    # The date fields open on today, in the form a date input reads.
    assert f'name="recorded_on" value="{dt.date.today().isoformat()}"' in page
    client.post(
        card,
        {
            "form": "profile",
            "capacity": "ordinary",
            "willingness": "local",
            "recorded_on": "2025-01-01",
        },
    )
    assert LaborProfile.objects.get(person=head).capacity == "ordinary"
    page = client.post(
        card,
        {
            "form": "spell",
            "channel": "public_welfare",
            "job_type": "forest_ranger",
            "place": "county",
            "start_date": "2025-02-01",
            "monthly_income": "999999",
            "is_main": "on",
        },
    ).content.decode()
    assert "月收入须在" in page and not Employment.objects.exists()
    client.post(
        card,
        {
            "form": "spell",
            "channel": "public_welfare",
            "job_type": "forest_ranger",
            "place": "county",
            "start_date": "2025-02-01",
            "monthly_income": "1600",
            "is_main": "on",
        },
    )
    spell = Employment.objects.get()
    page = client.get(card).content.decode()
    assert "护林员" in page and "仍在岗" in page
    # A second main job while one is open is refused, in words said once above the form.
    page = client.post(
        card,
        {
            "form": "spell",
            "channel": "public_welfare",
            "job_type": "forest_ranger",
            "place": "county",
            "start_date": "2025-03-01",
            "is_main": "on",
        },
    ).content.decode()
    assert page.count("已有在岗的主要就业") == 1 and Employment.objects.count() == 1
    client.post(
        card, {"form": "end", "spell": spell.pk, "version": spell.version, "end_date": "2025-09-30"}
    )
    assert Employment.objects.get().end_date == dt.date(2025, 9, 30)
    assert Unemployment.objects.filter(person=head).exists()
    # The household page sums it up.
    household = client.get(reverse("household-detail", args=[shache_household.pk])).content.decode()
    assert "零就业家庭" in household


@pytest.mark.django_db
def test_the_worklists_show_and_export_who_needs_help(alice, head):
    client = browser(alice)
    unprofiled = client.get(reverse("labor-worklist", args=["unprofiled"])).content.decode()
    assert head.name in unprofiled
    csv = b"".join(
        client.get(reverse("labor-worklist", args=["unprofiled"]) + "?format=csv").streaming_content
    ).decode()
    assert csv.startswith("\ufeff户编号,姓名") and head.name in csv
    assert client.get(reverse("labor-worklist", args=["nonsense"])).status_code == 404


@pytest.mark.django_db
def test_reviewers_read_the_card_outsiders_and_leaders_do_not(alice, bob, charlie, regions, head):
    card = reverse("labor-card", args=[head.pk])
    page = browser(bob).get(card).content.decode()
    assert head.name in page and "record-form" not in page
    assert browser(bob).post(card, {"form": "visit", "visited_on": "2025-01-01"}).status_code == 403
    assert browser(charlie).get(card).status_code == 404
    leader = make_user("leader", "leader_viewer", "6531")
    assert browser(leader).get(card).status_code == 404
    assert (
        head.name
        not in browser(charlie).get(reverse("labor-worklist", args=["unprofiled"])).content.decode()
    )


@pytest.mark.django_db
def test_the_labor_list_filters_by_capacity(alice, head, shache_household):
    client = browser(alice)
    card = reverse("labor-card", args=[head.pk])
    client.post(
        card,
        {
            "form": "profile",
            "capacity": "skilled",
            "willingness": "away",
            "recorded_on": "2025-01-01",
        },
    )
    assert head.name in client.get(reverse("labor-list") + "?capacity=skilled").content.decode()
    assert head.name not in client.get(reverse("labor-list") + "?capacity=weak").content.decode()


@pytest.mark.django_db
def test_the_labor_list_filters_by_the_current_job(alice, head, shache_household):
    client = browser(alice)
    card = reverse("labor-card", args=[head.pk])
    client.post(
        card,
        {
            "form": "profile",
            "capacity": "ordinary",
            "willingness": "local",
            "recorded_on": "2025-01-01",
        },
    )
    listed = reverse("labor-list")
    assert head.name in client.get(listed + "?employed=false").content.decode()
    client.post(
        card,
        {
            "form": "spell",
            "channel": "public_welfare",
            "job_type": "forest_ranger",
            "place": "county",
            "start_date": "2025-02-01",
            "monthly_income": "1600",
            "is_main": "on",
        },
    )
    assert (
        head.name
        in client.get(
            listed + "?employed=true&channel=public_welfare&place=county"
        ).content.decode()
    )
    assert head.name not in client.get(listed + "?job_type=security").content.decode()
    assert head.name not in client.get(listed + "?employed=false").content.decode()


@pytest.mark.django_db
def test_the_household_page_names_its_members_without_a_labor_profile(alice, bob, shache_household):
    """Working-age members with no labor profile are named on the household page, each a link
    to their labor card with the profile form open, coming back to the household."""
    url = f"/households/{shache_household.pk}/"
    html = browser(alice).get(url).content.decode()
    head = shache_household.members.get(name="阿卜杜拉·买买提")
    card = reverse("labor-card", args=[head.pk])
    back = f"%2Fhouseholds%2F{shache_household.pk}%2F"
    line = html.split("劳动年龄内、尚未建立劳动力档案：")[1].split("</p>")[0]
    assert f'<a href="{card}?open=profile&amp;next={back}#profile">阿卜杜拉·买买提</a>' in line
    assert "古丽娜尔·吐尔逊</a>" in line

    # Recorded, the name leaves the line; a reviewer reads the names without the links.
    LaborProfile.objects.create(
        person=head, capacity="ordinary", willingness="local", recorded_on=dt.date(2025, 1, 2)
    )
    html = browser(bob).get(url).content.decode()
    line = html.split("劳动年龄内、尚未建立劳动力档案：")[1].split("</p>")[0]
    assert "古丽娜尔·吐尔逊" in line and "阿卜杜拉·买买提" not in line and "<a " not in line
