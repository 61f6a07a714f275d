"""Load test: gunicorn with 2 workers over a seeded database, driven by locust.

    .venv/bin/python bench/load_bench.py                       # SQLite (WAL) in a temp dir
    .venv/bin/python bench/load_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/postgres   # a fresh database
                                                                      # on that server

What it does:

1. Makes a throwaway database (a SQLite file in a temporary folder, or a new PostgreSQL
   database, dropped at the end) and seeds it with the sweep bench's builder
   (bench/sweep_bench.py `build`: the Leicester compact, `--organisations` organisations,
   two fifths of them public bodies, each with an officer, an administrator and a
   member, and `--obligations` obligations) and the register bench's signatures
   (bench/register_bench.py `sign_some`); then the other shipped compacts
   (`load_compacts`), and `--consultations` consultations (a fifth of them open) with
   `--responses` responses (`seed_consultations`). Officers' sessions are made directly
   in the session store. On PostgreSQL the tables are then analysed (as autovacuum
   would soon do); SQLite is left as the application leaves it (no ANALYZE).
2. Starts gunicorn (`localcompact.wsgi`, 2 sync workers) on a free port, with DEBUG off
   and the settings of `bench/load_settings.py` (the test settings, with cookies sent
   over plain HTTP), and waits for /healthz.
3. Runs locust headless (bench/locustfile.py) for `--seconds` with `--users` simulated
   people (4 visitors to 1 respondent to 1 officer), each waiting `--wait` seconds between requests.
4. Prints, page by page: requests, errors, requests per second, median and 95th
   percentile latency, and each page's cost against the bare page of the same layout
   measured in the same run (its throughput relative to the bare page's: bare mean
   latency / page mean latency, 1.0 = as cheap as the bare page). Then the totals and
   PASS or FAIL: no error, and a 95th percentile under 300 ms over all requests.

Locust runs on the same machine as gunicorn (and the database), so it takes some of the
CPU it measures; the load average before and after is printed with the figures.
"""

import argparse
import csv
import datetime as dt
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
P95_LIMIT_MS = 300.0
BARE = "bare page (same layout)"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url",
        help="A PostgreSQL server (postgres://user@host:port/any): a fresh database is "
        "created on it and dropped at the end. Default: a SQLite file in a temp dir.",
    )
    parser.add_argument("--organisations", type=int, default=20_000)
    parser.add_argument("--obligations", type=int, default=50_000)
    parser.add_argument("--signatures", type=int, default=5_000)
    parser.add_argument("--consultations", type=int, default=2_000)
    parser.add_argument("--responses", type=int, default=100_000)
    parser.add_argument("--users", type=int, default=20, help="simulated people (default 20)")
    parser.add_argument("--seconds", type=int, default=45, help="how long the load runs")
    parser.add_argument(
        "--wait",
        default="0.5,1.5",
        help="each person's pause between requests, MIN,MAX seconds (default 0.5,1.5)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


@contextmanager
def throwaway_database(database_url: str | None):
    """Yield a DATABASE_URL for a database that exists only for this run, and a folder."""
    with tempfile.TemporaryDirectory(prefix="load-bench-") as folder:
        if not database_url:
            yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}", Path(folder)
            return
        import psycopg
        from psycopg import sql

        parts = urlsplit(database_url)
        name = f"load_bench_{uuid.uuid4().hex[:8]}"
        server = urlunsplit(parts._replace(path="/postgres"))
        with psycopg.connect(server, autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        try:
            yield urlunsplit(parts._replace(path=f"/{name}")), Path(folder)
        finally:
            from django.db import connections

            connections.close_all()
            with psycopg.connect(server, autocommit=True) as conn:
                conn.execute(
                    sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
                )


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "load_settings"
    os.environ["DEBUG"] = "false"
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    sys.path[:0] = [str(ROOT), str(BENCH)]
    import django

    django.setup()


def seed_consultations(args: argparse.Namespace, rng: random.Random) -> list[int]:
    """`--consultations` consultations over the four compacts, led by the public bodies
    (a fifth of them open today, taking anonymous responses; the rest in every other
    status), with three tags each, and `--responses` submitted responses of every kind,
    with bulk inserts (no obligations: the pages the load visits read none of them).
    Returns the open consultations' ids."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from localcompact.compacts.models import Compact
    from localcompact.consultations.models import (
        Consultation,
        Method,
        Response,
        ResponseKind,
        Status,
        Tag,
    )
    from localcompact.organisations.models import Organisation

    today = timezone.localdate()
    public = list(Organisation.objects.filter(sector="public").values_list("pk", flat=True))
    others = list(Organisation.objects.exclude(sector="public").values_list("pk", flat=True))
    people = list(get_user_model().objects.values_list("pk", flat=True)[:2_000])
    tags = Tag.objects.bulk_create(
        [Tag(kind="topic", name=f"Topic {i}", slug=f"topic-{i}") for i in range(30)]
        + [Tag(kind="area", name=f"Area {i}", slug=f"area-{i}") for i in range(20)]
    )
    compacts = list(Compact.objects.select_related("current_version").order_by("slug"))
    statuses = [s for s in Status.values if s != Status.OPEN]
    rows = []
    for i in range(args.consultations):
        compact = compacts[i % len(compacts)]
        if i % 5 == 0:
            status, opens = Status.OPEN, today - dt.timedelta(days=rng.randint(0, 60))
        else:
            status = statuses[i % len(statuses)]
            opens = today + dt.timedelta(days=rng.randint(-400, 60))
        rows.append(
            Consultation(
                compact=compact,
                version=compact.current_version,
                lead_id=public[i % len(public)],
                title=f"Consultation {i} on {rng.choice(['parks', 'libraries', 'buses', 'care'])}",
                summary="A proposal on which views are asked for before the decision.",
                open_to_change="The options in the paper.",
                who_affected="Residents.",
                response_methods=[Method.ONLINE],
                announced_on=opens - dt.timedelta(days=7),
                opens_on=opens,
                closes_on=opens + dt.timedelta(weeks=12),
                status=status,
                status_changed_on=opens,
            )
        )
    consultations = Consultation.objects.bulk_create(rows, batch_size=1_000)
    through = Consultation.tags.through
    through.objects.bulk_create(
        [
            through(consultation_id=c.pk, tag_id=t.pk)
            for c in consultations
            for t in rng.sample(tags, 3)
        ],
        batch_size=5_000,
    )
    kinds = [
        ResponseKind.ORGANISATION,
        ResponseKind.INDIVIDUAL,
        ResponseKind.ANONYMOUS,
        ResponseKind.PETITION,
    ]
    batch = []
    for i in range(args.responses):
        consultation = consultations[rng.randrange(len(consultations))]
        kind = kinds[i % len(kinds)]
        batch.append(
            Response(
                consultation_id=consultation.pk,
                kind=kind,
                state=Response.State.SUBMITTED,
                organisation_id=rng.choice(others) if kind == ResponseKind.ORGANISATION else None,
                user_id=rng.choice(people) if kind == ResponseKind.INDIVIDUAL else None,
                respondent_name="A resident" if kind == ResponseKind.INDIVIDUAL else "",
                petition_signatures=rng.randint(10, 5000)
                if kind == ResponseKind.PETITION
                else None,
                petition_organiser="An organiser" if kind == ResponseKind.PETITION else "",
                answer="My view on the proposal.",
                started_on=consultation.opens_on,
                submitted_on=consultation.opens_on,
            )
        )
        if len(batch) == 10_000:
            Response.objects.bulk_create(batch)
            batch = []
    Response.objects.bulk_create(batch)
    return [c.pk for c in consultations if c.status == Status.OPEN]


def seed(args: argparse.Namespace, folder: Path) -> dict:
    """Build the data set; return what the locustfile needs."""
    import io

    import register_bench
    import sweep_bench
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from localcompact.organisations.models import Organisation

    rng = random.Random(args.seed)  # noqa: S311 - a repeatable mix, not a secret
    built = sweep_bench.build(
        argparse.Namespace(
            organisations=args.organisations, obligations=args.obligations, stale_days=1
        ),
        rng,
    )
    register_bench.sign_some(args.signatures, rng)
    call_command("load_compacts", stdout=io.StringIO())
    open_consultations = seed_consultations(args, rng)

    slugs = list(Organisation.objects.values_list("slug", flat=True))
    public = list(
        Organisation.objects.filter(sector="public").order_by("?").values_list("pk", "slug")[:50]
    )
    users = get_user_model().objects.in_bulk(
        [f"u{pk}-officer" for pk, _ in public], field_name="username"
    )
    officers = []
    for pk, slug in public:
        client = Client()
        client.force_login(users[f"u{pk}-officer"])
        officers.append(
            {"slug": slug, "cookie": client.cookies[settings.SESSION_COOKIE_NAME].value}
        )
    data = {
        "compacts": ["leicester", "city-together", "herefordshire", "redcar-cleveland"],
        "compliance": "leicester",
        "slugs": rng.sample(slugs, min(2_000, len(slugs))),
        "words": ["Council", "Charity", "Bench", "Council 1", "Charity 42", "bench-7"],
        "officers": officers,
        "consultations": rng.sample(open_consultations, min(200, len(open_consultations))),
        "cookie_name": settings.SESSION_COOKIE_NAME,
    }
    path = folder / "load-data.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return {"path": path, "stored": built["stored"], "organisations": len(slugs)}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310 (local)
                if response.status == 200:
                    return
        except OSError:
            pass
        if time.monotonic() > deadline:
            raise SystemExit(f"gunicorn did not answer {url} within {seconds} s")
        time.sleep(0.3)


def time_alone(base: str, data_path: Path) -> dict[str, float]:
    """Each page's latency with nothing else of ours running: what the page costs on
    this machine at this moment, to read the figures under load against."""
    data = json.loads(data_path.read_text(encoding="utf-8"))
    pages = {
        "bare page": "/accessibility/",
        "home": "/",
        "a compact": f"/compacts/{data['compacts'][0]}/",
        "register": "/register/",
        "register search": f"/register/?q={data['words'][0]}",
        "an organisation": f"/organisations/{data['slugs'][0]}/",
        "compliance": f"/compacts/{data['compliance']}/compliance/",
        "consultations": "/consultations/",
        "a consultation": f"/consultations/{data['consultations'][0]}/",
        "forward plan (not in the mix)": "/consultations/forward-plan/",
    }
    medians = {}
    for name, path in pages.items():
        times = []
        for _ in range(5):
            started = time.perf_counter()
            urllib.request.urlopen(base + path, timeout=30).read()  # noqa: S310 (local)
            times.append((time.perf_counter() - started) * 1000)
        medians[name] = sorted(times)[2]
    return medians


def read_stats(prefix: Path) -> list[dict]:
    with open(f"{prefix}_stats.csv", encoding="utf-8") as file:
        return list(csv.DictReader(file))


def report(rows: list[dict], seconds: float) -> bool:
    pages = [r for r in rows if r["Name"] != "Aggregated"]
    total = next(r for r in rows if r["Name"] == "Aggregated")
    bare = next((r for r in pages if r["Name"] == BARE), None)
    bare_mean = float(bare["Average Response Time"]) if bare else None
    print(
        f"\n{'page':<28} {'requests':>8} {'errors':>6} {'req/s':>6} "
        f"{'median':>7} {'p95':>6} {'mean':>6}  vs bare"
    )
    for r in sorted(pages, key=lambda r: r["Name"]):
        mean = float(r["Average Response Time"])
        ratio = f"{bare_mean / mean:.2f}" if bare_mean and mean else "-"
        print(
            f"{r['Name']:<28} {int(r['Request Count']):>8} {int(r['Failure Count']):>6} "
            f"{float(r['Requests/s']):>6.1f} {r['50%']:>5}ms {r['95%']:>4}ms "
            f"{mean:>4.0f}ms  {ratio}"
        )
    errors = int(total["Failure Count"])
    p95 = float(total["95%"])
    print(
        f"{'all':<28} {int(total['Request Count']):>8} {errors:>6} "
        f"{float(total['Requests/s']):>6.1f} {total['50%']:>5}ms {total['95%']:>4}ms "
        f"{float(total['Average Response Time']):>4.0f}ms"
    )
    ok = errors == 0 and p95 < P95_LIMIT_MS
    print(
        f"\n{'PASS' if ok else 'FAIL'}: {errors} errors, p95 {p95:.0f} ms over all requests "
        f"(target: 0 errors, p95 under {P95_LIMIT_MS:.0f} ms) in {seconds:.0f} s"
    )
    return ok


def main() -> int:
    args = parse_args()
    with throwaway_database(args.database_url) as (database_url, folder):
        setup_django(database_url)
        from django.db import connection

        started = time.perf_counter()
        seeded = seed(args, folder)
        vendor = connection.vendor
        if vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        connection.close()
        print(
            f"seeded {vendor} in {time.perf_counter() - started:.0f} s: "
            f"{seeded['organisations']:,} organisations, {args.obligations:,} obligations, "
            f"{args.signatures:,} signatures, {args.consultations:,} consultations, "
            f"{args.responses:,} responses, 4 compacts"
        )

        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "DJANGO_SETTINGS_MODULE": "load_settings",
            "DEBUG": "false",
            "PYTHONPATH": os.pathsep.join([str(ROOT), str(BENCH)]),
            "LOG_LEVEL": "WARNING",
        }
        gunicorn = subprocess.Popen(  # noqa: S603 - our own command line
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "localcompact.wsgi",
                "--workers",
                str(args.workers),
                "--bind",
                f"127.0.0.1:{port}",
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )
        try:
            base = f"http://127.0.0.1:{port}"
            wait_for(f"{base}/healthz")
            for path in ("/", "/accessibility/", "/register/", "/compacts/leicester/compliance/"):
                urllib.request.urlopen(base + path, timeout=30).read()  # noqa: S310 (warm up)
            alone = time_alone(base, seeded["path"])
            load_before = os.getloadavg()
            prefix = folder / "locust"
            locust = subprocess.run(  # noqa: S603 - our own command line
                [
                    str(Path(sys.executable).with_name("locust")),
                    "-f",
                    str(BENCH / "locustfile.py"),
                    "--headless",
                    "--users",
                    str(args.users),
                    "--spawn-rate",
                    str(max(args.users, 1)),
                    "--run-time",
                    f"{args.seconds}s",
                    "--host",
                    base,
                    "--csv",
                    str(prefix),
                    "--only-summary",
                    "--loglevel",
                    "WARNING",
                    "--exit-code-on-error",
                    "0",
                ],
                cwd=BENCH,
                env={
                    **os.environ,
                    "LOAD_BENCH_DATA": str(seeded["path"]),
                    "LOAD_BENCH_WAIT": args.wait,
                },
                capture_output=True,
                text=True,
            )
            load_after = os.getloadavg()
            if locust.returncode != 0:
                print(locust.stdout[-3000:], locust.stderr[-3000:])
                return 2
        finally:
            gunicorn.terminate()
            gunicorn.wait(timeout=30)
        print(
            f"gunicorn {args.workers} workers, {args.users} simulated people "
            f"(pause {args.wait} s), {args.seconds} s, {vendor}; "
            f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after "
            f"({os.cpu_count()} CPUs); {dt.date.today()}"
        )
        print("\nEach page alone (one request at a time, 5 each, just before the load), median:")
        print("  " + ", ".join(f"{name} {ms:.0f} ms" for name, ms in alone.items()))
        ok = report(read_stats(prefix), args.seconds)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
