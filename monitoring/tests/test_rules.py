"""The early-warning rules: alerts for exactly the households each rule describes, once while an
alert is open, none for a household already in a case."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import call_command

from employment.services import labor_profile_save
from households.tests.factories import HouseholdFactory, PersonFactory
from monitoring.choices import AlertRule
from monitoring.models import Alert, MonitoringLine
from monitoring.rules import RULES, run_rules
from monitoring.services import alert_dismiss, case_open, incident_record, income_check_record

TODAY = dt.date.today()
YEAR = TODAY.year


def household(site, size=2):
    h = HouseholdFactory(site=site)
    for _ in range(size):
        PersonFactory(household=h)
    return h


def check(actor, h, per_capita, *, year=YEAR, size=2, medical=0, on=None):
    return income_check_record(
        actor=actor,
        household=h,
        data={
            "year": year,
            "checked_on": on or (TODAY if year == YEAR else dt.date(year, 12, 1)),
            "household_size": size,
            "wage_income": Decimal(per_capita * size),
            "medical_expense": Decimal(medical),
        },
    )


def alerts(rule=None) -> set[tuple[int, str]]:
    rows = Alert.objects.filter(closed_on__isnull=True)
    if rule:
        rows = rows.filter(rule=rule)
    return set(rows.values_list("household_id", "rule"))


@pytest.fixture
def town(alice, shache_site):
    """Households of Shache checked this year against the national line of 6,000 yuan: one
    below, one in the band (under 9,000), one above; one whose income halved; one with large
    medical bills; one struck by a flood."""
    MonitoringLine.objects.get_or_create(year=YEAR, region=None, defaults={"amount": 6000})
    made = {
        name: household(shache_site)
        for name in ("poor", "band", "fine", "fallen", "sick", "flooded")
    }
    check(alice, made["poor"], 5000)
    check(alice, made["band"], 8000)
    check(alice, made["fine"], 12000)
    check(alice, made["fallen"], 26000, year=YEAR - 1)
    check(alice, made["fallen"], 12000)
    check(alice, made["sick"], 12000, medical=25000)
    check(alice, made["flooded"], 12000)
    incident_record(
        actor=alice,
        household=made["flooded"],
        data={"kind": "disaster", "occurred_on": TODAY - dt.timedelta(days=3), "note": "洪水"},
    )
    return made


@pytest.mark.django_db
def test_each_rule_names_exactly_its_households_once(town):
    created = run_rules(region="653125")
    ids = {name: h.pk for name, h in town.items()}
    assert alerts("below_line") == {(ids["poor"], "below_line")}
    assert alerts("warning_band") == {(ids["band"], "warning_band")}
    assert alerts("income_drop") == {(ids["fallen"], "income_drop")}
    assert alerts("medical_expense") == {(ids["sick"], "medical_expense")}
    assert alerts("incident") == {(ids["flooded"], "incident")}
    assert not alerts("new_condition") and not alerts("zero_employment")
    assert sum(created.values()) == 5
    # The reason, in words.
    poor = Alert.objects.get(rule=AlertRule.BELOW_LINE)
    assert "5,000" in poor.explanation and "6,000" in poor.explanation
    fallen = Alert.objects.get(rule=AlertRule.INCOME_DROP)
    assert "54%" in fallen.explanation, fallen.explanation
    # A second run raises nothing new.
    assert sum(run_rules(region="653125").values()) == 0
    assert Alert.objects.count() == 5
    # Elsewhere nothing is run.
    assert sum(run_rules(region="653121").values()) == 0


@pytest.mark.django_db
def test_a_province_line_overrides_the_national_one(town, regions):
    # Xinjiang sets 9,000 yuan: the "band" household (8,000) is now below the line.
    MonitoringLine.objects.create(year=YEAR, region_id="65", amount=9000)
    run_rules()
    assert alerts("below_line") == {
        (town["poor"].pk, "below_line"),
        (town["band"].pk, "below_line"),
    }
    # The band is now under 13,500 yuan: the households at 12,000 are in it.
    in_band = {"fine", "fallen", "sick", "flooded"}
    assert alerts("warning_band") == {(town[n].pk, "warning_band") for n in in_band}


@pytest.mark.django_db
def test_no_alert_for_a_household_in_a_case_nor_after_a_dismissal(alice, town):
    case_open(
        actor=alice,
        household=town["poor"],
        data={"category": "marginal", "risks": ["illness"], "found_through": "declared"},
    )
    run_rules()
    assert town["poor"].pk not in {h for h, _r in alerts()}
    band = Alert.objects.get(household=town["band"])
    alert_dismiss(actor=alice, alert=band, reason="核实为季节性收入，已恢复")
    assert sum(run_rules().values()) == 0
    assert Alert.objects.filter(household=town["band"]).count() == 1


@pytest.mark.django_db
def test_zero_employment_and_a_new_serious_illness(alice, shache_site):
    jobless = household(shache_site, size=1)
    person = jobless.members.get()
    labor_profile_save(
        actor=alice, person=person, data={"capacity": "ordinary", "willingness": "local"}
    )
    ill = household(shache_site, size=1)
    member = ill.members.get()
    member.health = "serious"
    member._history_user = alice
    member.save()
    steady = household(shache_site, size=1)  # healthy, no labor profile: nothing to say
    run_rules()
    assert alerts() == {(jobless.pk, "zero_employment"), (ill.pk, "new_condition")}
    assert steady.pk not in {h for h, _r in alerts()}
    assert member.name in Alert.objects.get(rule=AlertRule.NEW_CONDITION).explanation


@pytest.mark.django_db
def test_the_command_runs_the_rules_for_a_region(town, capsys):
    call_command("run_monitoring_rules", "--region", "653125")
    out = capsys.readouterr().out
    assert "5 new alerts" in out
    call_command("run_monitoring_rules", "--region", "653125")
    assert "0 new alerts" in capsys.readouterr().out
    assert set(RULES) == {
        "below_line",
        "warning_band",
        "income_drop",
        "zero_employment",
        "new_condition",
        "medical_expense",
        "incident",
    }


@pytest.mark.django_db
def test_the_rules_read_the_latest_check_only(alice, shache_site):
    """Checks of 4,000 and 8,000 yuan earlier this year, 20,000 in the latest: no alert. A check
    of last year's income entered later does not count as the latest."""
    MonitoringLine.objects.get_or_create(year=YEAR, region=None, defaults={"amount": 6000})
    MonitoringLine.objects.get_or_create(year=YEAR - 1, region=None, defaults={"amount": 6000})
    h = household(shache_site)
    check(alice, h, 4000, on=TODAY - dt.timedelta(days=20))
    check(alice, h, 8000, on=TODAY - dt.timedelta(days=10))
    check(alice, h, 20000, on=TODAY - dt.timedelta(days=5))
    check(alice, h, 3000, year=YEAR - 1, on=TODAY)
    run_rules()
    assert alerts() == set()


@pytest.mark.django_db
def test_a_disaster_is_news_during_a_case_income_is_not(alice, town):
    case_open(
        actor=alice,
        household=town["flooded"],
        data={"category": "sudden", "risks": ["disaster"], "found_through": "cadre"},
    )
    case_open(
        actor=alice,
        household=town["poor"],
        data={"category": "marginal", "risks": ["work"], "found_through": "cadre"},
    )
    run_rules()
    assert (town["flooded"].pk, "incident") in alerts()
    assert not {r for h, r in alerts() if h == town["poor"].pk}


@pytest.mark.django_db
def test_the_first_record_of_an_ill_member_is_not_news(alice, shache_site):
    loaded = household(shache_site, size=0)
    PersonFactory(household=loaded, health="serious")  # as an import of an old ledger would
    run_rules()
    assert not alerts("new_condition")
