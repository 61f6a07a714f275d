import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from localcompact.governance.services import digests_send


class Command(BaseCommand):
    help = (
        "Send followers of each compact's news and events their digest (at most one a "
        "week, only when something is new). Safe to run daily or twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args, today, **options):
        sent = digests_send(today=today or timezone.localdate())
        self.stdout.write(f"{sent} digest{'s' if sent != 1 else ''} sent")
