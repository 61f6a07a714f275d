# LocalCompact: `make run` to serve it with demo data, `make test` to check everything.
# Both do the whole set-up first; nothing else needs installing but Python 3.11+ and Node.

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
# Local development runs with DEBUG on and SQLite unless told otherwise.
export DEBUG ?= true

.PHONY: setup run test lint check audit test-sqlite test-postgres assets clean help

help:
	@echo "make run    set everything up and serve http://127.0.0.1:8000 with demo data"
	@echo "make test   set everything up, then ruff, system checks and the test suite"
	@echo "make setup  the set-up alone (virtual environment, npm, assets, database, compacts)"
	@echo "make audit  bandit, pip-audit and npm audit (needs the network for the last two)"

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

# Security audit. bandit: high-severity findings in the application code fail (`-lll`;
# tests and migrations are excluded in pyproject.toml). pip-audit: every installed Python
# package but the project itself, against PyPI's advisories, else OSV's. npm audit: the
# packages shipped to browsers, then all of them (the build and test tools too). A tool
# that cannot reach its vulnerability database prints SKIPPED and the rest still run; a
# known vulnerability, or a tool failing for any other reason, fails the target.
audit: $(VENV)/.installed node_modules/.installed
	@status=0; \
	echo "== bandit: high-severity findings in localcompact/"; \
	if $(VENV)/bin/bandit -c pyproject.toml -r localcompact -lll -q; then \
		echo "bandit: no high-severity findings"; else status=1; fi; \
	echo "== pip-audit: the installed Python packages"; \
	$(PY) -c "$$AUDIT_PYTHON_PACKAGES" || status=1; \
	echo "== npm audit: the packages shipped to browsers"; \
	$(PY) -c "$$AUDIT_NPM_PACKAGES" --omit=dev || status=1; \
	echo "== npm audit: every package, the build and test tools too"; \
	$(PY) -c "$$AUDIT_NPM_PACKAGES" || status=1; \
	exit $$status

define AUDIT_PYTHON_PACKAGES
import json, subprocess, sys
from pathlib import Path

UNREACHABLE = ("ConnectionError", "NameResolutionError", "Max retries exceeded", "gaierror",
               "Failed to resolve", "Name or service not known", "Temporary failure in name",
               "Connection refused", "timed out", "Timeout", "SSLError", "ProxyError")

def audit(service):
    command = [str(Path(sys.executable).with_name("pip-audit")), "--local", "--skip-editable",
               "--vulnerability-service", service, "--format", "json",
               "--progress-spinner", "off", "--timeout", "30"]
    run = subprocess.run(command, capture_output=True, text=True)
    try:
        report = json.loads(run.stdout)
    except ValueError:
        lines = run.stderr.strip().splitlines() or ["no output"]
        if any(sign in run.stderr for sign in UNREACHABLE):
            return None, f"{service}: {lines[-1][:200]}"
        sys.exit(f"pip-audit failed (exit {run.returncode}):\n{run.stdout}{run.stderr}")
    packages = report["dependencies"]
    audited = [p for p in packages if "skip_reason" not in p]
    if packages and not audited:
        return None, f"{service}: every package skipped ({packages[0]['skip_reason']})"
    return report, None

reasons = []
for service in ("pypi", "osv"):
    report, reason = audit(service)
    if report is not None:
        break
    reasons.append(reason)
else:
    print("SKIPPED: pip-audit could not reach its vulnerability database")
    print("  " + "\n  ".join(reasons))
    sys.exit(0)

packages = report["dependencies"]
found = [(p, v) for p in packages for v in p.get("vulns", [])]
for p in packages:
    if "skip_reason" in p:
        print(f"NOTE: not audited: {p['name']} {p.get('version', '')}: {p['skip_reason']}")
for p, v in found:
    fixed = ", ".join(v.get("fix_versions") or []) or "no fixed version yet"
    print(f"VULNERABLE: {p['name']} {p['version']}: {v['id']} (fixed in: {fixed})")
if found:
    sys.exit(f"pip-audit: {len(found)} known vulnerabilities")
audited = sum(1 for p in packages if "skip_reason" not in p)
print(f"pip-audit: no known vulnerabilities in {audited} packages ({service})")
endef
export AUDIT_PYTHON_PACKAGES

define AUDIT_NPM_PACKAGES
import json, subprocess, sys

NETWORK = {"ENOTFOUND", "EAI_AGAIN", "ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "ENETUNREACH",
           "EHOSTUNREACH", "ESOCKETTIMEDOUT", "ERR_SOCKET_TIMEOUT", "ECONNABORTED"}
command = ["npm", "audit", "--json", "--audit-level=low", "--fetch-timeout=30000",
           "--fetch-retries=1", *sys.argv[1:]]
run = subprocess.run(command, capture_output=True, text=True)
try:
    report = json.loads(run.stdout)
except ValueError:
    report = {}
scope = "shipped packages" if "--omit=dev" in sys.argv else "all packages"
counts = report.get("metadata", {}).get("vulnerabilities")
if counts is not None:
    for name, v in sorted(report.get("vulnerabilities", {}).items()):
        advisories = [a["title"] for a in v.get("via", []) if isinstance(a, dict)]
        print(f"VULNERABLE: {name} ({v['severity']}): {'; '.join(advisories) or 'through ' + ', '.join(v.get('via', []))}")
    if counts.get("total"):
        sys.exit(f"npm audit ({scope}): {counts['total']} known vulnerabilities; see npm audit")
    total = report["metadata"].get("dependencies", {}).get("total", "?")
    print(f"npm audit ({scope}): no known vulnerabilities ({total} packages)")
    sys.exit(0)
error = report.get("error") if isinstance(report.get("error"), dict) else {}
code = error.get("code") or report.get("code")
if report.get("statusCode") or code in NETWORK:
    why = report.get("message") or error.get("summary") or code
    print(f"SKIPPED: npm audit could not reach its vulnerability database ({scope})")
    print(f"  {why}")
    sys.exit(0)
sys.exit(f"npm audit failed (exit {run.returncode}):\n{run.stdout}{run.stderr}")
endef
export AUDIT_NPM_PACKAGES

test-sqlite: $(VENV)/.installed assets
	@test -x /usr/bin/chromium || echo "NOTE: no Chromium at /usr/bin/chromium: the browser and accessibility tests will be SKIPPED (apt-get install chromium to run them)."
	DATABASE_URL= $(VENV)/bin/pytest

# The browser tests (pages, axe, keyboard) run in the SQLite run; on PostgreSQL everything
# else, where the database makes a difference.
test-postgres: $(VENV)/.installed assets
	@case "$$DATABASE_URL" in postgres*) $(VENV)/bin/pytest -m "not browser" ;; \
		*) echo "DATABASE_URL does not point at PostgreSQL: the PostgreSQL run is skipped." ;; esac

test: setup lint check test-sqlite test-postgres

clean:
	rm -rf $(VENV) node_modules localcompact/static/build staticfiles .pytest_cache .ruff_cache
