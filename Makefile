# Two commands on a fresh machine: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST_ARGS ?=

.PHONY: install messages run test test-integration test-browser test-api-fuzz browser office lint bench clean

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "resettle needs Python 3.11 or newer; set PYTHON=python3.11")'
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

# Compile the translation catalogs (.mo files are built, not committed).
messages: install
	$(PY) manage.py compilemessages --ignore "$(VENV)" -v 0

run: messages
	$(PY) manage.py migrate --no-input -v 0
	$(PY) manage.py loaddata fixtures/regions.json -v 0
	$(PY) manage.py seed_demo --scale prefecture
	@echo "resettle is serving on http://127.0.0.1:8000 (Ctrl-C stops it)"
	$(PY) manage.py runserver 127.0.0.1:8000

# The whole suite on the embedded default (SQLite, Celery eager). Tests that need the real
# PostgreSQL and Redis servers are marked `integration` and run by `make test-integration`.
test: messages
	$(PY) -m pytest -n 2 -m "not integration and not browser" $(PYTEST_ARGS)

# Everything, including the integration tests, against DATABASE_URL and REDIS_URL.
test-integration: messages
	@test -n "$$DATABASE_URL" || { echo "test-integration needs DATABASE_URL=postgres://…"; exit 1; }
	@test -n "$$REDIS_URL" || { echo "test-integration needs REDIS_URL=redis://…"; exit 1; }
	$(PY) -m pytest -n 2 -m "not browser" $(PYTEST_ARGS)

# Debian's Chromium and CJK fonts for the browser tests (Playwright drives it; it downloads no
# browser of its own). Needs root or sudo for apt-get.
browser:
	@command -v chromium >/dev/null || { \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk >/dev/null; }
	@chromium --version

# LibreOffice Calc (no desktop) to print the monthly workbook to PDF as a leading group would,
# with Carlito (Calibri's metrics: the workbook's font) and the CJK fonts. Needs root or sudo
# for apt-get.
office:
	@{ command -v soffice && fc-match -f '%{family}' Calibri | grep -q Carlito; } >/dev/null 2>&1 || { \
	  SUDO=$$(test "$$(id -u)" = 0 || echo sudo); \
	  $$SUDO apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends \
	    libreoffice-calc-nogui fonts-crosextra-carlito fonts-noto-cjk >/dev/null; }
	@soffice --version

# The browser tests, in real headless Chromium against a live test server (screenshots go to
# test-artifacts/), and the monthly workbook printed through LibreOffice.
test-browser: messages browser office
	$(PY) -m pytest -m browser $(PYTEST_ARGS)

# The API against its schema: schemathesis on a live server over a throwaway database (SQLite,
# or API_FUZZ_DATABASE_URL=postgres://…/name_fuzz); API_FUZZ_ARGS="--coverage" for every boundary.
API_FUZZ_ARGS ?=
test-api-fuzz: messages
	$(PY) .ci/api_fuzz.py $(API_FUZZ_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

bench: messages
	$(PY) -m bench registry

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles
