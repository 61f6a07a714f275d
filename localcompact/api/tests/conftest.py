import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from localcompact.api.services import token_create
from localcompact.organisations.models import Role
from localcompact.organisations.tests.test_register_fixtures import (
    member_made,
    organisation_made,
    person_made,
)


def token_for(user, *scopes, expires_on: dt.date | None = None) -> str:
    _, text = token_create(
        user=user, name="Test", scopes=list(scopes), expires_on=expires_on, now=timezone.now()
    )
    return text


class ApiClient(Client):
    """A test client that speaks JSON and can carry a token."""

    def __init__(self, token: str | None = None):
        super().__init__()
        self.token = token

    def _headers(self, extra):
        if self.token:
            extra.setdefault("HTTP_AUTHORIZATION", f"Bearer {self.token}")
        return extra

    def get(self, path, data=None, **extra):
        return super().get(path, data, **self._headers(extra))

    def post(self, path, data=None, **extra):
        return super().post(path, data, content_type="application/json", **self._headers(extra))


@pytest.fixture
def council(db):
    return organisation_made("Northfield Council", sector="public")


@pytest.fixture
def charity(db):
    return organisation_made("Riverside Youth Trust", identifiers=("GB-CHC-1234567",))


@pytest.fixture
def officer(council):
    return member_made("olivia", council, Role.OFFICER)


@pytest.fixture
def outsider(db):
    return person_made("olly")
