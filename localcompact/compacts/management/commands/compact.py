import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import F

from localcompact.compacts.models import Compact, CompactVersion


class Command(BaseCommand):
    help = "List the loaded compacts, or print one compact's loaded definition as JSON."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True)
        actions.add_parser("list", help="Print each loaded compact's slug and name")
        export = actions.add_parser("export", help="Print a loaded definition as JSON")
        export.add_argument("slug")
        export.add_argument(
            "--version", type=int, default=None, help="A version number (default: the current)"
        )

    def handle(self, *args, action, **options):
        if action == "list":
            for slug, name in Compact.objects.order_by("slug").values_list("slug", "name"):
                self.stdout.write(f"{slug}\t{name}")
        else:
            self.export(options["slug"], options["version"])

    def export(self, slug: str, number: int | None) -> None:
        versions = CompactVersion.objects.filter(compact__slug=slug)
        if number is None:
            version = versions.filter(compact__current_version=F("pk")).first()
        else:
            version = versions.filter(number=number).first()
        if version is None:
            loaded = ", ".join(Compact.objects.order_by("slug").values_list("slug", flat=True))
            what = f"compact {slug!r}" + (f" version {number}" if number else "")
            raise CommandError(f"No {what} is loaded. Loaded compacts: {loaded or 'none'}")
        document = {"version": version.number, "loaded_at": version.loaded_at.isoformat()}
        document.update(version.definition)
        self.stdout.write(json.dumps(document, indent=2, ensure_ascii=False))
