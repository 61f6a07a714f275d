"""Who is who in the governance tests (the same names everywhere).

The shipped compacts are loaded; Leicester's signatories are:

- Testshire Council and Testshire Health (public);
- Testshire Community Trust (voluntary, unfunded), Testshire Advice (voluntary,
  publicly funded), Testshire Caribbean Forum (voluntary, BME-led) and Testshire
  Equality Network (voluntary, equality and diversity).

People: `member` is a member of the council (sees, changes nothing); `officer` acts for
the council; `trust_admin` administers the trust; `outsider` belongs to nothing and
must see nothing private; `support` is on Leicester's support team (not staff);
`staff` is staff. TODAY is fixed.
"""

import datetime as dt
import io
import itertools

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from localcompact.compacts.models import Compact
from localcompact.organisations.models import (
    CompactRole,
    CompactRoleKind,
    Membership,
    Organisation,
    Role,
    Signature,
)

from .. import views

TODAY = dt.date(2026, 3, 4)
NOW = timezone.make_aware(dt.datetime(2026, 3, 4, 10, 0))
PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def make_user(name: str, *, staff: bool = False):
    return get_user_model().objects.create_user(
        f"{name}-{next(_numbers)}",
        email=f"{name}-{next(_numbers)}@example.org",
        password=PASSWORD,
        first_name=name.replace("_", " ").capitalize(),
        is_staff=staff,
    )


def make_org(name: str, sector: str = "vcs", **flags) -> Organisation:
    return Organisation.objects.create(
        name=name, slug=name.lower().replace(" ", "-"), sector=sector, **flags
    )


def sign(org: Organisation, compact: Compact, *, withdrawn: bool = False) -> Signature:
    return Signature.objects.create(
        compact=compact,
        version=compact.current_version,
        organisation=org,
        organisation_name=org.name,
        signatory_name="A Signatory",
        signatory_position="Chair",
        signed_on=TODAY - dt.timedelta(days=100),
        received_on=TODAY - dt.timedelta(days=99),
        method=Signature.Method.PAPER,
        withdrawn_on=TODAY - dt.timedelta(days=1) if withdrawn else None,
    )


class World:
    def __init__(self):
        self.leicester = Compact.objects.select_related("current_version").get(slug="leicester")
        self.herefordshire = Compact.objects.select_related("current_version").get(
            slug="herefordshire"
        )
        self.council = make_org("Testshire Council", "public")
        self.health = make_org("Testshire Health", "public")
        self.trust = make_org("Testshire Community Trust")
        self.advice = make_org("Testshire Advice", receives_public_funding=True)
        self.forum = make_org("Testshire Caribbean Forum", bme_led=True)
        self.equality = make_org("Testshire Equality Network", equality_and_diversity=True)
        for org in (self.council, self.health, self.trust, self.advice, self.forum, self.equality):
            sign(org, self.leicester)
            sign(org, self.herefordshire)
        self.users = {"anonymous": None}
        self.users["outsider"] = make_user("outsider")
        for name, org, role in [
            ("member", self.council, Role.MEMBER),
            ("officer", self.council, Role.OFFICER),
            ("trust_admin", self.trust, Role.ADMINISTRATOR),
            ("advice_officer", self.advice, Role.OFFICER),
        ]:
            self.users[name] = user = make_user(name)
            Membership.objects.create(user=user, organisation=org, role=role)
        self.users["support"] = make_user("support")
        CompactRole.objects.create(
            compact=self.leicester, user=self.users["support"], kind=CompactRoleKind.SUPPORT_TEAM
        )
        self.users["staff"] = make_user("staff", staff=True)

    def user(self, name):
        return self.users[name]


@pytest.fixture(scope="module")
def compacts_loaded(django_db_setup, django_db_blocker):
    """The shipped compacts, loaded once per test module inside a transaction that is
    rolled back at the module's end (each test runs in a savepoint within it)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_compacts", dir=settings.COMPACT_DEFINITIONS_DIR, stdout=io.StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def world(compacts_loaded, db, monkeypatch) -> World:
    monkeypatch.setattr(views, "today", lambda: TODAY)
    monkeypatch.setattr(views, "now", lambda: NOW)
    return World()
