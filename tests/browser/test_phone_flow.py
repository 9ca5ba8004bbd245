"""A site cadre's round on a phone (390×844): find a household by its head's name, open it,
record an income check and a disaster, then on the head's labor card a job and a follow-up
visit, seeing each saved, and never scrolling sideways."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from conftest import make_user
from employment.models import Employment, FollowUpVisit, LaborProfile
from monitoring.models import Incident, IncomeCheck
from tests.browser.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(viewport=PHONE, base_url=live_server.url, is_mobile=True)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def assert_no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], page.url


def record_form(page, name):
    """The form that records `name` (its hidden `form` field), opened from its summary."""
    form = page.locator(f"form.record-form:has(input[name=form][value={name}])")
    if not form.is_visible():
        form.locator("xpath=ancestor::details[1]/summary").click()
    return form


def test_a_site_cadre_records_a_households_round_on_a_phone(phone, shache_household):
    head = shache_household.members.get(relation="head")
    LaborProfile.objects.create(
        person=head, capacity="ordinary", willingness="local", recorded_on=dt.date(2025, 1, 2)
    )
    make_user("sally", "site_operator", shache_household.site.code)
    page = phone
    page.goto("/login/")
    page.fill("#id_username", "sally")
    page.fill("#id_password", "Pw#12345678")
    page.click("form.login button")
    page.wait_for_url("**/")
    assert_no_sideways_scroll(page)

    # Find the household by its head's name, from the menu.
    page.click("text=菜单")
    page.click("header nav >> text=搬迁户台账")
    page.fill("#id_q", "阿卜杜拉买买提")
    page.click("form.filters button")
    expect(page.locator("text=共 1 户")).to_be_visible()
    assert_no_sideways_scroll(page)
    page.click("table.ledger >> text=653125001-0001")
    assert page.locator("h1", has_text="阿卜杜拉·买买提").is_visible()
    assert_no_sideways_scroll(page)

    # An income check: the check's row shows the per-capita income it works out.
    check = record_form(page, "check")
    check.locator("[name=year]").fill("2025")
    check.locator("[name=checked_on]").fill("2025-12-20")
    check.locator("[name=household_size]").fill("2")
    check.locator("[name=wage_income]").fill("24000")
    check.locator("button[type=submit]").click()
    expect(page.locator("ul.messages >> text=已保存。")).to_be_visible()
    row = page.locator("table.ledger tr", has_text="2025-12-20")
    expect(row.locator("td", has_text="12000").first).to_be_visible()
    assert_no_sideways_scroll(page)

    # A disaster.
    incident = record_form(page, "incident")
    incident.locator("[name=kind]").select_option("disaster")
    incident.locator("[name=occurred_on]").fill("2025-12-21")
    incident.locator("[name=note]").fill("大风刮坏温室大棚")
    incident.locator("button[type=submit]").click()
    expect(page.locator("ul.messages >> text=已保存。")).to_be_visible()
    assert_no_sideways_scroll(page)

    # The head's labor card: a job, then a follow-up visit, each on the timeline.
    page.locator("a[href*='/labor/persons/']", has_text="阿卜杜拉·买买提").click()
    assert page.locator("h1", has_text="劳动力信息卡").is_visible()
    job = record_form(page, "spell")
    job.locator("[name=channel]").select_option("public_welfare")
    job.locator("[name=job_type]").select_option("forest_ranger")
    job.locator("[name=place]").select_option("county")
    job.locator("[name=start_date]").fill("2025-12-01")
    job.locator("button[type=submit]").click()
    timeline = page.locator("table.timeline")
    expect(timeline.locator("tr", has_text="护林员")).to_be_visible()
    assert_no_sideways_scroll(page)
    visit = record_form(page, "visit")
    visit.locator("[name=visited_on]").fill("2025-12-22")
    visit.locator("[name=note]").fill("在岗 收入稳定")
    visit.locator("button[type=submit]").click()
    expect(timeline.locator("tr", has_text="在岗 收入稳定")).to_be_visible()
    assert_no_sideways_scroll(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "phone-round-labor-card.png"), full_page=True)

    assert IncomeCheck.objects.filter(household=shache_household, year=2025).exists()
    assert Incident.objects.filter(household=shache_household, kind="disaster").exists()
    assert Employment.objects.filter(person=head, job_type="forest_ranger").exists()
    assert FollowUpVisit.objects.filter(person=head, note="在岗 收入稳定").exists()
