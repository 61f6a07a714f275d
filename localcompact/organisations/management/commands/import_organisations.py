"""Import organisations from a register extract.

python manage.py import_organisations FILE.csv [--format generic|charity-commission] [--dry-run]
"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from localcompact.organisations.importing import FORMATS, ImportFileError, organisations_import


class Command(BaseCommand):
    help = (
        "Add or update organisations from a register extract, matched by identifier. "
        "A row with bad data is rejected (its line and the reason are printed) and nothing "
        "of it is written; the other rows are imported. Running it again with the same "
        "file changes nothing. Exits with status 1 when any row was rejected."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "file",
            type=Path,
            help="A CSV file (or the Charity Commission's tab-separated .txt)",
        )
        parser.add_argument(
            "--format",
            choices=sorted(FORMATS),
            default="generic",
            help="generic (our columns; the default) or charity-commission (the Charity "
            "Commission for England and Wales's register extract, charity table)",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Check every row and count what would change, writing nothing",
        )

    def handle(self, *args, file: Path, format: str, dry_run: bool, **options):
        if not file.is_file():
            raise CommandError(f"No file at {file}")
        try:
            result = organisations_import(
                path=file,
                format=format,
                now=timezone.now(),
                dry_run=dry_run,
                on_reject=lambda line, reason: self.stderr.write(f"line {line}: {reason}"),
            )
        except ImportFileError as exc:
            raise CommandError(f"Nothing imported: {exc}") from None
        prefix = "Dry run, nothing written: would be " if dry_run else ""
        self.stdout.write(f"{prefix}{result.summary()}.")
        if result.rejected:
            raise CommandError(
                f"{result.rejected} row{'s' if result.rejected != 1 else ''} rejected "
                "(listed above); the other rows "
                + ("would be imported." if dry_run else "were imported.")
            )
