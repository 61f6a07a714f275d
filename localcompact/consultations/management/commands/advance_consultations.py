"""Open planned consultations whose opening date has come and close open ones whose
closing date has passed; safe to run twice (each row is locked and checked again)."""

import datetime as dt

from django.core.management.base import BaseCommand
from django.utils import timezone

from localcompact.consultations.services import consultations_advance


class Command(BaseCommand):
    help = "Open and close consultations by their dates (run daily, after midnight)."

    def add_arguments(self, parser):
        parser.add_argument("--today", type=dt.date.fromisoformat, default=None)

    def handle(self, *args, today=None, **options):
        opened, closed = consultations_advance(today=today or timezone.localdate())
        self.stdout.write(f"{opened} opened, {closed} closed")
