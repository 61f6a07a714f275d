"""Logs: every request has an id, and the audit log says who did what, from where, when,
without a password, a user name or an e-mail address in it.

The views below stand in for real ones so that the middleware runs as it does in
production: a sign-in form, a page that refuses, a service that changes something.
"""

import logging
import re
import sys

import pytest
from django.contrib.auth import authenticate, get_user_model, login
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.test import override_settings
from django.urls import path

from localcompact.core.logging import (
    AUDIT_LOGGER_NAME,
    KeyValueFormatter,
    RequestContextFilter,
    audit_log,
    username_digest,
)

PASSWORD = "correct-horse-battery-staple"
USERNAME = "council.officer"
SAFE_ID = "lb-0123456789abcdef"


def sign_in(request):
    user = authenticate(
        request, username=request.POST["username"], password=request.POST["password"]
    )
    if user is None:
        return HttpResponse("no", status=400)
    login(request, user)
    return HttpResponse("yes")


def refuse(request):
    request.user.is_authenticated  # noqa: B018 - a real view would look at the user first
    raise PermissionDenied("not yours")


def change_something(request):
    audit_log("thing.changed", thing_id=7)
    logging.getLogger("localcompact.somewhere").info("an ordinary line")
    return HttpResponse("changed")


urlpatterns = [
    path("sign-in", sign_in),
    path("refuse", refuse),
    path("change", change_something),
]

pytestmark = pytest.mark.urls(__name__)


@pytest.fixture
def officer(db):
    return get_user_model().objects.create_user(
        username=USERNAME, email="officer@council.example.org", password=PASSWORD
    )


@pytest.fixture
def audit(caplog):
    caplog.set_level(logging.INFO, logger=AUDIT_LOGGER_NAME)

    def records(event=None):
        return [
            r
            for r in caplog.records
            if r.name == AUDIT_LOGGER_NAME and (event is None or r.event == event)
        ]

    return records


@pytest.fixture
def context_records():
    """Records written under ``localcompact`` seen through the console handler's filter."""
    seen = []

    class Collect(logging.Handler):
        def emit(self, record):
            seen.append(record)

    handler = Collect(level=logging.INFO)
    handler.addFilter(RequestContextFilter())
    logger = logging.getLogger("localcompact")
    logger.addHandler(handler)
    yield seen
    logger.removeHandler(handler)


def formatted(record) -> str:
    return KeyValueFormatter().format(record)


def assert_no_secrets(record):
    everything = formatted(record) + repr(vars(record))
    assert PASSWORD not in everything
    assert USERNAME not in everything
    assert "officer@council.example.org" not in everything


class TestRequestId:
    def test_every_response_carries_a_new_request_id(self, client, db):
        first = client.get("/change")["X-Request-ID"]
        second = client.get("/change")["X-Request-ID"]
        assert re.fullmatch(r"[0-9a-f]{32}", first)
        assert first != second

    def test_a_safe_request_id_from_the_load_balancer_is_kept(self, client, db):
        response = client.get("/change", headers={"X-Request-ID": SAFE_ID})
        assert response["X-Request-ID"] == SAFE_ID

    @pytest.mark.parametrize(
        "unsafe",
        ["short", "x" * 65, "id with spaces", "id\r\nSet-Cookie: a=b", "<script>alert(1)</script>"],
    )
    def test_an_unsafe_request_id_is_replaced(self, client, db, unsafe):
        response = client.get("/change", headers={"X-Request-ID": unsafe})
        assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])

    def test_records_written_during_a_request_carry_its_id_user_and_address(
        self, client, officer, audit, context_records
    ):
        client.force_login(officer)
        client.get("/change", headers={"X-Request-ID": SAFE_ID}, REMOTE_ADDR="203.0.113.9")
        for record in [audit("thing.changed")[0], context_records[-1]]:
            assert record.request_id == SAFE_ID
            assert record.user_id == str(officer.pk)
            assert record.client_ip == "203.0.113.9"
        assert context_records[-1].getMessage() == "an ordinary line"

    def test_records_outside_a_request_say_so(self, context_records):
        logging.getLogger("localcompact.worker").info("a task ran")
        record = context_records[-1]
        assert (record.request_id, record.user_id, record.client_ip) == ("-", "-", "-")

    @override_settings(SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"))
    def test_behind_the_proxy_the_address_is_the_one_the_proxy_saw(self, client, db, audit):
        client.get(
            "/change",
            REMOTE_ADDR="10.0.0.2",
            headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.9"},
        )
        assert audit("thing.changed")[0].client_ip == "203.0.113.9"

    def test_without_a_proxy_a_forwarded_address_is_not_believed(self, client, db, audit):
        client.get("/change", REMOTE_ADDR="203.0.113.9", headers={"X-Forwarded-For": "1.2.3.4"})
        assert audit("thing.changed")[0].client_ip == "203.0.113.9"


class TestSignIns:
    def test_a_sign_in_is_logged_with_time_user_id_address_and_request_id(
        self, client, officer, audit
    ):
        response = client.post(
            "/sign-in",
            {"username": USERNAME, "password": PASSWORD},
            headers={"X-Request-ID": SAFE_ID},
            REMOTE_ADDR="203.0.113.9",
        )
        assert response.status_code == 200
        [record] = audit("auth.login.succeeded")
        assert record.levelno == logging.INFO
        assert record.user_id == str(officer.pk)
        assert record.client_ip == "203.0.113.9"
        assert record.request_id == SAFE_ID
        line = formatted(record)
        assert re.match(r"time=\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z level=INFO ", line)
        assert f"user_id={officer.pk} " in line
        assert_no_secrets(record)

    def test_a_failed_sign_in_is_logged_with_a_digest_of_the_name_never_the_password(
        self, client, officer, audit
    ):
        response = client.post(
            "/sign-in",
            {"username": USERNAME, "password": "wrong-" + PASSWORD},
            headers={"X-Request-ID": SAFE_ID},
            REMOTE_ADDR="203.0.113.9",
        )
        assert response.status_code == 400
        [record] = audit("auth.login.failed")
        assert record.levelno == logging.WARNING
        assert record.audit_fields == {"username_digest": username_digest(USERNAME)}
        assert re.fullmatch(r"[0-9a-f]{16}", username_digest(USERNAME))
        assert record.user_id == "-"
        assert record.client_ip == "203.0.113.9"
        assert record.request_id == SAFE_ID
        assert "wrong-" not in formatted(record) + repr(vars(record))
        assert_no_secrets(record)

    def test_a_failed_authenticate_outside_a_request_is_still_logged(self, officer, audit):
        assert authenticate(username=USERNAME, password="nope") is None
        [record] = audit("auth.login.failed")
        assert record.request_id == "-"
        assert_no_secrets(record)

    def test_the_test_clients_sign_in_and_sign_out_are_logged(self, client, officer, audit):
        assert client.login(username=USERNAME, password=PASSWORD)
        client.logout()
        [signed_in] = audit("auth.login.succeeded")
        [signed_out] = audit("auth.logout")
        assert signed_in.user_id == signed_out.user_id == str(officer.pk)
        assert_no_secrets(signed_in)
        assert_no_secrets(signed_out)

    def test_two_failures_on_one_name_can_be_matched_but_not_read(self, db, audit):
        authenticate(username="someone", password="a")
        authenticate(username="someone", password="b")
        authenticate(username="someone-else", password="c")
        digests = [r.audit_fields["username_digest"] for r in audit("auth.login.failed")]
        assert digests[0] == digests[1] != digests[2]
        assert "someone" not in " ".join(digests)


class TestPermissionRefusals:
    def test_a_refusal_is_logged_with_path_user_id_and_request_id(self, client, officer, audit):
        client.force_login(officer)
        response = client.get(
            "/refuse?email=officer@council.example.org", headers={"X-Request-ID": SAFE_ID}
        )
        assert response.status_code == 403
        [record] = audit("permission.refused")
        assert record.levelno == logging.WARNING
        assert record.audit_fields == {"method": "GET", "path": "/refuse"}
        assert record.user_id == str(officer.pk)
        assert record.request_id == SAFE_ID
        assert record.client_ip == "127.0.0.1"
        assert_no_secrets(record)

    def test_an_anonymous_refusal_is_logged_without_a_user(self, client, db, audit):
        assert client.get("/refuse").status_code == 403
        [record] = audit("permission.refused")
        assert record.user_id == "-"


class TestAuditLog:
    def test_it_scrubs_secrets_and_email_addresses(self, db, audit):
        audit_log(
            "organisation.contact_changed",
            password="hunter2-hunter2",
            api_token="tok-123456",
            client_secret="shh-123456",
            api_key="key-123456",
            email="officer@council.example.org",
            contact_email="charity@example.org",
            note="write to officer@council.example.org or charity@example.org",
            nested={"Authorization": "Bearer abc123", "count": 2},
            organisation_id=12,
        )
        [record] = audit("organisation.contact_changed")
        assert record.audit_fields == {
            "password": "[scrubbed]",
            "api_token": "[scrubbed]",
            "client_secret": "[scrubbed]",
            "api_key": "[scrubbed]",
            "email": "[scrubbed]",
            "contact_email": "[scrubbed]",
            "note": "write to [email] or [email]",
            "nested": {"Authorization": "[scrubbed]", "count": 2},
            "organisation_id": 12,
        }
        line = formatted(record)
        for secret in ("hunter2", "tok-", "shh-", "key-123", "abc123", "@"):
            assert secret not in line

    def test_a_model_is_written_as_its_label_and_id_never_its_name(self, officer, audit):
        audit_log("user.promoted", user=officer)
        [record] = audit("user.promoted")
        assert record.audit_fields == {"user": f"auth.user:{officer.pk}"}
        assert_no_secrets(record)

    def test_a_value_cannot_forge_a_second_log_line_or_field(self, db, audit):
        audit_log("thing.renamed", title='x\nlevel=CRITICAL event="forged"')
        line = formatted(audit("thing.renamed")[0])
        assert "\n" not in line
        assert 'title="x\\nlevel=CRITICAL event=\\"forged\\""' in line

    def test_an_exception_stays_on_one_line(self):
        try:
            raise ValueError("boom")
        except ValueError:
            record = logging.getLogger("localcompact.x").makeRecord(
                "localcompact.x", logging.ERROR, __file__, 1, "failed", (), sys.exc_info()
            )
        line = formatted(record)
        assert "\n" not in line
        assert "ValueError: boom" in line
