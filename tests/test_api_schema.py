"""The OpenAPI schema says what the API answers (resettle.api.schema): its error answers, the
nulls and blanks it serves, the version an update needs, the bounds of a page; and the server
answers as it says. schemathesis checks every operation against a live server in CI
(.ci/api_fuzz.py); these check the schema's promises one by one."""

import pytest
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from drf_spectacular.generators import SchemaGenerator
from rest_framework import serializers

from conftest import client_for
from governance.generation import report_generate
from governance.models import DispatchReport
from households.models import Region
from resettle.testing import api_serializers

HOUSEHOLDS = "/api/v1/households/"
HOUSEHOLD = "/api/v1/households/{id}/"


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def responses(schema, path, method):
    return schema["paths"][path][method]["responses"]


def error_schema(schema, path, method, code):
    return responses(schema, path, method)[str(code)]["content"]["application/json"]["schema"]


def resolve(schema, ref_or_schema):
    ref = ref_or_schema.get("$ref")
    if ref is None:
        return ref_or_schema
    return schema["components"]["schemas"][ref.rsplit("/", 1)[-1]]


@pytest.mark.parametrize(
    ("path", "method", "codes", "absent"),
    [
        (HOUSEHOLDS, "get", {"200", "400", "401", "403", "404"}, {"409"}),
        (HOUSEHOLDS, "post", {"201", "400", "401", "403", "409"}, {"404"}),
        (HOUSEHOLD, "get", {"200", "401", "403", "404"}, {"400", "409"}),
        (HOUSEHOLD, "put", {"200", "400", "401", "403", "404", "409"}, set()),
        (HOUSEHOLD, "patch", {"200", "400", "401", "403", "404", "409"}, set()),
        ("/api/v1/dividends/{id}/", "delete", {"204", "401", "403", "404", "409"}, set()),
        ("/api/v1/dispatch-reports/{id}/approve/", "post", {"200", "400", "404", "409"}, set()),
        ("/api/v1/indicators/", "get", {"200", "401", "403"}, {"400", "404", "409"}),
    ],
)
def test_every_operation_documents_the_errors_it_can_give(schema, path, method, codes, absent):
    documented = set(responses(schema, path, method))
    assert codes <= documented
    assert not absent & documented


def test_the_error_bodies_are_the_handlers(schema):
    field_errors = resolve(schema, error_schema(schema, HOUSEHOLD, "patch", 400))
    assert field_errors["type"] == "object"
    assert field_errors["properties"]["non_field_errors"]["items"] == {"type": "string"}
    assert "detail" in field_errors["properties"]
    conflict = resolve(schema, error_schema(schema, HOUSEHOLD, "patch", 409))
    assert {"detail", "current_version", "changed_fields", "changes"} <= set(conflict["properties"])
    not_found = resolve(schema, error_schema(schema, HOUSEHOLD, "get", 404))
    assert not_found["required"] == ["detail"]


def test_an_import_documents_its_result_and_the_field_errors_as_its_400(schema):
    documented = error_schema(schema, "/api/v1/households/import/", "post", 400)
    refs = {option["$ref"].rsplit("/", 1)[-1] for option in documented["anyOf"]}
    assert refs == {"ImportResult", "FieldErrors"}


def request_schema(schema, path, method):
    return schema["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]


def required_fields(schema, body):
    required = set(body.get("required", []))
    for part in body.get("allOf", []):
        required |= required_fields(schema, resolve(schema, part))
    return required


@pytest.mark.parametrize(
    "path",
    [
        HOUSEHOLD,
        "/api/v1/persons/{id}/",
        "/api/v1/industry-projects/{id}/",
        "/api/v1/labor-profiles/{id}/",
        "/api/v1/employments/{id}/",
    ],
)
def test_an_update_requires_the_version_and_a_create_does_not(schema, path):
    for method in ("put", "patch"):
        assert "version" in required_fields(schema, request_schema(schema, path, method))
    create = path.removesuffix("{id}/")
    assert "version" not in required_fields(schema, request_schema(schema, create, "post"))


def test_what_is_served_as_null_or_blank_is_documented(schema):
    components = schema["components"]["schemas"]
    assert components["Region"]["properties"]["parent"]["nullable"] is True
    assert components["DispatchReport"]["properties"]["approved_by"]["nullable"] is True
    # A member's codes are read-only in a household; a blank one is "not known".
    education = components["Member"]["properties"]["education"]
    options = [resolve(schema, option) for option in education["oneOf"]]
    assert any(option.get("enum") == [""] for option in options)


def test_page_size_documents_its_bounds(schema):
    parameters = {p["name"]: p for p in schema["paths"][HOUSEHOLDS]["get"]["parameters"]}
    assert parameters["page_size"]["schema"]["minimum"] == 1
    assert parameters["page_size"]["schema"]["maximum"] == settings.API_MAX_PAGE_SIZE
    assert parameters["page"]["schema"]["minimum"] == 1


def _nullable_source(serializer_class, field) -> bool:
    """Whether `field` of a model serializer reads through a relation or column that may be
    null (so it serves null), following its dotted source from the serializer's model."""
    model = getattr(getattr(serializer_class, "Meta", None), "model", None)
    if model is None or field.source == "*":
        return False
    for part in field.source.split("."):
        try:
            model_field = model._meta.get_field(part)
        except FieldDoesNotExist:
            names = {f.attname: f for f in model._meta.concrete_fields}
            model_field = names.get(part)
        if model_field is None:
            return False
        if model_field.null and not (model_field.many_to_many or model_field.one_to_many):
            return True
        model = model_field.related_model
    return False


def test_every_field_that_can_serve_null_says_so():
    """A read-only field whose source may be null (`parent_id` of a province, the approver of a
    report not approved) must say `allow_null`, or the schema promises a string it breaks."""
    undeclared = []
    for serializer_class in api_serializers():
        for name, field in serializer_class().fields.items():
            if isinstance(field, serializers.BaseSerializer) or field.allow_null:
                continue
            if field.default is not serializers.empty and field.default is not None:
                continue  # served as its default, not null
            if _nullable_source(serializer_class, field):
                undeclared.append(f"{serializer_class.__name__}.{name}")
    assert undeclared == []


@pytest.mark.django_db
def test_the_served_nulls_are_those_documented(alice, shache_household):
    client = client_for(alice)
    assert client.get("/api/v1/regions/65/").json()["parent"] is None
    report = report_generate(
        actor=alice, period="2026-01", region=Region.objects.get(code="653125")
    )
    served = client.get(f"/api/v1/dispatch-reports/{report.pk}/").json()
    assert served["status"] == "draft" and served["approved_by"] is None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "status", "field", "text"),
    [
        ("page_size=0", 400, "page_size", "不小于 1"),
        (f"page_size={settings.API_MAX_PAGE_SIZE + 1}", 400, "page_size", "最多"),
        ("page=0", 400, "page", "不小于 1"),
        ("page=abc", 400, "page", "不小于 1"),
        ("page=9", 404, "detail", "最后一页是第 1 页"),
    ],
)
def test_a_page_out_of_bounds_is_refused_in_words(
    alice, shache_household, query, status, field, text
):
    response = client_for(alice).get(f"{HOUSEHOLDS}?{query}")
    assert response.status_code == status
    assert text in str(response.json()[field])


@pytest.mark.django_db
def test_the_largest_page_is_served(alice, shache_household):
    response = client_for(alice).get(f"{HOUSEHOLDS}?page_size={settings.API_MAX_PAGE_SIZE}")
    assert response.status_code == 200
    assert response.json()["count"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "address",
    ["/api/v1/households/abc.def/", "/api/v1/regions/65%01/", "/api/v1/no-such-list/"],
)
def test_an_unknown_api_address_answers_json(alice, address):
    response = client_for(alice).get(address)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "管辖范围" in response.json()["detail"]


@pytest.mark.django_db
def test_an_unknown_page_address_is_still_a_page(alice):
    response = client_for(alice).get("/no-such-page/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


@pytest.mark.django_db
def test_a_report_asked_for_outside_the_area_names_the_region(alice, regions):
    response = client_for(alice).post(
        "/api/v1/dispatch-reports/generate/", {"period": "2026-01", "region": "653121"}
    )
    assert response.status_code == 400
    assert "653121" in response.json()["region"][0]
    assert not DispatchReport.objects.exists()


@pytest.mark.django_db
def test_an_export_in_another_format_is_a_field_error(alice, shache_household):
    response = client_for(alice).get(f"{HOUSEHOLDS}export/?format=pdf")
    assert response.status_code == 400
    assert ".xlsx" in response.json()["format"][0]


@pytest.mark.django_db
def test_a_field_refused_with_one_message_still_lists_it(alice, shache_site):
    response = client_for(alice).get(f"/api/v1/dashboard/sites/{shache_site.pk}/?period=m")
    assert response.status_code == 400
    assert response.json() == {"period": ["请按 YYYY-MM 填写月份，如 2026-10。"]}
