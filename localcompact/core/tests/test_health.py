"""The health check: the load balancer's view of the database and the task broker."""

import shutil
import socket
import subprocess
import sys
import time
from unittest import mock

import pytest
from django.conf import settings
from django.db import OperationalError
from django.test import override_settings
from django.urls import reverse


def a_closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def with_redis_broker(url: str):
    return override_settings(REDIS_URL=url, Q_CLUSTER={**settings.Q_CLUSTER, "redis": url})


@pytest.fixture
def redis_server():
    """A throwaway redis-server on a free port, when one is installed."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip("no redis-server installed")
    pytest.importorskip("redis")
    port = a_closed_port()
    process = subprocess.Popen(  # noqa: S603 - a fixed local binary and our own arguments
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(50):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_it_is_healthy_when_the_database_answers_and_the_broker_is_the_database(client, db):
    response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_it_answers_503_when_the_database_fails(client, db):
    with mock.patch(
        "localcompact.core.views.connection.cursor", side_effect=OperationalError("gone")
    ):
        response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "error"
    # The ORM broker is the database: it is down too.
    assert body["broker"] == "error"
    assert body["detail"] == {"database": "OperationalError", "broker": "OperationalError"}
    assert "gone" not in response.content.decode()


def test_it_answers_503_when_redis_does_not_answer(client, db):
    pytest.importorskip("redis")
    with with_redis_broker(f"redis://127.0.0.1:{a_closed_port()}/0"):
        started = time.monotonic()
        response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json() == {
        "database": "ok",
        "broker": "error",
        "detail": {"broker": "ConnectionError"},
    }
    assert time.monotonic() - started < 10


def test_it_answers_503_when_redis_is_configured_but_its_client_is_not_installed(
    client, db, monkeypatch
):
    monkeypatch.setitem(sys.modules, "redis", None)
    with with_redis_broker("redis://127.0.0.1:6379/0"):
        response = client.get(reverse("core:healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] == "error"


def test_it_is_healthy_when_redis_answers(client, db, redis_server):
    with with_redis_broker(redis_server):
        response = client.get(reverse("core:healthz"))
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "broker": "ok"}


def test_it_only_answers_get_and_head(client, db):
    assert client.post(reverse("core:healthz")).status_code == 405
