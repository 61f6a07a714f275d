"""Who is who in the compact-proofing tests.

The shipped compacts are loaded once per module. Testshire Council is a public body and
Testshire Community Trust a charity. People: `member` belongs to the council (sees its
reports, makes none); `officer` and `administrator` act for it; `trust_officer` acts
for the trust (and so may proof the trust's drafts, not the council's); `outsider`
belongs to nothing and must see nothing; `support` is on Leicester's support team (sees
reports checked against Leicester only); `hereford_support` is on Herefordshire's;
`staff` is staff. NOW is fixed.
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
)

from .. import views

NOW = timezone.make_aware(dt.datetime(2026, 3, 4, 10, 0))
TODAY = NOW.date()
PASSWORD = "correct horse battery staple"
_numbers = itertools.count(1)


def make_user(name: str, *, staff: bool = False):
    number = next(_numbers)
    return get_user_model().objects.create_user(
        f"{name}-{number}",
        email=f"{name}-{number}@example.org",
        password=PASSWORD,
        first_name=name.replace("_", " ").capitalize(),
        is_staff=staff,
    )


class World:
    def __init__(self):
        self.leicester = Compact.objects.select_related("current_version").get(slug="leicester")
        self.herefordshire = Compact.objects.select_related("current_version").get(
            slug="herefordshire"
        )
        self.redcar = Compact.objects.select_related("current_version").get(slug="redcar-cleveland")
        self.council = Organisation.objects.create(
            name="Testshire Council", slug="testshire-council", sector="public"
        )
        self.trust = Organisation.objects.create(
            name="Testshire Community Trust", slug="testshire-community-trust", sector="vcs"
        )
        self.users = {"anonymous": None, "outsider": make_user("outsider")}
        for name, org, role in [
            ("member", self.council, Role.MEMBER),
            ("officer", self.council, Role.OFFICER),
            ("administrator", self.council, Role.ADMINISTRATOR),
            ("trust_officer", self.trust, Role.OFFICER),
        ]:
            self.users[name] = user = make_user(name)
            Membership.objects.create(user=user, organisation=org, role=role)
        for name, compact in [
            ("support", self.leicester),
            ("hereford_support", self.herefordshire),
        ]:
            self.users[name] = user = make_user(name)
            CompactRole.objects.create(
                compact=compact, user=user, kind=CompactRoleKind.SUPPORT_TEAM
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
    monkeypatch.setattr(views, "now", lambda: NOW)
    return World()
