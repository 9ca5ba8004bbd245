"""A county cadre keeps the household ledger in a real browser."""

import datetime as dt

import pytest

from households.models import Person
from households.tests.factories import make_id_number

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NEW_ID = make_id_number("653125", dt.date(2015, 8, 20), 33, "male")
WRONG_ID = NEW_ID[:17] + ("1" if NEW_ID[17] == "0" else "0")


def sign_in(page, username="alice", password="Pw#12345678"):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.login button")
    page.wait_for_url("**/")


def test_find_a_household_add_a_member_fix_the_id_and_save(
    page, screenshot, alice, shache_household
):
    sign_in(page)
    page.click("nav >> text=搬迁户台账")
    page.fill("#id_q", "653125001-0001")
    page.click("form.filters button")
    assert page.locator("text=共 1 户").is_visible()
    page.click("table.ledger >> text=653125001-0001")
    page.click("text=编辑户信息和家庭成员")

    row = page.locator("table.members tbody tr").last
    row.locator("input[name$='-name']").fill("艾力·阿卜杜拉")
    row.locator("input[name$='-id_number']").fill(WRONG_ID)
    row.locator("select[name$='-relation']").select_option("grandchild")
    page.click("form.ledger-form button[type=submit]")
    message = page.locator(f"text=身份证号校验位错误：应为 {NEW_ID[17]}")
    assert message.is_visible()
    assert page.locator("text=没有保存任何内容").is_visible()
    screenshot("bad-id")
    assert not Person.objects.filter(name="艾力·阿卜杜拉").exists()

    page.locator("table.members tbody tr").last.locator("input[name$='-id_number']").fill(NEW_ID)
    page.click("form.ledger-form button[type=submit]")
    assert page.locator("text=已保存搬迁户 653125001-0001").is_visible()
    members = page.locator("table.ledger").first
    assert members.locator("text=艾力·阿卜杜拉").is_visible()
    assert members.locator(f"text={NEW_ID[:6]}********{NEW_ID[-4:]}").is_visible()
    screenshot("saved")
    person = Person.objects.get(name="艾力·阿卜杜拉")
    assert (person.gender, person.birth_date) == ("male", dt.date(2015, 8, 20))


def test_a_reviewer_reads_but_cannot_edit(page, bob, shache_household):
    sign_in(page, "bob")
    page.goto(f"/households/{shache_household.pk}/")
    assert page.locator("h1", has_text="653125001-0001").is_visible()
    assert page.locator("text=编辑户信息和家庭成员").count() == 0
    response = page.goto(f"/households/{shache_household.pk}/edit/")
    assert response.status == 403
