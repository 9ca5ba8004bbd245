"""An administrator (the data API is theirs) issues a named API token for a script and revokes
it, on a phone and a desktop."""

import re

import pytest

from accounts.models import ApiToken

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, username="admin", password="Pw#12345678"):
    page.goto("/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("form.login button")
    page.wait_for_url("**/")


@pytest.mark.parametrize("width", [390, 1366])
def test_issue_a_named_token_see_it_once_and_revoke_it(page, screenshot, admin_user, width):
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page)
    if width < 760:
        # On a phone the header's links wait behind the menu button.
        page.click("header >> text=菜单")
    page.click("header >> text=API 令牌")
    page.fill("#id_name", "月报导出脚本")
    page.click("form.token-form button")
    secret = page.input_value("#new-token")
    assert re.fullmatch(r"[0-9a-f]{64}", secret)
    assert page.locator("text=只显示这一次").is_visible()
    row = page.locator("table.tokens tbody tr", has_text="月报导出脚本")
    assert row.locator(f"text={secret[:8]}…").is_visible()
    # Nothing wider than the screen, on a phone either.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    screenshot(f"issued-{width}")

    page.goto("/account/tokens/")
    assert secret not in page.content()
    page.locator("table.tokens tbody tr", has_text="月报导出脚本").locator("text=撤销").click()
    assert page.locator("h1", has_text="撤销令牌“月报导出脚本”？").is_visible()
    assert ApiToken.objects.filter(name="月报导出脚本").exists()
    page.click("button.danger")
    assert page.locator("text=已撤销令牌“月报导出脚本”").is_visible()
    assert page.locator("text=您目前没有 API 令牌").is_visible()
    assert not ApiToken.objects.exists()
