"""A demo record's first edit shows what it changed from (issue 15, item 6): a household of the
registry and a labor profile of the labor ledger, seeded by seed_demo. Cross-app (the labor
ledger beside the registry), so it lives here rather than in households/tests (pyproject.toml,
import-linter's layers)."""

import io

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command

from conftest import client_for
from employment.models import LaborProfile
from households.models import Household
from households.tests.test_first_edit_history import history_of, page_of


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
