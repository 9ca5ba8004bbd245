"""Income checks keyed in late count from the day they were made (issue 14, item 1): an income
check entered today for a check made two months ago raises, as of that month, the alert it would
have raised then, and nothing before it."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from households.tests.factories import HouseholdFactory, PersonFactory
from monitoring.choices import AlertRule
from monitoring.models import Alert, MonitoringLine
from monitoring.rules import run_rules
from monitoring.selectors import latest_checks
from monitoring.services import income_check_record
from resettle.indicators import TOTAL, Grouping, catalogue
from resettle.scoping import Scope

TODAY = dt.date.today()


def months_before(day: dt.date, months: int) -> dt.date:
    """The 1st of the month `months` before `day`'s."""
    index = day.year * 12 + day.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


START = months_before(TODAY, 2)
CHECKED_ON = START + dt.timedelta(days=4)
MONTH_END = months_before(TODAY, 1) - dt.timedelta(days=1)


def open_alerts(as_of: dt.date) -> int:
    grouping = Grouping(region_code="653125", as_of=as_of, scope=Scope.system())
    return catalogue.values(grouping, ["open_alerts"]).get(TOTAL, {}).get("open_alerts", 0)


@pytest.mark.django_db
def test_a_check_entered_today_counts_from_the_day_it_was_made(alice, shache_site):
    MonitoringLine.objects.get_or_create(
        year=CHECKED_ON.year, region=None, defaults={"amount": 6000}
    )
    household = HouseholdFactory(site=shache_site)
    PersonFactory(household=household)
    PersonFactory(household=household)
    check = income_check_record(
        actor=alice,
        household=household,
        data={
            "year": CHECKED_ON.year,
            "checked_on": CHECKED_ON,
            "household_size": 2,
            "wage_income": Decimal(8000),
        },
    )
    assert timezone.localdate(check.created) == TODAY
    # The day before it was made, nobody knew: no latest check, no alert.
    assert not latest_checks(CHECKED_ON - dt.timedelta(days=1)).exists()
    run_rules(region="653125", as_of=CHECKED_ON - dt.timedelta(days=1))
    assert not Alert.objects.exists()
    # From its day on, 4,000 yuan a person is below the line of 6,000.
    assert list(latest_checks(CHECKED_ON).values_list("pk", flat=True)) == [check.pk]
    run_rules(region="653125", as_of=CHECKED_ON)
    alert = Alert.objects.get(household=household, rule=AlertRule.BELOW_LINE)
    assert alert.raised_on == CHECKED_ON
    assert (open_alerts(CHECKED_ON - dt.timedelta(days=1)), open_alerts(MONTH_END)) == (0, 1)
