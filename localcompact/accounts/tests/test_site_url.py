"""SITE_URL: the address e-mails link to, since a worker sending them has no request.

With DEBUG it defaults to the development server; in production it defaults to https://
and the first ALLOWED_HOSTS name, and is refused when it cannot be worked out or is not
a plain address.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from localcompact.settings import site_url

ROOT = Path(__file__).resolve().parents[3]


def test_development_links_to_the_development_server():
    assert site_url("", debug=True, hosts=[]) == "http://127.0.0.1:8000"


def test_production_links_to_the_first_allowed_host_over_https():
    hosts = ["compact.example.org", "health.internal"]
    assert site_url("", debug=False, hosts=hosts) == "https://compact.example.org"


@pytest.mark.parametrize("hosts", [[], [".example.org"], ["*"]])
def test_production_refuses_to_guess_from_a_wildcard_or_nothing(hosts):
    with pytest.raises(ImproperlyConfigured, match="SITE_URL is not set"):
        site_url("", debug=False, hosts=hosts)


@pytest.mark.parametrize(
    "value, expected",
    [
        ("https://compact.example.org", "https://compact.example.org"),
        ("https://compact.example.org/", "https://compact.example.org"),
        ("http://localhost:8000", "http://localhost:8000"),
    ],
)
def test_a_set_value_is_kept_without_its_trailing_slash(value, expected):
    assert site_url(value, debug=False, hosts=["other.example.org"]) == expected


@pytest.mark.parametrize(
    "value",
    [
        "compact.example.org",
        "ftp://compact.example.org",
        "https://",
        "https://compact.example.org/compact/",
        "https://compact.example.org?x=1",
    ],
)
def test_anything_but_a_plain_address_is_refused(value):
    with pytest.raises(ImproperlyConfigured, match="SITE_URL must"):
        site_url(value, debug=True, hosts=[])


def test_the_settings_module_refuses_a_bad_value_at_start_up():
    env = {k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DEBUG")}
    env.update(
        DJANGO_SETTINGS_MODULE="localcompact.settings",
        DEBUG="false",
        SECRET_KEY="k" * 50,
        ALLOWED_HOSTS="compact.example.org",
        SITE_URL="compact.example.org",
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SITE_URL must be an address" in result.stderr
