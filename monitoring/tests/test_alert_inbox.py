"""The alert inbox reads a fixed number of queries whatever the number of alerts on the page
(it ran one query per alert to know whether the user may answer it: 14 for 2, 34 for 22)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import make_user
from households.tests.factories import HouseholdFactory, PersonFactory
from monitoring.choices import AlertRule
from monitoring.models import Alert

pytestmark = pytest.mark.django_db


def raise_alerts(site, count: int) -> None:
    for _ in range(count):
        household = HouseholdFactory(site=site)
        PersonFactory(household=household)
        Alert.objects.create(
            household=household, rule=AlertRule.ZERO_EMPLOYMENT, raised_on=dt.date(2026, 11, 1)
        )


def inbox(user) -> tuple[int, str]:
    client = Client()
    client.force_login(user)
    client.get("/monitoring/alerts/")  # the session and the menu's first reads
    with CaptureQueriesContext(connection) as queries:
        html = client.get("/monitoring/alerts/").content.decode()
    return len(queries.captured_queries), html


def test_the_inbox_reads_as_many_queries_for_22_alerts_as_for_2(alice, shache_site):
    raise_alerts(shache_site, 2)
    few, html = inbox(alice)
    assert html.count("排除") >= 2  # each alert offers its answer
    raise_alerts(shache_site, 20)
    many, html = inbox(alice)
    assert html.count('action="/monitoring/alerts/') == 22
    assert many == few


def test_a_reader_sees_the_alerts_without_the_answers(bob, shache_site):
    raise_alerts(shache_site, 3)
    _, html = inbox(bob)
    assert html.count("零就业") >= 3 and 'action="/monitoring/alerts/' not in html


def test_a_site_operator_answers_the_alerts_of_their_site_only(regions, shache_site):
    other = HouseholdFactory(site__county_id="653125")
    PersonFactory(household=other)
    Alert.objects.create(
        household=other, rule=AlertRule.ZERO_EMPLOYMENT, raised_on=dt.date(2026, 11, 1)
    )
    raise_alerts(shache_site, 2)
    operator = make_user("sam", "site_operator", shache_site.code)
    _, html = inbox(operator)
    assert html.count('action="/monitoring/alerts/') == 2 and other.household_no not in html


def test_a_long_inbox_counts_with_thousands_separators(alice, shache_site):
    """共 1,200 条预警, as the dashboards print figures, not 共 1200 条预警 (here the answered
    alerts of a household over the years)."""
    household = HouseholdFactory(site=shache_site)
    PersonFactory(household=household)
    Alert.objects.bulk_create(
        Alert(
            household=household,
            rule=AlertRule.ZERO_EMPLOYMENT,
            raised_on=dt.date(2026, 11, 1) - dt.timedelta(days=n),
            status="dismissed",
            closed_on=dt.date(2026, 11, 2) - dt.timedelta(days=n),
        )
        for n in range(1200)
    )
    client = Client()
    client.force_login(alice)
    html = client.get("/monitoring/alerts/", {"open": "false"}).content.decode()
    assert "共 1,200 条预警" in html
