from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

# Demo accounts, listed in the README. Their passwords are public, so the command
# refuses to run unless DEBUG is on.
DEMO_PASSWORD = "demo-compact-passphrase"  # noqa: S105
DEMO_USERS = [
    {
        "username": "support",
        "email": "support@example.org",
        "first_name": "Sam",
        "last_name": "Support",
        "is_staff": True,
        "is_superuser": True,
    },
]


class Command(BaseCommand):
    help = "Add the demo data and accounts, the first time only (development use)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never in production)"
        )

    @transaction.atomic
    def handle(self, *args, force, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Demo data has public passwords: it is only added with DEBUG on.")
        users = get_user_model().objects
        if users.filter(username=DEMO_USERS[0]["username"]).exists():
            self.stdout.write("Demo data is already there; nothing to do.")
            return
        for fields in DEMO_USERS:
            user = users.create(**fields)
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            self.stdout.write(f"Demo account {user.username!r} created.")
