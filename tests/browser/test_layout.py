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
# A list's filter button, or on a phone the button that unfolds its filters.
FILTERS = "form.filters button:visible, label.filters-button:visible"


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
        ("/labor/", FILTERS),
        *((f"/labor/worklists/{name}/", "h1") for name in WORKLISTS),
        ("/monitoring/cases/", FILTERS),
        (f"/monitoring/cases/{case.pk}/", "summary:text('登记下一环节')"),
        ("/monitoring/alerts/", FILTERS),
        ("/reports/", FILTERS),
        (f"/reports/{report.pk}/", "a:text('下载调度表')"),
        ("/dashboard/653125/", "#period"),
        ("/governance/sites/?shortfall=any", FILTERS),
        (f"/sites/{household.site_id}/governance/", "summary:text('登记网格员')"),
        ("/governance/greenhouses/", FILTERS),
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
    # A filter's label stays on the drop-down's line (the filters unfolded).
    page.click("label.filters-button")
    label = page.locator("label[for=id_site]").bounding_box()
    select = page.locator("#id_site").bounding_box()
    assert abs(label["y"] + label["height"] / 2 - (select["y"] + select["height"] / 2)) < 12
    context.close()


def test_on_a_phone_a_lists_filters_fold_behind_their_button_but_the_search_box(
    chromium, live_server, demo
):
    """The household list's eight filters took ~280 px before the first row: folded, the search
    box stays, the first row is on the first screen, and a set filter opens the fold."""
    context = chromium.new_context(viewport=SCREENS["phone"], base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "county")
    page.goto("/households/")
    assert page.locator("label.filters-button", has_text="更多筛选").is_visible()
    assert page.locator("#id_q").is_visible() and not page.locator("#id_site").is_visible()
    first_row = page.locator("table.ledger tbody tr").first.bounding_box()
    assert first_row["y"] + first_row["height"] < SCREENS["phone"]["height"]
    page.click("label.filters-button")
    assert page.locator("#id_site").is_visible()

    # A filter set in the address: the fold is open and says how many are set.
    page.goto("/households/?category=registered_poor&ordering=household_no")
    assert page.locator("label.filters-button", has_text="已设 1 项").is_visible()
    assert page.locator("#id_category").is_visible()
    # A list without a search box folds all of its filters.
    page.goto("/monitoring/alerts/")
    assert page.locator("label.filters-button", has_text="筛选").is_visible()
    assert not page.locator("form.filters button").is_visible()
    context.close()

    context = chromium.new_context(viewport=SCREENS["1366"], base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "county")
    page.goto("/households/")
    assert not page.locator("label.filters-button").is_visible()
    assert page.locator("#id_site").is_visible() and page.locator("#id_q").is_visible()
    context.close()


@pytest.mark.parametrize("username", ["admin", "county", "site"])
def test_at_1366_the_menu_stays_on_one_line(chromium, live_server, demo, username):
    """An administrator's menu (the longest, with 数据接口 and 系统管理) wrapped onto a second
    line at 1366 px; the role and area now sit under the user's name."""
    context = chromium.new_context(viewport=SCREENS["1366"], base_url=live_server.url)
    page = context.new_page()
    sign_in(page, username)
    entries = "header nav > a, header nav > .menu-group > a"  # not the worklists under them
    tops = page.locator(entries).evaluate_all(
        "links => links.map(a => Math.round(a.getBoundingClientRect().top))"
    )
    assert len(set(tops)) == 1, tops
    assert page.locator("header .who .scope").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 1366
    context.close()


@pytest.mark.parametrize("screen", ["1366", "phone"])
def test_each_worklist_is_a_click_away_in_the_menu(chromium, live_server, demo, screen):
    """Under 就业台账 the menu lists its worklists, each with its count: on a wide screen they
    open under the entry when the pointer rests on it, in the phone's menu they lie open."""
    context = chromium.new_context(viewport=SCREENS[screen], base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "county")
    labor = page.locator("header .menu-group").filter(has_text="就业台账").first
    worklists = labor.locator(".menu-worklists a")
    assert worklists.count() >= 1
    assert not worklists.first.is_visible()  # folded until asked for
    if screen == "phone":
        page.click("label.menu-button")
    else:
        labor.locator("> a").hover()
    assert worklists.first.is_visible()
    box = worklists.first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= SCREENS[screen]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREENS[screen]["width"]
    target = worklists.first.get_attribute("href")
    worklists.first.click()
    page.wait_for_url(f"**{target}")
    context.close()


def test_on_a_phone_why_a_household_is_on_a_worklist_reads_across_not_down(
    chromium, live_server, demo
):
    """信息待补录 lists what a household lacks; in a column of four characters' width a dozen
    items ran 400 px down the row. The reason keeps a readable width, in the table's box."""
    household = Household.objects.filter(site__county_id="653125").order_by("id").first()
    Household.objects.filter(pk=household.pk).update(
        poverty_status="", old_house_demolished=None, hukou_transferred=None
    )
    household.members.update(ethnicity="", health="", schooling="")
    context = chromium.new_context(viewport=SCREENS["phone"], base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "county")
    page.goto("/households/worklist/")
    why = page.locator("table.ledger td.why").first
    assert "缺：脱贫状态" in why.inner_text()
    size = why.evaluate("td => parseFloat(getComputedStyle(td).fontSize)")
    box = why.bounding_box()
    assert box["width"] >= 14 * size and box["height"] <= 12 * size, box
    assert page.evaluate("document.documentElement.scrollWidth") <= SCREENS["phone"]["width"]
    context.close()


def test_on_a_phone_a_report_row_is_a_few_lines_tall(chromium, live_server, demo):
    """月调度: who submitted and approved a report, and when, ran five lines down a narrow
    column; the time now goes under the name."""
    context = chromium.new_context(viewport=SCREENS["phone"], base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "reviewer")
    page.goto("/reports/")
    rows = page.locator("table.ledger tbody tr")
    size = rows.first.evaluate("tr => parseFloat(getComputedStyle(tr).fontSize)")
    heights = rows.evaluate_all("trs => trs.map(tr => tr.getBoundingClientRect().height)")
    assert max(heights) <= 5.5 * size, heights
    context.close()


def test_masked_numbers_read_at_the_size_of_the_text_around_them(chromium, live_server, demo):
    """A masked phone or ID number (monospace) was set at 13 px beside 16 px text, and sat
    above its line on the household page."""
    household = Household.objects.filter(site__county_id="653125").order_by("id").first()
    context = chromium.new_context(viewport=SCREENS["1366"], base_url=live_server.url)
    page = context.new_page()
    sign_in(page, "county")
    page.goto(f"/households/{household.pk}/")
    sizes = page.locator("dl.facts dd.masked, dl.facts dt").evaluate_all(
        "els => els.map(e => parseFloat(getComputedStyle(e).fontSize))"
    )
    assert min(sizes) == max(sizes), sizes
    context.close()
