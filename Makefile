# LocalCompact: `make run` to serve it with demo data, `make test` to check everything.
# Both do the whole set-up first; nothing else needs installing but Python 3.11+ and Node.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Local development runs with DEBUG on and SQLite unless told otherwise.
export DEBUG ?= true

.PHONY: setup run test lint check test-sqlite test-postgres assets clean help

help:
	@echo "make run    set everything up and serve http://127.0.0.1:8000 with demo data"
	@echo "make test   set everything up, then ruff, system checks and the test suite"
	@echo "make setup  the set-up alone (virtual environment, npm, assets, database, compacts)"

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "LocalCompact needs Python 3.11 or newer"'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

localcompact/static/build/.built: node_modules/.installed build-assets.mjs $(wildcard localcompact/static_src/*)
	node build-assets.mjs
	@touch $@

assets: localcompact/static/build/.built

setup: $(VENV)/.installed assets
	$(PY) manage.py migrate --no-input
	$(PY) manage.py load_compacts

run: setup
	$(PY) manage.py seed_demo
	$(PY) manage.py runserver 127.0.0.1:8000

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

check: $(VENV)/.installed
	DJANGO_SETTINGS_MODULE=localcompact.test_settings $(PY) manage.py check --fail-level WARNING
	DEBUG=false SECRET_KEY="$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))')" \
		ALLOWED_HOSTS=compact.example.org DATABASE_URL= \
		$(PY) manage.py check --deploy --fail-level WARNING

test-sqlite: $(VENV)/.installed assets
	@test -x /usr/bin/chromium || echo "NOTE: no Chromium at /usr/bin/chromium: the browser and accessibility tests will be SKIPPED (apt-get install chromium to run them)."
	DATABASE_URL= $(VENV)/bin/pytest

test-postgres: $(VENV)/.installed assets
	@case "$$DATABASE_URL" in postgres*) $(VENV)/bin/pytest ;; \
		*) echo "DATABASE_URL does not point at PostgreSQL: the PostgreSQL run is skipped." ;; esac

test: setup lint check test-sqlite test-postgres

clean:
	rm -rf $(VENV) node_modules localcompact/static/build staticfiles .pytest_cache .ruff_cache
