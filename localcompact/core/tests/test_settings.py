"""Settings come from the environment and refuse bad or missing values."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def django_check(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    clean.update(env, DJANGO_SETTINGS_MODULE="localcompact.settings")
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_production_refuses_to_start_without_a_secret_key():
    result = django_check(DEBUG="false", ALLOWED_HOSTS="example.org")
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_production_refuses_to_start_without_allowed_hosts():
    result = django_check(DEBUG="false", SECRET_KEY="k" * 50, ALLOWED_HOSTS="")
    assert result.returncode != 0
    assert "ALLOWED_HOSTS must list" in result.stderr


def test_a_value_that_is_not_a_boolean_is_refused_not_guessed():
    result = django_check(DEBUG="maybe")
    assert result.returncode != 0
    assert "DEBUG must be true or false, not 'maybe'" in result.stderr


@pytest.mark.parametrize("debug", ["true", "1", "yes", "on"])
def test_development_runs_without_a_secret(debug):
    assert django_check(DEBUG=debug).returncode == 0


def test_an_empty_database_url_means_the_default_sqlite_file():
    assert django_check(DEBUG="true", DATABASE_URL="").returncode == 0
