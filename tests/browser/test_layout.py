"""The pages a cadre works in fit a 1366×768 screen and a 390×844 phone: the page itself never
scrolls sideways (a wide table scrolls in its own box) and the page's main action is on screen,
not cut off at the right; on a phone the menu waits behind its button."""

import pytest

from governance.models import DispatchReport
from households.models import Household
from monitoring.models import MonitoringCase

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

PASSWORD = "Demo#2026resettle"
SCREENS = {"1366": {"width": 1366, "height": 768}, "phone": {"width": 390, "height": 844}}
WORKLISTS = ["zero-employment", "job-matching", "follow-up", "five-clears", "unprofiled"]


def sign_in(page, username, password=PASSWORD):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.login button")
    page.wait_for_url("**/")


def county_pages() -> list[tuple[str, str]]:
    """(address, the page's main action) of the pages a county cadre works in."""
    household = Household.objects.filter(site__county_id="653125").order_by("id").first()
    case = MonitoringCase.objects.filter(household__site__county_id="653125").first()
    report = DispatchReport.objects.filter(region_id="653125").order_by("-period").first()
    return [
        ("/households/", "a:text('新增搬迁户')"),
        (f"/households/{household.pk}/", "a:text('编辑户信息和家庭成员')"),
        (f"/households/{household.pk}/edit/", "form.ledger-form button[type=submit]"),
        ("/households/worklist/", "h1"),
        ("/labor/", "form.filters button"),
        *((f"/labor/worklists/{name}/", "h1") for name in WORKLISTS),
        ("/monitoring/cases/", "form.filters button"),
        (f"/monitoring/cases/{case.pk}/", "summary:text('登记下一环节')"),
        ("/monitoring/alerts/", "form.filters button"),
        ("/reports/", "form.filters button"),
        (f"/reports/{report.pk}/", "a:text('下载调度表')"),
        ("/dashboard/653125/", "#period"),
        ("/governance/sites/?shortfall=any", "form.filters button"),
        (f"/sites/{household.site_id}/governance/", "summary:text('登记网格员')"),
        ("/governance/greenhouses/", "form.filters button"),
    ]


def assert_fits(page, address, action, screen):
    """The page does not scroll sideways and `action` is visible within the screen's width."""
    width = SCREENS[screen]["width"]
    scroll_width = page.evaluate("document.documentElement.scrollWidth")
    assert scroll_width <= width, f"{address} at {screen}: {scroll_width} px wide"
    target = page.locator(action).first
    target.scroll_into_view_if_needed()
    assert target.is_visible(), f"{address} at {screen}: {action} not visible"
    box = target.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= width, f"{address}: {action} cut off"


@pytest.mark.parametrize("screen", ["1366", "phone"])
def test_a_county_cadres_pages_fit_the_screen(chromium, live_server, demo, screen):
    context = chromium.new_context(viewport=SCREENS[screen], base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(15000)
    sign_in(page, "county")
    for address, action in county_pages():
        response = page.goto(address)
        assert response.status == 200, address
        if address.startswith("/dashboard/"):
            page.wait_for_selector("#dashboard[data-ready=true]")
        assert_fits(page, address, action, screen)
    context.close()


def test_on_a_phone_the_menu_opens_from_its_button_and_tables_scroll_in_their_box(
    chromium, live_server, alice, shache_household
):
    context = chromium.new_context(viewport=SCREENS["phone"], base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "alice", "Pw#12345678")
    assert not page.locator("header nav").is_visible()
    page.click("text=菜单")
    assert page.locator("header nav >> text=搬迁户台账").is_visible()
    page.click("header nav >> text=搬迁户台账")
    assert not page.locator("header nav").is_visible()
    table = page.locator("table.ledger").first
    # The ledger is wider than the phone: it scrolls inside its box, the page does not.
    assert table.evaluate("t => t.scrollWidth > t.clientWidth")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # A column header keeps whole words: at least two characters a line.
    widths = table.locator("th").evaluate_all(
        "ths => ths.map(th => th.clientWidth / parseFloat(getComputedStyle(th).fontSize))"
    )
    assert min(widths) >= 2.5, widths
    # A filter's label stays on the drop-down's line.
    label = page.locator("label[for=id_site]").bounding_box()
    select = page.locator("#id_site").bounding_box()
    assert abs(label["y"] + label["height"] / 2 - (select["y"] + select["height"] / 2)) < 12
    context.close()
