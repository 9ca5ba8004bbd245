"""The project as a whole: settings, the translation catalog, the API schema and docs."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest

from conftest import client_for

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
    assert "SECRET_KEY must be set" in settings_error(SECRET_KEY="", ALLOWED_HOSTS="example.org")
    assert "API_MAX_PAGE_SIZE='many' is not a whole number" in settings_error(
        API_MAX_PAGE_SIZE="many"
    )
    assert "DATABASE_URL" in settings_error(DATABASE_URL="nonsense://x")
    assert settings_error(DEBUG="0", SECRET_KEY="x" * 60, ALLOWED_HOSTS="example.org") == ""


def test_catalog_is_complete_and_current(tmp_path):
    """Every message in the code is in the committed zh_Hans catalog, translated, not fuzzy.

    makemessages writes into the tree it runs in, so it runs in a copy of the sources."""
    committed = polib.pofile(str(CATALOG))
    assert not committed.untranslated_entries(), [e.msgid for e in committed.untranslated_entries()]
    assert not committed.fuzzy_entries(), [e.msgid for e in committed.fuzzy_entries()]
    copy = tmp_path / "src"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".*", "__pycache__", "*.sqlite3", "staticfiles", "*.egg-info", "*.mo", "test-artifacts"
        ),
    )
    result = subprocess.run(
        [sys.executable, "manage.py", "makemessages", "-l", "zh_Hans", "--no-location", "-v", "0"],
        cwd=copy,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "resettle.settings"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    fresh = polib.pofile(str(copy / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"))
    missing = [e.msgid for e in fresh.untranslated_entries() + fresh.fuzzy_entries()]
    assert not missing, f"run makemessages -l zh_Hans and translate: {missing}"


@pytest.mark.django_db
def test_schema_and_offline_docs(alice):
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
