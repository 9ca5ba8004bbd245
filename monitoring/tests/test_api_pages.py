"""Monitoring through the API and the pages, scoped like the rest: the county cadre works, the
prefecture reviewer reads, the other county sees nothing."""

import datetime as dt

import pytest
from django.test import Client

from conftest import client_for, make_user
from monitoring.models import Alert, MonitoringCase, MonitoringLine
from monitoring.rules import run_rules
from monitoring.services import case_open, case_transition, measure_add
from resettle.indicators import TOTAL, Grouping, catalogue
from resettle.scoping import Scope

TODAY = dt.date.today()


def days_ago(n):
    return TODAY - dt.timedelta(days=n)


@pytest.fixture
def poor(alice, shache_household):
    """The Shache household checked below the line, with its alert."""
    MonitoringLine.objects.get_or_create(year=TODAY.year, region=None, defaults={"amount": 6000})
    response = client_for(alice).post(
        "/api/v1/income-checks/",
        {
            "household": shache_household.pk,
            "year": TODAY.year,
            "checked_on": TODAY.isoformat(),
            "household_size": 2,
            "wage_income": "7000",
            "transfer_income": "1000",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    assert response.json()["per_capita_net"] == "4000.00"
    run_rules()
    return shache_household


@pytest.mark.django_db
def test_the_api_walks_a_case_from_alert_to_assistance(alice, bob, charlie, poor):
    api = client_for(alice)
    alerts = api.get("/api/v1/alerts/").json()["results"]
    assert [a["rule"] for a in alerts] == ["below_line"]
    assert "4,000" in alerts[0]["explanation"] and "6,000" in alerts[0]["explanation"]
    opened = api.post(
        "/api/v1/monitoring-cases/",
        {
            "household": poor.pk,
            "category": "marginal",
            "risks": ["illness", "work"],
            "found_through": "screening",
            "alerts": [alerts[0]["id"]],
            "opened_on": days_ago(30).isoformat(),
        },
        format="json",
    )
    assert opened.status_code == 201, opened.json()
    case = opened.json()
    url = f"/api/v1/monitoring-cases/{case['id']}/transition/"

    def move(to, on, version, **extra):
        return api.post(
            url, {"to": to, "on": on.isoformat(), "version": version, **extra}, format="json"
        )

    skipped = move("monitored", days_ago(1), case["version"])
    assert skipped.status_code == 400 and "跳过" in str(skipped.json())
    visited = move("verified", days_ago(25), case["version"], reason="入户核实：户主住院")
    assert visited.status_code == 200 and visited.json()["status"] == "verified"
    notice = move("notice", days_ago(20), visited.json()["version"], reason="评议通过")
    decided = move("monitored", days_ago(10), notice.json()["version"])
    assert decided.json()["identified_on"] == days_ago(10).isoformat()
    stale = move("assisting", days_ago(5), notice.json()["version"])
    assert stale.status_code == 409
    measure = api.post(
        "/api/v1/assistance-measures/",
        {
            "case": case["id"],
            "kind": "health",
            "responsible": "乡卫生院",
            "start_date": days_ago(5).isoformat(),
        },
        format="json",
    )
    assert measure.status_code == 201
    detail = api.get(f"/api/v1/monitoring-cases/{case['id']}/").json()
    assert detail["status"] == "assisting"
    assert [e["to_status"] for e in detail["events"]] == [
        "alert",
        "verified",
        "notice",
        "monitored",
        "assisting",
    ]
    assert all(e["by"] == "alice" for e in detail["events"])
    # The reviewer reads, may not act; the other county sees nothing.
    assert client_for(bob).get(f"/api/v1/monitoring-cases/{case['id']}/").status_code == 200
    refused = client_for(bob).post(url, {"to": "eliminated", "version": 99}, format="json")
    assert refused.status_code == 403
    assert client_for(charlie).get(f"/api/v1/monitoring-cases/{case['id']}/").status_code == 404
    assert client_for(charlie).get("/api/v1/alerts/").json()["count"] == 0
    # Filters: by risk type and step.
    assert api.get("/api/v1/monitoring-cases/?risk=illness").json()["count"] == 1
    assert api.get("/api/v1/monitoring-cases/?risk=disaster").json()["count"] == 0
    assert api.get("/api/v1/monitoring-cases/?status=assisting").json()["count"] == 1


@pytest.mark.django_db
def test_a_site_cadre_gets_202_for_a_proposal(alice, poor, shache_site):
    sam = make_user("sam", "site_operator", shache_site.code)
    api = client_for(sam)
    case = api.post(
        "/api/v1/monitoring-cases/",
        {
            "household": poor.pk,
            "category": "sudden",
            "risks": ["disaster"],
            "found_through": "cadre",
            "opened_on": days_ago(20).isoformat(),
        },
        format="json",
    ).json()
    url = f"/api/v1/monitoring-cases/{case['id']}/transition/"
    version = case["version"]
    for to, ago, reason in (("verified", 15, "房屋受损"), ("notice", 12, "公示")):
        version = api.post(
            url,
            {"to": to, "on": days_ago(ago).isoformat(), "reason": reason, "version": version},
            format="json",
        ).json()["version"]
    proposal = api.post(
        url, {"to": "monitored", "on": days_ago(2).isoformat(), "version": version}, format="json"
    )
    assert proposal.status_code == 202 and proposal.json()["status"] == "notice"
    assert MonitoringCase.objects.get().events.filter(proposal=True).count() == 1
    # The county finds it among the proposals awaiting it, and decides.
    county = client_for(alice)
    assert county.get("/api/v1/monitoring-cases/?state=all&proposed=true").json()["count"] == 1
    decided = county.post(
        url, {"to": "monitored", "on": days_ago(2).isoformat(), "version": version}, format="json"
    )
    assert decided.status_code == 200
    assert county.get("/api/v1/monitoring-cases/?state=all&proposed=true").json()["count"] == 0


@pytest.mark.django_db
def test_the_pages_answer_an_alert_and_move_a_case(alice, poor):
    browser = Client()
    browser.force_login(alice)
    inbox = browser.get("/monitoring/alerts/").content.decode()
    assert "收入低于监测线" in inbox and "低于监测线 6,000 元" in inbox
    page = browser.post(
        f"/monitoring/cases/new/{poor.pk}/",
        {
            "category": "marginal",
            "risks": ["illness"],
            "found_through": "screening",
            "opened_on": TODAY.isoformat(),
        },
    )
    case = MonitoringCase.objects.get()
    assert page.status_code == 302 and page["Location"] == f"/monitoring/cases/{case.pk}/"
    assert Alert.objects.get().case == case
    skipped = browser.post(
        f"/monitoring/cases/{case.pk}/",
        {"form": "transition", "to": "notice", "on": TODAY.isoformat(), "version": case.version},
    )
    assert skipped.status_code == 200  # the form says no: notice is not a choice at 预警
    moved = browser.post(
        f"/monitoring/cases/{case.pk}/",
        {
            "form": "transition",
            "to": "verified",
            "on": TODAY.isoformat(),
            "reason": "入户核实",
            "version": case.version,
        },
    )
    assert moved.status_code == 302
    case.refresh_from_db()
    assert case.status == "verified"
    page = browser.get(f"/monitoring/cases/{case.pk}/").content.decode()
    assert "入户核实" in page and "4000.00" in page  # the step, and the income check
    household = browser.get(f"/households/{poor.pk}/").content.decode()
    assert "监测对象" in household and "入户核实" in household
    assert (
        browser.get("/monitoring/cases/?state=all&status=verified")
        .content.decode()
        .count(poor.household_no)
        == 1
    )


@pytest.mark.django_db
def test_indicators_as_of_dates(alice, poor):
    case = case_open(
        actor=alice,
        household=poor,
        data={
            "category": "unstable",
            "risks": ["work", "illness"],
            "found_through": "screening",
            "opened_on": days_ago(60),
        },
        alerts=list(Alert.objects.all()),
    )

    def move(to, ago):
        case.refresh_from_db()
        case_transition(
            actor=alice, case=case, to=to, on=days_ago(ago), reason="x", version=case.version
        )

    def figures(ago):
        grouping = Grouping(region_code="653125", as_of=days_ago(ago), scope=Scope.system())
        codes = [
            "monitored_households",
            "monitored_persons",
            "monitored_by_category",
            "monitored_by_risk",
            "monitored_persons_by_category",
            "cases_without_measure",
            "open_alerts",
            "overdue_verifications",
        ]
        return {**catalogue.empty_row(codes), **catalogue.values(grouping, codes).get(TOTAL, {})}

    move("verified", 50)  # ten days after the warning: not overdue
    move("notice", 40)
    move("monitored", 30)
    case.refresh_from_db()
    measure_add(
        actor=alice,
        case=case,
        data={"kind": "employment", "responsible": "工作队", "start_date": days_ago(20)},
    )
    assert figures(55)["monitored_households"] == 0
    # The alert was raised today (run_rules in the fixture), so it does not exist 55 days ago.
    assert figures(55)["open_alerts"] == 0 and figures(0)["open_alerts"] == 0
    between = figures(25)
    assert between["monitored_households"] == 1 and between["monitored_persons"] == 2
    assert between["monitored_by_category"] == {"unstable": 1, "marginal": 0, "sudden": 0}
    risks = between["monitored_by_risk"]
    assert risks["work"] == risks["illness"] == 1 and sum(risks.values()) == 2
    assert between["monitored_persons_by_category"] == {"unstable": 2, "marginal": 0, "sudden": 0}
    assert between["cases_without_measure"] == 1  # the measure began 20 days ago
    assert figures(0)["cases_without_measure"] == 0
    assert figures(0)["overdue_verifications"] == 0


@pytest.mark.django_db
def test_an_ended_measure_leaves_the_case_without_one(alice, poor):
    case = case_open(
        actor=alice,
        household=poor,
        data={
            "category": "unstable",
            "risks": ["work"],
            "found_through": "screening",
            "opened_on": days_ago(60),
        },
    )
    for to, ago in (("verified", 50), ("notice", 40), ("monitored", 30)):
        case.refresh_from_db()
        case_transition(
            actor=alice, case=case, to=to, on=days_ago(ago), reason="x", version=case.version
        )
    measure = measure_add(
        actor=alice,
        case=case,
        data={"kind": "employment", "responsible": "工作队", "start_date": days_ago(20)},
    )
    api = client_for(alice)
    early = api.post(
        f"/api/v1/assistance-measures/{measure.pk}/end/",
        {"end_date": days_ago(25).isoformat()},
        format="json",
    )
    assert early.status_code == 400
    ended = api.post(
        f"/api/v1/assistance-measures/{measure.pk}/end/",
        {"end_date": days_ago(5).isoformat()},
        format="json",
    )
    assert ended.status_code == 200 and ended.json()["end_date"] == days_ago(5).isoformat()
    grouping = Grouping(region_code="653125", as_of=TODAY, scope=Scope.system())
    assert (
        catalogue.values(grouping, ["cases_without_measure"])[TOTAL]["cases_without_measure"] == 1
    )
    before = Grouping(region_code="653125", as_of=days_ago(10), scope=Scope.system())
    assert catalogue.values(before, ["cases_without_measure"])[TOTAL]["cases_without_measure"] == 0
