"""The labor ledger's API: scoped like the rest (alice writes her county, bob reads the
prefecture, charlie sees nothing of it), writes through the services' rules."""

import datetime as dt

import pytest

from conftest import client_for
from employment.models import Employment, Unemployment

JOB = {
    "channel": "labor_export",
    "job_type": "wage_work",
    "place": "outside",
    "employer": "某电子厂",
    "monthly_income": "3200.00",
    "start_date": "2025-03-01",
    "organised": True,
}


@pytest.fixture
def head(shache_household):
    return shache_household.members.get(relation="head")


def profile(client, person, **extra):
    return client.post(
        "/api/v1/labor-profiles/",
        {"person": person.pk, "capacity": "ordinary", "willingness": "away", **extra},
        format="json",
    )


@pytest.mark.django_db
def test_a_cadre_records_a_profile_and_a_job_then_ends_it(alice, head):
    client = client_for(alice)
    assert profile(client, head).status_code == 201
    created = client.post("/api/v1/employments/", {"person": head.pk, **JOB}, format="json")
    assert created.status_code == 201, created.json()
    spell = created.json()
    listed = client.get("/api/v1/employments/?open=true&channel=labor_export").json()
    assert [s["id"] for s in listed["results"]] == [spell["id"]]
    ended = client.patch(
        f"/api/v1/employments/{spell['id']}/",
        {"end_date": "2025-10-31", "version": spell["version"]},
        format="json",
    )
    assert ended.status_code == 200, ended.json()
    assert Employment.objects.get().end_date == dt.date(2025, 10, 31)
    assert Unemployment.objects.get(person=head).registered_on == dt.date(2025, 10, 31)
    fixed = client.patch(
        f"/api/v1/employments/{spell['id']}/",
        {"monthly_income": "10", "version": spell["version"] + 1},
        format="json",
    )
    assert fixed.status_code == 400


@pytest.mark.django_db
def test_rules_answer_400_in_chinese(alice, head):
    client = client_for(alice)
    answer = client.post("/api/v1/employments/", {"person": head.pk, **JOB}, format="json")
    assert answer.status_code == 400
    assert "劳动力档案" in str(answer.json())


@pytest.mark.django_db
def test_scope_reviewer_reads_outsider_sees_nothing(alice, bob, charlie, head):
    profile(client_for(alice), head)
    client_for(alice).post("/api/v1/employments/", {"person": head.pk, **JOB}, format="json")
    assert client_for(bob).get("/api/v1/employments/").json()["count"] == 1
    assert client_for(charlie).get("/api/v1/employments/").json()["count"] == 0
    spell = Employment.objects.get()
    assert client_for(charlie).get(f"/api/v1/employments/{spell.pk}/").status_code == 404
    refused = client_for(bob).post(
        "/api/v1/job-matches/",
        {"person": head.pk, "matched_on": "2025-01-02", "employer": "甲", "job": "乙"},
        format="json",
    )
    assert refused.status_code == 403
    outside = client_for(charlie).post(
        "/api/v1/follow-up-visits/", {"person": head.pk, "visited_on": "2025-01-02"}, format="json"
    )
    assert outside.status_code == 400  # no such person in charlie's area


@pytest.mark.django_db
def test_the_household_list_gives_the_zero_employment_worklist(alice, shache_household, head):
    client = client_for(alice)
    profile(client, head)
    listed = client.get("/api/v1/households/?zero_employment=true").json()
    assert [h["household_no"] for h in listed["results"]] == [shache_household.household_no]
    client.post("/api/v1/employments/", {"person": head.pk, **JOB}, format="json")
    assert client.get("/api/v1/households/?zero_employment=true").json()["count"] == 0
    assert client.get("/api/v1/households/?zero_employment=maybe").status_code == 400
