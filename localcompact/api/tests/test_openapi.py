"""The API against its own OpenAPI schema, with schemathesis: every operation, with
generated valid and invalid input, must answer without a server error and as its schema
says (status codes, bodies, content types), and must not ignore its authentication."""

import re

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    ignored_auth,
    not_a_server_error,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)
from schemathesis.core import NOT_SET

from localcompact.api.api import api
from localcompact.api.models import Scope
from localcompact.organisations.models import CompactRole, CompactRoleKind

from .conftest import token_for
from .test_permissions import OPERATIONS


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
def api_token(scene):
    """A token with every scope, of the council's officer who is also on Leicester's
    support team: every write is open to it, on the scene's records (conftest.Scene)."""
    CompactRole.objects.create(
        compact=scene.leicester, user=scene.officer, kind=CompactRoleKind.SUPPORT_TEAM
    )
    return token_for(scene.officer, *Scope.values)


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
    headers = {"Authorization": f"Bearer {api_token}"}
    response = case.call(headers=headers)
    # Rules reach beyond what a schema can say (a period that ends before it starts, a
    # date not in the future, a schedule within the award, an answer that is not blank, an
    # Idempotency-Key used for another request...): schema-valid data may be refused by
    # them, but only by them, never by the schema's own validation.
    case.validate_response(response, headers=headers, excluded_checks=[positive_data_acceptance])
    positive = case.meta is not None and case.meta.generation.mode.is_positive
    if positive and response.status_code == 422:
        assert response.json()["detail"].startswith("The request was refused."), response.text


def _path_parameters(template: str, path: str) -> dict:
    pattern = re.sub(r"\\{(\w+)\\}", r"(?P<\1>[^/]+)", re.escape(template))
    return re.fullmatch(pattern, path).groupdict()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "key",
    [key for key, op in OPERATIONS.items() if op.scope],
    ids=lambda k: f"{k[0].upper()} {k[1]}",
)
def test_no_operation_with_a_token_ignores_it(scene, key):
    """schemathesis's `ignored_auth` check on each operation that needs a token, called
    as the person allowed to (so that it succeeds): the same request without the token,
    and with a made-up one, must be refused. (Access to other organisations' objects is
    the `other` column of test_permissions.py.)"""
    op = OPERATIONS[key]
    op.before(scene)
    owner = op.people(scene)[0]
    method, path = key
    case = schema[path][method.upper()].Case(
        path_parameters=_path_parameters(path, op.path(scene)),
        body=op.body(scene) or {} if method != "get" else NOT_SET,
        media_type="application/json" if method != "get" else None,
    )
    response = case.call_and_validate(
        headers={"Authorization": f"Bearer {token_for(owner, op.scope)}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            response_schema_conformance,
            ignored_auth,
        ],
    )
    assert 200 <= response.status_code < 300, response.text


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
        "/api/consultations",
        "/api/meetings",
        "/api/awards",
        "/api/organisations/{slug}/consultations",
        "/api/consultations/{id}/responses",
        "/api/compacts/{slug}/meetings",
        "/api/organisations/{slug}/awards",
        "/api/awards/{id}/payments",
    } <= set(body["paths"])
    # each app's statuses under a name of its own
    components = body["components"]["schemas"]
    assert "Status" not in components
    assert "cancelled" in components["ObligationStatus"]["enum"]
    assert "analysis" in components["ConsultationStatus"]["enum"]


def test_the_interactive_documentation_is_served_without_a_cdn(client, db):
    response = client.get("/api/docs")
    page = response.content.decode()
    assert response.status_code == 200
    assert "swagger-ui-bundle.js" in page and "https://" not in page
