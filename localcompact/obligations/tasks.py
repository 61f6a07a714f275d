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

from django.utils import timezone

from .sweep import obligations_sweep

SWEEP_FUNC = "localcompact.obligations.tasks.sweep_daily"
SWEEP_NAME = "Daily obligations sweep"


def sweep_daily() -> dict:
    """Sweep for today in the site's time zone; the result is kept as the task's result."""
    now = timezone.now()
    result = obligations_sweep(today=timezone.localdate(now), now=now)
    return dataclasses.asdict(result)
