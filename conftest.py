"""Fixtures shared by every app's tests."""

import io

import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.fixture
def shipped_compacts(db):
    """The compact definitions the project ships, loaded."""
    call_command("load_compacts", dir=settings.COMPACT_DEFINITIONS_DIR, stdout=io.StringIO())


@pytest.fixture
def real_mfa():
    """Asks for the two-factor requirement as it is (see `two_factor_set_up`)."""


@pytest.fixture(autouse=True)
def two_factor_set_up(request, monkeypatch):
    """Staff and compact support team members must set up an authenticator app before
    any page but their account's (localcompact.accounts). Tests of other things sign
    them in with `force_login`, without one, so here they count as having set it up;
    tests of two-factor authentication itself ask for `real_mfa`."""
    if "real_mfa" not in request.fixturenames:
        monkeypatch.setattr("localcompact.accounts.middleware.has_totp", lambda user: True)
