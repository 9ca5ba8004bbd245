"""The 400, 403, 404 and 500 pages: in Chinese, in the site's layout, with a way back.

Django's own debug pages stand in for the 404 and the 500 only when a developer asks for them
with DEBUG=1; `make run` and a deployment leave DEBUG off (the settings' default)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from conftest import make_user
from resettle.error_pages import permission_denied

ROOT = Path(__file__).resolve().parent.parent


def page_for(user=None, **kwargs) -> Client:
    client = Client(**kwargs)
    if user is not None:
        client.force_login(user)
    return client


def assert_site_page(response, status: int, title: str):
    """The answer is the site's page: the status, the Chinese title, the layout's header and a
    way back to the home page."""
    html = response.content.decode()
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert f"<title>{title} · resettle</title>" in html
    assert '<a class="brand" href="/">易地扶贫搬迁后续扶持</a>' in html
    assert '<a class="button primary" href="/">返回首页</a>' in html
    return html


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.django_db
def test_a_site_cadre_opening_a_county_action_reads_why_in_chinese(debug, shache_site):
    cadre = make_user("sally", "site_operator", shache_site.code)
    with override_settings(DEBUG=debug):
        response = page_for(cadre).get("/industry/projects/new/")
    html = assert_site_page(response, 403, "无权操作")
    assert "您的角色不能新建项目。" in html
    # The user's own menu: the page is in the layout they know.
    assert ">搬迁户台账</a>" in html


@pytest.mark.django_db
def test_a_refusal_without_a_reason_says_what_to_do(shache_site):
    """Django's own refusals (PermissionDenied without a message) get the page's own words."""
    cadre = make_user("sally", "site_operator", shache_site.code)
    request = page_for(cadre).get("/").wsgi_request
    html = assert_site_page(permission_denied(request, PermissionDenied()), 403, "无权操作")
    assert "您的角色不能在这里做这项操作。如工作需要，请联系系统管理员。" in html


@pytest.mark.django_db
def test_a_record_outside_the_area_is_not_found_with_the_way_back(alice, shufu_household):
    client = page_for(alice)
    came_from = "http://testserver/households/?q=0001"
    response = client.get(f"/households/{shufu_household.pk}/", HTTP_REFERER=came_from)
    html = assert_site_page(response, 404, "未找到")
    assert "没有这个页面或记录，或者它不在您的管辖范围内" in html
    assert f'<a class="button" href="{came_from.replace("&", "&amp;")}">返回上一页</a>' in html
    # A link from another site is not offered as the way back.
    other = client.get(f"/households/{shufu_household.pk}/", HTTP_REFERER="https://evil.example/")
    assert "返回上一页" not in other.content.decode()
    assert "evil.example" not in other.content.decode()


@pytest.mark.django_db
def test_an_unknown_address_is_the_site_page_for_a_user_signed_out():
    html = assert_site_page(page_for().get("/no-such-page/"), 404, "未找到")
    assert "返回上一页" not in html


@override_settings(ROOT_URLCONF="tests.error_urls")
@pytest.mark.django_db
def test_a_failing_page_answers_with_the_site_page(alice):
    client = page_for(alice, raise_request_exception=False)
    response = client.get("/failing-page/", HTTP_REFERER="http://testserver/households/")
    html = assert_site_page(response, 500, "服务器出错")
    assert "请先查看刚才的操作是否已保存" in html
    assert '<a class="button" href="http://testserver/households/">返回上一页</a>' in html
    assert "RuntimeError" not in html


@pytest.mark.django_db
def test_a_request_for_another_host_is_refused_in_chinese():
    response = page_for().get("/", HTTP_HOST="evil.example")
    html = assert_site_page(response, 400, "请求无法处理")
    assert "无法识别这个网址或提交的表单" in html
    assert "evil.example" not in html


@pytest.mark.parametrize("debug", [False, True])
@pytest.mark.django_db
def test_a_page_number_that_is_no_number_is_refused_on_the_site_page(debug, alice):
    with override_settings(DEBUG=debug):
        response = page_for(alice).get("/households/?page=abc")
    assert_site_page(response, 400, "请求无法处理")


@pytest.mark.django_db
def test_a_form_from_an_expired_page_says_to_reload_it(alice):
    client = page_for(alice, enforce_csrf_checks=True)
    response = client.post("/logout/", HTTP_REFERER="http://testserver/households/")
    html = assert_site_page(response, 403, "无权操作")
    assert "这个表单已过期" in html
    assert "CSRF" not in html


@pytest.mark.django_db
def test_the_api_answers_its_errors_in_json(alice):
    response = page_for(alice).get("/api/v1/no-such-thing/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "未找到该记录，或它不在您的管辖范围内。"}


def settings_value(name: str, **env) -> str:
    """A setting's value as a fresh interpreter reads it from the environment `env` (DEBUG and
    SECRET_KEY left out unless given, as `make run` leaves them)."""
    base = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            f"import django; django.setup(); from django.conf import settings; "
            f"print(settings.{name})",
        ],
        env={**base, "DJANGO_SETTINGS_MODULE": "resettle.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def test_debug_pages_only_when_a_developer_asks():
    assert settings_value("DEBUG") == "False"
    assert settings_value("DEBUG", DEBUG="1") == "True"
    # A developer trying the site from a phone on the network serves its address too.
    assert settings_value("ALLOWED_HOSTS", DEBUG="1", ALLOWED_HOSTS="192.168.1.5") == (
        "['192.168.1.5']"
    )
    # `make run` serves the static files itself with DEBUG off: WhiteNoise finds them in the
    # sources.
    assert settings_value("WHITENOISE_USE_FINDERS") == "True"
    assert "DEBUG" not in (ROOT / "Makefile").read_text().split("\nrun:")[1].split("\n\n")[0]


@pytest.mark.django_db
def test_the_browsers_icon_request_is_answered_without_a_page(alice):
    """Every page view asks for /favicon.ico; it was answered by the 404 page, the whole layout
    with the user's menu rendered again. Now: no content, cached a day, and only the reads of
    the request's own checks (session, user)."""
    client = page_for(alice)
    with CaptureQueriesContext(connection) as icon:
        response = client.get("/favicon.ico")
    assert response.status_code == 204 and not response.content
    assert "max-age=86400" in response["Cache-Control"]
    with CaptureQueriesContext(connection) as missing:
        assert client.get("/no-such-page/").status_code == 404
    assert len(icon.captured_queries) < len(missing.captured_queries)
