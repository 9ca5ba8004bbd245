"""What a user types in a form, a search box or an API body goes through the one cell cleaner
before any check (resettle.cleaning): the value meant, not the characters copied with it."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.test import Client

from conftest import client_for
from households.models import Person
from households.tests.factories import HouseholdFactory, PersonFactory, make_id_number

pytestmark = pytest.mark.django_db

FULL = str.maketrans("0123456789X", "０１２３４５６７８９Ｘ")


def test_an_api_body_is_cleaned_before_it_is_checked(alice, shache_household):
    number = make_id_number("653125", dt.date(1990, 3, 7), 17, "female")
    response = client_for(alice).post(
        "/api/v1/persons/",
        {
            "household": shache_household.pk,
            "name": "\u200b热依拉·艾则孜\u3000",
            "id_number": "’" + number.translate(FULL),
            "relation": "child",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    person = Person.objects.get(pk=response.json()["id"])
    assert (person.name, person.id_number) == ("热依拉·艾则孜", number)


def test_a_search_typed_with_full_width_or_invisible_characters_finds_the_household(
    alice, shache_site
):
    for number in ("FT0901", "FT0902"):
        PersonFactory(household=HouseholdFactory(site=shache_site, household_no=number))
    client = Client()
    client.force_login(alice)
    html = client.get("/households/", {"q": "\ufeffＦＴ09０1\u00a0"}).content.decode()
    assert ">FT0901</a>" in html and ">FT0902</a>" not in html


def test_a_sign_in_form_is_cleaned_but_the_password_is_compared_as_typed(regions):
    User.objects.create_user(username="alice", password="’Pw＃12345678 ")
    signed_in = Client().post("/login/", {"username": "\u200balice ", "password": "’Pw＃12345678 "})
    assert signed_in.status_code == 302
    # The cleaned password is another password.
    refused = Client().post("/login/", {"username": "alice", "password": "Pw#12345678"})
    assert refused.status_code == 200


def test_a_json_body_nested_too_deeply_is_a_400_not_a_server_error(alice):
    response = client_for(alice).post(
        "/api/v1/persons/", "[" * 600 + "]" * 600, content_type="application/json"
    )
    assert response.status_code == 400
    assert "嵌套" in response.json()["detail"]


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/regions/65%00/",
        "/dashboard/6531%00/",
        "/api/v1/dashboard/regions/6531%00/?period=2026-10",
        "/households/1%00/",
        "/figures/households%00/?region=653125",
    ],
)
def test_an_address_with_a_nul_is_no_page_not_a_server_error(alice, path):
    """On PostgreSQL a NUL reaching a query is refused by the database (a 500): such an address
    names nothing."""
    client = Client()
    client.force_login(alice)
    assert client.get(path).status_code == 404
