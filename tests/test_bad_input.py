"""Bad input, across the API, the pages and the imports (issue 16, "Bad input"): each of these
inputs is refused with its status and a message in Chinese that says what to fix (the field
named, in the API by its key and in the pages and imports in words), and nothing is written.

Each endpoint's body is first shown to be taken as it is (`test_the_good_body_is_taken`), so
that each case below fails for the one thing it changes. Where a case names the protection it
tests, removing that protection makes the case fail: the control characters are refused by the
middleware and the API's parsers (resettle.middleware, resettle.api.parsers), numbers, years
and dates by their model field's bounds (resettle.validators.field_bounds), names without a
visible character by the cleaner (resettle.cleaning), repeated list items by the services."""

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Count, Max, Sum
from django.test import Client
from rest_framework.test import APIClient

from employment.excel import LEDGER as LABOR
from employment.models import Employment, FollowUpVisit, JobMatch, LaborProfile, Training
from employment.services import labor_profile_save
from households.models import Household, Person, Site
from households.tests.factories import HouseholdFactory, PersonFactory, make_id_number
from households.tests.test_household_form import edit_page, new_member
from households.tests.workbooks import person_row, xlsx
from industry import services as industry_services
from industry.excel import DIVIDEND_LEDGER
from industry.models import (
    BenefitLink,
    Dividend,
    IndustryProject,
    Investment,
    ProjectSite,
    ProjectStatusChange,
)
from monitoring.models import (
    Alert,
    AssistanceMeasure,
    CaseEvent,
    Incident,
    IncomeCheck,
    MonitoringCase,
    MonitoringLine,
)
from resettle.excel import LEDGERS
from resettle.idcard import with_check_char

pytestmark = pytest.mark.django_db

CJK = re.compile(r"[\u4e00-\u9fff]")
TODAY = dt.date.today()
TOMORROW = (TODAY + dt.timedelta(days=1)).isoformat()
NEW_ID = make_id_number("653125", dt.date(1990, 3, 7), 17, "female")
OTHER_ID = make_id_number("653125", dt.date(1992, 8, 1), 18, "male")
# Sentinel: the case drops the field from the body.
MISSING = object()

# Everything a bad input could write: the count of each ledger's rows, the last primary key, the
# sum of their versions and their latest change (an update raises both).
WATCHED = [
    Site,
    Household,
    Person,
    LaborProfile,
    Employment,
    Training,
    JobMatch,
    FollowUpVisit,
    IndustryProject,
    ProjectSite,
    ProjectStatusChange,
    Investment,
    BenefitLink,
    Dividend,
    MonitoringLine,
    IncomeCheck,
    Incident,
    MonitoringCase,
    CaseEvent,
    Alert,
    AssistanceMeasure,
]


def snapshot() -> dict:
    state = {}
    for model in WATCHED:
        aggregates = {"n": Count("pk"), "last": Max("pk")}
        names = {f.name for f in model._meta.fields}
        if "version" in names:
            aggregates["versions"] = Sum("version")
        if "updated" in names:
            aggregates["updated"] = Max("updated")
        state[model.__name__] = model.objects.aggregate(**aggregates)
    state["history"] = (Household.history.count(), Person.history.count())
    return state


def nested(depth: int) -> list:
    """A list nested `depth` deep."""
    value = "x"
    for _ in range(depth):
        value = [value]
    return value


def messages_of(value) -> list[str]:
    """Every message in an API error body (lists and nested dicts flattened)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [m for v in value.values() for m in messages_of(v)]
    if isinstance(value, list):
        return [m for v in value for m in messages_of(v)]
    return []


@pytest.fixture(autouse=True)
def quick_passwords(settings):
    """The users of these cases are made with a quick hasher: the default one takes a second
    per user, and no case here signs in with a password."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def world(alice, admin_user, shache_household, shache_site, shufu_household):
    """A county of records to be wrong about: alice's household with a laborer (profile, no
    job) and a member without a profile, a workshop serving her site linked to the household, a
    monitored case of a second household, and charlie's county's household (out of her area)."""
    head, spouse = shache_household.members.order_by("id")
    labor_profile_save(actor=alice, person=head, data={"capacity": "ordinary"})
    project = industry_services.project_save(
        actor=alice,
        data={
            "code": "P001",
            "name": "服装车间",
            "county_id": "653125",
            "sector": "secondary",
            "kind": "workshop",
            "operator_type": "enterprise",
            "status": "operating",
            "jobs_offered": 4,
        },
        served=[(shache_site, 10)],
        status_since=dt.date(2023, 4, 1),
    )
    industry_services.link_add(
        actor=alice,
        project=project,
        household=shache_household,
        data={"kind": "dividend", "since": dt.date(2023, 5, 1)},
    )
    monitored = HouseholdFactory(site=shache_site, household_no="653125001-0002")
    PersonFactory(household=monitored, name="努尔古丽")
    case = MonitoringCase.objects.create(
        household=monitored,
        category="marginal",
        risks="illness",
        found_through="cadre",
        status="monitored",
        opened_on=TODAY - dt.timedelta(days=120),
        identified_on=TODAY - dt.timedelta(days=90),
    )
    measure = AssistanceMeasure.objects.create(
        case=case,
        kind="health",
        responsible="李建国",
        start_date=TODAY - dt.timedelta(days=60),
    )
    investment = Investment.objects.create(
        project=project, source="county", amount=50000, year=2023, by=alice
    )
    return SimpleNamespace(
        alice=alice,
        measure=measure,
        investment=investment,
        admin=admin_user,
        site=shache_site,
        household=shache_household,
        laborer=head,
        member=spouse,
        project=project,
        monitored=monitored,
        case=case,
        outside=shufu_household,
    )


def api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- The API --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """Where a body goes, the body it takes, who sends it and what a good one answers."""

    path: str
    body: Callable[[SimpleNamespace], dict]
    method: str = "post"
    actor: str = "alice"
    taken: int = 201


ENDPOINTS = {
    "person": Endpoint(
        "/api/v1/persons/",
        lambda w: {
            "household": w.household.pk,
            "name": "热依拉·艾则孜",
            "id_number": NEW_ID,
            "relation": "child",
            "phone": "13812345678",
        },
    ),
    "person-edit": Endpoint(
        "/api/v1/persons/{w.member.pk}/",
        lambda w: {"version": w.member.version, "name": "古丽娜尔·吐尔逊", "phone": "13912345678"},
        method="patch",
        taken=200,
    ),
    "household": Endpoint(
        "/api/v1/households/",
        lambda w: {
            "household_no": "653125001-0099",
            "site": w.site.pk,
            "category": "registered_poor",
            "relocation_year": 2019,
            "move_in_date": "2019-05-01",
            "origin_region_code": "653125203",
            "phone": "13812345678",
        },
    ),
    "household-edit": Endpoint(
        "/api/v1/households/{w.household.pk}/",
        lambda w: {"version": w.household.version, "dwelling": "3栋2单元501"},
        method="patch",
        taken=200,
    ),
    "site": Endpoint(
        "/api/v1/sites/",
        lambda w: {
            "code": "653125009",
            "name": "莎车县新建安置区",
            "county_code": "653125",
            "build_year": 2018,
            "planned_persons": 800,
            "latitude": "38.414",
        },
        actor="admin",
    ),
    "incident": Endpoint(
        "/api/v1/incidents/",
        lambda w: {
            "household": w.household.pk,
            "kind": "disaster",
            "occurred_on": "2024-05-01",
            "note": "冰雹",
        },
    ),
    "income": Endpoint(
        "/api/v1/income-checks/",
        lambda w: {
            "household": w.household.pk,
            "year": 2024,
            "checked_on": "2024-12-01",
            "wage_income": "24000",
            "household_size": 2,
        },
    ),
    "line": Endpoint(
        "/api/v1/monitoring-lines/",
        lambda w: {"year": 2024, "region": "6531", "amount": "7000", "source": "地区文件"},
        actor="admin",
    ),
    "case": Endpoint(
        "/api/v1/monitoring-cases/",
        lambda w: {
            "household": w.household.pk,
            "category": "marginal",
            "risks": ["illness", "work"],
            "found_through": "cadre",
            "opened_on": "2024-06-01",
        },
    ),
    "measure": Endpoint(
        "/api/v1/assistance-measures/",
        lambda w: {
            "case": w.case.pk,
            "kind": "health",
            "responsible": "李建国",
            "start_date": (TODAY - dt.timedelta(days=30)).isoformat(),
            "amount": "3000",
        },
    ),
    "project": Endpoint(
        "/api/v1/industry-projects/",
        lambda w: {
            "code": "P002",
            "name": "养殖合作社",
            "county": "653125",
            "sector": "primary",
            "kind": "livestock",
            "operator_type": "cooperative",
            "status": "building",
            "status_since": "2024-03-01",
            "units": 2,
            "area_m2": "1200.5",
            "jobs_offered": 12,
            "served": [{"site": w.site.pk, "travel_minutes": 15}],
        },
    ),
    "investment": Endpoint(
        "/api/v1/investments/",
        lambda w: {"project": w.project.pk, "source": "county", "amount": "120000", "year": 2023},
    ),
    "link": Endpoint(
        "/api/v1/benefit-links/",
        lambda w: {
            "project": w.project.pk,
            "household": w.household.pk,
            "kind": "work",
            "since": "2024-01-01",
        },
    ),
    "dividend": Endpoint(
        "/api/v1/dividends/",
        lambda w: {
            "project": w.project.pk,
            "household": w.household.pk,
            "year": 2024,
            "amount": "600",
            "paid_on": "2024-12-20",
        },
    ),
    "profile": Endpoint(
        "/api/v1/labor-profiles/",
        lambda w: {"person": w.member.pk, "capacity": "ordinary", "willingness": "local"},
    ),
    "job": Endpoint(
        "/api/v1/employments/",
        lambda w: {
            "person": w.laborer.pk,
            "channel": "park_workshop",
            "job_type": "cleaner",
            "place": "county",
            "employer": "某服装厂",
            "monthly_income": "2600",
            "start_date": "2024-03-01",
            "project": w.project.pk,
        },
    ),
    "training": Endpoint(
        "/api/v1/trainings/",
        lambda w: {
            "person": w.laborer.pk,
            "course": "缝纫工",
            "start_date": "2024-01-10",
            "end_date": "2024-01-20",
        },
    ),
    "match": Endpoint(
        "/api/v1/job-matches/",
        lambda w: {
            "person": w.laborer.pk,
            "matched_on": "2024-02-01",
            "employer": "某服装厂",
            "job": "缝纫工",
            "result": "pending",
        },
    ),
    "visit": Endpoint(
        "/api/v1/follow-up-visits/",
        lambda w: {"person": w.laborer.pk, "visited_on": "2024-04-01", "still_employed": True},
    ),
}


def send(world, endpoint: Endpoint, body, *, content_type: str | None = None):
    client = api(getattr(world, endpoint.actor))
    path = endpoint.path.format(w=world)
    if isinstance(body, str | bytes):
        return getattr(client, endpoint.method)(
            path, body, content_type=content_type or "application/json"
        )
    return getattr(client, endpoint.method)(path, body, format="json")


@pytest.mark.parametrize("name", ENDPOINTS)
def test_the_good_body_is_taken(world, name):
    endpoint = ENDPOINTS[name]
    response = send(world, endpoint, endpoint.body(world))
    assert response.status_code == endpoint.taken, response.json()


@dataclass(frozen=True)
class Bad:
    """One bad input to an endpoint: `change` sets fields of its good body (MISSING drops one),
    or `raw` replaces the whole body; `key` is where the answer names the fault ("detail" for
    the body as a whole), `words` what the message must say besides being Chinese."""

    endpoint: str
    change: dict = field(default_factory=dict)
    key: str | None = None
    words: tuple[str, ...] = ()
    raw: str | None = None
    content_type: str | None = None
    status: int = 400


def bad(endpoint: str, name: str, value, *words: str, key: str | None = None) -> Bad:
    return Bad(endpoint, {name: value}, key or name, words)


API_CASES = {
    # Control characters and lone surrogates, refused at the edge whatever the field.
    "nul in a person's name": bad("person", "name", "热依拉\x00", "U+0000"),
    "escape in a person's name": bad("person", "name", "\x1b[31m热依拉", "U+001B"),
    "bell in a household's dwelling": bad("household-edit", "dwelling", "3栋\x07", "U+0007"),
    "delete in an incident's note": bad("incident", "note", "冰雹\x7f", "U+007F"),
    "C1 control in an employer": bad("job", "employer", "服装厂\x85", "U+0085"),
    "nul in a project's name": bad("project", "name", "\x00", "U+0000"),
    "nul in a site's code": bad("site", "code", "6531\x00", "U+0000"),
    "nul in a county code": bad("site", "county_code", "653125\x00", "U+0000"),
    "vertical tab in a course": bad("training", "course", "缝纫\x0b工", "U+000B"),
    "form feed in a visit's note": bad("visit", "note", "\x0c", "U+000C"),
    "nul in a risk code": bad("case", "risks", ["illness\x00"], "U+0000", key="risks[0]"),
    "nul in a served site's key": Bad(
        "project", {"served": [{"site\x00": 1}]}, "served[0]", ("U+0000",)
    ),
    "nul in a body's key": Bad("incident", {"no\x00te": "x"}, "non_field_errors", ("U+0000",)),
    "lone surrogate in a name": Bad(
        "person",
        raw='{"household": 1, "name": "\\ud800", "relation": "child"}',
        key="name",
        words=("U+D800",),
    ),
    "lone low surrogate in a note": Bad(
        "incident",
        raw='{"household": 1, "kind": "disaster", "occurred_on": "2024-05-01", "note": "\\udc00"}',
        key="note",
        words=("U+DC00",),
    ),
    # The body as a whole.
    "JSON nested 50,000 deep": Bad(
        "incident", raw="[" * 50_000 + "]" * 50_000, key="detail", words=("32",)
    ),
    "JSON nested 40 deep": Bad("incident", raw="[" * 40 + "]" * 40, key="detail", words=("32",)),
    "a field nested 33 deep": Bad("incident", {"note": nested(33)}, "detail", ("32",)),
    "malformed JSON": Bad("incident", raw='{"kind": "disaster",', key="detail", words=("JSON",)),
    "JSON with a trailing comma": Bad(
        "incident", raw='{"kind": "disaster",}', key="detail", words=("JSON",)
    ),
    "JSON NaN for an amount": Bad("dividend", raw='{"amount": NaN}', key="detail", words=("JSON",)),
    "JSON Infinity for an amount": Bad(
        "dividend", raw='{"amount": Infinity}', key="detail", words=("JSON",)
    ),
    "a 5,000-digit number": Bad(
        "dividend", raw='{"amount": 1' + "0" * 5000 + "}", key="detail", words=("JSON",)
    ),
    "a body that is not UTF-8": Bad(
        "incident", raw=b'{"note": "\xff\xfe"}', key="detail", words=("JSON",)
    ),
    "an amount given twice": Bad(
        "dividend",
        raw='{"amount": "600", "amount": "1000000000000"}',
        key="amount",
        words=("两次",),
    ),
    "a name given twice": Bad(
        "person", raw='{"name": "热依拉", "name": "x"}', key="name", words=("两次",)
    ),
    "wrong content type": Bad(
        "incident", raw="kind=disaster", content_type="text/plain", key="detail", status=415
    ),
    "a JSON list for a record": Bad("incident", raw="[]", key="non_field_errors"),
    "a JSON string for a record": Bad("incident", raw='"x"', key="non_field_errors"),
    # Numbers past their column, negative amounts and counts.
    "a dividend of 10^12 yuan": bad("dividend", "amount", "1000000000000", "9,999,999,999.99"),
    "a dividend of 10^12 as a number": bad("dividend", "amount", 10**12, "9,999,999,999.99"),
    "a negative dividend": bad("dividend", "amount", "-1", "0 至"),
    "a dividend to the tenth of a fen": bad("dividend", "amount", "600.001"),
    "a dividend that is no number": bad("dividend", "amount", "六百"),
    "a dividend as a list": bad("dividend", "amount", [600]),
    "an investment of 10^15 yuan": bad("investment", "amount", "1e15", "999,999,999,999.99"),
    "a negative investment": bad("investment", "amount", "-120000", "0 至"),
    "a monthly income of 10^9": bad("job", "monthly_income", "1000000000", "9,999,999.99"),
    "a negative monthly income": bad("job", "monthly_income", "-2600", "0 至"),
    "a wage income of 10^11": bad("income", "wage_income", "1e11", "9,999,999,999.99"),
    "a negative wage income": bad("income", "wage_income", "-5", "0 至"),
    "a household of 99,999 persons": bad("income", "household_size", 99999, "32,767"),
    "a household of no one": bad("income", "household_size", 0),
    "a household of -1 persons": bad("income", "household_size", -1, "0 至"),
    "a household size that is text": bad("income", "household_size", "两"),
    "a household size of 2.5": bad("income", "household_size", 2.5),
    "a measure of 10^13 yuan": bad("measure", "amount", "1e13", "9,999,999,999.99"),
    "a negative measure": bad("measure", "amount", "-3000", "0 至"),
    "a monitoring line of 10^8": bad("line", "amount", "100000000", "9,999,999.99"),
    "an area of 10^13 m²": bad("project", "area_m2", "1e13", "9,999,999,999.99"),
    "a negative area": bad("project", "area_m2", "-1", "0 至"),
    "10^12 units": bad("project", "units", 10**12, "2,147,483,647"),
    "negative jobs offered": bad("project", "jobs_offered", -4, "0 至"),
    "a travel time of 10^6 minutes": Bad(
        "project",
        {"served": [{"site": 0, "travel_minutes": 10**6}]},
        "served",
        ("32,767",),
    ),
    "a latitude of 1000": bad("site", "latitude", "1000", "999.999999"),
    "10^12 planned persons": bad("site", "planned_persons", 10**12, "2,147,483,647"),
    "negative planned persons": bad("site", "planned_persons", -800, "0 至"),
    "a version that is no number": bad("household-edit", "version", "一"),
    # Years outside what a record may name.
    "a dividend for the year 0": bad("dividend", "year", 0, "1949"),
    "a dividend for the year 99999": bad("dividend", "year", 99999, "1949"),
    "a dividend for the year 1800": bad("dividend", "year", 1800, "1949"),
    "a dividend for a year to come": bad("dividend", "year", TODAY.year + 1),
    "a dividend year that is text": bad("dividend", "year", "二〇二四"),
    "an investment for the year 1": bad("investment", "year", 1, "1949"),
    "an investment for the year 3000": bad("investment", "year", 3000, "3000"),
    "an income of the year 1": bad("income", "year", 1, "1949"),
    "an income of the year 20244": bad("income", "year", 20244, "20244"),
    "an income of a year to come": bad("income", "year", TODAY.year + 1),
    "a line for the year 99999": bad("line", "year", 99999, "1949"),
    "a site built in 99999": bad("site", "build_year", 99999, "1949"),
    "a site built in 1066": bad("site", "build_year", 1066, "1066"),
    "a relocation in 1999": bad("household", "relocation_year", 1999, "2001"),
    "a relocation next year": bad("household", "relocation_year", TODAY.year + 1, "2001"),
    "a relocation in 99999": bad("household", "relocation_year", 99999, "2001"),
    # Dates before 1900, after 2099, in the future where a fact has happened, or no date.
    "an incident in the year 1": bad("incident", "occurred_on", "0001-01-01", "1900-01-01"),
    "an incident in 1899": bad("incident", "occurred_on", "1899-12-31", "1900-01-01"),
    "an incident in 9999": bad("incident", "occurred_on", "9999-12-31", "2099-12-31"),
    "an incident tomorrow": bad("incident", "occurred_on", TOMORROW, "今天"),
    "an incident on 30 February": bad("incident", "occurred_on", "2024-02-30"),
    "an incident on no date": bad("incident", "occurred_on", "去年"),
    "an incident on a number": bad("incident", "occurred_on", 20240501),
    "a move-in in 1899": bad("household", "move_in_date", "1899-01-01", "1900-01-01"),
    "a move-in tomorrow": bad("household", "move_in_date", TOMORROW, "今天"),
    "a job started in 1800": bad("job", "start_date", "1800-01-01", "1900-01-01"),
    "a job started tomorrow": bad("job", "start_date", TOMORROW),
    "a training ending before it starts": bad("training", "end_date", "2024-01-01"),
    "a training in 2100": bad("training", "start_date", "2100-01-01", "2099-12-31"),
    "a match in 1899": bad("match", "matched_on", "1899-06-01", "1900-01-01"),
    "a visit in 0001": bad("visit", "visited_on", "0001-01-01", "1900-01-01"),
    "a case opened in 1899": bad("case", "opened_on", "1899-01-01", "1900-01-01"),
    "a case opened tomorrow": bad("case", "opened_on", TOMORROW),
    "a measure started in 1899": bad("measure", "start_date", "1899-12-31", "1900-01-01"),
    "a dividend paid in 1899": bad("dividend", "paid_on", "1899-12-31", "1900-01-01"),
    "a dividend paid tomorrow": bad("dividend", "paid_on", TOMORROW),
    "a link since 1899": bad("link", "since", "1899-12-31", "1900-01-01"),
    "a project's status since 1899": bad("project", "status_since", "1899-12-31", "1900-01-01"),
    "a project planned to start in 2100": bad(
        "project", "planned_start", "2100-01-01", "2099-12-31"
    ),
    "a person leaving in 1899": Bad(
        "person-edit",
        {"status": "moved_out", "status_changed_on": "1899-01-01"},
        "status_changed_on",
        ("1900-01-01",),
    ),
    "a checked-on in 1899": bad("income", "checked_on", "1899-12-01", "1900-01-01"),
    # ID numbers and phones.
    "an ID number with a wrong check digit": bad(
        "person", "id_number", NEW_ID[:17] + ("0" if NEW_ID[17] != "0" else "1"), "校验"
    ),
    "an ID number of 17 digits": bad("person", "id_number", NEW_ID[:17]),
    "an ID number of 19 digits": bad("person", "id_number", NEW_ID + "1"),
    "an ID number born on 30 February": bad(
        "person", "id_number", with_check_char("65312519900230003")
    ),
    "an ID number with letters": bad("person", "id_number", "65312519900307ABCD"),
    "an ID number in scientific notation": bad("person", "id_number", "6.53125E+17"),
    "a masked ID number for a new person": bad("person", "id_number", "653125********415X"),
    "a phone of 3 digits": bad("person", "phone", "123"),
    "a phone that is words": bad("person-edit", "phone", "没有电话"),
    "a phone of 12 digits": bad("household", "phone", "138123456789"),
    "a masked phone that is not the stored one": bad("household-edit", "phone", "139****9999"),
    # Enumerations and references.
    "an unknown incident kind": bad("incident", "kind", "flood"),
    "an unknown relation": bad("person", "relation", "cousin"),
    "an unknown fund source": bad("investment", "source", "lottery"),
    "an unknown channel": bad("job", "channel", "online"),
    "an unknown capacity": bad("profile", "capacity", "super"),
    "an unknown measure kind": bad("measure", "kind", "cash"),
    "an unknown risk": bad("case", "risks", ["curse"], key="risks"),
    "an unknown sector": bad("project", "sector", "quaternary"),
    "an unknown link kind": bad("link", "kind", "gift"),
    "an unknown match result": bad("match", "result", "maybe"),
    "an unknown category": bad("household", "category", "rich"),
    "a yes-no that is neither": bad("visit", "still_employed", "maybe"),
    "an unknown household": bad("incident", "household", 999_999, "999999"),
    "a household outside the area": Bad("incident", {"household": "outside"}, "household"),
    "a household id that is text": bad("incident", "household", "户一"),
    "a household id of 10^30": bad("dividend", "household", 10**30),
    "an unknown project": bad("investment", "project", 999_999, "999999"),
    "an unknown site": bad("household", "site", 999_999, "999999"),
    "an unknown county": bad("site", "county_code", "659999", "659999"),
    "an unknown case": bad("measure", "case", 999_999, "999999"),
    "an unknown person": bad("visit", "person", 999_999, "999999"),
    "an unknown project for a job": bad("job", "project", 999_999, "999999"),
    # Too long, empty and missing.
    "a name of 65 characters": bad("person", "name", "买" * 65, "64"),
    "a dwelling of 65 characters": bad("household-edit", "dwelling", "栋" * 65, "64"),
    "a note of 201 characters": bad("incident", "note", "冰" * 201, "200"),
    "a project name of 101 characters": bad("project", "name", "车" * 101, "100"),
    "an empty name": bad("person", "name", ""),
    "no name": bad("person", "name", MISSING),
    "no household for an incident": bad("incident", "household", MISSING),
    "no amount for a dividend": bad("dividend", "amount", MISSING),
    "a null amount": bad("dividend", "amount", None),
    "no risk types": bad("case", "risks", [], key="risks"),
    "no responsible cadre": bad("measure", "responsible", ""),
    "an update without its version": bad("household-edit", "version", MISSING),
    # Names of nothing visible (the cleaner leaves nothing of them).
    "a name of a zero-width space": bad("person", "name", "\u200b"),
    "a name of a blank Braille pattern": bad("person", "name", "\u2800"),
    "a name of a tag character": bad("person-edit", "name", "\U000e0041"),
    "a name of a lone accent": bad("person-edit", "name", "\u0301"),
    "a name of an annotation mark": bad("person", "name", "\ufff9"),
    "a name of a Hangul filler": bad("person", "name", "\u3164"),
    "a name of ideographic spaces": bad("person", "name", "\u3000\u3000"),
    "a cadre of a zero-width joiner": bad("measure", "responsible", "\u200d"),
    "a project name of a word joiner": bad("project", "name", "\u2060"),
    "a course of a byte-order mark": bad("training", "course", "\ufeff"),
    # Repeated items of a list.
    "a risk type given twice": bad("case", "risks", ["illness", "illness"], "重复", key="risks"),
    "a site served twice": Bad(
        "project",
        {"served": [{"site": 0, "travel_minutes": 5}, {"site": 0, "travel_minutes": 9}]},
        "sites",
        ("重复",),
    ),
    "an alert given twice": Bad("case", {"alerts": "twice"}, "alerts", ("重复",)),
}


def body_for(world, case: Bad):
    body = ENDPOINTS[case.endpoint].body(world)
    for name, value in case.change.items():
        if value is MISSING:
            body.pop(name, None)
        elif name == "household" and value == "outside":
            body[name] = world.outside.pk
        elif name == "served":
            body[name] = [
                {k: (world.site.pk if k == "site" and v == 0 else v) for k, v in s.items()}
                for s in value
            ]
        elif name == "alerts" and value == "twice":
            alert = Alert.objects.create(
                household=world.household, rule="income_low", raised_on=TODAY
            )
            body[name] = [alert.pk, alert.pk]
        else:
            body[name] = value
    return body


@pytest.mark.parametrize("name", API_CASES)
def test_a_bad_api_input_is_refused_in_words_and_changes_nothing(world, name):
    case = API_CASES[name]
    endpoint = ENDPOINTS[case.endpoint]
    before = snapshot()
    body = case.raw if case.raw is not None else body_for(world, case)
    response = send(world, endpoint, body, content_type=case.content_type)
    assert response.status_code == case.status, (response.status_code, response.content[:300])
    answer = response.json()
    assert case.key in answer, answer
    said = " ".join(messages_of(answer[case.key]))
    assert CJK.search(said), said
    for word in case.words:
        assert word in said, (word, said)
    after = snapshot()
    if "alerts" in case.change:  # the case made an alert to repeat
        before["Alert"] = after["Alert"]
    assert after == before


# --- The pages ------------------------------------------------------------------------------


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@dataclass(frozen=True)
class Page:
    """A page's form: where it is posted, the values a good one sends (`form` names which of the
    page's forms), and whether the page answers by a redirect (its message on the next page)."""

    path: str
    values: Callable[[SimpleNamespace, Client], dict]
    redirects: bool = False


def _edit_household(w, client) -> dict:
    return edit_page(client, w.household)


PAGES = {
    "household": Page("/households/{w.household.pk}/edit/", _edit_household),
    "member": Page(
        "/households/{w.household.pk}/edit/", lambda w, c: _new_member(_edit_household(w, c))
    ),
    "investment": Page(
        "/industry/projects/{w.project.pk}/",
        lambda w, c: {
            "form": "investment",
            "source": "county",
            "amount": "120000",
            "year": "2023",
            "note": "",
        },
    ),
    "dividend": Page(
        "/industry/projects/{w.project.pk}/",
        lambda w, c: {
            "form": "dividend",
            "household": w.household.household_no,
            "year": "2024",
            "amount": "600",
            "paid_on": "2024-12-20",
        },
    ),
    "link": Page(
        "/industry/projects/{w.project.pk}/",
        lambda w, c: {
            "form": "link",
            "household": w.monitored.household_no,
            "kind": "work",
            "since": "2024-01-01",
        },
    ),
    "sites served": Page(
        "/industry/projects/{w.project.pk}/",
        lambda w, c: {"form": "sites", f"site-{w.site.pk}": "on", f"minutes-{w.site.pk}": "12"},
        redirects=True,
    ),
    "job": Page(
        "/labor/persons/{w.laborer.pk}/",
        lambda w, c: {
            "form": "spell",
            "channel": "park_workshop",
            "job_type": "cleaner",
            "place": "county",
            "employer": "某服装厂",
            "monthly_income": "2600",
            "start_date": "2024-03-01",
            "is_main": "on",
        },
    ),
    "training": Page(
        "/labor/persons/{w.laborer.pk}/",
        lambda w, c: {
            "form": "training",
            "course": "缝纫工",
            "start_date": "2024-01-10",
            "end_date": "2024-01-20",
        },
    ),
    "visit": Page(
        "/labor/persons/{w.laborer.pk}/",
        lambda w, c: {"form": "visit", "visited_on": "2024-04-01", "still_employed": "true"},
    ),
    "case": Page(
        "/monitoring/cases/new/{w.household.pk}/",
        lambda w, c: {
            "category": "marginal",
            "risks": ["illness"],
            "found_through": "cadre",
            "opened_on": "2024-06-01",
        },
    ),
    "project": Page(
        "/industry/projects/new/",
        lambda w, c: {
            "code": "P003",
            "name": "电商中心",
            "county": "653125",
            "sector": "tertiary",
            "kind": "ecommerce",
            "operator_type": "enterprise",
            "status": "planned",
            "status_since": "2024-02-01",
            "units": "1",
            "area_m2": "300",
            "jobs_offered": "6",
        },
    ),
    "measure ended": Page(
        "/monitoring/cases/{w.case.pk}/",
        lambda w, c: {
            "form": "end-measure",
            "measure": str(w.measure.pk),
            "end_date": (TODAY - dt.timedelta(days=1)).isoformat(),
        },
        redirects=True,
    ),
    "investment removed": Page(
        "/industry/projects/{w.project.pk}/",
        lambda w, c: {
            "form": "remove",
            "kind": "investment",
            "record": str(w.investment.pk),
            "reason": "录入错误",
        },
        redirects=True,
    ),
    "income": Page(
        "/monitoring/households/{w.household.pk}/record/",
        lambda w, c: {
            "form": "check",
            "year": "2024",
            "checked_on": "2024-12-01",
            "household_size": "2",
            **dict.fromkeys(
                [
                    "wage_income",
                    "operating_income",
                    "property_income",
                    "transfer_income",
                    "production_costs",
                    "medical_expense",
                    "schooling_expense",
                ],
                "0",
            ),
            "wage_income": "24000",
        },
        redirects=True,
    ),
    "incident": Page(
        "/monitoring/households/{w.household.pk}/record/",
        lambda w, c: {"form": "incident", "kind": "accident", "occurred_on": "2024-05-01"},
        redirects=True,
    ),
}


def post_page(world, page: Page, values: dict):
    client = browser(world.alice)
    return client.post(page.path.format(w=world), values, follow=page.redirects)


@pytest.mark.parametrize("name", PAGES)
def test_the_good_form_is_saved(world, name):
    page = PAGES[name]
    client = browser(world.alice)
    before = snapshot()
    response = client.post(page.path.format(w=world), page.values(world, client))
    assert response.status_code == 302, response.content.decode()[-2000:]
    assert snapshot() != before


def _new_member(values: dict, **fields) -> dict:
    return new_member(values, **fields)


@dataclass(frozen=True)
class BadForm:
    """One bad value in a page's form: `change` sets fields (`member` fills the household
    form's new member row with them); `words` what the page must say (besides being Chinese);
    `status` the answer (200: the form shown again with its errors; 400: refused at the
    edge)."""

    page: str
    change: dict
    words: tuple[str, ...] = ()
    member: dict | None = None
    status: int = 200


PAGE_CASES = {
    "a member named by a zero-width space": BadForm("member", {}, member={"name": "\u200b"}),
    "a member named by a blank Braille pattern": BadForm("member", {}, member={"name": "\u2800"}),
    "a member named by a tag character": BadForm("member", {}, member={"name": "\U000e0041"}),
    "a member with a NUL in the name": BadForm(
        "member", {}, ("U+0000",), member={"name": "热依拉\x00"}, status=400
    ),
    "a member born in an ID number of 30 February": BadForm(
        "member", {}, member={"id_number": with_check_char("65312519900230003")}
    ),
    "a member with a bad phone": BadForm("member", {}, member={"phone": "12345"}),
    "a relocation in 1899": BadForm("household", {"relocation_year": "1899"}, ("2001",)),
    "a relocation in 99999": BadForm("household", {"relocation_year": "99999"}, ("2001",)),
    "a move-in in the year 1": BadForm("household", {"move_in_date": "0001-01-01"}),
    "a move-in in 1899": BadForm("household", {"move_in_date": "1899-12-31"}, ("1900-01-01",)),
    "a dwelling with an escape": BadForm(
        "household", {"dwelling": "3栋\x1b"}, ("U+001B", "dwelling"), status=400
    ),
    "an investment of 10^15": BadForm("investment", {"amount": "1e15"}, ("999,999,999,999.99",)),
    "a negative investment": BadForm("investment", {"amount": "-5"}, ("0 至",)),
    "an investment for the year 3000": BadForm("investment", {"year": "3000"}, ("3000",)),
    "an investment for the year 1": BadForm("investment", {"year": "1"}, ("1949",)),
    "an investment of an unknown source": BadForm("investment", {"source": "lottery"}),
    "a dividend of 10^12": BadForm("dividend", {"amount": "1000000000000"}, ("9,999,999,999.99",)),
    "a dividend for the year 99999": BadForm("dividend", {"year": "99999"}, ("1949",)),
    "a dividend paid in 1899": BadForm("dividend", {"paid_on": "1899-01-01"}, ("1900-01-01",)),
    "a dividend of an unknown household": BadForm("dividend", {"household": "无此户"}),
    "a link since 1899": BadForm("link", {"since": "1899-12-31"}, ("1900-01-01",)),
    "a link of an unknown kind": BadForm("link", {"kind": "gift"}),
    "a travel time of 99,999,999 minutes": BadForm(
        "sites served", {"minutes-SITE": "99999999"}, ("32,767",)
    ),
    "a travel time in words": BadForm("sites served", {"minutes-SITE": "十分钟"}, ("分钟",)),
    "a monthly income of 10^9": BadForm("job", {"monthly_income": "1000000000"}, ("9,999,999.99",)),
    "a negative monthly income": BadForm("job", {"monthly_income": "-1"}, ("0 至",)),
    "a job started in 1800": BadForm("job", {"start_date": "1800-01-01"}, ("1900-01-01",)),
    "a training of a zero-width course": BadForm("training", {"course": "\u200b"}),
    "a training in 2100": BadForm("training", {"start_date": "2100-01-01"}, ("2099-12-31",)),
    "a visit in 0001": BadForm("visit", {"visited_on": "0001-01-01"}),
    "a case opened in 1899": BadForm("case", {"opened_on": "1899-12-31"}, ("1900-01-01",)),
    "a case of a risk given twice": BadForm("case", {"risks": ["illness", "illness"]}, ("重复",)),
    "a case of an unknown risk": BadForm("case", {"risks": ["curse"]}),
    "a project of 10^12 units": BadForm("project", {"units": str(10**12)}, ("2,147,483,647",)),
    "a project of 10^13 m²": BadForm("project", {"area_m2": "1e13"}, ("9,999,999,999.99",)),
    "a project named by a word joiner": BadForm("project", {"name": "\u2060"}),
    "a project with a NUL in its code": BadForm(
        "project", {"code": "P\x00"}, ("U+0000", "code"), status=400
    ),
    "a project status since 2100": BadForm(
        "project", {"status_since": "2100-01-01"}, ("2099-12-31",)
    ),
    "a measure to end that is no number": BadForm(
        "measure ended", {"measure": "abc"}, ("范围",), status=404
    ),
    "a measure to end of 10^20": BadForm(
        "measure ended", {"measure": "100000000000000000000"}, ("范围",), status=404
    ),
    "a measure ended before it started": BadForm(
        "measure ended", {"end_date": "2000-01-01"}, ("开始日期",), status=200
    ),
    "a measure ended on no date": BadForm("measure ended", {"end_date": "上月"}, status=200),
    "an investment to remove that is no number": BadForm(
        "investment removed", {"record": "abc"}, ("范围",), status=404
    ),
    "an investment removed without a reason": BadForm(
        "investment removed", {"reason": "\u200b"}, status=200
    ),
    "an income check of the year 20244": BadForm("income", {"year": "20244"}, ("20244",)),
    "an income of 10^11": BadForm("income", {"wage_income": "1e11"}, ("9,999,999,999.99",)),
    "an income check of 99,999 persons": BadForm(
        "income", {"household_size": "99999"}, ("32,767",)
    ),
    "an incident in 1899": BadForm("incident", {"occurred_on": "1899-01-01"}, ("1900-01-01",)),
    "an incident with a NUL in its note": BadForm(
        "incident", {"note": "\x00"}, ("U+0000", "note"), status=400
    ),
}


def _errors_shown(html: str) -> str:
    """The error texts of a page: its form errors, its error messages and a refusal's text."""
    found = re.findall(r'class="errorlist[^"]*"[^>]*>(.*?)</(?:ul|p)>', html, re.S)
    found += re.findall(r'<li class="error">(.*?)</li>', html, re.S)
    return re.sub(r"<[^>]+>", " ", " ".join(found))


@pytest.mark.parametrize("name", PAGE_CASES)
def test_a_bad_form_is_refused_in_words_and_changes_nothing(world, name):
    case = PAGE_CASES[name]
    page = PAGES[case.page]
    client = browser(world.alice)
    values = page.values(world, client)
    if case.member is not None:
        index = int(values["members-TOTAL_FORMS"]) - 1
        values.update({f"members-{index}-{k}": v for k, v in case.member.items()})
    for key, value in case.change.items():
        values[key.replace("SITE", str(world.site.pk))] = value
    before = snapshot()
    response = client.post(page.path.format(w=world), values, follow=page.redirects)
    assert response.status_code == case.status
    said = _errors_shown(response.content.decode())
    assert CJK.search(said), said
    for word in case.words:
        assert word in said, (word, said)
    assert snapshot() == before


# --- The imports ----------------------------------------------------------------------------


def _household_row(w, **cells) -> list:
    values = {
        "household_no": "653125001-0099",
        "site_code": w.site.code,
        "dwelling": "3栋2单元501",
        "category": "建档立卡搬迁户",
        "relocation_year": 2019,
        "move_in_date": "2019-05-01",
        "phone": "13912345678",
        "name": "买买提·艾力",
        "id_number": NEW_ID,
        "relation": "户主",
    }
    return person_row(**{**values, **cells})


def _labor_row(w, **cells) -> list:
    values = {
        "id_number": w.laborer.id_number,
        "capacity": "普通劳动力",
        "willingness": "就地就近就业",
        "status": "已就业",
        "channel": "公益性岗位",
        "job_type": "保洁/环卫",
        "place": "县内",
        "employer": "莎车县环卫所",
        "monthly_income": "1800.50",
        "start_date": "2024-03-01",
        **cells,
    }
    return [values.get(c.key, "") for c in LABOR.columns]


def _dividend_row(w, **cells) -> list:
    values = {
        "household_no": w.household.household_no,
        "project_code": w.project.code,
        "year": 2024,
        "amount": 600,
        "paid_on": "2024-12-20",
        **cells,
    }
    return [values.get(c.key, "") for c in DIVIDEND_LEDGER.columns]


def _ledger_headers(ledger: str) -> list[str]:
    return [c.header for c in LEDGERS[ledger].columns]


IMPORTS = {
    "households": ("/api/v1/households/import/", _household_row),
    "labor": ("/api/v1/employments/import/", _labor_row),
    "dividends": ("/api/v1/dividends/import/", _dividend_row),
}


def upload(world, ledger: str, row: list):
    path, _row = IMPORTS[ledger]
    data = xlsx([row], _ledger_headers(ledger))
    file = SimpleUploadedFile(
        "台账.xlsx",
        data,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    return api(world.alice).post(path, {"file": file, "dry_run": "false"}, format="multipart")


@pytest.mark.parametrize("ledger", IMPORTS)
def test_the_good_sheet_is_imported(world, ledger):
    before = snapshot()
    response = upload(world, ledger, IMPORTS[ledger][1](world))
    assert response.status_code == 200, response.json()
    assert snapshot() != before


@dataclass(frozen=True)
class BadCell:
    """One bad cell of a ledger's sheet: the check lists it by its column (`column`, the
    header) with a Chinese message holding `words`, and the import writes nothing."""

    ledger: str
    cells: dict
    column: str
    words: tuple[str, ...] = ()


IMPORT_CASES = {
    "a dividend of 10^12 yuan": BadCell(
        "dividends", {"amount": 10**12}, "金额", ("9,999,999,999.99",)
    ),
    "a dividend of 10^12 written out": BadCell(
        "dividends", {"amount": "1000000000000元"}, "金额", ("9,999,999,999.99",)
    ),
    "a negative dividend": BadCell("dividends", {"amount": -600}, "金额", ("0 至",)),
    "a dividend to the tenth of a fen": BadCell("dividends", {"amount": "600.001"}, "金额"),
    "a dividend in words": BadCell("dividends", {"amount": "六百元"}, "金额"),
    "a dividend for the year 99999": BadCell("dividends", {"year": 99999}, "年度", ("1949",)),
    "a dividend for the year 1800": BadCell("dividends", {"year": 1800}, "年度", ("1949",)),
    "a dividend for a year to come": BadCell("dividends", {"year": TODAY.year + 1}, "年度"),
    "a dividend paid in 1899": BadCell(
        "dividends", {"paid_on": "1899-12-31"}, "发放日期", ("1900-01-01",)
    ),
    "a dividend paid on 30 February": BadCell("dividends", {"paid_on": "2024-02-30"}, "发放日期"),
    "a dividend of an unknown project": BadCell(
        "dividends", {"project_code": "P999"}, "项目编码", ("P999",)
    ),
    "a dividend of a household outside the area": BadCell(
        "dividends", {"household_no": "653121001-0001"}, "户编号", ("653121001-0001",)
    ),
    "a household relocated in 1999": BadCell(
        "households", {"relocation_year": 1999}, "搬迁年度", ("2001",)
    ),
    "a household relocated in 20199": BadCell(
        "households", {"relocation_year": 20199}, "搬迁年度", ("2001",)
    ),
    "a household moved in in 1899": BadCell(
        "households", {"move_in_date": "1899-05-01"}, "入住日期", ("1900-01-01",)
    ),
    "a household moved in tomorrow": BadCell("households", {"move_in_date": TOMORROW}, "入住日期"),
    "a household of an unknown category": BadCell("households", {"category": "富裕户"}, "搬迁类型"),
    "a household with a phone of 5 digits": BadCell("households", {"phone": "12345"}, "联系电话"),
    "a member named by a zero-width space": BadCell("households", {"name": "\u200b"}, "姓名"),
    "a member named by a blank Braille pattern": BadCell("households", {"name": "\u2800"}, "姓名"),
    "a member named by a lone accent": BadCell("households", {"name": "\u0301"}, "姓名"),
    "a member of 65 characters' name": BadCell("households", {"name": "买" * 65}, "姓名", ("64",)),
    "a member with a wrong check digit": BadCell(
        "households",
        {"id_number": NEW_ID[:17] + ("0" if NEW_ID[17] != "0" else "1")},
        "身份证号",
        ("校验",),
    ),
    "a member born on 30 February": BadCell(
        "households", {"id_number": with_check_char("65312519900230003")}, "身份证号"
    ),
    "a member's ID number as a number Excel cut": BadCell(
        "households", {"id_number": 653125199003070000}, "身份证号"
    ),
    "a member of an unknown relation": BadCell("households", {"relation": "表亲"}, "与户主关系"),
    "a monthly income of 10^9": BadCell(
        "labor", {"monthly_income": 10**9}, "月收入", ("9,999,999.99",)
    ),
    "a negative monthly income": BadCell("labor", {"monthly_income": -1800}, "月收入", ("0 至",)),
    "a job started in 1899": BadCell(
        "labor", {"start_date": "1899-03-01"}, "就业开始日期", ("1900-01-01",)
    ),
    "a job started in 2100": BadCell(
        "labor", {"start_date": "2100-03-01"}, "就业开始日期", ("2099-12-31",)
    ),
    "a labor profile recorded in 1899": BadCell(
        "labor", {"recorded_on": "1899-01-01"}, "登记日期", ("1900-01-01",)
    ),
    "a job of an unknown channel": BadCell("labor", {"channel": "网上"}, "就业渠道"),
    "a laborer of an unknown capacity": BadCell("labor", {"capacity": "超人"}, "劳动能力"),
    "a laborer nobody registered": BadCell(
        "labor", {"id_number": OTHER_ID}, "身份证号", (OTHER_ID[:6],)
    ),
}


@pytest.mark.parametrize("name", IMPORT_CASES)
def test_a_bad_cell_is_listed_in_words_and_nothing_is_imported(world, name):
    case = IMPORT_CASES[name]
    before = snapshot()
    response = upload(world, case.ledger, IMPORTS[case.ledger][1](world, **case.cells))
    assert response.status_code == 400, response.json()
    errors = response.json()["errors"]
    named = [e["message"] for e in errors if e["column"] == case.column]
    assert named, errors
    said = " ".join(named)
    assert CJK.search(said), said
    for word in case.words:
        assert word in said, (word, said)
    assert snapshot() == before


# --- Query strings of lists and dashboards --------------------------------------------------


@dataclass(frozen=True)
class BadQuery:
    """A list's or a dashboard's address with a bad parameter: `key` the API's answer names
    (None for a page, whose error text must hold `words`)."""

    path: str
    key: str | None = None
    words: tuple[str, ...] = ()
    status: int = 400


QUERY_CASES = {
    "a search holding a NUL": BadQuery("/api/v1/households/?search=a%00b", "search", ("U+0000",)),
    "a filter holding an escape": BadQuery("/api/v1/persons/?name=%1b", "name", ("U+001B",)),
    "a parameter name holding a NUL": BadQuery("/api/v1/households/?se%00arch=a", "detail"),
    "a site filter that is text": BadQuery("/api/v1/households/?site=abc", "site"),
    "a household filter that is text": BadQuery("/api/v1/persons/?household=abc", "household"),
    "a page size of 10^20": BadQuery(
        "/api/v1/households/?page_size=100000000000000000000", "page_size", ("500",)
    ),
    "a page size of 0": BadQuery("/api/v1/households/?page_size=0", "page_size"),
    "an unknown ordering": BadQuery("/api/v1/households/?ordering=nonexist", "ordering"),
    "a dashboard month that is text": BadQuery(
        "/api/v1/dashboard/regions/653125/?period=abc", "period", ("YYYY-MM",)
    ),
    "a dashboard month 13": BadQuery(
        "/api/v1/dashboard/regions/653125/?period=2026-13", "period", ("YYYY-MM",)
    ),
    "figures as of a word": BadQuery("/api/v1/indicator-values/?as_of=abc", "as_of"),
    "figures as of the year 1": BadQuery(
        "/api/v1/indicator-values/?as_of=0001-01-01", "as_of", ("2016",)
    ),
    "a dashboard page of month abc": BadQuery("/dashboard/653125/?period=abc", None, ("YYYY-MM",)),
    "a dashboard page of month 2026-13": BadQuery(
        "/dashboard/653125/?period=2026-13", None, ("YYYY-MM",)
    ),
    "a site dashboard page of month abc": BadQuery(
        "/dashboard/site/SITE/?period=abc", None, ("YYYY-MM",)
    ),
    "the reports of month abc": BadQuery("/reports/?period=abc", None, ("YYYY-MM",)),
    "the reports of month 9999-99": BadQuery("/reports/?period=9999-99", None, ("YYYY-MM",)),
    "a records list as of abc": BadQuery(
        "/figures/persons/?region=653125&as_of=abc", None, ("YYYY-MM-DD",)
    ),
    "a household list page -1": BadQuery("/households/?page=-1", None, ("-1",)),
    "a household list page abc": BadQuery("/households/?page=abc", None, ("abc",)),
    "a labor list page 0": BadQuery("/labor/?page=0", None, ("页码",)),
    "a case list page 1.5": BadQuery("/monitoring/cases/?page=1.5", None, ("1.5",)),
    "a worklist page of text": BadQuery("/households/worklist/?page=x", None, ("页码",)),
    "a household search holding an escape": BadQuery("/households/?q=a%1bb", None, ("U+001B",)),
    "a household list of site abc": BadQuery("/households/?site=abc", None, status=200),
    "a labor list filter that is no yes or no": BadQuery(
        "/labor/?employed=maybe", None, ("maybe",), status=200
    ),
}


@pytest.mark.parametrize("name", QUERY_CASES)
def test_a_bad_query_is_refused_in_words(world, name):
    case = QUERY_CASES[name]
    before = snapshot()
    response = browser(world.alice).get(case.path.replace("SITE", str(world.site.pk)))
    assert response.status_code == case.status
    if case.key is not None:
        said = " ".join(messages_of(response.json()[case.key]))
    else:
        said = _errors_shown(response.content.decode())
    assert CJK.search(said), said
    for word in case.words:
        assert word in said, (word, said)
    assert snapshot() == before
