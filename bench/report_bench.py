"""Time the annual compact report for a large compact, in a throwaway database.

    .venv/bin/python bench/report_bench.py                     # SQLite file in a temp dir
    .venv/bin/python bench/report_bench.py --consultations 1000 --obligations 5000 --awards 200
    .venv/bin/python bench/report_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/postgres --create-database

Builds Leicester with 10,000 consultations, 50,000 obligations and 2,000 awards (with a
payment each) over the report's year and the year before, by bulk_create, then times:

1. generating the figures (`reports.selectors.report_figures`: what the background task
   or the first view does);
2. rendering the HTML page of the stored report (a GET through Django's test client,
   with its query count);
3. rendering the PDF (WeasyPrint) from the stored figures.

Targets (issue #12): the HTML page under 2 s, the PDF under 10 s. See bench/README.md for
which timing each target is held to.
"""

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
HTML_LIMIT = 2.0
PDF_LIMIT = 10.0
YEAR = 2025
TODAY = dt.date(2026, 3, 2)
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--consultations", type=int, default=10_000)
    parser.add_argument("--obligations", type=int, default=50_000)
    parser.add_argument("--awards", type=int, default=2_000)
    parser.add_argument("--organisations", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3, help="HTML renders to time (best kept)")
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--database-url", help="An empty PostgreSQL database to use")
    parser.add_argument("--create-database", action="store_true")
    return parser.parse_args()


@contextmanager
def throwaway_database(args: argparse.Namespace):
    if not args.database_url:
        with tempfile.TemporaryDirectory(prefix="report-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        return
    if not args.create_database:
        yield args.database_url
        return
    import psycopg
    from psycopg import sql

    parts = urlsplit(args.database_url)
    name = f"report_bench_{uuid.uuid4().hex[:8]}"
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


def setup_django(database_url: str) -> None:
    os.environ["DATABASE_URL"] = database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "localcompact.test_settings"
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def build(args: argparse.Namespace, rng: random.Random):
    """Migrate, load Leicester, and make organisations, signatures, consultations,
    obligations, awards and payments over the two years the report reads."""
    from django.conf import settings
    from django.contrib.contenttypes.models import ContentType
    from django.core.management import call_command

    from localcompact.compacts.loader import read_definition
    from localcompact.compacts.models import Compact, Standard
    from localcompact.compacts.services import compact_load
    from localcompact.consultations.models import Consultation
    from localcompact.funding.models import Award, Payment
    from localcompact.obligations.models import Obligation, Status
    from localcompact.organisations.models import Organisation, Signature

    call_command("migrate", verbosity=0)
    compact_load(
        definition=read_definition(settings.COMPACT_DEFINITIONS_DIR / "leicester.yaml"), now=NOW
    )
    compact = Compact.objects.select_related("current_version").get(slug="leicester")
    version = compact.current_version
    start = dt.date(YEAR - 1, 1, 1)
    days = (dt.date(YEAR, 12, 31) - start).days

    def day():
        return start + dt.timedelta(days=rng.randint(0, days))

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
    Signature.objects.bulk_create(
        Signature(
            compact=compact,
            version=version,
            organisation=org,
            organisation_name=org.name,
            signatory_name="A Signatory",
            signatory_position="Chief executive",
            signed_on=day(),
            withdrawn_on=dt.date(YEAR, 11, 30) if n % 20 == 0 else None,
            method=Signature.Method.ONLINE,
        )
        for n, org in enumerate(organisations)
    )
    batch = []
    for n in range(args.consultations):
        opens = day()
        batch.append(
            Consultation(
                compact=compact,
                version=version,
                lead=rng.choice(public),
                title=f"Bench consultation {n}",
                summary="A consultation made by the bench.",
                open_to_change="Everything",
                who_affected="Everyone",
                announced_on=opens,
                opens_on=opens,
                closes_on=opens + dt.timedelta(days=rng.choice((56, 84, 90))),
                status=rng.choice(("open", "closed", "decided", "feedback")),
                status_changed_on=opens,
            )
        )
    Consultation.objects.bulk_create(batch, batch_size=2000)

    awards = []
    for n in range(args.awards):
        on = day()
        awards.append(
            Award(
                version=version,
                funder=rng.choice(public),
                recipient=rng.choice(charities),
                kind="grant",
                title=f"Bench grant {n}",
                description="A grant made by the bench.",
                amount=rng.randint(1, 200) * 500,
                award_date=on,
                agreed_on=on,
                starts_on=on + dt.timedelta(days=60),
                ends_on=on + dt.timedelta(days=425),
                confirmed_on=on,
            )
        )
    awards = Award.objects.bulk_create(awards, batch_size=1000)
    Payment.objects.bulk_create(
        (
            Payment(
                award=a,
                due_on=a.starts_on,
                amount=a.amount,
                expenditure_starts_on=a.starts_on,
                paid_on=a.starts_on - dt.timedelta(days=rng.randint(-10, 20)),
            )
            for a in awards
        ),
        batch_size=1000,
    )

    standards = list(version.standards.exclude(rule_kind="seat_quotas"))
    source_type = ContentType.objects.get_for_model(Consultation)
    statuses = (
        [Status.MET] * 60 + [Status.MET_LATE] * 12 + [Status.MISSED] * 15 + [Status.EXCUSED] * 3
    )
    statuses += [Status.CANCELLED] * 2 + [Status.NOT_YET_DUE] * 8
    kinds = {s.pk: s.exception_kind or "stated_reasons" for s in standards}
    batch = []
    for n in range(args.obligations):
        standard: Standard = rng.choice(standards)
        due = day()
        status = rng.choice(statuses)
        excused = status == Status.EXCUSED
        batch.append(
            Obligation(
                compact=compact,
                standard=standard,
                code_id=standard.code_id,
                source_type=source_type,
                source_id=n + 1,
                key=standard.ident,
                summary=f"{standard.title}: bench record {n + 1}",
                owed_by=rng.choice(public),
                due_on=due,
                due_soon_from=due,
                status=status,
                status_changed_on=due,
                met_on=due if status in (Status.MET, Status.MET_LATE) else None,
                exception_kind=kinds[standard.pk] if excused else "",
                excuse_reason="A reason given for the bench" if excused else "",
            )
        )
    Obligation.objects.bulk_create(batch, batch_size=5000)
    return compact


def main() -> None:
    args = parse_args()
    rng = random.Random(args.seed)  # noqa: S311 (made-up data, not secrets)
    with throwaway_database(args) as url:
        setup_django(url)
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from localcompact.reports.models import AnnualReport, ReportStatus
        from localcompact.reports.pdf import report_pdf_bytes
        from localcompact.reports.selectors import report_figures

        started = time.perf_counter()
        compact = build(args, rng)
        print(
            f"built: {args.consultations:,} consultations, {args.obligations:,} obligations, "
            f"{args.awards:,} awards with a payment each on {connection.vendor} "
            f"in {time.perf_counter() - started:.1f} s"
        )

        started = time.perf_counter()
        with CaptureQueriesContext(connection) as generated:
            figures = report_figures(compact=compact, year=YEAR, today=TODAY)
        generate_s = time.perf_counter() - started
        count = sum(len(s["figures"]) for s in figures["sections"])
        print(
            f"generating the figures: {generate_s:.2f} s, {len(generated)} queries, {count} figures"
        )

        AnnualReport.objects.create(
            compact=compact,
            year=YEAR,
            status=ReportStatus.READY,
            progress=100,
            requested_at=NOW,
            generated_at=NOW,
            as_of=TODAY,
            figures=figures,
        )
        client = Client()
        path = f"/reports/{compact.slug}/{YEAR}/"
        client.get(path)  # templates compiled, URLconf loaded: as in a running server
        times = []
        for _ in range(args.rounds):
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as page_queries:
                response = client.get(path)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.status_code
        html_s = min(times)
        print(
            f"HTML page of the stored report: best {html_s:.3f} s of {args.rounds} "
            f"(worst {max(times):.3f} s), {len(page_queries)} queries, "
            f"{len(response.content):,} bytes"
        )

        started = time.perf_counter()
        content = report_pdf_bytes(figures)
        pdf_s = time.perf_counter() - started
        assert content.startswith(b"%PDF")
        print(f"PDF: {pdf_s:.2f} s, {len(content):,} bytes")

        print()
        first_view = generate_s + html_s
        verdicts = [
            ("HTML page of a stored report", html_s, HTML_LIMIT),
            ("PDF from the stored figures", pdf_s, PDF_LIMIT),
        ]
        for name, seconds, limit in verdicts:
            verdict = "PASS" if seconds < limit else "FAIL"
            print(f"{verdict}: {name} in {seconds:.2f} s (target under {limit:.0f} s)")
        print(
            f"(for information: generating the figures and rendering the page on a first "
            f"view would take {first_view:.2f} s; a compact this size is generated by the "
            f"background task instead)"
        )


if __name__ == "__main__":
    main()
