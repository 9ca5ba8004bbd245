"""The case list shows the monitored cases by default, as the `monitored_households` figure
counts them; cases being checked, not included or out of risk are a state the list names
(issue 15, item 2)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from households.tests.factories import HouseholdFactory, PersonFactory
from monitoring.choices import Category, Status
from monitoring.models import MonitoringCase
from resettle.indicators import TOTAL, Grouping, catalogue
from resettle.scoping import Scope

TODAY = timezone.localdate()


def case(site, no: str, status: str, *, identified: bool, closed: bool = False):
    household = HouseholdFactory(site=site, household_no=no)
    PersonFactory(household=household)
    return MonitoringCase.objects.create(
        household=household,
        category=Category.MARGINAL,
        risks="illness",
        found_through="cadre",
        status=status,
        opened_on=TODAY - dt.timedelta(days=120),
        identified_on=TODAY - dt.timedelta(days=90) if identified else None,
        closed_on=TODAY - dt.timedelta(days=10) if closed else None,
    )


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_default_is_the_monitored_cases_and_the_others_are_named(alice, shache_site):
    case(shache_site, "M-1", Status.ASSISTING, identified=True)
    case(shache_site, "M-2", Status.MONITORED, identified=True)
    case(shache_site, "W-1", Status.ALERT, identified=False)
    case(shache_site, "E-1", Status.ELIMINATED, identified=True, closed=True)
    case(shache_site, "R-1", Status.REJECTED, identified=False, closed=True)
    figure = catalogue.values(
        Grouping("653125", TODAY, Scope.for_user(alice)), ["monitored_households"]
    )[TOTAL]["monitored_households"]
    client = browser(alice)
    page = client.get("/monitoring/cases/").content.decode()
    assert figure == 2 and "共 2 户" in page and "（监测中）" in page
    assert ">M-1<" in page and ">M-2<" in page and ">W-1<" not in page
    others = client.get("/monitoring/cases/?state=not_monitored").content.decode()
    assert "共 3 户" in others and "（未在监测中）" in others
    assert all(f">{no}<" in others for no in ["W-1", "E-1", "R-1"])
    assert "共 5 户" in client.get("/monitoring/cases/?state=all").content.decode()
    # The worklists' links name the state they need: a case awaiting its home visit is not
    # monitored yet.
    assert "?state=all&amp;overdue=true" in page


@pytest.mark.django_db
def test_the_case_list_queries_do_not_grow_with_rows(alice, shache_site):
    case(shache_site, "M-0", Status.ASSISTING, identified=True)
    client = browser(alice)
    client.get("/monitoring/cases/")
    with CaptureQueriesContext(connection) as few:
        client.get("/monitoring/cases/")
    for n in range(1, 12):
        case(shache_site, f"M-{n}", Status.ASSISTING, identified=True)
    with CaptureQueriesContext(connection) as many:
        assert "共 12 户" in client.get("/monitoring/cases/").content.decode()
    assert len(many) == len(few)
