"""The case workflow: no step skipped, the policy's waits and evidence enforced, county decisions
taken by county cadres (site cadres propose), every step dated and attributed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client

from conftest import make_user
from employment.services import labor_profile_save
from households.tests.factories import HouseholdFactory, PersonFactory
from monitoring.models import Alert, AssistanceMeasure, MonitoringCase, MonitoringLine
from monitoring.rules import run_rules
from monitoring.services import (
    NEXT,
    case_open,
    case_transition,
    income_check_record,
    line_save,
    measure_add,
)

TODAY = dt.date.today()


def days_ago(n):
    return TODAY - dt.timedelta(days=n)


def message(exc) -> str:
    return " ".join(exc.value.messages)


@pytest.fixture
def family(shache_site):
    household = HouseholdFactory(site=shache_site)
    PersonFactory(household=household, name="买买提")
    PersonFactory(household=household, name="阿依古丽", relation="spouse", gender="female")
    return household


@pytest.fixture
def case(alice, family):
    return case_open(
        actor=alice,
        household=family,
        data={
            "category": "marginal",
            "risks": ["illness", "work"],
            "found_through": "cadre",
            "opened_on": days_ago(400),
        },
    )


def step(actor, case, to, on, reason="", **evidence):
    case.refresh_from_db()
    return case_transition(
        actor=actor, case=case, to=to, on=on, reason=reason, evidence=evidence, version=case.version
    )


def included(alice, case, on=None):
    step(alice, case, "verified", days_ago(395), "入户核实：户主患病")
    step(alice, case, "notice", days_ago(390), "民主评议通过")
    return step(alice, case, "monitored", on or days_ago(300))


@pytest.mark.django_db
def test_a_case_cannot_skip_a_step(alice, case):
    with pytest.raises(ValidationError) as refused:
        step(alice, case, "monitored", days_ago(1))
    assert "入户核实" in message(refused) and "跳过" in message(refused)
    with pytest.raises(ValidationError) as refused:
        step(alice, case, "verified", days_ago(399))  # no finding written
    assert "入户" in message(refused)
    case.refresh_from_db()
    assert case.status == "alert" and case.events.count() == 1


@pytest.mark.django_db
def test_the_public_notice_lasts_five_days_and_rejection_needs_a_reason(alice, case):
    step(alice, case, "verified", days_ago(20), "入户核实：收入低于监测线")
    step(alice, case, "notice", days_ago(6), "张榜公示")
    with pytest.raises(ValidationError) as refused:
        step(alice, case, "monitored", days_ago(2))  # four days of notice
    assert "5" in message(refused) and days_ago(6).isoformat() in message(refused)
    with pytest.raises(ValidationError) as refused:
        step(alice, case, "rejected", days_ago(1))  # no reason
    assert "原因" in message(refused) or "为什么" in message(refused)
    moved = step(alice, case, "monitored", days_ago(1))
    assert moved.status == "monitored" and moved.identified_on == days_ago(1)
    events = list(moved.events.values_list("to_status", "by__username"))
    assert events == [
        ("alert", "alice"),
        ("verified", "alice"),
        ("notice", "alice"),
        ("monitored", "alice"),
    ]


@pytest.mark.django_db
def test_a_site_cadre_proposes_and_the_county_decides(alice, case, shache_site):
    sam = make_user("sam", "site_operator", shache_site.code)
    step(sam, case, "verified", days_ago(395), "入户核实")
    step(sam, case, "notice", days_ago(390), "公示")
    proposed = step(sam, case, "monitored", days_ago(300))
    assert proposed.proposal_recorded and proposed.status == "notice"
    assert case.events.filter(proposal=True, to_status="monitored", by=sam).exists()
    assert step(alice, case, "monitored", days_ago(300)).status == "monitored"


@pytest.mark.django_db
def test_assistance_begins_with_a_measure(alice, case):
    included(alice, case)
    with pytest.raises(ValidationError) as refused:
        step(alice, case, "assisting", days_ago(290))
    assert "措施" in message(refused)
    case.refresh_from_db()
    measure_add(
        actor=alice,
        case=case,
        data={"kind": "employment", "responsible": "驻村工作队", "start_date": days_ago(290)},
    )
    case.refresh_from_db()
    assert case.status == "assisting" and case.assisted_from == days_ago(290)
    with pytest.raises(ValidationError):
        measure_add(
            actor=alice,
            case=case,
            data={
                "kind": "health",
                "responsible": "卫生院",
                "start_date": days_ago(5),
                "amount": Decimal(-1),
            },
        )
    assert AssistanceMeasure.objects.count() == 1


def assisted(alice, case, since=300):
    included(alice, case, on=days_ago(since))
    case.refresh_from_db()
    measure_add(
        actor=alice,
        case=case,
        data={"kind": "employment", "responsible": "驻村工作队", "start_date": days_ago(since - 5)},
    )
    case.refresh_from_db()


def income(alice, household, per_capita, on):
    income_check_record(
        actor=alice,
        household=household,
        data={
            "year": on.year,
            "checked_on": on,
            "household_size": 2,
            "wage_income": Decimal(per_capita * 2),
        },
    )


@pytest.mark.django_db
def test_elimination_needs_stable_income_evidence_and_six_months(alice, case, family):
    MonitoringLine.objects.get_or_create(year=TODAY.year, region=None, defaults={"amount": 6000})
    MonitoringLine.objects.get_or_create(
        year=TODAY.year - 1, region=None, defaults={"amount": 6000}
    )
    assisted(alice, case, since=300)
    evidence = {"basic_needs": True, "drinking_water": True}
    with pytest.raises(ValidationError) as refused:  # no income checked since the inclusion
        step(alice, case, "eliminated", TODAY, **evidence)
    assert "收入核查" in message(refused)
    income(alice, family, 9000, days_ago(250))
    with pytest.raises(ValidationError) as refused:  # checked, but not in the last six months
        step(alice, case, "eliminated", TODAY, **evidence)
    assert "收入核查" in message(refused)
    income(alice, family, 5200, days_ago(100))
    income(alice, family, 9000, days_ago(10))
    with pytest.raises(ValidationError) as refused:  # one check since was below the line
        step(alice, case, "eliminated", TODAY, **evidence)
    assert "5,200" in message(refused)
    with pytest.raises(ValidationError) as refused:
        step(alice, case, "eliminated", TODAY, basic_needs=True)
    assert "饮水" in message(refused)
    assert MonitoringCase.objects.get().status == "assisting"


@pytest.mark.django_db
def test_elimination_waits_six_months_and_spares_the_safety_net(alice, case, family):
    MonitoringLine.objects.get_or_create(year=TODAY.year, region=None, defaults={"amount": 6000})
    assisted(alice, case, since=100)
    income(alice, family, 9000, days_ago(10))
    evidence = {"basic_needs": True, "drinking_water": True}
    with pytest.raises(ValidationError) as refused:
        step(alice, case, "eliminated", TODAY, **evidence)
    assert "6" in message(refused)


@pytest.mark.django_db
def test_a_household_without_labor_on_assistance_stays_monitored(alice, case, family):
    MonitoringLine.objects.get_or_create(year=TODAY.year, region=None, defaults={"amount": 6000})
    family.members.update(dibao=True)
    assisted(alice, case, since=300)
    income(alice, family, 9000, days_ago(10))
    with pytest.raises(ValidationError) as refused:
        step(alice, case, "eliminated", TODAY, basic_needs=True, drinking_water=True)
    assert "兜底" in message(refused)
    # With a laborer the same household may leave monitoring.
    labor_profile_save(
        actor=alice,
        person=family.members.first(),
        data={"capacity": "ordinary", "recorded_on": days_ago(30)},
    )
    done = step(alice, case, "eliminated", TODAY, basic_needs=True, drinking_water=True)
    assert done.status == "eliminated" and done.closed_on == TODAY


@pytest.mark.django_db
def test_a_case_from_alerts_closes_them_at_the_home_visit(alice, family):
    MonitoringLine.objects.get_or_create(year=TODAY.year, region=None, defaults={"amount": 6000})
    income(alice, family, 4000, TODAY)
    run_rules()
    alert = Alert.objects.get()
    case = case_open(
        actor=alice,
        household=family,
        data={"category": "marginal", "risks": ["work"], "found_through": "screening"},
        alerts=[alert],
    )
    alert.refresh_from_db()
    assert alert.status == "case" and alert.closed_on is None  # still open until the visit
    with pytest.raises(ValidationError):  # one open case per household
        case_open(
            actor=alice,
            household=family,
            data={"category": "marginal", "risks": ["work"], "found_through": "cadre"},
        )
    step(alice, case, "verified", TODAY, "入户核实")
    alert.refresh_from_db()
    assert alert.closed_on == TODAY


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"wage_income": Decimal(-100)}, "wage_income"),
        ({"household_size": 0}, "household_size"),
        ({"year": TODAY.year + 1}, "year"),
        ({"checked_on": TODAY + dt.timedelta(days=1)}, "checked_on"),
        ({"wage_income": Decimal(900_000_000)}, "wage_income"),
    ],
)
@pytest.mark.django_db
def test_bad_income_checks_are_refused(alice, family, data, field):
    values = {
        "year": TODAY.year,
        "checked_on": TODAY,
        "household_size": 2,
        "wage_income": Decimal(10000),
    }
    with pytest.raises(ValidationError) as refused:
        income_check_record(actor=alice, household=family, data={**values, **data})
    assert field in refused.value.message_dict
    assert not family.income_checks.exists()


@pytest.mark.django_db
def test_one_line_per_year_and_region(admin_user, alice, regions):
    with pytest.raises(ValidationError) as refused:
        line_save(actor=admin_user, data={"year": 2021, "region": None, "amount": Decimal(6500)})
    assert "2021" in message(refused)
    line_save(actor=admin_user, data={"year": 2023, "region_id": "6531", "amount": Decimal(8050)})
    with pytest.raises(ValidationError):
        line_save(
            actor=admin_user, data={"year": 2023, "region_id": "6531", "amount": Decimal(8100)}
        )

    with pytest.raises(PermissionDenied):  # a county cadre does not set lines
        line_save(actor=alice, data={"year": 2024, "region_id": "6531", "amount": Decimal(8100)})
    with pytest.raises(PermissionDenied):  # nor an administrator for another province
        line_save(actor=admin_user, data={"year": 2024, "region_id": "65", "amount": Decimal(8100)})


@pytest.mark.django_db
def test_an_administrator_cannot_take_over_another_regions_line(regions):
    county_admin = make_user("countyadmin", "admin", "653125")
    national = MonitoringLine.objects.get(year=2021, region=None)
    prefecture = MonitoringLine.objects.create(year=2024, region_id="6531", amount=Decimal(7000))
    for line in (national, prefecture):
        with pytest.raises(PermissionDenied):
            line_save(actor=county_admin, data={"region_id": "653125"}, line=line)
    assert MonitoringLine.objects.get(pk=national.pk).region_id is None
    assert MonitoringLine.objects.get(pk=prefecture.pk).region_id == "6531"


@pytest.mark.django_db
def test_a_refused_step_is_said_once_above_its_form(alice, case):
    """A refusal of the whole step (here: the case changed since the form was opened) was printed
    twice, by the page and again by the form."""
    client = Client()
    client.force_login(alice)
    page = client.post(
        f"/monitoring/cases/{case.pk}/",
        {
            "form": "transition",
            "to": NEXT[case.status][0],
            "on": TODAY.isoformat(),
            "reason": "入户核实",
            "version": case.version + 5,
        },
    ).content.decode()
    errors = page.split('class="errorlist nonfield"')
    assert len(errors) == 2, page
    refusal = errors[1].split("</ul>")[0].split("<li>")[1].split("</li>")[0]
    assert refusal and page.count(refusal) == 1
