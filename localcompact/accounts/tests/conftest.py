import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from localcompact.accounts.testing import verified_email

PASSWORD = "a long and quite memorable passphrase"


@pytest.fixture(autouse=True)
def fresh_cache():
    # allauth keeps rate limits and used TOTP codes in the cache.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def make_account(db):
    def make(name: str = "alex", *, staff: bool = False):
        user = get_user_model().objects.create_user(name, password=PASSWORD, is_staff=staff)
        verified_email(user, f"{name}@example.org")
        return user

    return make


@pytest.fixture(autouse=True)
def _real_two_factor(real_mfa):
    """These tests see the two-factor requirement as it is."""
