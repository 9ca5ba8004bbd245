"""Prefecture staff read the dashboard in a real browser: the charts draw, a county's bar opens
the county, every chart's table shows the chart's numbers; a county cadre sees the county only."""

import re

import pytest

from governance.dashboard import CARDS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Demo#2026resettle"


def sign_in(page, username):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("form.login button")
    page.wait_for_url("**/")


def open_dashboard(page, path="/dashboard/"):
    page.goto(path)
    page.wait_for_selector("#dashboard[data-ready=true]")


def chart_data(page, key):
    """What the chart draws: its categories and its first series, read from ECharts."""
    return page.evaluate(
        """key => {
            const chart = echarts.getInstanceByDom(document.getElementById("chart-" + key));
            const option = chart.getOption();
            const axis = option.xAxis[0].type === "category" ? option.xAxis[0] : option.yAxis[0];
            return {categories: axis.data, values: option.series[0].data};
        }""",
        key,
    )


def number(text):
    """A shown number and how far from the drawn one its rounding may be."""
    text = text.replace(",", "")
    percent = text.endswith("%")
    digits = text.rstrip("%")
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    scale = 100 if percent else 1
    return float(digits) / scale, 0.5 * 10**-decimals / scale


def test_a_reviewer_sees_the_counties_and_clicks_down_to_one(page, screenshot, demo):
    sign_in(page, "reviewer")
    open_dashboard(page)
    assert page.url.endswith("/dashboard/6531/")
    assert page.locator("#cards .card").count() == len(CARDS)  # one card per headline figure
    assert page.locator("#compare-table tbody tr").count() == 2  # the demo's two counties
    charts = page.locator(".chart-box")
    assert charts.count() >= 9
    for index in range(charts.count()):
        canvas = charts.nth(index).locator(".chart canvas")
        assert canvas.count() == 1
        box = canvas.bounding_box()
        assert box["width"] > 200 and box["height"] > 200
    red = page.locator("#compare-table td.flag-red")
    assert red.count() > 0  # the demo has zero-employment households
    screenshot("prefecture")

    # Click the first county's bar of the employment rate chart.
    drawn = chart_data(page, "employment_rate_by_row")
    first = drawn["categories"][0]
    point = page.evaluate(
        """value => echarts.getInstanceByDom(document.getElementById("chart-employment_rate_by_row"))
            .convertToPixel({seriesIndex: 0}, [0, value / 2])""",
        drawn["values"][0],
    )
    chart = page.locator("#chart-employment_rate_by_row")
    chart.scroll_into_view_if_needed()  # a mouse clicks within the window
    box = chart.bounding_box()
    page.mouse.click(box["x"] + point[0], box["y"] + point[1])
    page.wait_for_url(re.compile(r"/dashboard/6531\d\d/$"))
    page.wait_for_selector("#dashboard[data-ready=true]")
    assert first in page.locator("h1").inner_text()
    assert page.locator("#compare-table thead th").first.inner_text() == "安置区"
    screenshot("county")

    # And down to a site: its name in the comparison table opens its dashboard.
    link = page.locator("#compare-table tbody tr td:first-child a").first
    site = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/dashboard/site/\d+/$"))
    page.wait_for_selector("#dashboard[data-ready=true]")
    assert site in page.locator("h1").inner_text()
    # Its households, zero-employment households and cases, and its governance page (issue 19).
    assert page.locator("#links li").count() == 4
    assert page.locator("#links a[href$='/governance/']").count() == 1
    screenshot("site")


def test_every_chart_has_its_numbers_as_a_table(page, demo):
    sign_in(page, "reviewer")
    open_dashboard(page, "/dashboard/6531/")
    keys = page.eval_on_selector_all(".chart-box", "boxes => boxes.map(b => b.dataset.key)")
    assert "employed_by_channel" in keys and "trend_rates" in keys
    for key in keys:
        figure = page.locator(f'.chart-box[data-key="{key}"]')
        figure.locator("button.toggle").click()
        table = figure.locator("table.chart-table")
        assert table.is_visible() and not figure.locator(".chart").is_visible()
        names = table.locator("tbody th").all_inner_texts()
        cells = table.locator("tbody tr td:nth-child(2)").all_inner_texts()
        drawn = chart_data(page, key)
        assert names == drawn["categories"], key
        for text, value in zip(cells, drawn["values"], strict=True):
            if value is None:
                assert text == "—"
            else:
                shown, rounding = number(text)
                assert shown == pytest.approx(value, abs=rounding + 1e-9), key
        figure.locator("button.toggle").click()
        assert figure.locator(".chart").is_visible()


def test_a_county_cadre_sees_only_the_county(page, screenshot, demo):
    sign_in(page, "county")
    open_dashboard(page)
    assert page.url.endswith("/dashboard/653125/")
    assert "莎车县" in page.locator("h1").inner_text()
    assert page.locator("nav.breadcrumbs a", has_text="喀什地区").count() == 0
    rows = page.locator("#compare-table tbody tr")
    assert rows.count() > 0
    assert all(n.startswith("莎车县") for n in rows.locator("td:first-child").all_inner_texts())
    screenshot("county-cadre")
    response = page.goto("/dashboard/6531/")
    assert response.status == 404
