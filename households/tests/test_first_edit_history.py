"""A record's first edit shows what it changed from (issue 15, item 6), however the record came in:
the demo seed, the household or labor import, or a load that kept no history."""

import pytest
from django.test import Client
from django.urls import reverse

from conftest import client_for
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
