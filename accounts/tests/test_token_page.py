"""The API tokens page (API 令牌) as a cadre uses it in the browser."""

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_create

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_menu_leads_to_the_page_which_lists_tokens_with_their_last_use(alice, admin_user):
    """The header offers API 令牌 to those who connect systems (administrators); a cadre who
    was given a token's address still reaches their own page."""
    assert 'href="/account/tokens/"' in signed_in(admin_user).get("/").content.decode()
    api_token_create(user=alice, name="月报导出脚本")
    token, secret = api_token_create(user=alice, name="县级数据平台")
    used = timezone.now() - dt.timedelta(hours=3)
    ApiToken.objects.filter(pk=token.pk).update(last_used=used)
    client = signed_in(alice)
    assert 'href="/account/tokens/"' not in client.get("/").content.decode()
    page = client.get("/account/tokens/").content.decode()
    assert "月报导出脚本" in page and "县级数据平台" in page
    assert timezone.localtime(used).strftime("%Y-%m-%d %H:%M") in page
    assert "从未使用" in page
    assert secret[:8] in page and secret not in page and token.digest not in page
    assert "7 天未使用即失效" in page


def test_a_named_token_is_shown_once_on_issue(alice):
    client = signed_in(alice)
    response = client.post("/account/tokens/", {"name": "月报导出脚本"})
    page = response.content.decode()
    secret = re.search(r'id="new-token"[^>]*value="([0-9a-f]{64})"', page)[1]
    assert "只显示这一次" in page
    token = ApiToken.objects.get(user=alice)
    assert token.name == "月报导出脚本"
    api = Client(HTTP_AUTHORIZATION=f"Token {secret}")
    assert api.get("/api/v1/households/").status_code == 200
    # Not shown again.
    assert secret not in client.get("/account/tokens/").content.decode()


def test_a_name_in_use_or_no_name_is_refused_in_words_and_nothing_issued(alice):
    api_token_create(user=alice, name="script")
    client = signed_in(alice)
    page = client.post("/account/tokens/", {"name": "script"}).content.decode()
    assert "您已有一个名为“script”的令牌" in page
    page = client.post("/account/tokens/", {"name": "   "}).content.decode()
    assert "请填写令牌的用途" in page
    assert ApiToken.objects.count() == 1


def test_revoking_asks_first_and_another_user_s_token_is_not_found(alice, charlie):
    token, secret = api_token_create(user=alice, name="script")
    client = signed_in(alice)
    confirm = client.get(f"/account/tokens/{token.pk}/revoke/")
    assert "撤销令牌“script”？" in confirm.content.decode()
    assert ApiToken.objects.filter(pk=token.pk).exists()
    assert signed_in(charlie).post(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert signed_in(charlie).get(f"/account/tokens/{token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.filter(pk=token.pk).exists()
    response = client.post(f"/account/tokens/{token.pk}/revoke/", follow=True)
    assert "已撤销令牌“script”" in response.content.decode()
    assert not ApiToken.objects.filter(pk=token.pk).exists()
    assert (
        Client(HTTP_AUTHORIZATION=f"Token {secret}").get("/api/v1/households/").status_code == 401
    )


def test_revoke_all_after_a_confirmation(alice, charlie):
    for name in ("a", "b"):
        api_token_create(user=alice, name=name)
    api_token_create(user=charlie, name="a")
    client = signed_in(alice)
    assert "撤销您的全部 API 令牌？" in client.get("/account/tokens/revoke-all/").content.decode()
    assert ApiToken.objects.filter(user=alice).count() == 2
    response = client.post("/account/tokens/revoke-all/", follow=True)
    assert "已撤销您的全部 API 令牌（2 个）" in response.content.decode()
    assert list(ApiToken.objects.values_list("user__username", flat=True)) == ["charlie"]


def test_the_page_needs_a_sign_in(alice):
    response = Client().get("/account/tokens/")
    assert response.status_code == 302 and "/login/" in response["Location"]
