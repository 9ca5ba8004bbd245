"""Monthly dispatch reports: a frozen snapshot per region and month, submitted by the county,
approved by the prefecture, locked once approved."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command

from conftest import client_for
from governance.models import DispatchReport
from governance.services import (
    previous_period,
    report_approve,
    report_generate,
    report_return,
    report_submit,
)
from households.models import Region
from households.tests.factories import PersonFactory

PERIOD = previous_period()


def make(region_code, actor=None):
    return report_generate(actor=actor, period=PERIOD, region=Region.objects.get(code=region_code))


@pytest.mark.django_db
def test_a_county_and_its_prefecture_report_the_same_numbers(shache_household, shufu_household):
    county = make("653125")
    prefecture = make("6531")
    assert county.values["region"]["values"]["households"] == 1
    [shache] = [row for row in prefecture.values["children"] if row["code"] == "653125"]
    assert shache["values"] == county.values["region"]["values"]
    assert prefecture.values["region"]["values"]["households"] == 2
    assert [s["code"] for s in county.values["sites"]] == ["653125001"]
    # Every indicator of the catalogue is there.
    from resettle.indicators import catalogue

    assert set(county.values["region"]["values"]) == {i.code for i in catalogue.all()}


@pytest.mark.django_db
def test_counties_submit_the_prefecture_approves_and_the_lock_holds(
    alice, bob, charlie, shache_household
):
    county = make("653125")
    prefecture = make("6531")
    with pytest.raises(PermissionDenied):
        report_submit(actor=charlie, report=county, version=county.version)  # another county
    with pytest.raises(ValidationError) as refused:
        report_approve(actor=bob, report=county, version=county.version)  # not submitted
    assert "上报" in " ".join(refused.value.messages)
    county = report_submit(actor=alice, report=county, version=county.version)
    with pytest.raises(ValidationError) as refused:
        report_approve(actor=bob, report=prefecture, version=prefecture.version)
    assert "莎车县" in " ".join(refused.value.messages)
    with pytest.raises(PermissionDenied):
        report_approve(actor=alice, report=county, version=county.version)  # her own county
    county = report_approve(actor=bob, report=county, version=county.version)
    assert county.status == "approved" and county.approved_by == bob
    prefecture = report_approve(actor=bob, report=prefecture, version=prefecture.version)

    # The ledger changes after approval: the approved reports do not.
    before = county.values
    PersonFactory(household=shache_household)
    county.refresh_from_db()
    assert county.values == before
    with pytest.raises(ValidationError) as refused:
        make("653125")
    assert "bob" in " ".join(refused.value.messages)

    # Un-approving: the prefecture's first, with a reason, recorded.
    with pytest.raises(ValidationError):
        report_return(actor=bob, report=county, version=county.version, reason="人数有误")
    with pytest.raises(ValidationError):
        report_return(actor=bob, report=prefecture, version=prefecture.version, reason=" ")
    report_return(actor=bob, report=prefecture, version=prefecture.version, reason="莎车县人数有误")
    county = report_return(actor=bob, report=county, version=county.version, reason="人数有误")
    assert county.status == "returned"
    assert list(county.events.values_list("action", "reason")) == [
        ("generated", ""),
        ("submitted", ""),
        ("approved", ""),
        ("unapproved", "人数有误"),
    ]
    again = make("653125", actor=alice)
    assert again.values["region"]["values"]["persons"] == before["region"]["values"]["persons"] + 1


@pytest.mark.django_db
def test_a_month_not_ended_or_badly_written_is_refused(shache_household):
    region = Region.objects.get(code="653125")
    for period in (f"{dt.date.today():%Y-%m}", "2026-13", "26-10"):
        with pytest.raises(ValidationError):
            report_generate(actor=None, period=period, region=region)
    assert not DispatchReport.objects.exists()


@pytest.mark.django_db
def test_the_api_and_the_command(alice, bob, charlie, shache_household, capsys):
    call_command("dispatch_report", "--period", PERIOD)
    assert "2 made" in capsys.readouterr().out  # the county and its prefecture
    api = client_for(alice)
    [county] = api.get(f"/api/v1/dispatch-reports/?period={PERIOD}&region=653125").json()["results"]
    assert client_for(charlie).get(f"/api/v1/dispatch-reports/{county['id']}/").status_code == 404
    submitted = api.post(
        f"/api/v1/dispatch-reports/{county['id']}/submit/",
        {"version": county["version"]},
        format="json",
    )
    assert submitted.status_code == 200 and submitted.json()["status"] == "submitted"
    refused = api.post(
        "/api/v1/dispatch-reports/generate/", {"period": PERIOD, "region": "653125"}, format="json"
    )
    assert refused.status_code == 400
    approved = client_for(bob).post(
        f"/api/v1/dispatch-reports/{county['id']}/approve/",
        {"version": submitted.json()["version"]},
        format="json",
    )
    assert approved.json()["status"] == "approved" and approved.json()["approved_by"] == "bob"
    values = api.get(f"/api/v1/dispatch-reports/{county['id']}/values/").json()
    assert values["region"]["values"]["households"] == 1
    call_command("dispatch_report", "--period", PERIOD)
    assert "1 made, 1 kept" in capsys.readouterr().out
