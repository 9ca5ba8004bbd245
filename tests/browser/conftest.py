"""Real headless Chromium (Debian's package) driven by Playwright against a live test server.

Playwright's sync API runs an event loop in the test's thread; Django's guard against database
calls from async code would trip on it although the calls are synchronous here."""

import io
import os
import shutil
from importlib import import_module
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from playwright.sync_api import sync_playwright

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def chromium():
    path = shutil.which("chromium")
    if path is None:
        pytest.fail("The browser tests need Debian's chromium: run `make browser` first.")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_server):
    context = chromium.new_context(
        viewport={"width": 1500, "height": 1000}, base_url=live_server.url
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page, request):
    ARTIFACTS.mkdir(exist_ok=True)

    def take(name: str) -> Path:
        path = ARTIFACTS / f"{request.node.name}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def demo(transactional_db):
    """The small demo (logins county, site, reviewer, leader … with the demo's password). A
    browser test's database is emptied after each test, reference data recorded by migrations
    with it: the national monitoring line is recorded again first."""
    import_module("monitoring.migrations.0002_national_line_2021").add_line(apps, None)
    call_command("loaddata", "fixtures/regions.json", verbosity=0)
    call_command("seed_demo", "--scale", "small", stdout=io.StringIO())
