"""Who and what the report tests use.

Leicester is loaded as shipped (and Herefordshire, for `world_two`). Eastgate Council (public) and
Eastgate Trust (a charity) signed Leicester in 2024; `support` is on Leicester's support
team (a compact role, not staff), `staff` is staff, `officer` acts for the council and
`outsider` belongs to nothing. Obligations are made by hand (`obligation`), with the
status each test needs, so every figure can be counted on the fingers.
"""

import datetime as dt
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType

from localcompact.compacts.models import Compact
from localcompact.notices.tests.conftest import load
from localcompact.obligations.models import Obligation
from localcompact.organisations.models import (
    CompactRole,
    CompactRoleKind,
    Membership,
    Organisation,
    Role,
    Signature,
)

YEAR = 2025
TODAY = dt.date(2026, 3, 2)  # the report for 2025 is complete; 2026 is under way
_source_ids = itertools.count(1)


def signature(compact, org, signed_on, withdrawn_on=None):
    return Signature.objects.create(
        compact=compact,
        version=compact.current_version,
        organisation=org,
        organisation_name=org.name,
        signatory_name="A Signatory",
        signatory_position="Chief executive",
        signed_on=signed_on,
        withdrawn_on=withdrawn_on,
        method=Signature.Method.ONLINE,
    )


def obligation(compact, ident, due_on, status, **extra) -> Obligation:
    """An obligation under the compact's standard `ident`, due on `due_on`."""
    standard = compact.current_version.standards.get(ident=ident)
    if status == "excused":
        extra.setdefault("excuse_reason", "A reason given")
        extra.setdefault("exception_kind", standard.exception_kind or "stated_reasons")
    return Obligation.objects.create(
        compact=compact,
        standard=standard,
        code=standard.code,
        source_type=ContentType.objects.get_for_model(Compact),
        source_id=next(_source_ids),
        key=ident,
        summary=extra.pop("summary", f"{standard.title}: a test record"),
        due_on=due_on,
        due_soon_from=due_on,
        status=status,
        status_changed_on=due_on,
        **extra,
    )


class World:
    def __init__(self, *others):
        load("leicester", *others)
        self.leicester = Compact.objects.select_related("current_version").get(slug="leicester")
        if "herefordshire" in others:
            self.herefordshire = Compact.objects.select_related("current_version").get(
                slug="herefordshire"
            )
        self.council = Organisation.objects.create(
            name="Eastgate Council", slug="eastgate-council", sector="public"
        )
        self.trust = Organisation.objects.create(
            name="Eastgate Trust", slug="eastgate-trust", sector="vcs"
        )
        signature(self.leicester, self.council, dt.date(2024, 2, 1))
        signature(self.leicester, self.trust, dt.date(2024, 5, 1))
        users = get_user_model().objects
        self.users = {
            "outsider": users.create_user("outsider", email="outsider@example.org"),
            "officer": users.create_user("officer", email="officer@example.org"),
            "support": users.create_user("support", email="support@example.org"),
            "staff": users.create_user("staff", email="staff@example.org", is_staff=True),
        }
        Membership.objects.create(
            user=self.users["officer"], organisation=self.council, role=Role.OFFICER
        )
        CompactRole.objects.create(
            compact=self.leicester, user=self.users["support"], kind=CompactRoleKind.SUPPORT_TEAM
        )

    def user(self, role):
        return self.users.get(role)


@pytest.fixture
def world(db, monkeypatch):
    from localcompact.reports import views

    monkeypatch.setattr(views, "_today", lambda: TODAY)
    return World()


@pytest.fixture
def world_two(db, monkeypatch):
    """The same, with Herefordshire loaded too (informing and meeting notices)."""
    from localcompact.reports import views

    monkeypatch.setattr(views, "_today", lambda: TODAY)
    return World("herefordshire")
