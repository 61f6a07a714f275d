from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from localcompact.core.backup import BackupError, restore


class Command(BaseCommand):
    help = "Replace the database's contents with a backup made by `backup`."

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="The backup file")
        parser.add_argument(
            "--yes",
            action="store_true",
            help="Confirm that everything now in the database is to be replaced",
        )

    def handle(self, *args, source, yes, **options):
        if not yes:
            raise CommandError(
                "This replaces everything in the database with the backup. "
                "Run it again with --yes to confirm."
            )
        try:
            restore(source=source)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"Restored from {source}")
