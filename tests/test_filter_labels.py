"""A list's filters keep their Chinese labels after someone has read the API's schema (Swagger
builds it in English): the schema once left every list reading "Category", "Capacity",
"Placement" … for the whole process (issue 18, item 3)."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_the_lists_filter_labels_stay_chinese_after_the_api_schema_is_read(alice, admin_user):
    reader = Client()
    reader.force_login(admin_user)
    assert reader.get("/api/schema/", HTTP_ACCEPT_LANGUAGE="en-US").status_code == 200

    client = Client()
    client.force_login(alice)
    households = client.get("/households/").content.decode()
    assert '<label for="id_category">搬迁类别</label>' in households
    labor = client.get("/labor/").content.decode()
    assert '<label for="id_capacity">劳动能力</label>' in labor
    assert ">Capacity<" not in labor and ">Category<" not in households
