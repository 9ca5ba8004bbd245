"""The one-head rule (households.services.head_rule) on every path that changes members: the
household form, the persons API (create and update) and the import. A household never gets a
second registered head; the API may leave it without one for a moment, so that the head can be
changed in two steps (issue 17)."""

import datetime as dt

import pytest

from conftest import client_for
from households.models import Person
from households.tests.factories import make_id_number
from households.tests.test_excel_import import family, run
from households.tests.test_household_form import edit_page, logged_in, new_member, post
from households.tests.workbooks import HEADERS, xlsx

pytestmark = pytest.mark.django_db

NEWBORN = make_id_number("653125", dt.date(2021, 4, 2), 7, "female")


def heads(household) -> list[str]:
    return list(
        household.members.filter(status="active", relation="head").values_list("name", flat=True)
    )


def test_the_api_adds_no_second_head(alice, shache_household):
    response = client_for(alice).post(
        "/api/v1/persons/",
        {
            "household": shache_household.pk,
            "name": "新户主",
            "id_number": NEWBORN,
            "relation": "head",
        },
        format="json",
    )
    assert response.status_code == 400
    assert "已有在册户主" in response.json()["relation"][0]
    assert heads(shache_household) == ["阿卜杜拉·买买提"] and Person.objects.count() == 2


def test_the_api_makes_no_member_a_second_head(alice, shache_household):
    spouse = shache_household.members.get(relation="spouse")
    api = client_for(alice)
    response = api.patch(
        f"/api/v1/persons/{spouse.pk}/", {"relation": "head", "version": 1}, format="json"
    )
    assert response.status_code == 400 and "已有在册户主" in response.json()["relation"][0]
    spouse.refresh_from_db()
    assert spouse.relation == "spouse" and spouse.version == 1


def test_the_api_changes_the_head_in_two_steps(alice, shache_household):
    head = shache_household.members.get(relation="head")
    spouse = shache_household.members.get(relation="spouse")
    api = client_for(alice)
    step = api.patch(
        f"/api/v1/persons/{head.pk}/",
        {"status": "deceased", "status_changed_on": "2026-10-02", "version": 1},
        format="json",
    )
    assert step.status_code == 200, step.json()
    step = api.patch(
        f"/api/v1/persons/{spouse.pk}/", {"relation": "head", "version": 1}, format="json"
    )
    assert step.status_code == 200, step.json()
    assert heads(shache_household) == ["古丽娜尔·吐尔逊"]


def test_the_form_keeps_one_head(alice, shache_household):
    client = logged_in(alice)
    data = new_member(edit_page(client, shache_household), relation="head")
    html = post(client, shache_household, data).content.decode()
    assert "每户应有且只有一名在册户主，本户将有 2 名" in html
    # Swapping head and spouse in one save is one household, whatever the rows' order.
    data = edit_page(client, shache_household)
    data["members-0-relation"], data["members-1-relation"] = "spouse", "head"
    post(client, shache_household, data)
    assert heads(shache_household) == ["古丽娜尔·吐尔逊"]


def test_the_import_keeps_one_head(alice, shache_site):
    rows = family()
    rows[1][HEADERS.index("与户主关系")] = "户主"
    result = run(alice, xlsx(rows), commit=True)
    error = next(e for e in result.errors if e.column == "与户主关系")
    # The form's words, naming the household the rows belong to.
    assert error.message.startswith(
        "户编号 653125001-0100：每户应有且只有一名在册户主，本户将有 2 名"
    )
    assert not result.committed
    assert not Person.objects.exists()
