"""A site operator reads the industry projects serving their site (issue 15, item 2): in the
list, on the project's page, on the workshops page and through the API, the projects their
site's dashboard counts; and changes none of them, which stay the county's."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import client_for, make_user
from households.tests.factories import SiteFactory
from industry import services
from industry.models import IndustryProject, Investment
from resettle.indicators import Grouping, catalogue
from resettle.scoping import Scope

TODAY = dt.date.today()


def project(alice, sites, code, **data):
    values = {
        "code": code,
        "name": f"项目{code}",
        "county_id": "653125",
        "sector": "secondary",
        "kind": "workshop",
        "operator_type": "enterprise",
        "status": "operating",
        "actual_start": dt.date(2023, 4, 1),
        "jobs_offered": 4,
        **data,
    }
    return services.project_save(
        actor=alice,
        data=values,
        served=[(site, 10) for site in sites],
        status_since=dt.date(2023, 4, 1),
    )


@pytest.fixture
def other_site(regions):
    return SiteFactory(county_id="653125", code="653125002", name="莎车县团结安置区")


@pytest.fixture
def siteop(shache_site):
    return make_user("siteop", "site_operator", shache_site.code)


@pytest.fixture
def projects(alice, shache_site, other_site):
    """Two projects serving the operator's site (one also another site), one serving only the
    other site."""
    serving = project(alice, [shache_site], "P1")
    shared = project(alice, [shache_site, other_site], "P2", kind="shops", sector="tertiary")
    elsewhere = project(alice, [other_site], "P3")
    services.investment_add(
        actor=alice, project=serving, data={"source": "county", "amount": Decimal(80_000)}
    )
    services.investment_add(
        actor=alice, project=elsewhere, data={"source": "county", "amount": Decimal(5_000)}
    )
    return {p.code: p for p in (serving, shared, elsewhere)}


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_site_operator_lists_the_projects_its_dashboard_counts(siteop, shache_site, projects):
    page = browser(siteop).get("/industry/projects/").content.decode()
    assert "共 2 个项目" in page
    # (as links: a bare "P3" can occur in the page's random CSRF token)
    assert ">P1</a>" in page and ">P2</a>" in page and ">P3</a>" not in page
    # The figure of the site on its dashboard (projects by site, system scope) and the list agree.
    by_site = catalogue.values(
        Grouping("653125", TODAY, Scope.system(), by="site"), ["projects", "investment"]
    )[shache_site.pk]
    assert by_site["projects"] == 2
    # The money of the list's projects is the site's investment figure (万元).
    assert by_site["investment"] == 8.0
    assert ">8.00<" in page  # the list states money in 万元 too
    # And so does the figure of the operator's own area, computed in their scope.
    mine = catalogue.values(Grouping("653125", TODAY, Scope.for_user(siteop)), ["projects"])
    assert mine["total"]["projects"] == 2


@pytest.mark.django_db
def test_the_site_operator_reads_a_serving_project_and_may_not_change_it(
    siteop, shache_site, projects
):
    serving, elsewhere = projects["P1"], projects["P3"]
    client = browser(siteop)
    page = client.get(f"/industry/projects/{serving.pk}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert ">8.00<" in html and "编辑项目" not in html and 'name="form"' not in html
    assert client.get(f"/industry/projects/{elsewhere.pk}/").status_code == 404
    assert client.get(f"/industry/projects/{serving.pk}/edit/").status_code == 403
    refused = client.post(
        f"/industry/projects/{serving.pk}/",
        {"form": "investment", "source": "county", "amount": "1"},
    )
    assert refused.status_code == 403
    # No new project either: the list offers none, the form refuses.
    assert "新建项目" not in client.get("/industry/projects/").content.decode()
    assert client.get("/industry/projects/new/").status_code == 403
    assert Investment.objects.filter(project=serving).count() == 1


@pytest.mark.django_db
def test_the_site_operator_sees_the_workshops_serving_its_site(siteop, projects):
    html = browser(siteop).get("/industry/workshops/").content.decode()
    assert ">P1</a>" in html and ">P3</a>" not in html  # links: not the CSRF token


@pytest.mark.django_db
def test_the_api_serves_the_projects_to_read_and_refuses_changes(siteop, alice, projects):
    serving, elsewhere = projects["P1"], projects["P3"]
    api = client_for(siteop)
    listed = api.get("/api/v1/industry-projects/").json()
    assert sorted(p["code"] for p in listed["results"]) == ["P1", "P2"]
    assert api.get(f"/api/v1/industry-projects/{elsewhere.pk}/").status_code == 404
    one = api.get(f"/api/v1/industry-projects/{serving.pk}/").json()
    assert one["code"] == "P1"
    changed = api.patch(
        f"/api/v1/industry-projects/{serving.pk}/",
        {"name": "改名", "version": one["version"]},
        format="json",
    )
    assert changed.status_code == 403
    created = api.post(
        "/api/v1/industry-projects/",
        {
            "code": "P9",
            "name": "新项目",
            "county": "653125",
            "sector": "primary",
            "kind": "crops",
            "operator_type": "cooperative",
            "status": "planned",
            "status_since": "2024-01-01",
        },
        format="json",
    )
    assert created.status_code == 403
    money = api.get("/api/v1/investments/").json()
    assert [i["project"] for i in money["results"]] == [serving.pk]
    added = api.post(
        "/api/v1/investments/",
        {"project": serving.pk, "source": "county", "amount": "1"},
        format="json",
    )
    assert added.status_code == 403
    assert IndustryProject.objects.get(pk=serving.pk).name == "项目P1"
    assert not IndustryProject.objects.filter(code="P9").exists()
    # The county's operator still changes them.
    assert (
        client_for(alice)
        .patch(
            f"/api/v1/industry-projects/{serving.pk}/",
            {"name": "改名", "version": one["version"]},
            format="json",
        )
        .status_code
        == 200
    )


@pytest.mark.django_db
def test_the_project_list_queries_do_not_grow_with_rows(alice, siteop, shache_site, other_site):
    project(alice, [shache_site], "P1")
    client = browser(siteop)
    client.get("/industry/projects/")
    with CaptureQueriesContext(connection) as few:
        client.get("/industry/projects/")
    for n in range(2, 12):
        project(alice, [shache_site, other_site], f"P{n}")
    with CaptureQueriesContext(connection) as many:
        assert "共 11 个项目" in client.get("/industry/projects/").content.decode()
    assert len(many) == len(few)
