"""The labor list shows the laborers the `labor_force` figure counts, and each one's job as the
`employed` figure reads it: a job that ends today is held today (issue 15, item 2)."""

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from employment.models import Employment
from employment.services import employment_close, employment_open, labor_profile_save
from households.tests.factories import HouseholdFactory, PersonFactory
from resettle.indicators import TOTAL, Grouping, catalogue
from resettle.scoping import Scope

TODAY = timezone.localdate()


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def laborer(alice, site, name: str):
    person = PersonFactory(household=HouseholdFactory(site=site), name=name)
    labor_profile_save(
        actor=alice,
        person=person,
        data={"capacity": "ordinary", "willingness": "local", "recorded_on": dt.date(2024, 1, 1)},
    )
    return person


def job(alice, person, **data):
    return employment_open(
        actor=alice,
        person=person,
        data={
            "channel": "public_welfare",
            "job_type": "forest_ranger",
            "place": "county",
            "start_date": dt.date(2024, 2, 1),
            "monthly_income": 1600,
            **data,
        },
    )


def employed(alice) -> int:
    scope = Scope.for_user(alice)
    grouping = Grouping("653125", TODAY, scope)
    return catalogue.values(grouping, ["employed"])[TOTAL]["employed"]


@pytest.mark.django_db
def test_a_job_ending_today_is_held_today_in_the_list_and_the_figure(alice, shache_site):
    person = laborer(alice, shache_site, "今天最后一天上班")
    spell = job(alice, person)
    employment_close(actor=alice, spell=spell, end_date=TODAY, version=spell.version)
    assert Employment.objects.get().end_date == TODAY
    client = browser(alice)
    row = client.get("/labor/").content.decode()
    row = row[row.index(person.name) :]
    row = row[: row.index("</tr>")]
    assert "护林员" in row and "未就业" not in row
    assert (
        person.name in client.get("/labor/?employed=true&channel=public_welfare").content.decode()
    )
    assert person.name not in client.get("/labor/?employed=false").content.decode()
    assert employed(alice) == 1


@pytest.mark.django_db
def test_a_job_that_ended_yesterday_is_not(alice, shache_site):
    person = laborer(alice, shache_site, "昨天离职")
    spell = job(alice, person)
    yesterday = TODAY - dt.timedelta(days=1)
    employment_close(actor=alice, spell=spell, end_date=yesterday, version=spell.version)
    row = browser(alice).get("/labor/").content.decode()
    row = row[row.index(person.name) :]
    row = row[: row.index("</tr>")]
    assert "未就业" in row
    assert employed(alice) == 0


@pytest.mark.django_db
def test_the_labor_list_queries_do_not_grow_with_rows(alice, shache_site):
    job(alice, laborer(alice, shache_site, "第一人"))
    client = browser(alice)
    client.get("/labor/")
    with CaptureQueriesContext(connection) as few:
        client.get("/labor/")
    for n in range(12):
        job(alice, laborer(alice, shache_site, f"劳动力{n}"))
    with CaptureQueriesContext(connection) as many:
        assert "共 13 名劳动力" in client.get("/labor/").content.decode()
    assert len(many) == len(few)
