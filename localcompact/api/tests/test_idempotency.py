"""`Idempotency-Key` on writes (localcompact/api/idempotency.py): a write sent again with
its key is answered again, not done again; a key is its token's own; error answers and
old keys are not kept."""

import datetime as dt
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.utils import timezone

from localcompact.api.api import api
from localcompact.api.idempotency import lock_id
from localcompact.api.models import ApiToken, IdempotentWrite
from localcompact.governance.models import Meeting
from localcompact.organisations.models import CompactRole, CompactRoleKind
from localcompact.organisations.tests.test_register_fixtures import person_made

from .conftest import ApiClient, days, token_for

URL = "/api/compacts/leicester/meetings"
BODY = {"title": "Board", "on": days(50).isoformat(), "place": "Library"}
KEY = "5b6f0b0e-6c1a-4d51-9a70-3f2b8e1c9d47"


class AnswerLost:
    """After the write's transaction has committed, the answer is lost: a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        self.get_response(request)
        raise ConnectionError("the database went away before the answer was sent")


@pytest.fixture
def support(shipped_compacts):
    from localcompact.compacts.models import Compact

    person = person_made("sue")
    CompactRole.objects.create(
        compact=Compact.objects.get(slug="leicester"),
        user=person,
        kind=CompactRoleKind.SUPPORT_TEAM,
    )
    return person


def post(client, body=BODY, key=KEY, url=URL):
    return client.post(url, body, **({"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}))


@pytest.mark.django_db
def test_the_same_request_again_is_answered_again_and_not_done_again(support):
    client = ApiClient(token=token_for(support, "meetings:write"))
    first = post(client)
    assert first.status_code == 201, first.json()
    assert "Idempotent-Replayed" not in first
    again = post(client)
    assert again.status_code == 201 and again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Meeting.objects.filter(title="Board").count() == 1
    # without a key, as before: each request is a write
    assert post(client, key=None).status_code == 201
    assert post(client, key=None).status_code == 201
    assert Meeting.objects.filter(title="Board").count() == 3


@pytest.mark.django_db
def test_the_key_used_for_another_request_is_refused(support):
    client = ApiClient(token=token_for(support, "meetings:write"))
    assert post(client).status_code == 201
    for response in (
        post(client, {**BODY, "title": "Another board"}),
        post(client, url="/api/compacts/herefordshire/meetings"),
    ):
        assert response.status_code == 422
        [error] = response.json()["errors"]
        assert error["field"] == "header.Idempotency-Key"
        assert "already used for a different request" in error["message"]
    assert Meeting.objects.filter(title__endswith="oard").count() == 1


@pytest.mark.django_db
def test_a_key_is_its_token_s_own(support):
    mine = ApiClient(token=token_for(support, "meetings:write"))
    other = ApiClient(token=token_for(support, "meetings:write"))
    assert post(mine).status_code == 201
    response = post(other)
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert Meeting.objects.filter(title="Board").count() == 2


@pytest.mark.django_db
def test_an_answer_lost_after_the_commit_is_sent_again(support):
    token = token_for(support, "meetings:write")
    lost = ApiClient(token=token)
    lost.raise_request_exception = False
    with override_settings(MIDDLEWARE=[*settings.MIDDLEWARE, f"{__name__}.AnswerLost"]):
        assert post(lost).status_code == 500
    assert Meeting.objects.filter(title="Board").count() == 1  # the write was committed
    again = post(ApiClient(token=token))
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json()["id"] == Meeting.objects.get(title="Board").pk


@pytest.mark.django_db
def test_error_answers_and_bad_keys_are_not_kept(support):
    client = ApiClient(token=token_for(support, "meetings:write"))
    refused = post(client, {**BODY, "title": ""})
    assert refused.status_code == 422
    with mock.patch.object(api, "create_response", side_effect=RuntimeError("lost")):
        client.raise_request_exception = False
        assert post(client).status_code == 500  # failed before the commit: nothing kept
    client.raise_request_exception = True
    assert not IdempotentWrite.objects.exists() and not Meeting.objects.exists()
    assert post(client).status_code == 201  # the same key, now that the request is right
    for bad, says in (("", "empty"), (" x", "printable ASCII"), ("k" * 256, "255")):
        response = post(client, key=bad)
        assert response.status_code == 422 and says in response.json()["detail"], bad
    assert Meeting.objects.count() == 1


@pytest.mark.django_db
def test_while_the_first_request_is_being_done_the_second_is_refused(support):
    """The first request holds the key's lock (on PostgreSQL, from another connection, as
    a request in its transaction would; elsewhere the lock is the database's own)."""
    client = ApiClient(token=token_for(support, "meetings:write"))
    token = ApiToken.objects.get(user=support)
    if connection.vendor == "postgresql":
        other = connection.copy()
        try:
            with other.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [lock_id(token.pk, KEY)])
            response = post(client)
        finally:
            other.close()
    else:
        with mock.patch("localcompact.api.idempotency._lock_taken", return_value=False):
            response = post(client)
    assert response.status_code == 409 and "still being done" in response.json()["detail"]
    assert not Meeting.objects.exists()
    assert post(client).status_code == 201  # once the first is done


@pytest.mark.django_db
def test_keys_are_forgotten_after_a_day(support):
    client = ApiClient(token=token_for(support, "meetings:write"))
    assert post(client).status_code == 201
    assert post(client, key="newer").status_code == 201
    IdempotentWrite.objects.filter(key=KEY).update(
        created_at=timezone.now() - dt.timedelta(hours=25)
    )
    call_command("purge_idempotency_keys", stdout=mock.Mock())
    assert list(IdempotentWrite.objects.values_list("key", flat=True)) == ["newer"]
    assert post(client).status_code == 201  # a new write
    assert Meeting.objects.count() == 3


def test_every_write_takes_the_header():
    schema = api.get_openapi_schema(path_prefix="/api/")
    writes = [
        (path, method, op)
        for path, methods in schema["paths"].items()
        for method, op in methods.items()
        if method in ("post", "put", "patch", "delete")
    ]
    assert len(writes) >= 17
    for path, method, op in writes:
        headers = [p for p in op.get("parameters", []) if p["in"] == "header"]
        assert [p["name"] for p in headers] == ["Idempotency-Key"], (method, path)
        assert not headers[0]["required"]
        # and its successful answers say they may carry Idempotent-Replayed
        answers = [a for status, a in op["responses"].items() if str(status).startswith("2")]
        assert answers, (method, path)
        for answer in answers:
            assert not answer["headers"]["Idempotent-Replayed"]["required"], (method, path)
    reads = [op for methods in schema["paths"].values() for m, op in methods.items() if m == "get"]
    assert not [op for op in reads for a in op["responses"].values() if "headers" in a]
