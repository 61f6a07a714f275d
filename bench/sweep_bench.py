"""Time the daily obligations sweep over 100,000 obligations, in a throwaway database.

    .venv/bin/python bench/sweep_bench.py                     # SQLite file in a temp dir
    .venv/bin/python bench/sweep_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/postgres --create-database

The target: one sweep of 100,000 obligations in under 10 seconds, on SQLite and on
PostgreSQL, with bulk queries (the query count is printed to show there is no query per
obligation). See bench/README.md for what is built and how to read the figures.
"""

import argparse
import cProfile
import datetime as dt
import os
import random
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
LIMIT_SECONDS = 10.0
SWEEP_DAY = dt.date(2026, 3, 3)  # a Tuesday
NOW = dt.datetime(2026, 3, 3, 6, 0, tzinfo=dt.UTC)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--obligations", type=int, default=100_000)
    parser.add_argument(
        "--database-url",
        help="An empty PostgreSQL database to use (default: a SQLite file in a temp dir)",
    )
    parser.add_argument(
        "--create-database",
        action="store_true",
        help="Create a fresh database on the --database-url server, and drop it at the end",
    )
    parser.add_argument(
        "--stale-days",
        type=int,
        default=30,
        help="The stored statuses are as a sweep left them this many days before the sweep "
        "day (default 30: a month of catching up). Use a large number (e.g. 100000) "
        "for the worst case, every obligation stored as not yet due.",
    )
    parser.add_argument("--organisations", type=int, default=500)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument(
        "--profile",
        metavar="FILE",
        help="Also write a cProfile of the timed sweep to FILE (the timing then includes "
        "the profiler's overhead; read it with python -m pstats FILE)",
    )
    parser.add_argument(
        "--settings",
        default="localcompact.test_settings",
        help="The Django settings module (default: the test settings, whose e-mail "
        "backend keeps messages in memory)",
    )
    return parser.parse_args()


@contextmanager
def throwaway_database(args: argparse.Namespace):
    """Yield a DATABASE_URL for a database that exists only for this run."""
    if not args.database_url:
        with tempfile.TemporaryDirectory(prefix="sweep-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        return
    if not args.create_database:
        yield args.database_url
        return

    import psycopg
    from psycopg import sql

    parts = urlsplit(args.database_url)
    name = f"sweep_bench_{uuid.uuid4().hex[:8]}"
    server = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield urlunsplit(parts._replace(path=f"/{name}"))
    finally:
        from django.db import connections

        connections.close_all()
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(sql.SQL("DROP DATABASE IF EXISTS {}").format(sql.Identifier(name)))


def setup_django(database_url: str, settings: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = settings
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def refuse_unless_empty() -> None:
    from django.db import connection

    if connection.introspection.table_names():
        sys.exit(
            "This database already has tables. The bench writes 100,000 rows: give it an "
            "empty database, or use --create-database."
        )


def build(args: argparse.Namespace, rng: random.Random) -> dict:
    """Migrate, load the Leicester compact, and make organisations, people, obligations."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    from localcompact.compacts.loader import read_definition
    from localcompact.compacts.services import compact_load
    from localcompact.obligations.models import Activity, Obligation, Status
    from localcompact.obligations.services import due_soon_from
    from localcompact.organisations.models import Membership, Organisation, Role

    call_command("migrate", verbosity=0)
    compact_load(
        definition=read_definition(settings.COMPACT_DEFINITIONS_DIR / "leicester.yaml"),
        now=NOW,
    )
    from localcompact.compacts.models import Standard

    standards = list(
        Standard.objects.exclude(rule_kind="seat_quotas").select_related("version__compact")
    )

    public_count = args.organisations * 2 // 5
    Organisation.objects.bulk_create(
        Organisation(
            name=f"Bench {'Council' if n < public_count else 'Charity'} {n}",
            slug=f"bench-{n}",
            sector="public" if n < public_count else "vcs",
        )
        for n in range(args.organisations)
    )
    organisations = list(Organisation.objects.order_by("pk"))
    public, charities = organisations[:public_count], organisations[public_count:]

    User = get_user_model()
    roles = (Role.OFFICER, Role.ADMINISTRATOR, Role.MEMBER)
    User.objects.bulk_create(
        User(username=f"u{org.pk}-{role}", email=f"u{org.pk}-{role}@example.org")
        for org in organisations
        for role in roles
    )
    users = {u.username: u.pk for u in User.objects.only("pk", "username")}
    Membership.objects.bulk_create(
        Membership(user_id=users[f"u{org.pk}-{role}"], organisation=org, role=role)
        for org in organisations
        for role in roles
    )

    stored_on = SWEEP_DAY - dt.timedelta(days=args.stale_days)
    soon_from: dict[tuple[int, dt.date], dt.date] = {}
    source_type = ContentType.objects.get_for_model(Activity)
    counts: dict[str, int] = {}
    batch: list[Obligation] = []
    owed_to: list[tuple[int, int]] = []  # (index in this batch, charity pk)
    Link = Obligation.owed_to.through

    def flush():
        made = Obligation.objects.bulk_create(batch)
        if owed_to:
            ids = [o.pk for o in made]  # SQLite 3.35+ and PostgreSQL return them
            Link.objects.bulk_create(
                Link(obligation_id=ids[i], organisation_id=org) for i, org in owed_to
            )
        batch.clear()
        owed_to.clear()

    for n in range(args.obligations):
        standard = rng.choice(standards)
        due_on = SWEEP_DAY + dt.timedelta(days=rng.randint(-120, 240))
        key = (standard.pk, due_on)
        if key not in soon_from:
            soon_from[key] = due_soon_from(standard=standard, due_on=due_on)
        met_on = None
        roll = rng.random()
        closed = None
        if due_on < SWEEP_DAY and roll < 0.35:
            met_on = due_on + dt.timedelta(days=rng.randint(-20, 10))
        elif due_on >= SWEEP_DAY and roll < 0.05:
            met_on = due_on  # a minimum period, kept on the day it has run
        elif roll > 0.98:
            closed = Status.EXCUSED
        elif roll > 0.96:
            closed = Status.CANCELLED

        # the status a sweep on `stored_on` left it in
        if closed:
            status = closed
        elif met_on is not None and met_on <= stored_on:
            status = Status.MET if met_on <= due_on else Status.MET_LATE
        elif due_on < stored_on:
            status = Status.MISSED
        elif soon_from[key] <= stored_on:
            status = Status.DUE_SOON
        else:
            status = Status.NOT_YET_DUE
        counts[status] = counts.get(status, 0) + 1
        if rng.random() < 0.5:
            owed_to.append((len(batch), rng.choice(charities).pk))
        batch.append(
            Obligation(
                compact=standard.version.compact,
                standard=standard,
                code_id=standard.code_id,
                source_type=source_type,
                source_id=n + 1,
                summary=f"{standard.title}: bench obligation {n + 1}",
                owed_by=rng.choice(public),
                due_on=due_on,
                due_soon_from=soon_from[key],
                status=status,
                status_changed_on=stored_on,
                met_on=met_on,
                excuse_reason="Agreed for the bench" if status == Status.EXCUSED else "",
                reminded_due_soon_on=stored_on if status == Status.DUE_SOON else None,
                reminded_missed_on=stored_on if status == Status.MISSED else None,
            )
        )
        if len(batch) == 5_000:
            flush()
    if batch:
        flush()
    return {"stored": counts, "people": len(organisations) * 2}


def warm_up() -> None:
    """Load what any long-lived process has loaded already: the URLconf (every app's
    views, imported on the first `reverse`) and the compiled e-mail templates."""
    from django.template.loader import get_template
    from django.urls import NoReverseMatch, reverse

    with suppress(NoReverseMatch):
        reverse("obligations:obligation", kwargs={"pk": 1})
    for kind in ("owing", "owed"):
        for suffix in ("_subject.txt", ".txt", ".html"):
            get_template(f"obligations/email/digest_{kind}{suffix}")


def server_cpu(connection) -> float | None:
    """CPU seconds used so far by this connection's PostgreSQL backend, when the server
    runs on this machine and /proc shows it; None otherwise (and for SQLite, whose work
    is done in this process and counted in its CPU time)."""
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def timed_sweep(profile: str | None = None):
    """Run one sweep; return its result, wall seconds, CPU seconds (this process, and the
    database server's backend where it can be read), and the queries it issued. With
    `profile`, write a cProfile of it to that file."""
    from django.db import connection

    from localcompact.obligations.sweep import obligations_sweep

    queries = 0

    def count(execute, sql, params, many, context):
        nonlocal queries
        queries += 1
        return execute(sql, params, many, context)

    server = server_cpu(connection)
    with connection.execute_wrapper(count):
        profiler = cProfile.Profile() if profile else None
        start, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        result = obligations_sweep(today=SWEEP_DAY, now=NOW)
        if profiler:
            profiler.disable()
        seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    if profiler:
        profiler.dump_stats(profile)
    if server is not None:
        after = server_cpu(connection)
        server = None if after is None else after - server
    return result, seconds, (cpu, server), queries


def database_name(connection) -> str:
    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version}"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


def main() -> int:
    args = parse_args()
    rng = random.Random(args.seed)  # noqa: S311 - a repeatable mix, not a secret
    with throwaway_database(args) as url:
        setup_django(url, args.settings)
        from django.db import connection

        refuse_unless_empty()
        started = time.perf_counter()
        built = build(args, rng)
        setup_seconds = time.perf_counter() - started

        warm_up()
        load = os.getloadavg()[0]
        first, seconds, cpu, queries = timed_sweep(args.profile)
        again, again_seconds, _, again_queries = timed_sweep()

        from localcompact.obligations.models import Reminder

        stored = ", ".join(f"{k} {v:,}" for k, v in sorted(built["stored"].items()))
        print(f"database:            {database_name(connection)}")
        print(f"obligations:         {args.obligations:,} (built in {setup_seconds:.1f} s)")
        print(f"stored as of:        {SWEEP_DAY - dt.timedelta(days=args.stale_days)}: {stored}")
        print(f"sweep day:           {SWEEP_DAY}")
        print(f"-> met:              {first.met:,}")
        print(f"-> met late:         {first.met_late:,}")
        print(f"-> missed:           {first.missed:,}")
        print(f"-> due soon:         {first.due_soon:,}")
        print(f"reminders queued:    {first.reminders_queued:,}")
        print(f"reminders sent:      {first.reminders_sent:,} (failed {first.reminders_failed})")
        print(f"obligations in them: {Reminder.obligations.through.objects.count():,}")
        client, server = cpu
        print(f"wall time:           {seconds:.2f} s")
        print(
            f"CPU time:            {client:.2f} s in this process"
            + (f", {server:.2f} s in the database server" if server is not None else "")
            + f" (load average {load:.1f} on {os.cpu_count()} CPUs when it started)"
        )
        print(f"queries:             {queries:,}")
        print(
            f"second sweep:        {again.moved} moved, {again.reminders_sent} sent, "
            f"{again_seconds:.2f} s, {again_queries:,} queries"
        )
        passed = seconds < LIMIT_SECONDS and again.moved == 0 and again.reminders_sent == 0
        print(f"{'PASS' if passed else 'FAIL'}: {seconds:.2f} s against {LIMIT_SECONDS:.0f} s")
        connection.close()
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
