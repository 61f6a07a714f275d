"""Builders shared by the register, import and history tests (no tests of their own).

Everything here is invented: two compacts (Testshire and Otherton, built from the
compacts app's tiny definition), organisations with invented names and identifiers,
and signatures on invented dates.
"""

import datetime as dt
import tempfile
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils.text import slugify

from localcompact.compacts.loader import read_definition
from localcompact.compacts.models import Compact
from localcompact.compacts.services import compact_load
from localcompact.compacts.tests.conftest import tiny_definition, write
from localcompact.organisations.models import (
    CompactRole,
    CompactRoleKind,
    Identifier,
    Membership,
    Organisation,
    Scheme,
    Signature,
)

NOW = dt.datetime(2026, 11, 2, 9, 30, tzinfo=dt.UTC)


def compact_made(slug: str = "testshire", name: str = "Testshire Compact") -> Compact:
    data = tiny_definition()
    data["slug"] = slug
    data["name"] = name
    with tempfile.TemporaryDirectory() as folder:
        compact_load(definition=read_definition(write(Path(folder), data)), now=NOW)
    return Compact.objects.get(slug=slug)


def organisation_made(
    name: str, *, sector: str = "vcs", identifiers: tuple[str, ...] = (), **fields
) -> Organisation:
    organisation = Organisation.objects.create(
        name=name, slug=fields.pop("slug", slugify(name)), sector=sector, **fields
    )
    for org_id in identifiers:
        scheme = max((s for s in Scheme.values if org_id.startswith(s + "-")), key=len)
        value = org_id[len(scheme) + 1 :]
        Identifier.objects.create(organisation=organisation, scheme=scheme, value=value)
    return organisation


def signed(
    organisation: Organisation,
    compact: Compact,
    on: dt.date,
    *,
    withdrawn_on: dt.date | None = None,
    reason: str = "",
    position: str = "Chair of trustees",
    name: str = "Pat Example",
) -> Signature:
    return Signature.objects.create(
        compact=compact,
        version=compact.current_version,
        organisation=organisation,
        organisation_name=organisation.name,
        signatory_name=name,
        signatory_position=position,
        signed_on=on,
        method=Signature.Method.ONLINE,
        withdrawn_on=withdrawn_on,
        withdrawal_reason=reason,
    )


def person_made(username: str, *, staff: bool = False):
    user = get_user_model().objects.create_user(
        username, email=f"{username}@example.org", password="x" * 20, is_staff=staff
    )
    if staff:
        with_authenticator(user)
    return user


def with_authenticator(user):
    """Staff and the support team must have an authenticator app before any page opens
    (localcompact.accounts.middleware); these tests are not about that."""
    from allauth.mfa.models import Authenticator

    Authenticator.objects.create(user=user, type=Authenticator.Type.TOTP, data={})
    return user


def member_made(username: str, organisation: Organisation, role: str):
    user = person_made(username)
    Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


def support_team_made(username: str, compact: Compact):
    user = person_made(username)
    CompactRole.objects.create(compact=compact, user=user, kind=CompactRoleKind.SUPPORT_TEAM)
    return with_authenticator(user)
