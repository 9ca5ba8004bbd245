"""A record's first edit shows what it changed from (issue 15, item 6), however the record came in:
the demo seed, the household or labor import, or a load that kept no history."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from conftest import client_for
from employment.models import LaborProfile
from households.excel import LEDGER
from households.models import Household
from households.tests.test_excel_import import family
from households.tests.workbooks import xlsx
from resettle.excel import run_import


def history_of(client, household) -> list[dict]:
    response = client.get(f"/api/v1/households/{household.pk}/history/")
    assert response.status_code == 200
    return response.json()["results"]


def page_of(user, household) -> str:
    browser = Client()
    browser.force_login(user)
    return browser.get(reverse("household-detail", args=[household.pk])).content.decode()


@pytest.mark.django_db
def test_a_demo_record_s_first_edit_shows_what_it_changed_from(regions):
    call_command("seed_demo", "--scale", "small", "--seed", "1", stdout=io.StringIO())
    county = User.objects.get(username="county")
    household = Household.objects.filter(site__county_id="653125").exclude(dwelling="").first()
    before = household.dwelling
    client = client_for(county)
    response = client.patch(
        f"/api/v1/households/{household.pk}/",
        {"dwelling": "9栋9单元909", "version": household.version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    change = history_of(client, household)[0]
    assert (change["type"], change["user"]) == ("changed", "county")
    assert change["changes"] == [
        {"field": "dwelling", "label": "楼栋单元门牌", "old": before, "new": "9栋9单元909"}
    ]
    assert f"楼栋单元门牌：{before} → 9栋9单元909" in page_of(county, household)

    # A demo labor profile: someone edits it, and whoever saves after them from the old version
    # is told what changed, from what to what.
    profile = LaborProfile.objects.filter(person__site__county_id="653125", skill="none").first()
    url = f"/api/v1/labor-profiles/{profile.pk}/"
    edited = client.patch(url, {"skill": "certified", "version": 1}, format="json")
    assert edited.status_code == 200, edited.json()
    stale = client.patch(url, {"skill": "basic", "version": 1}, format="json")
    assert stale.status_code == 409
    assert [(c["label"], c["old"], c["new"]) for c in stale.json()["changes"]] == [
        ("技能水平", "无职业技能", "有技能证书")
    ]


@pytest.mark.django_db
def test_an_imported_household_s_first_edit_shows_what_it_changed_from(alice, shache_site):
    result = run_import(LEDGER, xlsx(family()), actor=alice, commit=True, file_name="台账.xlsx")
    assert result.committed, result.errors
    household = Household.objects.get(household_no="653125001-0100")
    client = client_for(alice)
    response = client.patch(
        f"/api/v1/households/{household.pk}/",
        {"dwelling": "5栋1单元101", "version": household.version},
        format="json",
    )
    assert response.status_code == 200, response.json()
    head = household.members.get(relation="head")
    member = client.patch(
        f"/api/v1/persons/{head.pk}/",
        {"name": "买买提·艾力江", "version": head.version},
        format="json",
    )
    assert member.status_code == 200, member.json()
    changes = {
        c["field"]: (c["old"], c["new"])
        for entry in history_of(client, household)
        for c in entry["changes"]
    }
    assert changes["dwelling"] == ("3栋2单元501", "5栋1单元101")
    assert changes["name"] == ("买买提·艾力", "买买提·艾力江")
    page = page_of(alice, household)
    assert "楼栋单元门牌：3栋2单元501 → 5栋1单元101" in page
    assert "姓名：买买提·艾力 → 买买提·艾力江" in page


@pytest.mark.django_db
def test_a_row_loaded_without_history_keeps_what_it_held_before_each_kind_of_write(
    alice, shache_site
):
    # Loaded as the demo seed loads: no history at all.
    Household.objects.bulk_create(
        [
            Household(site=shache_site, household_no="653125001-0200", dwelling="1栋101"),
            Household(site=shache_site, household_no="653125001-0201", dwelling="1栋102"),
            Household(site=shache_site, household_no="653125001-0202", dwelling="1栋103"),
        ]
    )
    edited = Household.objects.get(household_no="653125001-0200")
    client = client_for(alice)
    url = f"/api/v1/households/{edited.pk}/"
    assert client.patch(url, {"dwelling": "8栋", "version": 1}, format="json").status_code == 200
    assert client.patch(url, {"dwelling": "9栋", "version": 2}, format="json").status_code == 200
    newest, first, created = history_of(client, edited)
    assert (created["type"], created["user"], created["changes"]) == ("created", "", [])
    assert [(c["old"], c["new"]) for e in (first, newest) for c in e["changes"]] == [
        ("1栋101", "8栋"),
        ("8栋", "9栋"),
    ]

    # Changed by the ledger import: its change shows what the row held, and who changed it.
    imported = Household.objects.get(household_no="653125001-0201")
    rows = family(no="653125001-0201", dwelling="2栋202")
    result = run_import(LEDGER, xlsx(rows), actor=alice, commit=True, file_name="台账.xlsx")
    assert result.committed, result.errors
    entries = [e for e in history_of(client, imported) if e["record"] == "household"]
    assert [(e["type"], e["user"]) for e in entries] == [("changed", "alice"), ("created", "")]
    changes = {c["field"]: (c["old"], c["new"]) for c in entries[0]["changes"]}
    assert changes["dwelling"] == ("1栋102", "2栋202")
    assert "楼栋单元门牌：1栋102 → 2栋202" in page_of(alice, imported)

    # Removed: its history keeps what it held.
    gone = Household.objects.get(household_no="653125001-0202")
    pk = gone.pk
    gone.delete()
    assert list(
        Household.history.filter(id=pk)
        .order_by("history_id")
        .values_list("history_type", "dwelling")
    ) == [("+", "1栋103"), ("-", "1栋103")]
