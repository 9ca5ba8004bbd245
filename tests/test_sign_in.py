"""Sign-in and session security as a cadre meets it."""

import re

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import translation

pytestmark = pytest.mark.django_db


def sign_in(client: Client, password: str):
    return client.post("/login/", {"username": "alice", "password": password})


def test_five_wrong_passwords_lock_the_account_for_thirty_minutes(alice, settings):
    client = Client()
    for _ in range(4):
        assert "请输入一个正确的用户名和密码" in sign_in(client, "wrong").content.decode()
    locked = sign_in(client, "wrong")
    assert locked.status_code == 429
    assert "已被锁定" in locked.content.decode() and "30" in locked.content.decode()
    # Even the right password is refused while locked, from any browser.
    assert sign_in(Client(), "Pw#12345678").status_code == 429
    # An API client is held to the same lock.
    token = Client().post("/api/v1/auth/token/", {"username": "alice", "password": "Pw#12345678"})
    assert token.status_code == 429 and "锁定 30 分钟" in token.json()["detail"]


def test_wrong_passwords_through_the_api_lock_the_account_too(alice):
    for _ in range(5):
        Client().post("/api/v1/auth/token/", {"username": "alice", "password": "wrong"})
    assert sign_in(Client(), "Pw#12345678").status_code == 429


@pytest.mark.parametrize("path", ["/login/", "/api/v1/auth/token/"])
def test_a_name_longer_than_any_account_is_a_wrong_sign_in_not_a_server_error(alice, path):
    """A 400-character name overflowed the lockout's column on PostgreSQL (HTTP 500)."""
    response = Client().post(path, {"username": "x" * 400, "password": "wrong"})
    assert response.status_code in (200, 400)
    # Recorded (where the name reaches the lockout) under the first 150 characters.
    assert {a.username for a in AccessAttempt.objects.all()} <= {"x" * 150}


def test_success_resets_the_count(alice):
    client = Client()
    for _ in range(4):
        sign_in(client, "wrong")
    assert sign_in(client, "Pw#12345678").status_code == 302
    client.logout()
    for _ in range(4):
        assert sign_in(client, "wrong").status_code == 200


def test_sessions_end_after_thirty_idle_minutes(alice):
    client = Client()
    assert sign_in(client, "Pw#12345678").status_code == 302
    response = client.get("/")
    assert response.status_code == 200
    assert client.session.get_expiry_age() == 30 * 60
    assert response.cookies["sessionid"]["max-age"] == ""  # a browser-session cookie
    assert client.session.get_expire_at_browser_close()


@pytest.mark.parametrize(
    ("password", "text"),
    [
        ("Short#1", "太短：只有 7 个字符，至少需要 8 个"),
        ("longpassword1", "缺少符号"),
        ("longpassword#", "缺少数字"),
        ("12345678#", "缺少字母"),
        ("abc", "太短：只有 3 个字符，至少需要 8 个；缺少数字、符号"),
    ],
)
def test_weak_passwords_are_refused_with_the_reason(password, text):
    with translation.override("zh-hans"), pytest.raises(ValidationError) as info:
        validate_password(password, User(username="wang"))
    assert text in " ".join(info.value.messages)


def test_a_strong_password_passes():
    validate_password("Xinjiang#2026", User(username="wang"))


def test_pages_allow_no_inline_code_but_their_own(alice):
    client = Client()
    sign_in(client, "Pw#12345678")
    response = client.get("/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "script-src 'self'" in policy
    assert response["X-Frame-Options"] == "DENY"
    # The API docs' inline script runs because it carries this response's nonce.
    docs = client.get("/api/docs/")
    nonce = re.search(r"script-src 'self' 'nonce-([^']+)'", docs["Content-Security-Policy"])[1]
    assert f'<script nonce="{nonce}">' in docs.content.decode()
