"""The project as a whole: settings, the translation catalog, the API schema and docs."""

import os
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
CATALOG = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def settings_error(**env) -> str:
    """Import the settings in a fresh interpreter with `env`; return what it printed on failure."""
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "resettle.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return result.stderr if result.returncode else ""


def test_settings_fail_loudly_on_bad_values():
    assert "DEBUG='perhaps' is not a boolean" in settings_error(DEBUG="perhaps")
    assert "SECRET_KEY must be set" in settings_error(DEBUG="0", SECRET_KEY="")
    assert "API_MAX_PAGE_SIZE='many' is not a whole number" in settings_error(
        API_MAX_PAGE_SIZE="many"
    )
    assert "DATABASE_URL" in settings_error(DATABASE_URL="nonsense://x")
    assert settings_error(DEBUG="0", SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.org") == ""


def test_catalog_is_complete_and_current(tmp_path):
    """Every message in the code is in the committed zh_Hans catalog, translated, not fuzzy."""
    committed = polib.pofile(str(CATALOG))
    assert not committed.untranslated_entries(), [e.msgid for e in committed.untranslated_entries()]
    assert not committed.fuzzy_entries(), [e.msgid for e in committed.fuzzy_entries()]
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        with override_settings(LOCALE_PATHS=[str(tmp_path)]):
            call_command(
                "makemessages",
                locale=["zh_Hans"],
                ignore_patterns=[".venv", "staticfiles"],
                no_location=True,
                verbosity=0,
            )
    finally:
        os.chdir(cwd)
    fresh = polib.pofile(str(tmp_path / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    known = {(e.msgctxt, e.msgid) for e in committed if not e.obsolete}
    missing = [e.msgid for e in fresh if (e.msgctxt, e.msgid) not in known]
    assert not missing, f"run makemessages -l zh_Hans and translate: {missing}"


@pytest.mark.django_db
def test_schema_and_offline_docs(alice):
    from conftest import client_for

    client = client_for(alice)
    schema = client.get("/api/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in [
        "/api/v1/households/",
        "/api/v1/households/{id}/history/",
        "/api/v1/persons/",
        "/api/v1/sites/",
        "/api/v1/regions/",
        "/api/v1/indicators/",
        "/api/v1/indicator-values/",
        "/api/v1/auth/token/",
    ]:
        assert path in paths, path
    client.force_login(alice)
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
