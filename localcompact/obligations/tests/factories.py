"""Small builders for the obligations tests.

`world_made()` loads an invented compact (Testshire, England and Wales bank holidays)
and makes the people the tests talk about:

- a council that owes things, with an officer and an administrator (who act for it and
  are e-mailed), a member (who sees its pages but does not act, so gets no e-mail), an
  officer who has left (inactive) and an officer with no e-mail address;
- a charity the council's obligations are owed to, with an officer of its own;
- a second council with an officer of its own (tests that need one person acting for
  both councils give that officer a membership of the first).

Obligations are made directly (`obligation_made`) for the sweep's own tests, or through
an Activity and `obligations_sync` for end-to-end ones (`activity_made`).
"""

import datetime as dt
import itertools
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.utils.text import slugify

from localcompact.compacts.loader import read_definition
from localcompact.compacts.models import Standard
from localcompact.compacts.services import compact_load
from localcompact.compacts.tests.conftest import DOC, clause, tiny_definition, write
from localcompact.obligations.models import Activity, Obligation, Status
from localcompact.obligations.services import due_soon_from, obligations_sync
from localcompact.organisations.models import Membership, Organisation, Role

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)
DOC_TITLE = "Testshire Compact (invented for tests)"
_source_ids = itertools.count(1)


def standard_row(ident, rule, params, *, due_soon_working_days=None, exception=None) -> dict:
    row = {
        "id": ident,
        "title": ident.replace("-", " ").capitalize(),
        "summary": "An invented standard for the tests.",
        "applies_to": "consultation",
        "owed_by": "public-sector",
        "owed_to": "vcs",
        "rule": rule,
        "params": params,
        "strictness": "should",
        "exception": exception,
        "clause": clause(f"4.{ident}"),
    }
    if due_soon_working_days is not None:
        row["due_soon_working_days"] = due_soon_working_days
    return row


def compact_loaded() -> dict[str, Standard]:
    """The invented compact, loaded; its standards by id.

    reply: within 10 working days (due soon from 5 working days before, the default);
    consult: a 12-week minimum period; notice: 4 weeks before a meeting, due soon from
    3 working days before.
    """
    data = tiny_definition(standards=0)
    data["standards"] = [
        standard_row(
            "reply",
            "respond_within",
            {"limit": {"count": 10, "unit": "working_days"}, "after": "received"},
        ),
        standard_row(
            "consult",
            "minimum_period",
            {"period": {"count": 12, "unit": "weeks"}, "start": "opens", "end": "closes"},
        ),
        standard_row(
            "notice",
            "notice_before_event",
            {"notice": {"count": 4, "unit": "weeks"}, "event": "meeting"},
            due_soon_working_days=3,
        ),
    ]
    with tempfile.TemporaryDirectory() as folder:
        definition = read_definition(write(Path(folder), data))
    compact_load(definition=definition, now=NOW)
    standards = Standard.objects.select_related("version__compact", "source")
    return {s.ident: s for s in standards}


def organisation_made(name: str, *, sector: str = "public") -> Organisation:
    return Organisation.objects.create(name=name, slug=slugify(name), sector=sector)


def person_made(
    username: str,
    *,
    acts_for: Organisation | None = None,
    role: str = Role.OFFICER,
    email: str | None = None,
    is_active: bool = True,
):
    user = get_user_model().objects.create_user(
        username,
        email=f"{username}@example.org" if email is None else email,
        password="x" * 20,
        is_active=is_active,
    )
    if acts_for is not None:
        Membership.objects.create(user=user, organisation=acts_for, role=role)
    return user


def obligation_made(
    standard: Standard,
    *,
    owed_by: Organisation | None,
    due_on: dt.date,
    status: str = Status.NOT_YET_DUE,
    met_on: dt.date | None = None,
    owed_to=(),
    summary: str = "",
    **fields,
) -> Obligation:
    """An obligation stored as its source would have declared it (no source row)."""
    number = next(_source_ids)
    obligation = Obligation.objects.create(
        compact=standard.version.compact,
        standard=standard,
        code=standard.code,
        source_type=ContentType.objects.get_for_model(Activity),
        source_id=10_000_000 + number,
        summary=summary or f"{standard.title}: invented obligation {number}",
        owed_by=owed_by,
        due_on=due_on,
        due_soon_from=due_soon_from(standard=standard, due_on=due_on),
        status=status,
        status_changed_on=NOW.date(),
        met_on=met_on,
        **fields,
    )
    obligation.owed_to.set(owed_to)
    return obligation


def activity_made(
    standard: Standard, *, owed_by: Organisation, owed_to=(), today: dt.date, **dates
) -> Obligation:
    """An Activity recorded by hand, and its one obligation, synced on `today`."""
    activity = Activity.objects.create(
        standard=standard, title="A thing done", owed_by=owed_by, **dates
    )
    activity.owed_to.set(owed_to)
    [obligation] = obligations_sync(source=activity, today=today)
    return obligation


@dataclass(frozen=True)
class World:
    standards: dict[str, Standard]
    council: Organisation
    charity: Organisation
    other_council: Organisation
    council_officer: object
    council_administrator: object
    council_member: object  # sees the council's pages, does not act for it
    departed_officer: object  # inactive account
    officer_without_email: object
    charity_officer: object
    other_officer: object  # acts for the other council


def world_made() -> World:
    standards = compact_loaded()
    council = organisation_made("Testshire Council")
    charity = organisation_made("Testshire Charity", sector="vcs")
    other_council = organisation_made("Otherton Council")
    return World(
        standards=standards,
        council=council,
        charity=charity,
        other_council=other_council,
        council_officer=person_made("council.officer", acts_for=council),
        council_administrator=person_made(
            "council.admin", acts_for=council, role=Role.ADMINISTRATOR
        ),
        council_member=person_made("council.member", acts_for=council, role=Role.MEMBER),
        departed_officer=person_made("departed.officer", acts_for=council, is_active=False),
        officer_without_email=person_made("no.email", acts_for=council, email=""),
        charity_officer=person_made("charity.officer", acts_for=charity),
        other_officer=person_made("other.officer", acts_for=other_council),
    )


__all__ = [
    "DOC",
    "DOC_TITLE",
    "NOW",
    "World",
    "activity_made",
    "compact_loaded",
    "obligation_made",
    "organisation_made",
    "person_made",
    "world_made",
]
