"""Forget the `Idempotency-Key`s of API writes once they are a day old (run daily; safe to
run at any time or twice)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from localcompact.api.idempotency import idempotency_purge


class Command(BaseCommand):
    help = "Forget API writes' Idempotency-Keys older than 24 hours (run daily)."

    def handle(self, *args, **options):
        forgotten = idempotency_purge(now=timezone.now())
        self.stdout.write(f"{forgotten} idempotency keys forgotten")
