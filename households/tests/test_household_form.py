"""Creating and editing a household with its members in one form, as a cadre does."""

import datetime as dt

import pytest
from django.test import Client

from conftest import make_user
from households.models import Household, Person
from households.services import household_update
from households.tests.factories import make_id_number

pytestmark = pytest.mark.django_db

NEW_ID = make_id_number("653125", dt.date(2016, 4, 9), 21, "female")
WRONG_ID = NEW_ID[:17] + ("1" if NEW_ID[17] == "0" else "0")


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_values(response) -> dict:
    """What the browser would send back for the page's form as it was shown."""
    data = {}
    forms = [response.context["form"], response.context["formset"].management_form]
    forms += list(response.context["formset"].forms)
    for form in forms:
        for field in form:
            value = field.value()
            if field.widget_type == "nullbooleanselect":
                data[field.html_name] = {True: "true", False: "false"}.get(value, "unknown")
                continue
            if isinstance(value, bool) or field.widget_type == "checkbox":
                if value:
                    data[field.html_name] = "on"
                continue
            if value is None:
                value = ""
            data[field.html_name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


def edit_page(client, household):
    response = client.get(f"/households/{household.pk}/edit/")
    assert response.status_code == 200
    return form_values(response)


def new_member(data, **fields):
    """Fill the empty member row the form offers."""
    index = int(data["members-TOTAL_FORMS"]) - 1
    row = {
        "name": "热依拉·阿卜杜拉",
        "id_number": NEW_ID,
        "relation": "child",
        "ethnicity": "05",
        "schooling": "compulsory",
        "health": "healthy",
        "status": "active",
        **fields,
    }
    data.update({f"members-{index}-{k}": v for k, v in row.items()})
    return data


def test_a_bad_id_is_named_and_nothing_is_saved_then_the_fix_saves(alice, shache_household):
    client = logged_in(alice)
    data = new_member(edit_page(client, shache_household), id_number=WRONG_ID)
    data["dwelling"] = "9栋1单元101"
    response = client.post(f"/households/{shache_household.pk}/edit/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"校验位错误：应为 {NEW_ID[17]}" in html and "没有保存" in html
    shache_household.refresh_from_db()
    assert (shache_household.dwelling, shache_household.version) == ("", 1)
    assert Person.objects.count() == 2

    data = new_member(form_values(response), id_number=NEW_ID)
    response = client.post(f"/households/{shache_household.pk}/edit/", data)
    assert (
        response.status_code == 302
        and response["Location"] == f"/households/{shache_household.pk}/"
    )
    shache_household.refresh_from_db()
    assert (shache_household.dwelling, shache_household.version) == ("9栋1单元101", 2)
    child = Person.objects.get(id_number=NEW_ID)
    assert (child.gender, child.birth_date, child.site_id) == (
        "female",
        dt.date(2016, 4, 9),
        shache_household.site_id,
    )
    # The masked ID numbers sent back untouched kept the stored ones.
    assert not Person.objects.filter(id_number__contains="*").exists()
    assert "已保存搬迁户 653125001-0001。" in client.get(response["Location"]).content.decode()


def test_someone_elses_change_in_between_is_shown_and_nothing_saved(alice, shache_household):
    client = logged_in(alice)
    data = edit_page(client, shache_household)
    household_update(
        actor=None, household=shache_household, data={"dwelling": "别人改的"}, version=1
    )
    data["dwelling"] = "我改的"
    response = client.post(f"/households/{shache_household.pk}/edit/", data)
    html = response.content.decode()
    assert "他人 将楼栋单元门牌从“（空）”改为“别人改的”" in html
    shache_household.refresh_from_db()
    assert shache_household.dwelling == "别人改的"
    # The form kept "我改的"; having read the other change, saving again goes through.
    response = client.post(f"/households/{shache_household.pk}/edit/", form_values(response))
    assert response.status_code == 302
    shache_household.refresh_from_db()
    assert (shache_household.dwelling, shache_household.version) == ("我改的", 3)


def test_a_member_moves_out_with_the_date(alice, shache_household):
    client = logged_in(alice)
    data = edit_page(client, shache_household)
    data["members-1-status"] = "moved_out"
    data["members-1-status_changed_on"] = "2025-03-01"
    assert client.post(f"/households/{shache_household.pk}/edit/", data).status_code == 302
    spouse = shache_household.members.get(relation="spouse")
    assert (spouse.status, spouse.status_changed_on) == ("moved_out", dt.date(2025, 3, 1))


def test_a_new_household_with_its_head(alice, shache_site):
    client = logged_in(alice)
    response = client.get("/households/new/")
    assert response.status_code == 200
    data = form_values(response)
    data.update(
        household_no="653125001-0099",
        site=str(shache_site.pk),
        category="registered_poor",
        poverty_status="lifted",
        property_certificate_status="none",
        move_in_date="2020-05-01",
    )
    new_member(
        data,
        name="买买提·艾力",
        relation="head",
        id_number=make_id_number("653125", dt.date(1970, 1, 2), 3, "male"),
    )
    response = client.post("/households/new/", data)
    assert response.status_code == 302, response.context["form"].errors
    household = Household.objects.get(household_no="653125001-0099")
    head = household.members.get()
    assert (head.registered_on, household.history.first().history_user) == (
        dt.date(2020, 5, 1),
        alice,
    )


def test_who_may_open_the_form(alice, bob, charlie, shache_household, regions):
    assert logged_in(bob).get(f"/households/{shache_household.pk}/edit/").status_code == 403
    assert logged_in(charlie).get(f"/households/{shache_household.pk}/edit/").status_code == 404
    assert logged_in(bob).get("/households/new/").status_code == 403
    leader = make_user("leader", "leader_viewer", "6531")
    assert logged_in(leader).get("/households/new/").status_code == 403
    assert "新增搬迁户" in logged_in(alice).get("/households/").content.decode()
    assert "新增搬迁户" not in logged_in(bob).get("/households/").content.decode()
    assert "编辑" in logged_in(alice).get(f"/households/{shache_household.pk}/").content.decode()


def test_the_site_offered_is_only_where_the_user_may_write(charlie, shache_site, shufu_site):
    response = logged_in(charlie).get("/households/new/")
    sites = list(response.context["form"].fields["site"].queryset)
    assert sites == [shufu_site]


def post(client, household, data):
    return client.post(f"/households/{household.pk}/edit/", data)


def test_a_changed_masked_phone_is_refused_not_saved(alice, shache_household):
    client = logged_in(alice)
    data = edit_page(client, shache_household)
    assert data["phone"] == "138****1234"
    data["phone"] = "138****1230"
    html = post(client, shache_household, data).content.decode()
    assert "请输入完整号码" in html
    shache_household.refresh_from_db()
    assert shache_household.phone == "13812341234"
    data["phone"] = "1380"
    assert "不是有效的电话号码" in post(client, shache_household, data).content.decode()


def test_a_missing_version_asks_for_a_reload(alice, shache_household):
    client = logged_in(alice)
    data = edit_page(client, shache_household)
    data["version"] = ""
    data["members-0-version"] = ""
    html = post(client, shache_household, data).content.decode()
    assert "页面已过期" in html and "第 1 行成员" in html


def test_a_new_member_needs_a_relation_and_one_head_per_household(alice, shache_household):
    client = logged_in(alice)
    data = edit_page(client, shache_household)
    assert data["members-2-relation"] == ""
    data = new_member(data, relation="")
    assert "该字段是必填项" in post(client, shache_household, data).content.decode()
    data = new_member(edit_page(client, shache_household), relation="head")
    html = post(client, shache_household, data).content.decode()
    assert "每户应有且只有一名在册户主，本户将有 2 名" in html
    assert Person.objects.count() == 2


def test_a_new_members_registration_date(alice, shache_household):
    """Someone born before the move-in counts from the move-in; a date before birth is refused."""
    client = logged_in(alice)
    response = post(client, shache_household, new_member(edit_page(client, shache_household)))
    assert response.status_code == 302
    assert Person.objects.get(id_number=NEW_ID).registered_on == dt.date(2019, 6, 1)
    data = edit_page(client, shache_household)
    other = make_id_number("653125", dt.date(2020, 2, 2), 5, "male")
    data = new_member(data, id_number=other, registered_on="2019-12-01")
    html = post(client, shache_household, data).content.decode()
    assert "日期不能早于出生日期（2020-02-02）" in html
    # Born after the move-in and no date given: registered from birth.
    data[f"members-{int(data['members-TOTAL_FORMS']) - 1}-registered_on"] = ""
    assert post(client, shache_household, data).status_code == 302
    assert Person.objects.get(id_number=other).registered_on == dt.date(2020, 2, 2)


def test_the_same_id_twice_in_one_form_names_the_row(alice, shache_household):
    client = logged_in(alice)
    data = edit_page(client, shache_household)
    taken = shache_household.members.order_by("id").first().id_number
    html = post(client, shache_household, new_member(data, id_number=taken)).content.decode()
    assert "已登记为" in html or "与本表第 1 行" in html
    assert Person.objects.count() == 2


def test_household_and_id_mistakes_show_together(alice, shache_household):
    client = logged_in(alice)
    data = new_member(edit_page(client, shache_household), id_number=WRONG_ID)
    data["relocation_year"] = "1899"
    html = post(client, shache_household, data).content.decode()
    assert "「搬迁年度」应在 2001 至" in html and "身份证号校验位错误" in html
