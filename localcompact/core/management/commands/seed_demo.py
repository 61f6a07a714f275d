"""Demo data for `make run`: people in each role, organisations, and recorded activities
whose obligations are in every status on the day it first runs. Organisations are
invented; the compacts are the real ones the platform ships."""

import datetime as dt
import importlib
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from localcompact.compacts.models import Compact, Standard
from localcompact.obligations.models import Activity
from localcompact.obligations.services import obligation_excuse, obligations_sync
from localcompact.organisations.models import Membership, Organisation, Role, Signature

# The passwords are public (README), so the command refuses to run unless DEBUG is on.
DEMO_PASSWORD = "demo-compact-passphrase"  # noqa: S105

PEOPLE = [
    # username, first name, last name, staff
    ("support", "Sam", "Support", True),
    ("olivia", "Olivia", "Officer", False),
    ("cara", "Cara", "Charity", False),
    ("mo", "Mo", "Member", False),
]

ORGANISATIONS = [
    # slug, name, sector, [(username, role)]
    ("northfield-council", "Northfield City Council", "public", [("olivia", Role.OFFICER)]),
    (
        "northfield-community-action",
        "Northfield Community Action",
        "vcs",
        [("cara", Role.ADMINISTRATOR), ("mo", Role.MEMBER)],
    ),
    ("riverside-youth-trust", "Riverside Youth Trust", "vcs", []),
    ("westshire-health", "Westshire Health Partnership", "public", []),
]


@dataclass
class Demo:
    """What the core demo made, handed to each app's `demo.seed(demo)` in turn.

    An app that has demo data of its own has a `demo` module with a `seed(demo)`
    function; it runs after the core demo, in the order of INSTALLED_APPS, inside the
    same transaction, and returns a line for the summary (or None)."""

    people: dict
    organisations: dict
    today: dt.date

    def compact(self, slug: str) -> Compact:
        return Compact.objects.select_related("current_version").get(slug=slug)


def app_demos():
    """The `demo` modules of the project's apps, in INSTALLED_APPS order."""
    for config in apps.get_app_configs():
        if not config.name.startswith("localcompact.") or config.name == "localcompact.core":
            continue
        try:
            yield importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise


def activities(today: dt.date) -> list[dict]:
    """Activities relative to `today`, one per status the demo should show."""
    day = dt.timedelta(days=1)
    return [
        {  # not yet due: funding to be confirmed two months before a project in 4 months
            "compact": "leicester",
            "standard": "funding-confirmed-before-start",
            "title": "Youth club grant for 2027–28",
            "owed_by": "northfield-council",
            "owed_to": ["riverside-youth-trust"],
            "start_on": today + 120 * day,
        },
        {  # due soon: a partnership meeting in just over four weeks
            "compact": "herefordshire",
            "standard": "meeting-notice",
            "title": "Health and wellbeing partnership board",
            "owed_by": "westshire-health",
            "owed_to": ["northfield-community-action"],
            "start_on": today + 30 * day,
        },
        {  # met on time: notice of a meeting given five weeks ahead
            "compact": "herefordshire",
            "standard": "meeting-notice",
            "title": "Voluntary sector assembly, spring meeting",
            "owed_by": "northfield-council",
            "owed_to": ["northfield-community-action"],
            "start_on": today - 10 * day,
            "done_on": today - 45 * day,
            "done_note": "Notice sent to all members by e-mail.",
        },
        {  # met late: informing notice sent two weeks before the action needed
            "compact": "herefordshire",
            "standard": "informing-notice-period",
            "title": "Change to community centre booking rules",
            "owed_by": "northfield-council",
            "owed_to": ["northfield-community-action", "riverside-youth-trust"],
            "start_on": today - 5 * day,
            "done_on": today - 19 * day,
            "done_note": "Published on the council website and sent to groups.",
        },
        {  # missed: a provider gives less than three months' notice of winding down
            "compact": "city-together",
            "standard": "commissioning-wind-down-notice",
            "title": "Lunch club service closing",
            "owed_by": "northfield-community-action",
            "owed_to": ["northfield-council"],
            "start_on": today + 20 * day,
        },
        {  # excused: a ten-week consultation, shorter by agreement
            "compact": "herefordshire",
            "standard": "consultation-minimum-period",
            "title": "Library opening hours consultation",
            "owed_by": "northfield-council",
            "owed_to": [],
            "owed_to_label": "respondents",
            "start_on": today - 21 * day,
            "end_on": today + 49 * day,
            "excuse": {
                "kind": "by_agreement",
                "reason": "The budget must be set by the statutory date.",
                "agreed_by": "Partnership board, minutes of its last meeting",
            },
        },
        {  # no longer owed: recorded, then withdrawn
            "compact": "leicester",
            "standard": "payment-on-time",
            "title": "Advice service grant, first instalment",
            "owed_by": "northfield-council",
            "owed_to": ["northfield-community-action"],
            "start_on": today - 30 * day,
            "agreed_due_on": today + 10 * day,
            "withdrawn": "The grant was paid from another budget and recorded there.",
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
        if users.filter(username="support").exists():
            self.stdout.write("Demo data is already there; nothing to do.")
            return
        if not Compact.objects.filter(slug__in=["leicester", "herefordshire"]).exists():
            raise CommandError("Load the compacts first: python manage.py load_compacts")

        people = {}
        for username, first, last, staff in PEOPLE:
            user = users.create(
                username=username,
                email=f"{username}@example.org",
                first_name=first,
                last_name=last,
                is_staff=staff,
                is_superuser=staff,
            )
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
            # sign-in is by e-mail address, which must be verified
            EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
            people[username] = user

        organisations = {}
        for slug, name, sector, members in ORGANISATIONS:
            organisations[slug] = Organisation.objects.create(name=name, slug=slug, sector=sector)
            for username, role in members:
                Membership.objects.create(
                    user=people[username], organisation=organisations[slug], role=role
                )

        today = timezone.localdate()
        # Every demo organisation has signed the compacts that take signatures here, a
        # year ago, on paper, so that every part of the platform has signatories to use.
        for compact in Compact.objects.filter(slug__in=["leicester", "herefordshire"]):
            for organisation in organisations.values():
                Signature.objects.create(
                    compact=compact,
                    version=compact.current_version,
                    organisation=organisation,
                    organisation_name=organisation.name,
                    signatory_name="Demo Signatory",
                    signatory_position="Chief executive",
                    signed_on=today - dt.timedelta(days=365),
                    received_on=today - dt.timedelta(days=360),
                    method=Signature.Method.PAPER,
                    recorded_by=people["support"],
                )
        for item in activities(today):
            standard = Standard.objects.select_related("version__compact").get(
                version__compact__current_version=F("version"),
                version__compact__slug=item["compact"],
                ident=item["standard"],
            )
            activity = Activity.objects.create(
                standard=standard,
                title=item["title"],
                owed_by=organisations[item["owed_by"]],
                owed_to_label=item.get("owed_to_label", ""),
                start_on=item["start_on"],
                end_on=item.get("end_on"),
                agreed_due_on=item.get("agreed_due_on"),
                done_on=item.get("done_on"),
                done_note=item.get("done_note", ""),
                recorded_by=people["support"],
            )
            activity.owed_to.set([organisations[slug] for slug in item["owed_to"]])
            [obligation] = obligations_sync(source=activity, today=today, by=people["support"])
            if "excuse" in item:
                obligation_excuse(
                    obligation=obligation, today=today, by=people["olivia"], **item["excuse"]
                )
            if "withdrawn" in item:
                activity.withdrawn_on = today
                activity.withdrawn_reason = item["withdrawn"]
                activity.save(update_fields=["withdrawn_on", "withdrawn_reason"])
                obligations_sync(source=activity, today=today, by=people["support"])
        self.stdout.write(
            f"Demo data added: {len(people)} people, {len(organisations)} organisations, "
            f"{Activity.objects.count()} recorded activities with their obligations."
        )
        demo = Demo(people=people, organisations=organisations, today=today)
        for module in app_demos():
            summary = module.seed(demo)
            if summary:
                self.stdout.write(summary)
