"""Generic tests of the scoped API viewsets and list pages (after NetBox's
`utilities/testing/api.py` APIViewTestCases): a test class declares what its view lists and how
to make one record of it, and inherits the trio's scope tests and a query-count test.

The users are the fixtures of the root conftest.py (STYLE.md §7): `alice` writes the county of
the record (莎车县 653125), `bob` reads it (prefecture reviewer of 6531), `charlie` is a county
operator elsewhere (疏附县 653121). Records are made in the `shache_site` fixture's site.

    class TestHouseholdAPI(APIViewTestCase):
        basename = "household"            # the router's basename: api:household-list/-detail

        def make(self, site):
            return HouseholdFactory(site=site)

    class TestHouseholdList(ListPageTestCase):
        url_name = "household-list"

        def make(self, site):
            return HouseholdFactory(site=site)

        def marker(self, record):
            return record.household_no    # text the page shows for the record

The tests say what a user notices, not how the permission is decided: out of scope is 404 (and
absent from the list), in scope but read-only is 403 on a write, anonymous is 401/403 (API) or
a redirect to the sign-in page; and the queries of a list do not grow with its rows.

Test support only: imported by tests, never by the application.
"""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from drf_spectacular.generators import EndpointEnumerator
from rest_framework.test import APIClient

# The rows of a list in the query-count test: few, then many. Every list's page holds MANY.
FEW, MANY = 2, 20


def api_serializers() -> list[type]:
    """The serializer class of each API view, once each, as the schema lists the endpoints."""
    found: list[type] = []
    for _path, _regex, _method, view in EndpointEnumerator().get_api_endpoints():
        serializer_class = getattr(view.cls, "serializer_class", None)
        if serializer_class is not None and serializer_class not in found:
            found.append(serializer_class)
    return found


def api_client(user) -> APIClient:
    """An API client authenticated as `user` (anonymous when None)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def page_client(user) -> Client:
    """A browser client signed in as `user` (anonymous when None)."""
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def count_queries(fetch) -> tuple[int, object]:
    """Call `fetch()` once to warm what a first request reads once (the session, the user's
    memberships), then again under CaptureQueriesContext. Returns (queries, second response)."""
    fetch()
    with CaptureQueriesContext(connection) as queries:
        response = fetch()
    return len(queries.captured_queries), response


class ScopeTestBase:
    """What the API and page cases share: the users by fixture name and the record factory."""

    # Fixture names: who writes the record's area, who only reads it (in scope, read-only role),
    # who is elsewhere (out of scope). An empty `readers` skips the read-only checks.
    writer = "alice"
    readers: tuple[str, ...] = ("bob",)
    outsiders: tuple[str, ...] = ("charlie",)

    @pytest.fixture(autouse=True)
    def _fast_passwords(self, settings):
        # The users' passwords are hashed once each; the production hasher costs 0.4 s a user.
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

    def make(self, site):
        """One record of the list in `site` (a households.Site in 莎车县), saved. Required."""
        raise NotImplementedError(f"{type(self).__name__} must say how to make a record")

    def make_many(self, site, count: int) -> list:
        """`count` records of the list in `site`."""
        return [self.make(site) for _ in range(count)]

    def user(self, request, name: str):
        return request.getfixturevalue(name)


class APIViewTestCase(ScopeTestBase):
    """The scope and query-count tests of a scoped API viewset. Declare `basename` (the router's
    basename, as in `api:<basename>-list`) and `make(site)`; override `write(client, record)`
    when the viewset's write is not a PATCH of the record (a POST with a body, a DELETE, an
    action), and `list_params` when the list needs a filter to show the record."""

    basename: str
    list_params: dict = {}
    # The field of a list row that holds the record's primary key.
    id_field = "id"

    def list_url(self) -> str:
        return reverse(f"api:{self.basename}-list")

    def detail_url(self, record) -> str:
        return reverse(f"api:{self.basename}-detail", args=[record.pk])

    def write(self, client, record):
        """A write a writer of the record's area may make, whose answer to the readers is
        checked (403); None for a viewset that takes no write."""
        return client.patch(self.detail_url(record), {}, format="json")

    def listed_ids(self, client) -> set:
        response = client.get(self.list_url(), self.list_params)
        assert response.status_code == 200, response.content
        return {row[self.id_field] for row in response.json()["results"]}

    def test_scope(self, request, shache_site):
        writer = api_client(self.user(request, self.writer))
        record = self.make(shache_site)
        assert record.pk in self.listed_ids(writer)
        assert writer.get(self.detail_url(record)).status_code == 200
        for name in self.readers:
            reader = api_client(self.user(request, name))
            assert record.pk in self.listed_ids(reader), name
            assert reader.get(self.detail_url(record)).status_code == 200, name
            answer = self.write(reader, record)
            if answer is not None:  # None: the viewset takes no write
                assert answer.status_code == 403, (name, answer.status_code, answer.content)
        for name in self.outsiders:
            outsider = api_client(self.user(request, name))
            assert record.pk not in self.listed_ids(outsider), name
            assert outsider.get(self.detail_url(record)).status_code == 404, name
            answer = self.write(outsider, record)
            if answer is not None:  # the record, or the one a body names, is not found
                assert answer.status_code in (400, 404), (name, answer.status_code)
        anonymous = api_client(None)
        assert anonymous.get(self.list_url()).status_code in (401, 403)
        assert anonymous.get(self.detail_url(record)).status_code in (401, 403)

    def test_list_queries_do_not_grow_with_rows(self, request, shache_site):
        client = api_client(self.user(request, self.writer))
        self.make_many(shache_site, FEW)
        few, _ = count_queries(lambda: client.get(self.list_url(), self.list_params))
        self.make_many(shache_site, MANY - FEW)
        many, response = count_queries(lambda: client.get(self.list_url(), self.list_params))
        assert len(response.json()["results"]) >= MANY
        assert many == few, f"{few} queries for {FEW} rows, {many} for {MANY}"


class ListPageTestCase(ScopeTestBase):
    """The scope and query-count tests of a list page. Declare `url_name` (and `url_kwargs`),
    `make(site)` and `marker(record)`, the text the page shows for the record and for no other;
    `detail_url(record)` when the record has a page of its own."""

    url_name: str
    url_kwargs: dict = {}
    params: dict = {}

    def url(self) -> str:
        return reverse(self.url_name, kwargs=self.url_kwargs)

    def marker(self, record) -> str:
        """Text the list shows for `record`. Required."""
        raise NotImplementedError(f"{type(self).__name__} must say how the page shows a record")

    def detail_url(self, record) -> str | None:
        return None

    def write(self, client, record):
        """A form a writer of the record's area may post about it (its edit page, an answer to
        an alert), whose answer to the readers (403) and the outsiders (404) is checked; None
        for a list whose records take no form."""
        return None

    def page(self, client) -> str:
        response = client.get(self.url(), self.params)
        assert response.status_code == 200, response.status_code
        return response.content.decode()

    def test_scope(self, request, shache_site):
        writer = page_client(self.user(request, self.writer))
        record = self.make(shache_site)
        marker, detail = self.marker(record), self.detail_url(record)
        assert marker in self.page(writer)
        if detail:
            assert writer.get(detail).status_code == 200
        for name in self.readers:
            reader = page_client(self.user(request, name))
            assert marker in self.page(reader), name
            if detail:
                assert reader.get(detail).status_code == 200, name
            answer = self.write(reader, record)
            if answer is not None:
                assert answer.status_code == 403, (name, answer.status_code)
        for name in self.outsiders:
            outsider = page_client(self.user(request, name))
            assert marker not in self.page(outsider), name
            if detail:
                assert outsider.get(detail).status_code == 404, name
            answer = self.write(outsider, record)
            if answer is not None:
                assert answer.status_code == 404, (name, answer.status_code)
        anonymous = page_client(None).get(self.url(), self.params)
        assert anonymous.status_code == 302 and "/login/" in anonymous["Location"]

    def test_list_queries_do_not_grow_with_rows(self, request, shache_site):
        client = page_client(self.user(request, self.writer))
        self.make_many(shache_site, FEW)
        few, _ = count_queries(lambda: client.get(self.url(), self.params))
        records = self.make_many(shache_site, MANY - FEW)
        many, response = count_queries(lambda: client.get(self.url(), self.params))
        assert self.marker(records[-1]) in response.content.decode()
        assert many == few, f"{few} queries for {FEW} rows, {many} for {MANY}"


def url_patterns(resolver=None, prefix: str = ""):
    """Every route of the project as (route name with its namespace, the URLPattern)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{pattern.namespace}:" if pattern.namespace else ""
            yield from url_patterns(pattern, prefix + namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name, pattern


def routed_viewsets() -> set[type]:
    """The viewset classes the API's routers register."""
    return {
        pattern.callback.cls
        for _, pattern in url_patterns()
        if getattr(pattern.callback, "actions", None) is not None
    }


def list_view_routes(base: type) -> set[str]:
    """The route names whose view is a class-based view derived from `base` (a ListView)."""
    return {
        name
        for name, pattern in url_patterns()
        if isinstance(getattr(pattern.callback, "view_class", None), type)
        and issubclass(pattern.callback.view_class, base)
    }


def subclasses(cls: type) -> list[type]:
    """Every subclass of `cls`, at any depth, that declares a test class (Test…)."""
    found = []
    for sub in cls.__subclasses__():
        if sub.__name__.startswith("Test"):
            found.append(sub)
        found.extend(subclasses(sub))
    return found
