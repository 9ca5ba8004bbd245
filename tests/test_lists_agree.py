"""Lists and figures count the same population (issue 15, item 2): on the demo, with records of
the other states added, the total of each list's default is the figure of the user's area
(households, persons, labor force, monitored households), and the other records are a state
the list names."""

import datetime as dt
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from conftest import client_for
from employment.services import labor_profile_save
from households.choices import PersonStatus, Relation
from households.models import Household, Site
from households.tests.factories import HouseholdFactory, PersonFactory
from monitoring.choices import Category, Status
from monitoring.models import MonitoringCase
from resettle.indicators import TOTAL, Grouping, catalogue
from resettle.scoping import Scope

TODAY = timezone.localdate()


@pytest.fixture
def demo(db):
    """The small demo, and at the site operator's site records of the states the lists' defaults
    leave out: a household whose member moved out, one whose member registers next month, and a
    labor profile of a person past working age."""
    call_command("loaddata", "fixtures/regions.json", verbosity=0)
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())
    site = Site.objects.get(code="653125001")
    # Two of the site's households without a case of the demo's.
    demo_households = list(
        Household.objects.filter(site=site, monitoring_cases__isnull=True).order_by("id")[:2]
    )
    PersonFactory(
        household=HouseholdFactory(site=site, household_no="653125001-9001"),
        status=PersonStatus.MOVED_OUT,
        status_changed_on=TODAY - dt.timedelta(days=40),
    )
    PersonFactory(
        household=HouseholdFactory(site=site, household_no="653125001-9002"),
        registered_on=TODAY + dt.timedelta(days=30),
    )
    elder = PersonFactory(
        household=demo_households[0],
        relation=Relation.PARENT,
        birth_date=dt.date(1950, 3, 1),
    )
    labor_profile_save(actor=user("county"), person=elder, data={"capacity": "ordinary"})
    for household in demo_households:
        MonitoringCase.objects.create(
            household=household,
            category=Category.MARGINAL,
            risks="illness",
            found_through="cadre",
            status=Status.ASSISTING,
            opened_on=TODAY - dt.timedelta(days=90),
            identified_on=TODAY - dt.timedelta(days=60),
            assisted_from=TODAY - dt.timedelta(days=60),
        )


def user(name):
    return get_user_model().objects.get(username=name)


def figures(who: str) -> dict:
    """The figures of the user's area, in their scope, today."""
    scope = Scope.for_user(user(who))
    grouping = Grouping(scope.home_region(), TODAY, scope)
    codes = ["households", "persons", "labor_force", "monitored_households"]
    return catalogue.values(grouping, codes)[TOTAL]


def total(client: Client, path: str) -> int:
    """The N of a list page's 共 N …."""
    return int(re.search(r"共 (\d+) ", client.get(path).content.decode()).group(1))


def browser(who: str) -> Client:
    client = Client()
    client.force_login(user(who))
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["county", "site"])
def test_each_list_defaults_to_the_population_its_figure_counts(demo, who):
    expected = figures(who)
    assert min(expected.values()) > 0
    pages, api = browser(who), client_for(user(who))
    assert total(pages, "/households/") == expected["households"]
    assert api.get("/api/v1/households/").json()["count"] == expected["households"]
    assert api.get("/api/v1/persons/").json()["count"] == expected["persons"]
    assert total(pages, "/labor/") == expected["labor_force"]
    assert api.get("/api/v1/labor-profiles/").json()["count"] == expected["labor_force"]
    assert total(pages, "/monitoring/cases/") == expected["monitored_households"]
    assert api.get("/api/v1/monitoring-cases/").json()["count"] == expected["monitored_households"]


@pytest.mark.django_db
def test_the_other_records_are_a_state_the_list_names(demo):
    pages, api = browser("site"), client_for(user("site"))
    registered = total(pages, "/households/")
    html = pages.get("/households/?state=none_registered").content.decode()
    assert total(pages, "/households/?state=none_registered") == 2 and "（无在册人员）" in html
    assert "653125001-9001" in html and "653125001-9002" in html
    assert total(pages, "/households/?state=all") == registered + 2
    assert "（在册）" in pages.get("/households/").content.decode()
    assert '<option value="registered" selected>' in pages.get("/households/").content.decode()
    assert api.get("/api/v1/households/?state=none_registered").json()["count"] == 2
    persons = api.get("/api/v1/persons/").json()["count"]
    assert api.get("/api/v1/persons/?state=not_registered").json()["count"] >= 2
    assert (
        api.get("/api/v1/persons/?state=all").json()["count"]
        == persons + api.get("/api/v1/persons/?state=not_registered").json()["count"]
    )
    laborers = total(pages, "/labor/")
    assert total(pages, "/labor/?state=not_laborer") >= 1
    assert total(pages, "/labor/?state=all") == laborers + total(pages, "/labor/?state=not_laborer")
    cases = total(pages, "/monitoring/cases/")
    others = total(pages, "/monitoring/cases/?state=not_monitored")
    assert total(pages, "/monitoring/cases/?state=all") == cases + others
    # A record not in the default is still found by its number.
    gone = Household.objects.get(household_no="653125001-9001")
    assert api.get(f"/api/v1/households/{gone.pk}/").status_code == 200
    # A state that does not exist is refused in words, never read as the default.
    refused = api.get("/api/v1/households/?state=gone")
    assert refused.status_code == 400 and "gone" in str(refused.json())
