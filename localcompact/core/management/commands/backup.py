from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from localcompact.core.backup import BackupError, backup


class Command(BaseCommand):
    help = (
        "Back up the database: SQLite through its online backup API (safe while the site "
        "runs), PostgreSQL with pg_dump's custom format."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="Where to write it (default: var/backups/localcompact-<time>.<ext>)",
        )

    def handle(self, *args, output, **options):
        from django.db import connection

        if output is None:
            stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
            extension = "sqlite3" if connection.vendor == "sqlite" else "dump"
            output = Path("var") / "backups" / f"localcompact-{stamp}.{extension}"
        try:
            path = backup(output=output)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Backed up to {path} ({path.stat().st_size:,} bytes)")
