from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from localcompact.compacts.services import compacts_load


class Command(BaseCommand):
    help = (
        "Load the compact definitions (YAML). Idempotent: an unchanged file changes "
        "nothing, a changed one becomes a new version. A bad file is refused whole."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "files",
            nargs="*",
            type=Path,
            help="Definition files to load (default: every *.yaml in the definitions folder)",
        )
        parser.add_argument(
            "--dir",
            type=Path,
            default=None,
            help="Folder of definitions (default: settings.COMPACT_DEFINITIONS_DIR)",
        )
        parser.add_argument(
            "--replace-adopted",
            action="store_true",
            help="Make each file's version current even where the current version was "
            "adopted on the platform (by default such a version stays in use)",
        )

    def handle(self, *args, files, dir, replace_adopted, **options):
        if not files:
            folder = dir or settings.COMPACT_DEFINITIONS_DIR
            files = sorted(Path(folder).glob("*.yaml"))
            if not files:
                raise CommandError(f"No compact definitions (*.yaml) found in {folder}")
        missing = [str(path) for path in files if not path.is_file()]
        if missing:
            raise CommandError(f"No such file: {', '.join(missing)}")

        results = compacts_load(paths=files, now=timezone.now(), replace_adopted=replace_adopted)
        refused = [result for result in results if result.error]
        for result in results:
            if result.error:
                self.stderr.write(f"Refused {result.file}; nothing of it was loaded:")
                for path, message in result.error.problems:
                    self.stderr.write(f"  {result.file}: {path}: {message}")
            elif result.outcome == "kept":
                self.stdout.write(
                    f"{result.slug}: the file is version {result.version}; the version adopted "
                    "on the platform stays current (--replace-adopted to use the file's)"
                )
            else:
                self.stdout.write(f"{result.slug}: version {result.version} ({result.outcome})")
        if refused:
            raise CommandError(
                f"{len(refused)} of {len(results)} definitions refused: "
                + ", ".join(result.file for result in refused)
            )
