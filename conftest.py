"""Shared test fixtures. The trio of STYLE.md for scope-sensitive endpoints:

- alice: county operator of 莎车县 (653125): may read and write her county;
- bob: prefecture reviewer of 喀什地区 (6531): may read every county of it, write nothing;
- charlie: county operator of 疏附县 (653121): sees nothing of alice's county (404 there).
"""

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from rest_framework.test import APIClient

from households.services import membership_grant, user_grant_reveal
from households.tests.factories import HouseholdFactory, PersonFactory, SiteFactory
from resettle.celery import app


@pytest.fixture
def regions(db):
    call_command("loaddata", "fixtures/regions.json", verbosity=0)


def make_user(username: str, role: str, scope: str, *, reveal: bool = False) -> User:
    user = User.objects.create_user(username=username, password="Pw#12345678")
    membership_grant(user=user, role=role, scope_code=scope)
    if reveal:
        user_grant_reveal(user=user)
    return User.objects.get(pk=user.pk)


@pytest.fixture
def alice(regions):
    return make_user("alice", "county_operator", "653125", reveal=True)


@pytest.fixture
def bob(regions):
    return make_user("bob", "prefecture_reviewer", "6531")


@pytest.fixture
def charlie(regions):
    return make_user("charlie", "county_operator", "653121")


@pytest.fixture
def admin_user(regions):
    return make_user("admin", "admin", "6531")


def client_for(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


@pytest.fixture
def shache_site(regions):
    return SiteFactory(county_id="653125", code="653125001", name="莎车县幸福安置区")


@pytest.fixture
def shufu_site(regions):
    return SiteFactory(county_id="653121", code="653121001", name="疏附县团结安置区")


@pytest.fixture
def shache_household(shache_site):
    household = HouseholdFactory(
        site=shache_site, household_no="653125001-0001", phone="13812341234"
    )
    PersonFactory(household=household, name="阿卜杜拉·买买提")
    PersonFactory(household=household, name="古丽娜尔·吐尔逊", gender="female", relation="spouse")
    return household


@pytest.fixture
def shufu_household(shufu_site):
    household = HouseholdFactory(site=shufu_site, household_no="653121001-0001")
    PersonFactory(household=household, name="艾力·吾买尔")
    return household


@pytest.fixture(autouse=True)
def celery_eager(request):
    """Tasks run in-process in tests, except the integration tests that start a real worker."""
    eager = request.node.get_closest_marker("integration") is None
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = eager
    yield
    app.conf.task_always_eager = previous
