import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from localcompact.obligations.sweep import obligations_sweep
from localcompact.obligations.tasks import database_optimize


def parse_day(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"--today must be a date written YYYY-MM-DD, such as 2026-03-03; got {value!r}."
        ) from None


class Command(BaseCommand):
    help = (
        "Move obligations' statuses forward for a day (met, missed, due soon), queue the "
        "day's reminder digests and send them. Safe to run twice, or from two workers at "
        "once: a second run for the same day changes nothing and sends nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--today",
            metavar="YYYY-MM-DD",
            help="The day to sweep for (default: today in the site's time zone)",
        )

    def handle(self, *args, today=None, **options):
        now = timezone.now()
        day = parse_day(today) if today else timezone.localdate(now)
        result = obligations_sweep(today=day, now=now)
        database_optimize()
        lines = [
            f"Sweep for {day.isoformat()}",
            f"met: {result.met}",
            f"met late: {result.met_late}",
            f"missed: {result.missed}",
            f"due soon: {result.due_soon}",
            f"reminders queued: {result.reminders_queued}",
            f"reminders sent: {result.reminders_sent}",
            f"reminders failed: {result.reminders_failed}",
            f"reminders left sending, not resent: {result.reminders_unconfirmed}",
            f"reminders marked lost (never confirmed sent): {result.reminders_lost}",
        ]
        for line in lines:
            self.stdout.write(line)
