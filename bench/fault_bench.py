"""Faults under load: app server processes killed in the middle of writes, PostgreSQL
restarted under load, the task worker killed while it sends reminders.

    .venv/bin/python bench/fault_bench.py                          # SQLite (WAL)
    .venv/bin/python bench/fault_bench.py --database postgres      # a throwaway cluster
    .venv/bin/python bench/fault_bench.py --database postgres --quick   # 3 kills, 1 restart

Target (issue 4): no partial record, no acknowledged write lost (checked against the
client's log), the app recovers without being restarted; the task worker killed in the
middle of its run sends no reminder twice.

What it does:

1. A throwaway database: a SQLite file (WAL) in a temporary folder, or, for
   `--database postgres`, a PostgreSQL cluster of its own (`initdb` into the temporary
   folder, as the `postgres` user when run as root, started with `pg_ctl` on a free
   port): never the machine's shared server, which it would otherwise have to restart.
   The migrations are run (about a minute here), or `--migrated-from` copies a database
   that is already migrated (what the test does). Seeded: the Leicester compact, a public
   body with an officer holding a personal API token (scope `activities:write`), a
   charity the activities are owed to, and, for the task worker, `--reminded` more public
   bodies with an officer and an administrator each, whose activities are missed today.
2. gunicorn (`localcompact.wsgi`, 2 sync workers, the Procfile's timeouts,
   `bench/fault_settings.py`) and `--writers` client threads, each posting one activity
   after another to the API (`POST /api/organisations/<slug>/activities`), every request
   with a title of its own. The client's log (`client-log.jsonl`) has a line per request:
   its title, when it started and ended, and its outcome: acknowledged (201 and the
   created id), a 5xx, or a connection error (reset, refused, cut before the answer).
3. While the writes go on: `--kills` times, a gunicorn worker chosen at random is killed
   with SIGKILL (the workers are busy nearly all the time, so most kills cut a request in
   flight; each kill says whether it did), waiting for the master to replace it before
   the next; half way, the master itself is killed (its workers then stop by themselves)
   and gunicorn is started again. With PostgreSQL, the server is then restarted
   `--restarts` times under the same stream, `pg_ctl restart` in `fast` and `immediate`
   mode by turns (immediate is a crash: the server recovers from its write-ahead log),
   with gunicorn left running.
4. Checks, with the stream stopped: each acknowledged write is in the database exactly
   once, with the id the client was given; no title is there twice; every activity is
   whole (what `activity_record` writes in one transaction: the activity, its link to the
   charity, exactly one obligation from it, the obligation's own link to the charity, and
   its 'created' event) and no obligation names an activity that is not there; writes
   that failed but were committed (the client cannot tell) are counted, not an error. The
   client's failures are allowed only as 5xx or connection errors, and only until the app
   has recovered: after each fault, the first acknowledged write started after it gives
   the recovery time, and no request started after that may fail. gunicorn's master must
   be the same process before and after the PostgreSQL restarts (the workers reconnect by
   themselves: `CONN_HEALTH_CHECKS`). SQLite: `PRAGMA integrity_check`.
5. The task worker: the daily sweep queued in django-q (database broker), a `qcluster`
   started, and killed with SIGKILL (its whole process group) once `--kill-after`
   e-mails have gone (the file e-mail backend, paced as a mail server would be, so the
   kill lands while it sends). It is started again; django-q hands out the task again
   once its retry period has passed (`FAULT_BENCH_Q_RETRY`, shortened for the bench);
   the bench waits for it to be acknowledged, then reads every e-mail file: no one may
   have the same e-mail twice, and no obligation may have moved twice. The e-mails that
   never went (digests the killed worker had claimed but not sent: the design sends at
   most once, and leaves those 'sending') are counted and printed.

Figures: writes attempted, acknowledged, failed (by kind), lost (must be 0), duplicates
(0), partial (0), committed without acknowledgement, and per fault the recovery time and
the requests it cut; for the worker, e-mails before and after the kill, duplicates, and
digests never sent. Then PASS or FAIL.
"""

import argparse
import datetime as dt
import email
import http.client
import itertools
import json
import os
import pwd
import random
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as FileEmailBackend

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PG_BIN = Path(os.environ.get("FAULT_BENCH_PG_BIN", "/usr/lib/postgresql/15/bin"))
SETTINGS = "fault_settings"
# Longer than gunicorn's own 30 s worker timeout and than it takes to start again on a
# busy machine: a request waiting in the listen queue is served, not given up on; no
# answer at all means a worker hung.
CLIENT_TIMEOUT = 120
MAIL_SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # what the file backend writes after a message


class PacedFileBackend(FileEmailBackend):
    """The file backend, one message at a time, each written and flushed before the
    pause: an e-mail whose text is complete in the file counts as sent."""

    def send_messages(self, messages):
        pause = float(os.environ.get("FAULT_BENCH_MAIL_PAUSE", "0"))
        sent = 0
        for message in messages:
            sent += super().send_messages([message]) or 0
            time.sleep(pause)
        return sent


def post_worker_init(worker):
    """gunicorn's hook (this module is its config file too, `-c python:fault_bench`): a
    worker that has loaded the app says so, so the bench kills only workers that serve."""
    folder = os.environ.get("FAULT_BENCH_READY_DIR")
    if folder:
        Path(folder, str(os.getpid())).touch()


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--kills", type=int, help="gunicorn workers killed (default 20)")
    parser.add_argument("--restarts", type=int, help="PostgreSQL restarts (default 5)")
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a small run: 3 kills, 1 restart, 53 digests, a 12 s retry period",
    )
    parser.add_argument("--writers", type=int, default=4, help="client threads (default 4)")
    parser.add_argument(
        "--reminded",
        type=int,
        help="public bodies whose reminders the worker sends, 2 people each (default 30)",
    )
    parser.add_argument("--kill-after", type=int, default=3, help="e-mails before the kill")
    parser.add_argument(
        "--mail-pause", type=float, default=0.05, help="seconds a message takes to send"
    )
    parser.add_argument("--no-worker", action="store_true", help="leave out the task worker's part")
    parser.add_argument(
        "--migrated-from",
        metavar="URL",
        help="copy this already-migrated database instead of running the migrations "
        "(sqlite:///path, or a PostgreSQL URL, copied with pg_dump and pg_restore)",
    )
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args(argv)
    args.kills = args.kills if args.kills is not None else (3 if args.quick else 20)
    args.restarts = args.restarts if args.restarts is not None else (1 if args.quick else 5)
    # enough digests that the worker is killed while it still has some to send
    args.reminded = args.reminded if args.reminded is not None else (26 if args.quick else 30)
    args.retry = 12 if args.quick else 20  # django-q's retry period for the bench
    return args


def now() -> float:
    return time.monotonic()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] not in ("Z", "X")
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False


def children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children", encoding="ascii") as file:
            return [int(p) for p in file.read().split() if alive(int(p))]
    except FileNotFoundError:
        return []


# --- The throwaway PostgreSQL cluster ---------------------------------------------------


class Cluster:
    """A PostgreSQL cluster in `folder`, on `port`, that only this run uses."""

    def __init__(self, folder: Path, port: int):
        self.folder, self.port = folder, port
        self.data = folder / "pgdata"
        self.log = folder / "postgres.log"
        self.as_postgres = []
        if os.geteuid() == 0:  # initdb refuses root: run the server as `postgres`
            account = pwd.getpwnam("postgres")
            os.chown(folder, account.pw_uid, account.pw_gid)
            self.as_postgres = ["runuser", "-u", "postgres", "--"]

    def _run(self, *command: str, timeout: float = 120) -> float:
        started = now()
        done = subprocess.run(  # noqa: S603 - our own command line
            [*self.as_postgres, *command], capture_output=True, text=True, timeout=timeout
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {done.stdout}{done.stderr}")
        return now() - started

    def pg_ctl(self, *arguments: str) -> float:
        return self._run(
            str(PG_BIN / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.log),
            "-w",
            "-t",
            "120",
            *arguments,
        )

    def start(self) -> None:
        self._run(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-U",
            "postgres",
            "-A",
            "trust",
            "-E",
            "UTF8",
            "--no-locale",
            "--no-sync",
        )
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 "
            f"-c unix_socket_directories={self.folder} -c max_connections=40 "
            "-c shared_buffers=32MB"
        )
        self.pg_ctl("-o", options, "start")

    def restart(self, mode: str) -> float:
        return self.pg_ctl("-m", mode, "restart")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self.pg_ctl("-m", "immediate", "stop")

    def url(self, name: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{name}"


def make_database(args, folder: Path, cluster: Cluster | None) -> str:
    """The run's DATABASE_URL: migrated, or copied from --migrated-from."""
    if cluster is None:
        path = folder / "fault.sqlite3"
        if args.migrated_from:
            source = args.migrated_from.removeprefix("sqlite:///")
            with sqlite3.connect(source) as origin, sqlite3.connect(path) as target:
                origin.backup(target)
        url = f"sqlite:///{path}"
    else:
        import psycopg

        with psycopg.connect(cluster.url("postgres"), autocommit=True) as conn:
            conn.execute("CREATE DATABASE fault_bench")
        url = cluster.url("fault_bench")
        if args.migrated_from:
            dump = subprocess.run(  # noqa: S603 - our own command line
                [str(PG_BIN / "pg_dump"), "-Fc", "--no-owner", "-d", args.migrated_from],
                capture_output=True,
                check=True,
            )
            subprocess.run(  # noqa: S603 - our own command line
                [str(PG_BIN / "pg_restore"), "--no-owner", "-d", url],
                input=dump.stdout,
                capture_output=True,
                check=True,
            )
    if not args.migrated_from:
        subprocess.run(  # noqa: S603 - our own command line
            [sys.executable, "manage.py", "migrate", "--no-input", "-v0"],
            cwd=ROOT,
            env=child_env(url, folder),
            check=True,
        )
    return url


def child_env(database_url: str, folder: Path, **more) -> dict:
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": SETTINGS,
        "DEBUG": "false",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(BENCH)]),
        "LOG_LEVEL": "WARNING",
        "FAULT_BENCH_MAIL_DIR": str(folder / "mail"),
        "FAULT_BENCH_READY_DIR": str(folder / "ready"),
        **more,
    }


def setup_django(env: dict) -> None:
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "DEBUG", "LOG_LEVEL"):
        os.environ[name] = env[name]
    os.environ["FAULT_BENCH_MAIL_DIR"] = env["FAULT_BENCH_MAIL_DIR"]
    os.environ["FAULT_BENCH_Q_RETRY"] = env["FAULT_BENCH_Q_RETRY"]
    sys.path[:0] = [str(ROOT), str(BENCH)]
    import django

    django.setup()


# --- What the writes need, and what the worker sends ------------------------------------


def seed(reminded: int) -> dict:
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from localcompact.api.models import Scope
    from localcompact.api.services import token_create
    from localcompact.compacts.loader import read_definition
    from localcompact.compacts.models import Compact
    from localcompact.compacts.services import compact_load
    from localcompact.obligations.services import activity_record
    from localcompact.organisations.models import Membership, Organisation, Role

    compact_load(
        definition=read_definition(settings.COMPACT_DEFINITIONS_DIR / "leicester.yaml"),
        now=timezone.now() - dt.timedelta(days=60),
    )
    standard = (
        Compact.objects.get(slug="leicester")
        .current_version.standards.select_related("version")
        .get(ident="consultation-feedback")
    )
    users = get_user_model().objects
    charity = Organisation.objects.create(
        name="Fault Bench Charity", slug="fault-bench-charity", sector="vcs"
    )
    writer = Organisation.objects.create(
        name="Fault Bench Council", slug="fault-bench-council", sector="public"
    )
    officer = users.create_user("fault-writer", email="writer@fault.example.org")
    Membership.objects.create(user=officer, organisation=writer, role=Role.OFFICER)
    _, token = token_create(
        user=officer,
        name="fault bench",
        scopes=[Scope.ACTIVITIES_WRITE],
        expires_on=None,
        now=timezone.now(),
    )
    # The worker's e-mails: each body's officer and administrator, and the charity's
    # officer (the charity is owed every one of these activities, so it is told too).
    charity_officer = users.create_user("fault-charity", email="charity@fault.example.org")
    Membership.objects.create(user=charity_officer, organisation=charity, role=Role.OFFICER)
    today = timezone.localdate()
    for n in range(reminded):
        body = Organisation.objects.create(
            name=f"Reminded Council {n}", slug=f"reminded-council-{n}", sector="public"
        )
        for role in (Role.OFFICER, Role.ADMINISTRATOR):
            person = users.create_user(f"reminded-{n}-{role}", email=f"{role}{n}@fault.example.org")
            Membership.objects.create(user=person, organisation=body, role=role)
        activity_record(
            organisation=body,
            standard=standard,
            title=f"Feedback {n}",
            description="",
            start_on=today - dt.timedelta(days=30),  # recorded 40 days ago: missed now
            end_on=None,
            agreed_due_on=None,
            owed_to=[charity],
            owed_to_label="",
            by=body.memberships.first().user,
            today=today - dt.timedelta(days=40),
        )
    return {"token": token, "writer": writer.slug, "charity": charity.slug}


# --- The client --------------------------------------------------------------------------


@dataclass
class Request:
    title: str
    start: float
    end: float = 0.0
    outcome: str = ""  # ack, 5xx, connection, timeout, unexpected
    status: int = 0
    id: int | None = None
    error: str = ""


class WriteStream:
    """`writers` threads posting activities one after another; every request logged."""

    def __init__(self, port, seeded, log_path: Path, writers: int, prefix: str, t0: float):
        self.port, self.seeded, self.prefix, self.t0 = port, seeded, prefix, t0
        self.log = open(log_path, "a", encoding="utf-8")  # noqa: SIM115 - closed in stop()
        self.lock = threading.Lock()
        self.numbers = itertools.count(1)
        self.requests: list[Request] = []
        self.stopping = threading.Event()
        self.threads = [threading.Thread(target=self._run, daemon=True) for _ in range(writers)]
        self.start_on = (dt.date.today() + dt.timedelta(days=90)).isoformat()

    def start(self):
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=60)
        self.log.close()

    def _run(self):
        while not self.stopping.is_set():
            with self.lock:
                number = next(self.numbers)
            self._one(f"{self.prefix}-{number:06d}")

    def _one(self, title: str):
        body = json.dumps(
            {
                "compact": "leicester",
                "standard": "consultation-feedback",
                "title": title,
                "start_on": self.start_on,
                "owed_to": [self.seeded["charity"]],
            }
        )
        request = Request(title=title, start=now())
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=CLIENT_TIMEOUT)
        try:
            conn.request(
                "POST",
                f"/api/organisations/{self.seeded['writer']}/activities",
                body=body,
                headers={
                    "Authorization": f"Bearer {self.seeded['token']}",
                    "Content-Type": "application/json",
                },
            )
            response = conn.getresponse()
            payload = response.read()
            request.status = response.status
            if response.status == 201:
                request.id = json.loads(payload)["id"]
                request.outcome = "ack"
            elif response.status >= 500:
                request.outcome = "5xx"
            else:
                request.outcome, request.error = "unexpected", payload[:300].decode()
        except TimeoutError:
            request.outcome, request.error = "timeout", f"no answer in {CLIENT_TIMEOUT} s"
        except (OSError, http.client.HTTPException) as exc:
            request.outcome, request.error = "connection", type(exc).__name__
        finally:
            conn.close()
        request.end = now()
        if request.outcome != "ack":
            time.sleep(0.1)  # as a client would, rather than hammering a closed port
        with self.lock:
            self.requests.append(request)
            line = {**request.__dict__, "start": request.start - self.t0}
            line["end"] = request.end - self.t0
            self.log.write(json.dumps(line) + "\n")
            self.log.flush()


# --- gunicorn ----------------------------------------------------------------------------


class Gunicorn:
    def __init__(self, port: int, env: dict, log: Path):
        self.port, self.env, self.log = port, env, log
        self.process: subprocess.Popen | None = None

    def start(self, seconds: float = 90) -> float:
        started = now()
        with open(self.log, "a", encoding="utf-8") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own command line
                [
                    str(Path(sys.executable).with_name("gunicorn")),
                    "localcompact.wsgi",
                    "--config",
                    "python:fault_bench",
                    "--workers",
                    "2",
                    "--bind",
                    f"127.0.0.1:{self.port}",
                    "--timeout",
                    "30",
                    "--graceful-timeout",
                    "30",
                    "--log-level",
                    "warning",
                ],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self.wait_ready(seconds)
        return now() - started

    def wait_ready(self, seconds: float) -> None:
        deadline = now() + seconds
        while now() < deadline:
            if len(self.serving()) == 2:
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                    conn.request("GET", "/healthz")
                    if conn.getresponse().status == 200:
                        return
                except OSError:
                    pass
                finally:
                    conn.close()
            time.sleep(0.1)
        raise RuntimeError(f"gunicorn did not start within {seconds} s; see {self.log}")

    @property
    def pid(self) -> int:
        return self.process.pid

    def workers(self) -> list[int]:
        return children(self.pid) if self.process and self.process.poll() is None else []

    def serving(self) -> list[int]:
        """The workers that have loaded the app (see `post_worker_init`)."""
        ready = Path(self.env["FAULT_BENCH_READY_DIR"])
        return [pid for pid in self.workers() if (ready / str(pid)).exists()]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=40)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.process.wait(timeout=10)


@dataclass
class Fault:
    kind: str
    at: float  # when it was done
    took: float = 0.0  # a restart's own time (pg_ctl, or gunicorn started again)
    resumed: float = 0.0  # from when requests may succeed again (master kill: gunicorn up)
    cut: int = 0  # requests in flight that failed
    recovery: float | None = None
    failed_after: list = field(default_factory=list)
    note: str = ""


def kill_workers(gunicorn: Gunicorn, kills: int, rng: random.Random, faults: list) -> None:
    """SIGKILL a random worker `kills` times; half way, the master too."""
    for n in range(kills):
        time.sleep(rng.uniform(0.3, 1.2))
        victim = rng.choice(gunicorn.serving())
        os.kill(victim, signal.SIGKILL)
        at = now()
        fault = Fault("worker killed", at, resumed=at)
        while alive(victim) and now() < at + 10:
            time.sleep(0.01)  # the signal is delivered, not yet acted on
        while len(gunicorn.serving()) < 2 and now() < at + 120:
            time.sleep(0.02)  # the master forks a new one, which loads the app
        fault.took = now() - at
        fault.note = f"replacement serving in {fault.took:.1f} s"
        faults.append(fault)
        if n == kills // 2:
            time.sleep(rng.uniform(0.3, 1.2))
            faults.append(kill_master(gunicorn))


def kill_master(gunicorn: Gunicorn) -> Fault:
    """SIGKILL gunicorn's master, then its workers, and start gunicorn again.

    A sync worker checks that its master is alive only when it has no request waiting,
    so under a steady stream the orphans carry on serving: after a few seconds they are
    killed too, by their ids, as a service manager restarting the unit would do."""
    orphans = gunicorn.workers()
    os.kill(gunicorn.pid, signal.SIGKILL)
    at = now()
    gunicorn.process.wait(timeout=10)
    deadline = at + 3
    while any(alive(pid) for pid in orphans) and now() < deadline:
        time.sleep(0.05)
    stopped = now() - at
    leftover = [pid for pid in orphans if alive(pid)]
    for pid in leftover:  # the old workers, by their ids: none should be left
        os.kill(pid, signal.SIGKILL)
    down = now()
    took = gunicorn.start()
    return Fault(
        "master killed",
        at,
        took=now() - at,
        resumed=down,
        note=(
            f"{len(leftover)} of its {len(orphans)} workers still serving after "
            f"{stopped:.1f} s, killed"
            if leftover
            else f"its workers stopped by themselves in {stopped:.1f} s"
        )
        + f"; gunicorn started again in {took:.1f} s",
    )


def restart_postgres(cluster: Cluster, restarts: int, rng: random.Random, faults: list):
    for n in range(restarts):
        time.sleep(rng.uniform(1.0, 2.5))
        mode = ("fast", "immediate")[n % 2]
        at = now()
        took = cluster.restart(mode)
        faults.append(
            Fault(
                f"PostgreSQL restart -m {mode}",
                at,
                took=took,
                resumed=at,
                note=f"pg_ctl restart took {took:.1f} s",
            )
        )


def judge_faults(requests: list[Request], faults: list[Fault], end: float) -> None:
    """Per fault: requests it cut, recovery time, and any failure after recovering."""
    for n, fault in enumerate(faults):
        upto = faults[n + 1].at if n + 1 < len(faults) else end
        fault.cut = sum(1 for r in requests if r.outcome != "ack" and r.start < fault.at <= r.end)
        after = sorted(
            (r for r in requests if r.outcome == "ack" and r.start >= fault.resumed),
            key=lambda r: r.end,
        )
        if not after:
            continue
        first = after[0]
        fault.recovery = first.end - fault.at
        # once an answer has come back, every request started later must succeed
        fault.failed_after = [
            r for r in requests if r.outcome != "ack" and first.end <= r.start and r.end < upto
        ]


# --- Checking the database -----------------------------------------------------------------


def check_writes(requests: list[Request], prefix: str) -> dict:
    from django.contrib.contenttypes.models import ContentType
    from django.db import connection

    from localcompact.obligations.models import Activity, Obligation, ObligationEvent

    activities = list(
        Activity.objects.filter(title__startswith=prefix + "-").values_list("pk", "title")
    )
    stored = defaultdict(list)
    for pk, title in activities:
        stored[title].append(pk)
    pks = [pk for pk, _ in activities]
    kind = ContentType.objects.get_for_model(Activity)
    obligations = defaultdict(list)
    for pk, source in Obligation.objects.filter(source_type=kind).values_list("pk", "source_id"):
        obligations[source].append(pk)
    links = Counter(
        Activity.owed_to.through.objects.filter(activity_id__in=pks).values_list(
            "activity_id", flat=True
        )
    )
    theirs = [o for pk in pks for o in obligations.get(pk, [])]
    obligation_links = Counter(
        Obligation.owed_to.through.objects.filter(obligation_id__in=theirs).values_list(
            "obligation_id", flat=True
        )
    )
    created = Counter(
        ObligationEvent.objects.filter(
            obligation_id__in=theirs, kind=ObligationEvent.Kind.CREATED
        ).values_list("obligation_id", flat=True)
    )
    all_activities = set(Activity.objects.values_list("pk", flat=True))
    orphans = [source for source in obligations if source not in all_activities]

    partial = []
    for pk, title in activities:
        mine = obligations.get(pk, [])
        whole = (
            links[pk] == 1
            and len(mine) == 1
            and obligation_links[mine[0]] == 1
            and created[mine[0]] == 1
        )
        if not whole:
            partial.append(title)

    acknowledged = {r.title: r.id for r in requests if r.outcome == "ack"}
    lost = [t for t, pk in acknowledged.items() if stored.get(t) != [pk]]
    duplicates = [t for t, found in stored.items() if len(found) > 1]
    unacknowledged = [r for r in requests if r.outcome != "ack" and r.title in stored]
    integrity = "n/a"
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA integrity_check")
            integrity = cursor.fetchone()[0]
    return {
        "stored": len(activities),
        "lost": lost,
        "duplicates": duplicates,
        "partial": partial + [f"obligation of missing activity {s}" for s in orphans],
        "committed_unacknowledged": unacknowledged,
        "integrity": integrity,
    }


# --- The task worker -------------------------------------------------------------------------


def read_mail(folder: Path) -> tuple[list[tuple[str, str]], int]:
    """Every complete e-mail in the file backend's folder, as (to, subject), and the
    number cut off in the middle of being written."""
    sent, cut = [], 0
    for path in sorted(folder.glob("*.log")):
        parts = path.read_bytes().split(MAIL_SEPARATOR)
        for text in parts[:-1]:
            message = email.message_from_bytes(text.lstrip(b"\n"))
            sent.append((message["To"], " ".join(str(message["Subject"]).split())))
        cut += bool(parts[-1].strip())
    return sent, cut


class Cluster_Q:  # noqa: N801 - "the qcluster", next to Cluster (PostgreSQL's)
    def __init__(self, env: dict, log: Path):
        self.env, self.log = env, log
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        with open(self.log, "a", encoding="utf-8") as log:
            self.process = subprocess.Popen(  # noqa: S603 - our own command line
                [sys.executable, "manage.py", "qcluster"],
                cwd=ROOT,
                env=self.env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def kill(self) -> None:
        """SIGKILL every process of the cluster (its own process group)."""
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.kill()


def worker_part(args, env: dict, folder: Path) -> dict:
    from django.db import close_old_connections, connections
    from django.db.models import Count
    from django_q.models import OrmQ, Task
    from django_q.tasks import async_task

    from localcompact.obligations.models import ObligationEvent, Reminder
    from localcompact.obligations.tasks import SWEEP_FUNC

    mail = Path(env["FAULT_BENCH_MAIL_DIR"])
    mail.mkdir(exist_ok=True)
    task_id = async_task(SWEEP_FUNC)
    connections.close_all()
    cluster = Cluster_Q(env, folder / "qcluster.log")
    started = now()
    cluster.start()
    deadline = started + 120
    polls = 0
    while len(read_mail(mail)[0]) < args.kill_after and cluster.process.poll() is None:
        polls += 1
        failed = None
        if polls % 25 == 0:  # now and then: has the task failed instead of sending?
            close_old_connections()
            failed = Task.objects.filter(id=task_id, success=False).values("result").first()
        if failed or now() > deadline:
            cluster.kill()
            raise RuntimeError(
                f"the sweep task failed: {str(failed['result'])[-2000:]}"
                if failed
                else f"the worker sent nothing in 120 s; see {cluster.log}"
            )
        time.sleep(0.02)
    cluster.kill()
    killed_at = now()
    before, cut = read_mail(mail)
    close_old_connections()
    states_at_kill = dict(Reminder.objects.values_list("state").annotate(n=Count("id")).order_by())
    queued_task_left = OrmQ.objects.count()
    connections.close_all()

    cluster = Cluster_Q(env, folder / "qcluster.log")
    restarted = now()
    cluster.start()
    done = None
    deadline = restarted + args.retry + 120
    first_retry_mail = None
    while now() < deadline:
        if first_retry_mail is None and len(read_mail(mail)[0]) > len(before):
            first_retry_mail = now() - restarted
        close_old_connections()
        if Task.objects.filter(id=task_id).exists() and not OrmQ.objects.exists():
            done = now() - restarted
            break
        time.sleep(0.25)
    cluster.stop()
    sent, cut_after = read_mail(mail)
    close_old_connections()
    reminders = dict(Reminder.objects.values_list("state").annotate(n=Count("id")).order_by())
    task = Task.objects.filter(id=task_id).values("success", "attempt_count").first()
    repeats = (
        ObligationEvent.objects.values("obligation_id", "to_status")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .count()
    )
    total = sum(reminders.values())
    copies = Counter(sent)
    return {
        "digests": total,
        "before": len(before),
        "cut_at_kill": cut,
        "states_at_kill": states_at_kill,
        "task_left_in_queue": queued_task_left,
        "killed_after": killed_at - started,
        "retry_first_mail": first_retry_mail,
        "done_after": done,
        "sent": len(sent),
        "distinct": len(copies),
        "duplicates": sum(n - 1 for n in copies.values() if n > 1),
        "never_sent": total - len(copies),
        "reminders": reminders,
        "task": task,
        "repeated_events": repeats,
        "left_in_queue": OrmQ.objects.count(),
    }


# --- The run -------------------------------------------------------------------------------


def print_faults(faults: list[Fault]) -> None:
    print(f"\n{'fault':<30} {'cut':>4} {'recovery':>9} {'failed after':>13}  note")
    for fault in faults:
        recovery = f"{fault.recovery:.2f} s" if fault.recovery is not None else "NEVER"
        print(
            f"{fault.kind:<30} {fault.cut:>4} {recovery:>9} {len(fault.failed_after):>13}  "
            f"{fault.note}"
        )
    by_kind = defaultdict(list)
    for fault in faults:
        if fault.recovery is not None:
            by_kind[fault.kind].append(fault.recovery)
    for kind, times in by_kind.items():
        times.sort()
        print(
            f"  {kind}: {len(times)}, recovery median {times[len(times) // 2]:.2f} s, "
            f"max {times[-1]:.2f} s; cut a request in flight: "
            f"{sum(1 for f in faults if f.kind == kind and f.cut)} of "
            f"{sum(1 for f in faults if f.kind == kind)}"
        )


def run(args) -> bool:
    rng = random.Random(args.seed)  # noqa: S311 - timings, not secrets
    folder = Path(tempfile.mkdtemp(prefix="fault-bench-"))
    (folder / "ready").mkdir()
    cluster = None
    gunicorn = None
    try:
        started = now()
        if args.database == "postgres":
            for tool in ("initdb", "pg_ctl", "pg_dump", "pg_restore"):
                if not (PG_BIN / tool).exists():
                    raise SystemExit(f"{PG_BIN / tool} not found (set FAULT_BENCH_PG_BIN)")
            cluster = Cluster(folder, free_port())
            cluster.start()
        url = make_database(args, folder, cluster)
        env = child_env(
            url,
            folder,
            FAULT_BENCH_MAIL_PAUSE=str(args.mail_pause),
            FAULT_BENCH_Q_RETRY=str(args.retry),
        )
        setup_django(env)
        import logging

        logging.getLogger("localcompact.audit").setLevel(logging.WARNING)
        from django.conf import settings
        from django.db import connection, connections

        seeded = seed(0 if args.no_worker else args.reminded)
        connections.close_all()
        db = settings.DATABASES["default"]
        print(
            f"{connection.vendor} ({'throwaway cluster on port ' + str(cluster.port) if cluster else 'WAL file'}), "  # noqa: E501
            f"CONN_MAX_AGE {db['CONN_MAX_AGE']}, CONN_HEALTH_CHECKS {db['CONN_HEALTH_CHECKS']}; "
            f"ready in {now() - started:.0f} s ({'copied' if args.migrated_from else 'migrated'})"
        )
        if connection.vendor == "postgresql" and not db["CONN_HEALTH_CHECKS"]:
            print("NOTE: CONN_HEALTH_CHECKS is off: a worker keeps a dead connection")

        port = free_port()
        gunicorn = Gunicorn(port, env, folder / "gunicorn.log")
        boot = gunicorn.start()
        prefix = f"fault-{uuid.uuid4().hex[:8]}"
        t0 = now()
        stream = WriteStream(port, seeded, folder / "client-log.jsonl", args.writers, prefix, t0)
        stream.start()
        time.sleep(2)
        faults: list[Fault] = []
        kill_workers(gunicorn, args.kills, rng, faults)
        master = gunicorn.pid
        workers = sorted(gunicorn.workers())
        if cluster is not None:
            restart_postgres(cluster, args.restarts, rng, faults)
        time.sleep(3)
        stream.stop()
        end = now()
        same_master = gunicorn.process.poll() is None and gunicorn.pid == master
        same_workers = sorted(gunicorn.workers()) == workers
        gunicorn.stop()
        requests = stream.requests
        judge_faults(requests, faults, end)
        checked = check_writes(requests, prefix)
        connections.close_all()

        outcomes = Counter(r.outcome for r in requests)
        failed = len(requests) - outcomes["ack"]
        print(
            f"gunicorn 2 workers (booted in {boot:.1f} s), {args.writers} writers, "
            f"{end - t0:.0f} s of writes; load average {os.getloadavg()[0]:.1f} "
            f"({os.cpu_count()} CPUs); {dt.date.today()}"
        )
        print_faults(faults)
        acked = [r for r in requests if r.outcome == "ack"]
        latencies = sorted(r.end - r.start for r in acked)
        print(
            f"\nwrites attempted {len(requests)}, acknowledged {outcomes['ack']}, failed "
            f"{failed} (connection {outcomes['connection']}, 5xx {outcomes['5xx']}, timeout "
            f"{outcomes['timeout']}, unexpected {outcomes['unexpected']}); "
            f"median {latencies[len(latencies) // 2] * 1000:.0f} ms"
            if latencies
            else "no write was acknowledged"
        )
        print(
            f"in the database: {checked['stored']}; lost {len(checked['lost'])}, duplicates "
            f"{len(checked['duplicates'])}, partial {len(checked['partial'])}; committed but "
            f"not acknowledged {len(checked['committed_unacknowledged'])} "
            f"({', '.join(sorted(Counter(r.outcome for r in checked['committed_unacknowledged'])))}"  # noqa: E501
            f"); integrity check: {checked['integrity']}"
        )
        if cluster is not None:
            print(
                f"gunicorn through the PostgreSQL restarts: master "
                f"{'the same' if same_master else 'CHANGED'}, workers "
                f"{'the same' if same_workers else 'CHANGED'} (nothing restarted)"
            )
        problems = []
        for name in ("lost", "duplicates", "partial"):
            if checked[name]:
                problems.append(f"{name}: {checked[name][:5]}")
        if outcomes["unexpected"] or outcomes["timeout"]:
            odd = [r.__dict__ for r in requests if r.outcome in ("unexpected", "timeout")]
            problems.append(f"unexpected answers, or none (a hung worker): {odd[:3]}")
        for fault in faults:
            if fault.recovery is None:
                problems.append(f"no write acknowledged after '{fault.kind}'")
            if fault.failed_after:
                problems.append(
                    f"failed after recovering from '{fault.kind}': "
                    f"{[r.__dict__ for r in fault.failed_after[:3]]}"
                )
        if checked["integrity"] not in ("ok", "n/a"):
            problems.append(f"integrity check: {checked['integrity']}")
        if cluster is not None and not (same_master and same_workers):
            problems.append("gunicorn had to be restarted after the PostgreSQL restarts")

        if not args.no_worker:
            worker = worker_part(args, env, folder)
            print(
                f"\ntask worker: {worker['digests']} digests; killed (SIGKILL, every process) "
                f"{worker['killed_after']:.1f} s after starting, with {worker['before']} "
                f"e-mails sent ({worker['cut_at_kill']} cut half-written); reminders then "
                f"{worker['states_at_kill']}, task still queued: {worker['task_left_in_queue']}"
            )
            retry, done = worker["retry_first_mail"], worker["done_after"]
            print(
                "restarted: the task ran again (retry period "
                f"{args.retry} s): first e-mail "
                + (f"{retry:.1f} s after the restart" if retry is not None else "none")
                + ", acknowledged "
                + (f"{done:.1f} s after the restart" if done is not None else "NEVER")
                + f"; result {worker['task']}"
            )
            print(
                f"e-mails: {worker['sent']} sent to {worker['distinct']} distinct "
                f"(recipient, subject); duplicates {worker['duplicates']}; digests never "
                f"sent {worker['never_sent']} (claimed by the killed worker, left "
                f"'sending': at most once); reminders now {worker['reminders']}; obligations "
                f"moved twice {worker['repeated_events']}"
            )
            if worker["duplicates"]:
                problems.append(f"{worker['duplicates']} e-mails sent twice")
            if worker["repeated_events"]:
                problems.append("an obligation moved twice")
            if worker["done_after"] is None or worker["left_in_queue"]:
                problems.append("the sweep task was not run again and acknowledged")
            if worker["before"] < args.kill_after:
                problems.append("the worker finished before it could be killed")

        print()
        for problem in problems:
            print("  " + problem)
        print(
            f"{'PASS' if not problems else 'FAIL'}: {len(requests)} writes, "
            f"{len(faults)} faults, {len(problems)} problems ({args.database})"
            + (f"; files kept in {folder}" if os.environ.get("FAULT_BENCH_KEEP") == "1" else "")
        )
        return not problems
    finally:
        if gunicorn is not None:
            gunicorn.stop()
        if cluster is not None:
            from django.db import connections

            connections.close_all()
            cluster.stop()
        if os.environ.get("FAULT_BENCH_KEEP") != "1":
            shutil.rmtree(folder, ignore_errors=True)


def main(argv=None) -> int:
    return 0 if run(parse_args(argv)) else 1


if __name__ == "__main__":
    sys.exit(main())
