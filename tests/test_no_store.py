"""Answers carrying personal data are kept by no browser or proxy (issue 16)."""

import pytest
from django.test import Client

from conftest import client_for

pytestmark = pytest.mark.django_db


def test_answers_with_personal_data_are_not_kept_by_browsers_or_proxies(alice, shache_household):
    page = Client()
    page.force_login(alice)
    for response in (
        page.get(f"/households/{shache_household.pk}/"),
        client_for(alice).get("/api/v1/persons/"),
        page.get("/login/"),
    ):
        assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]
