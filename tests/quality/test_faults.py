"""Faults: a process killed in the middle of a write, a database connection cut, a task
worker killed in the middle of its task. Marked `fault` (deselect with -m "not fault").

Each test runs the doomed work in a child process (`fault_child.py`) against a database
that process can open: on PostgreSQL the test database itself (the tests are
transactional, so what the child commits is visible here and cleared afterwards); on
SQLite a file copied from the in-memory test database with the backup API. The
child prints each step it finishes; the test kills it with SIGKILL (no clean-up of any
kind runs) at the step it waits for, then looks at the database with plain SQL.

- A write killed mid-transaction (`activity_record`, after its activity, its links, its
  obligation and its events were written) leaves none of them, while the write the child
  had acknowledged before is all there; the database is left usable (SQLite: integrity
  check and a write lock can be taken at once; PostgreSQL: no session left in a
  transaction, and the rows the killed one locked can be locked again).
- PostgreSQL connections cut under the app (`pg_terminate_backend`, as a server restart
  or a failover would): the next request is served, on a new connection, because the
  settings turn on connection health checks; nothing needs restarting.
- The daily sweep queued in django-q (database broker), taken by a worker that is killed
  after the first reminder e-mail went: the task is not acknowledged, so it comes back
  to the queue after the retry period and runs again; no one gets the same e-mail twice
  and no obligation moves twice (the sweep's guarded updates and the reminders' claim
  make it at most once).
- The fault bench (`bench/fault_bench.py --quick`, run as a subprocess on this run's
  database kind, copying its migrated database): real gunicorn workers and master
  killed under a stream of API writes, on PostgreSQL a restart of a throwaway cluster,
  and a real `qcluster` killed while it sends; it must print PASS. Skipped when gunicorn,
  or (for PostgreSQL) initdb, pg_ctl, pg_dump or pg_restore, are not there. It takes
  about a minute on a quiet machine, several on a busy one (gunicorn's workers take
  that long to load the app).
"""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from wsgiref.simple_server import WSGIRequestHandler, make_server

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection, connections

# Not in a transaction: the children must see what the test commits, SQLite cannot copy
# a database with a transaction open, and a PostgreSQL session in one would hold locks.
pytestmark = [pytest.mark.fault, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[2]
WAIT_SECONDS = 25  # for a child to reach its step on a busy machine


# --- The database a child process can open ----------------------------------------------


@pytest.fixture
def child_db(request, tmp_path):
    """A DATABASE_URL for the child, and a function running SQL against it here."""
    if connection.vendor == "postgresql":
        s = connection.settings_dict
        host = f"{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}"
        url = f"postgres://{s['USER']}:{s['PASSWORD']}@{host}/{s['NAME']}"

        def query(sql: str, params=()):
            with connection.cursor() as cursor:
                cursor.execute(sql.replace("?", "%s"), params)
                return cursor.fetchall()

        return url, query
    if connection.vendor != "sqlite":
        pytest.skip(f"no fault tests for {connection.vendor}")
    path = tmp_path / "fault.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as target:
        connection.connection.backup(target)
        target.execute("PRAGMA journal_mode=WAL")

    def query(sql: str, params=()):
        with sqlite3.connect(path, timeout=5) as db:
            return db.execute(sql, params).fetchall()

    return f"sqlite:///{path}", query


class Child:
    """A fault_child.py scenario, its output read line by line as it comes."""

    def __init__(self, scenario: str, database_url: str, **env):
        self.lines: list[str] = []
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.quality.fault_child", scenario],
            cwd=ROOT,
            env={
                **os.environ,
                "DATABASE_URL": database_url,
                "DJANGO_SETTINGS_MODULE": "localcompact.test_settings",
                "LOG_LEVEL": "WARNING",
                **env,
            },
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line.rstrip("\n"))

    def wait_for(self, prefix: str, seconds: float = WAIT_SECONDS) -> str:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            for line in self.lines:
                if line.startswith(prefix):
                    return line
            if self.process.poll() is not None and not self._reader.is_alive():
                break
            time.sleep(0.05)
        self.kill()
        raise AssertionError(
            f"the child did not say {prefix!r}; it said {self.lines}; "
            f"stderr: {self.process.stderr.read()[-3000:]}"
        )

    def kill(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)

    def finish(self, seconds: float = WAIT_SECONDS) -> int:
        code = self.process.wait(timeout=seconds)
        self._reader.join(timeout=5)
        return code


# --- A write killed in the middle -------------------------------------------------------


def test_a_write_killed_mid_transaction_leaves_no_partial_rows(child_db):
    url, query = child_db
    child = Child("write", url)
    acknowledged = int(child.wait_for("ACK ").split()[1])
    child.wait_for("HOLDING ")
    child.kill()
    assert child.process.returncode == -signal.SIGKILL

    activities = query("SELECT id, title FROM obligations_activity")
    assert activities == [(acknowledged, "Acknowledged")]
    obligations = query("SELECT source_id FROM obligations_obligation")
    assert obligations == [(acknowledged,)]  # the acknowledged write is whole
    assert query(
        "SELECT count(*) FROM obligations_activity_owed_to WHERE activity_id <> ?",
        (acknowledged,),
    ) == [(0,)]
    assert query(
        "SELECT count(*) FROM obligations_obligationevent e JOIN obligations_obligation o "
        "ON o.id = e.obligation_id WHERE o.source_id <> ?",
        (acknowledged,),
    ) == [(0,)]
    assert query("SELECT count(*) FROM obligations_obligationevent") >= [(1,)]

    if connection.vendor == "sqlite":
        assert query("PRAGMA integrity_check") == [("ok",)]
        path = url.removeprefix("sqlite:///")
        with sqlite3.connect(path, timeout=1, isolation_level=None) as db:
            db.execute("BEGIN IMMEDIATE")  # the write lock is free again
            db.execute("ROLLBACK")
    else:
        _no_session_left_in_a_transaction()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '3s'")
            cursor.execute("SELECT id FROM obligations_activity FOR UPDATE")
            cursor.execute("SET lock_timeout = 0")


def _no_session_left_in_a_transaction():
    deadline = time.monotonic() + 5
    while True:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND state LIKE 'idle in transaction%%'"
            )
            (left,) = cursor.fetchone()
        if not left or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert left == 0


# --- PostgreSQL connections cut ---------------------------------------------------------


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def app_server(request):
    """The real WSGI handler (so request_started/finished do what they do in gunicorn)
    in a thread, serving one request at a time, on a free port."""
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only: SQLite has no server connection to lose")
    server = make_server("127.0.0.1", 0, WSGIHandler(), handler_class=_Quiet)

    def serve():
        try:
            server.serve_forever()
        finally:
            connections.close_all()  # this thread's connection, so the test database can go

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join(timeout=10)
    server.server_close()


def _get(url: str) -> tuple[int, str]:
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 (local)
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


def _app_backends() -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
            "AND pid <> pg_backend_pid() AND backend_type = 'client backend'"
        )
        return [pid for (pid,) in cursor.fetchall()]


def test_the_app_serves_again_after_its_postgresql_connections_are_cut(app_server, settings):
    assert settings.DATABASES["default"]["CONN_MAX_AGE"] > 0  # connections are kept...
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"]  # ...and checked

    for _ in range(2):
        status, _ = _get(f"{app_server}/register/")
        assert status == 200
    [before] = _app_backends()  # the app's one persistent connection

    for round_ in range(3):
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [_app_backends()[0]])
        status, page = _get(f"{app_server}/register/")
        assert status == 200, f"round {round_}: {status} {page[:500]}"
        status, page = _get(f"{app_server}/healthz")
        assert status == 200, page
    [after] = _app_backends()
    assert after != before  # a new connection, made by the app on its own


# --- A task worker killed mid-task ------------------------------------------------------


def test_a_worker_killed_mid_sweep_leaves_the_task_to_be_retried_without_repeats(
    child_db, tmp_path
):
    url, query = child_db
    mail_log = tmp_path / "mail.jsonl"
    # Digests are claimed two at a time here (one at a time in production), so the killed
    # worker holds one batch and leaves the others queued for the retry.
    env = {"FAULT_MAIL_LOG": str(mail_log), "FAULT_SEND_BATCH": "2"}

    worker = Child("sweep", url, FAULT_HOLD_AFTER="1", **env)
    task_id = worker.wait_for("TAKEN ").split()[1]
    worker.wait_for("HOLDING ")
    worker.kill()
    first = mail_log.read_text().splitlines()
    assert len(first) == 1
    # killed before acknowledging: the task is still in the queue, locked for the retry period
    assert query("SELECT count(*) FROM django_q_ormq") == [(1,)]

    retry = Child("sweep-retry", url, **env)
    assert retry.wait_for("TAKEN ").split()[1] == task_id  # the same task, run again
    result = json.loads(retry.wait_for("RESULT ").removeprefix("RESULT "))
    assert retry.finish() == 0

    sent = mail_log.read_text().splitlines()
    assert len(sent) == len(set(sent)), "someone got the same e-mail twice"
    assert result["repeated_events"] == []  # no obligation moved twice
    assert result["left_in_queue"] == 0  # acknowledged this time
    reminders = result["reminders"]
    assert set(reminders) <= {"sent", "sending"}
    # Every digest went at most once: the one claimed batch the killed worker held stays
    # 'sending' (unconfirmed, never resent); the retry sent only what was still queued.
    assert reminders == {"sending": 2, "sent": 4}
    assert len(sent) == 5  # the one before the kill, and the four still queued then
    assert result["sweep"]["reminders_sent"] == 4
    assert result["sweep"]["reminders_unconfirmed"] == 2


# --- The fault bench, in its quick mode -------------------------------------------------

PG_BIN = Path(os.environ.get("FAULT_BENCH_PG_BIN", "/usr/lib/postgresql/15/bin"))


def _bench_can_run() -> list[str]:
    """The bench's arguments for this run's database, or skip saying what is missing."""
    if not Path(sys.executable).with_name("gunicorn").exists():
        pytest.skip("gunicorn is not installed in this environment")
    if connection.vendor == "sqlite":
        return ["--database", "sqlite"]
    missing = [
        t for t in ("initdb", "pg_ctl", "pg_dump", "pg_restore") if not (PG_BIN / t).exists()
    ]
    if missing:
        pytest.skip(f"no {', '.join(missing)} in {PG_BIN} for a throwaway cluster")
    if os.geteuid() == 0:
        import pwd

        try:
            pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("run as root with no 'postgres' account to run initdb as")
    return ["--database", "postgres"]


def test_the_fault_bench_in_quick_mode_passes(child_db):
    """bench/fault_bench.py --quick: gunicorn (2 workers) under a stream of API writes,
    3 workers and the master killed with SIGKILL, on PostgreSQL one restart of a
    throwaway cluster of the bench's own, then the task worker killed while it sends: no
    acknowledged write lost, none twice, none partial, the app recovered after each
    fault, no e-mail sent twice. It copies this test's (migrated) database rather than
    migrating one: the bench's own figures are in its output."""
    arguments = _bench_can_run()
    url, _ = child_db
    done = subprocess.run(
        [sys.executable, "bench/fault_bench.py", "--quick", *arguments, "--migrated-from", url],
        cwd=ROOT,
        env={**os.environ, "FAULT_BENCH_PG_BIN": str(PG_BIN)},
        capture_output=True,
        text=True,
        timeout=900,
    )
    said = f"stdout:\n{done.stdout[-6000:]}\nstderr:\n{done.stderr[-3000:]}"
    assert done.returncode == 0, said
    assert "\nPASS: " in done.stdout, said
    assert "lost 0, duplicates 0, partial 0" in done.stdout, said
    assert "duplicates 0; digests never sent" in done.stdout, said
