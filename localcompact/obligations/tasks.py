"""Tasks the django-q2 cluster runs.

The daily sweep can run in either of two ways (or both: it is idempotent, so a second
run on the same day changes nothing and sends nothing):

- with django-q2: run `manage.py setup_schedule` once (it creates or updates the daily
  06:00 schedule for `sweep_daily`), and keep a worker running, `manage.py qcluster`.
  The queue lives in the database by default; set REDIS_URL to use Redis.
- from cron, with no worker:
  `0 6 * * * cd /srv/localcompact && .venv/bin/python manage.py sweep_obligations`
  (the command works out "today" in the site's time zone, whatever cron's is).
"""

import dataclasses

from django.db import connection
from django.utils import timezone

from .sweep import obligations_sweep

SWEEP_FUNC = "localcompact.obligations.tasks.sweep_daily"
SWEEP_NAME = "Daily obligations sweep"
# Rows ANALYZE reads per index when `PRAGMA optimize` runs it: a sample, so it takes
# milliseconds whatever the size of the table (SQLite's own advice for applications).
SQLITE_ANALYSIS_LIMIT = 1000


def sweep_daily() -> dict:
    """Sweep for today in the site's time zone; the result is kept as the task's result."""
    from localcompact.api.idempotency import idempotency_purge

    now = timezone.now()
    result = obligations_sweep(today=timezone.localdate(now), now=now)
    # the day's other housekeeping: API Idempotency-Keys are kept for 24 hours
    purged = idempotency_purge(now=now)
    database_optimize()
    return {**dataclasses.asdict(result), "idempotency_keys_purged": purged}


def database_optimize() -> None:
    """On SQLite, let the query planner's statistics be gathered (`PRAGMA optimize`).

    SQLite never gathers them on its own; `PRAGMA optimize` runs ANALYZE, on a sample, on
    the tables this connection has queried whose statistics are missing or out of date
    (usually none, and then it does nothing). Run once a day, after the sweep has used
    the big tables. PostgreSQL needs nothing: autovacuum keeps its statistics.
    """
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute(f"PRAGMA analysis_limit = {SQLITE_ANALYSIS_LIMIT}")
        cursor.execute("PRAGMA optimize")
