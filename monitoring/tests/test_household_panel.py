"""The household page's monitoring panel lists the household's disasters and accidents like its
income checks, each with who recorded it, and offers the form to record another."""

import pytest
from django.test import Client

from monitoring.models import Incident

pytestmark = pytest.mark.django_db


def test_the_household_page_lists_its_incidents_and_records_one(alice, bob, shache_household):
    client = Client()
    client.force_login(alice)
    url = f"/households/{shache_household.pk}/"
    html = client.get(url).content.decode()
    assert "自然灾害和意外事故" in html and "尚无登记的自然灾害或意外事故。" in html
    assert "登记自然灾害或意外事故" in html

    response = client.post(
        f"/monitoring/households/{shache_household.pk}/record/",
        {
            "form": "incident",
            "kind": "disaster",
            "occurred_on": "2025-07-14",
            "note": "洪水冲毁大棚",
        },
        follow=True,
    )
    html = response.content.decode()
    assert response.redirect_chain[-1][0] == url
    assert "已保存。" in html
    row = html.split('class="ledger incidents"')[1].split("</table>")[0]
    assert "2025-07-14" in row and "因灾" in row and "洪水冲毁大棚" in row
    assert Incident.objects.get(household=shache_household).by == alice

    # A reviewer reads the household: its incidents, not the form to record one.
    reader = Client()
    reader.force_login(bob)
    html = reader.get(url).content.decode()
    assert "洪水冲毁大棚" in html and "登记自然灾害或意外事故" not in html
