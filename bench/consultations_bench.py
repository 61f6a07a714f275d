"""Consultations at scale: queries per page, and the list's speed against a bare page.

    .venv/bin/python bench/consultations_bench.py                    # 20,000 / 500,000
    .venv/bin/python bench/consultations_bench.py --consultations 1000 --responses 20000
    .venv/bin/python bench/consultations_bench.py \\
        --database-url postgres://postgres@127.0.0.1:5432/postgres   # a fresh database

What it does: migrates a throwaway database (a SQLite file in a temporary folder, or a
new PostgreSQL database dropped at the end), loads the shipped compacts, and makes
`--consultations` consultations (spread over the four compacts, every status, three
tags each) and `--responses` responses (organisations of every size band, individuals,
anonymous, petitions) with bulk inserts (no obligations: the pages read none of them
but the consultation page's own). Then, through Django's test client in this process:

1. queries: the list (page 1, and a page far in), a consultation page and its analysis
   (signed in as an officer of the lead body) for a consultation with few responses and
   one with many; each must issue the same number of queries whatever the data;
2. speed: `--rounds` rounds, each one request of the list and one of a bare page with
   the same layout (base.html, a heading and a paragraph, no query of its own),
   alternately, so both see the same machine load; requests per second of each and the
   list's as a share of the bare page's (target: at least 40%). The list's body is the
   same for every reader and is kept in the shared cache until a consultation changes,
   so most requests are cache hits; each round also requests the list on a cache miss,
   reported for information.

PASS when the queries are constant and the share is at least 40%.
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
TARGET_SHARE = 0.40
TODAY = dt.date(2026, 3, 2)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", help="a PostgreSQL server; default SQLite in a temp dir")
    parser.add_argument("--consultations", type=int, default=20_000)
    parser.add_argument("--responses", type=int, default=500_000)
    parser.add_argument("--rounds", type=int, default=200)
    parser.add_argument("--seed", type=int, default=2026)
    return parser.parse_args()


@contextmanager
def throwaway_database(database_url: str | None):
    if not database_url:
        with tempfile.TemporaryDirectory(prefix="consultations-bench-") as folder:
            yield f"sqlite:///{Path(folder) / 'bench.sqlite3'}"
        return
    import psycopg
    from psycopg import sql

    parts = urlsplit(database_url)
    name = f"consultations_bench_{uuid.uuid4().hex[:8]}"
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


def build(args, rng: random.Random):
    """The organisations, people, consultations and responses; returns what the
    measurements need."""
    from django.contrib.auth import get_user_model

    from localcompact.compacts.models import Compact
    from localcompact.consultations.models import (
        Consultation,
        Method,
        Response,
        ResponseKind,
        Status,
        Tag,
    )
    from localcompact.organisations.models import IncomeBand, Membership, Organisation, Role

    bands = [b for b in IncomeBand.values if b]
    orgs = Organisation.objects.bulk_create(
        [
            Organisation(
                name=f"Organisation {i}",
                slug=f"org-{i}",
                sector="public" if i < 20 else "vcs",
                income_band=rng.choice(bands),
            )
            for i in range(400)
        ]
    )
    public = orgs[:20]
    officer = get_user_model().objects.create_user("officer", email="officer@example.org")
    Membership.objects.create(user=officer, organisation=public[0], role=Role.OFFICER)
    tags = Tag.objects.bulk_create(
        [Tag(kind="topic", name=f"Topic {i}", slug=f"topic-{i}") for i in range(30)]
        + [Tag(kind="area", name=f"Area {i}", slug=f"area-{i}") for i in range(20)]
    )
    compacts = list(Compact.objects.select_related("current_version"))
    statuses = list(Status.values)
    rows = []
    for i in range(args.consultations):
        compact = compacts[i % len(compacts)]
        opens = TODAY + dt.timedelta(days=rng.randint(-400, 60))
        rows.append(
            Consultation(
                compact=compact,
                version=compact.current_version,
                lead=public[i % len(public)],
                title=f"Consultation {i} on {rng.choice(['parks', 'libraries', 'buses', 'care'])}",
                summary="A proposal on which views are asked for before the decision.",
                open_to_change="The options in the paper.",
                who_affected="Residents.",
                response_methods=[Method.ONLINE],
                announced_on=opens - dt.timedelta(days=7),
                opens_on=opens,
                closes_on=opens + dt.timedelta(weeks=12),
                status=statuses[i % len(statuses)],
                status_changed_on=opens,
            )
        )
    consultations = Consultation.objects.bulk_create(rows, batch_size=2000)
    through = Consultation.tags.through
    through.objects.bulk_create(
        [
            through(consultation_id=c.pk, tag_id=t.pk)
            for c in consultations
            for t in rng.sample(tags, 3)
        ],
        batch_size=5000,
    )
    # two consultations of the officer's body in the same status: one gets a tenth of
    # the responses, the other three
    many, few = consultations[0], consultations[60]
    kinds = [
        ResponseKind.ORGANISATION,
        ResponseKind.INDIVIDUAL,
        ResponseKind.ANONYMOUS,
        ResponseKind.PETITION,
    ]
    batch = []
    for i in range(args.responses):
        if i < args.responses // 10:
            consultation = many
        elif i < args.responses // 10 + 3:
            consultation = few
        else:
            consultation = consultations[rng.randrange(len(consultations))]
        kind = kinds[i % len(kinds)]
        batch.append(
            Response(
                consultation_id=consultation.pk,
                kind=kind,
                state=Response.State.SUBMITTED,
                organisation=rng.choice(orgs) if kind == ResponseKind.ORGANISATION else None,
                user=officer if kind == ResponseKind.INDIVIDUAL else None,
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
    return officer, many, few


def count_queries(client, path: str) -> int:
    """Queries of one request, warmed once (per-process caches such as content types are
    not counted) and with the list's cached body cleared (its misses are counted)."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)
    cache.clear()
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    assert response.status_code == 200, f"{path} answered {response.status_code}"
    return len(ctx)


def main() -> int:
    args = parse_args()
    rng = random.Random(args.seed)  # noqa: S311 (invented data, not secrets)
    with throwaway_database(args.database_url) as url:
        setup_django(url)
        import io

        from django.core.management import call_command
        from django.shortcuts import render
        from django.test import Client
        from django.test.utils import override_settings
        from django.urls import path

        call_command("migrate", verbosity=0)
        call_command("load_compacts", stdout=io.StringIO())
        started = time.perf_counter()
        officer, many, few = build(args, rng)
        print(
            f"built {args.consultations:,} consultations and {args.responses:,} responses "
            f"in {time.perf_counter() - started:.1f} s ({url.split(':')[0]})"
        )

        def bare(request):
            return render(request, "consultations/bench_bare.html", {"page_title": "Bare"})

        import localcompact.urls as project_urls

        module = type(sys)("consultations_bench_urls")
        module.urlpatterns = [path("bench-bare/", bare), *project_urls.urlpatterns]
        sys.modules["consultations_bench_urls"] = module
        template_dir = Path(tempfile.mkdtemp(prefix="bench-templates-"))
        (template_dir / "consultations").mkdir()
        (template_dir / "consultations" / "bench_bare.html").write_text(
            '{% extends "base.html" %}{% block content %}<h1 class="govuk-heading-xl">'
            'Consultations</h1><p class="govuk-body">A bare page.</p>{% endblock %}'
        )
        from django.conf import settings

        templates = [dict(settings.TEMPLATES[0])]
        templates[0]["DIRS"] = [template_dir, *templates[0].get("DIRS", [])]
        with override_settings(ROOT_URLCONF="consultations_bench_urls", TEMPLATES=templates):
            visitor, signed_in = Client(), Client()
            signed_in.force_login(officer)
            far = max(1, args.consultations // 20 // 2)
            checks = {
                "list": (
                    count_queries(visitor, "/consultations/"),
                    count_queries(visitor, f"/consultations/?page={far}&q=consultation"),
                ),
                "consultation page": (
                    count_queries(signed_in, f"/consultations/{few.pk}/"),
                    count_queries(signed_in, f"/consultations/{many.pk}/"),
                ),
                "analysis": (
                    count_queries(signed_in, f"/consultations/{few.pk}/analysis/"),
                    count_queries(signed_in, f"/consultations/{many.pk}/analysis/"),
                ),
            }
            constant = all(a == b for a, b in checks.values())
            for name, (a, b) in checks.items():
                print(
                    f"queries  {name:<18} {a} (small) / {b} (large) {'ok' if a == b else 'GROWS'}"
                )
            for _ in range(5):  # warm both
                visitor.get("/consultations/")
                visitor.get("/bench-bare/")
            spent = {"list": 0.0, "bare": 0.0, "uncached": 0.0}
            for round_ in range(args.rounds):
                for name, target in (("list", "/consultations/"), ("bare", "/bench-bare/")):
                    t = time.perf_counter()
                    assert visitor.get(target).status_code == 200
                    spent[name] += time.perf_counter() - t
                # a list page never asked for before (a cache miss), for information
                t = time.perf_counter()
                assert visitor.get(f"/consultations/?page=2&round={round_}").status_code == 200
                spent["uncached"] += time.perf_counter() - t
        rps = {name: args.rounds / seconds for name, seconds in spent.items()}
        share = rps["list"] / rps["bare"]
        print(
            f"speed    list {rps['list']:.0f} req/s, bare page {rps['bare']:.0f} req/s, "
            f"list at {share:.0%} of the bare page (target {TARGET_SHARE:.0%})"
        )
        print(
            f"         (for information: the list on a cache miss {rps['uncached']:.0f} req/s, "
            f"{rps['uncached'] / rps['bare']:.0%} of the bare page)"
        )
        load = os.getloadavg()[0]
        print(f"load average {load:.1f}")
        passed = constant and share >= TARGET_SHARE
        print("PASS" if passed else "FAIL")
        return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
