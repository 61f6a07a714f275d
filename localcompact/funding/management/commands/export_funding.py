"""Write the funding open data as JSON on standard output: 360Giving grants or OCDS
contracting releases, the same data the download pages serve."""

import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from localcompact.compacts.models import Compact
from localcompact.funding.exports import ocds_package, threesixty_package


class Command(BaseCommand):
    help = "Export grants (360Giving) or contracts (OCDS 1.1.5) as JSON to standard output."

    def add_arguments(self, parser):
        parser.add_argument("--format", required=True, choices=["360giving", "ocds"])
        parser.add_argument("--compact", help="Only records under this compact (its slug)")

    def handle(self, *args, format, compact=None, **options):
        if compact and not Compact.objects.filter(slug=compact).exists():
            raise CommandError(f"No compact with the slug {compact!r}: see `compact list`.")
        today = timezone.localdate()
        build = threesixty_package if format == "360giving" else ocds_package
        data = build(compact=compact, today=today)
        self.stdout.write(json.dumps(data, indent=2, ensure_ascii=False))
