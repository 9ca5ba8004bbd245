"""Issue 18, item 3: the API serves each code with its label (`<field>_display`), in the
user's language (Chinese unless English was picked), so a client shows what the pages show; a report names who took each step by
their 姓名."""

import datetime as dt

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from rest_framework import serializers

from conftest import client_for
from governance.generation import report_generate
from governance.services import report_submit
from households.models import Region
from households.tests.factories import PersonFactory
from monitoring.services import case_open
from resettle.periods import last_ended
from resettle.testing import api_serializers

User = get_user_model()


def test_every_code_field_of_the_api_has_its_label_beside_it():
    missing = []
    for serializer_class in api_serializers():
        fields = serializer_class().fields
        for name, field in fields.items():
            coded = isinstance(field, serializers.ChoiceField) or (
                isinstance(field, serializers.ListField)
                and isinstance(field.child, serializers.ChoiceField)
            )
            if coded and not field.write_only and f"{name}_display" not in fields:
                missing.append(f"{serializer_class.__name__}.{name}")
    assert missing == []


@pytest.mark.django_db
def test_a_household_and_its_person_are_served_with_their_labels(alice, shache_household):
    head = PersonFactory(household=shache_household, relation="head", ethnicity="")
    client = client_for(alice)
    household = client.get(f"/api/v1/households/{shache_household.pk}/").json()
    assert household["category"] == "registered_poor"
    assert household["category_display"] == "建档立卡搬迁户"
    person = client.get(f"/api/v1/persons/{head.pk}/").json()
    assert person["gender_display"] == {"male": "男", "female": "女"}[person["gender"]]
    assert person["relation_display"] == "户主"
    # A blank code is served blank, not as a label.
    assert person["ethnicity"] == "" and person["ethnicity_display"] == ""
    # English stays available by choice (the language the user picked).
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    english = client.get(f"/api/v1/households/{shache_household.pk}/").json()
    assert english["category_display"] == "Registered poor relocated household"


@pytest.mark.django_db
def test_a_case_serves_its_status_and_each_risk_by_name(alice, shache_household):
    case = case_open(
        actor=alice,
        household=shache_household,
        data={
            "category": "marginal",
            "risks": ["illness", "disaster"],
            "found_through": "cadre",
            "opened_on": dt.date.today() - dt.timedelta(days=30),
        },
    )
    served = client_for(alice).get(f"/api/v1/monitoring-cases/{case.pk}/").json()
    assert served["status"] == "alert" and served["status_display"] == "预警"
    assert served["risks"] == ["illness", "disaster"]
    assert served["risks_display"] == ["因病", "因灾"]


@pytest.mark.django_db
def test_a_report_says_each_step_and_who_took_it_by_name(alice, shache_household):
    User.objects.filter(pk=alice.pk).update(first_name="阿依古丽")
    alice.refresh_from_db()
    report = report_generate(
        actor=None, period=last_ended(), region=Region.objects.get(code="653125")
    )
    report_submit(actor=alice, report=report, version=report.version)
    served = client_for(alice).get(f"/api/v1/dispatch-reports/{report.pk}/").json()
    assert served["status_display"] == "已上报"
    assert served["approved_by"] is None and served["approved_by_name"] is None
    steps = [(e["action_display"], e["by_name"]) for e in served["events"]]
    assert steps == [("生成", "系统"), ("上报", "阿依古丽")]
