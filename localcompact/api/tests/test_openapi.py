"""The API against its own OpenAPI schema, with schemathesis: every operation, with
generated valid and invalid input, must answer without a server error and as its schema
says (status codes, bodies, content types), and must not ignore its authentication."""

import datetime as dt

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings

from localcompact.api.api import api
from localcompact.compacts.models import Compact
from localcompact.organisations.models import Role
from localcompact.organisations.tests.test_register_fixtures import (
    member_made,
    organisation_made,
    signed,
)

from .conftest import token_for


@pytest.fixture(autouse=True)
def connection_kept_open():
    """schemathesis calls the real WSGI handler, whose request signals close the database
    connection after each request; that would end the test's transaction (PostgreSQL).
    Django's own test client sets them aside in the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_token(shipped_compacts):
    council = organisation_made("Northfield Council", sector="public")
    charity = organisation_made("Riverside Youth Trust", identifiers=("GB-CHC-1234567",))
    leicester = Compact.objects.get(slug="leicester")
    signed(council, leicester, dt.date(2024, 1, 1))
    signed(charity, leicester, dt.date(2024, 2, 1))
    officer = member_made("olivia", council, Role.OFFICER)
    return token_for(officer, "obligations:read", "activities:write")


# The schema as /api/openapi.json serves it (test_the_schema_is_served... checks that),
# built here because schemathesis's lazy fixture loader does not run under pytest 9.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(path_prefix="/api/"))
schema.app = get_wsgi_application()


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_its_schema_says(case, api_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {api_token}"})


def test_the_schema_is_served_and_names_every_operation(client, db):
    body = client.get("/api/openapi.json").json()
    assert body["info"]["title"] == "LocalCompact API"
    assert {
        "/api/compacts",
        "/api/compacts/{slug}",
        "/api/compacts/{slug}/standards",
        "/api/compacts/{slug}/compliance",
        "/api/organisations",
        "/api/organisations/{slug}",
        "/api/me",
        "/api/organisations/{slug}/obligations",
        "/api/organisations/{slug}/activities",
    } <= set(body["paths"])


def test_the_interactive_documentation_is_served_without_a_cdn(client, db):
    response = client.get("/api/docs")
    page = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui-bundle.js" in page and "https://" not in page
