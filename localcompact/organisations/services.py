"""Writes for organisations: creating and claiming them, members and invitations, the
pledge and its withdrawal, verification, and the roles a compact gives people.

Each service is keyword-only, atomic and writes an audit row. A refusal raises
`Refused` with a message fit to show the person who asked; nothing is changed then.
Changes to more than one membership of an organisation are serialised by locking the
organisation's row first (`_lock`), so that, for example, two administrators leaving
at the same moment cannot leave it with none.

E-mails are sent by the `*_email` functions at the end, which the views call once the
change is committed (a service never sends mail from inside its transaction).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils.text import slugify

from localcompact.compacts.models import Compact
from localcompact.core.logging import audit_log

from .models import (
    SCHEME_PATTERNS,
    Claim,
    CompactRole,
    CompactRoleKind,
    Identifier,
    IncomeBand,
    Invitation,
    Kind,
    Membership,
    Organisation,
    Role,
    Scheme,
    Sector,
    Signature,
    normalise_identifier,
)

INVITATION_DAYS = 14
PENDING = Claim.Status.PENDING
# Slugs the organisation pages use for themselves: no organisation may take one.
RESERVED_SLUGS = frozenset({"new", "register", "claims", "support"})


class Refused(Exception):
    """A service would not do what was asked; `message` says why, for the person asking.

    `code` lets a view choose its answer (e.g. "expired" for an invitation).
    """

    def __init__(self, message: str, *, code: str = "refused", field: str | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.field = field


class IdentifierTaken(Refused):
    """An identifier given for a new organisation already belongs to another one."""

    def __init__(self, message: str, *, organisation: Organisation, field: str | None = None):
        super().__init__(message, code="identifier_taken", field=field)
        self.organisation = organisation


def _history_by(instance, by) -> None:
    """Name who made the change in the instance's history row (django-simple-history)."""
    instance._history_user = by if by is not None and by.is_authenticated else None


def _lock(organisation: Organisation) -> Organisation:
    """Lock the organisation's row until the transaction ends (a no-op on SQLite, which
    serialises writers anyway)."""
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _administrators(organisation: Organisation):
    return Membership.objects.filter(organisation=organisation, role=Role.ADMINISTRATOR)


# Organisations --------------------------------------------------------------------------


def identifier_clean(*, scheme: str, value: str) -> str:
    """The value as stored (no spaces, upper case), or Refused if the scheme rejects it."""
    if scheme not in Scheme.values:
        raise Refused("Choose the register the identifier comes from")
    normalised = normalise_identifier(value)
    if normalised.upper().startswith(f"{scheme}-"):
        normalised = normalised[len(scheme) + 1 :]
    pattern = SCHEME_PATTERNS[Scheme(scheme)]
    if not re.fullmatch(pattern, normalised):
        raise Refused(
            f"Enter a {Scheme(scheme).label} identifier in the right form, "
            f"for example {EXAMPLES[Scheme(scheme)]}"
        )
    return normalised


EXAMPLES = {
    Scheme.CHARITY_ENGLAND_WALES: "1123456",
    Scheme.CHARITY_SCOTLAND: "SC012345",
    Scheme.CHARITY_NORTHERN_IRELAND: "NIC100123",
    Scheme.COMPANY: "01234567 or SC123456",
    Scheme.MUTUAL: "IP12345R",
    Scheme.LOCAL_AUTHORITY_ENGLAND: "LCE",
    Scheme.LOCAL_AUTHORITY_WALES: "CRF",
    Scheme.LOCAL_AUTHORITY_SCOTLAND: "EDH",
    Scheme.LOCAL_AUTHORITY_NI: "BFS",
    Scheme.NHS: "RWE",
    Scheme.GOVERNMENT: "GOR1234",
}


def identifier_owner(*, scheme: str, value: str) -> Organisation | None:
    found = Identifier.objects.select_related("organisation").filter(scheme=scheme, value=value)
    identifier = found.first()
    return identifier.organisation if identifier else None


def _free_slug(name: str) -> str:
    base = slugify(name)[:100].strip("-") or "organisation"
    if base in RESERVED_SLUGS:
        base = f"{base}-organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@dataclass(frozen=True)
class IdentifierInput:
    scheme: str
    value: str
    field: str | None = None  # the form field it came from, for the error message


@transaction.atomic
def organisation_create(
    *,
    name: str,
    sector: str,
    kind: str,
    identifiers: Sequence[IdentifierInput | tuple[str, str]] = (),
    created_by: AbstractBaseUser,
    area_served: str = "",
    website: str = "",
    public_email: str = "",
    public_phone: str = "",
    income_band: str = IncomeBand.UNKNOWN,
    bme_led: bool = False,
    equality_and_diversity: bool = False,
    receives_public_funding: bool = False,
    has_equality_policy: bool = False,
    unconstituted: bool = False,
) -> Organisation:
    """Create the organisation and make its creator its administrator.

    Refused when the name is blank, the sector or kind unknown, an identifier is not in
    its scheme's form, given twice, or already belongs to an organisation (then
    `IdentifierTaken` names it, so the person can claim it instead). An unconstituted
    group is a voluntary and community sector community group with no identifier.
    """
    name = " ".join(name.split())
    if not name:
        raise Refused("Enter the organisation's name", field="name")
    if sector not in Sector.values:
        raise Refused("Choose the organisation's sector", field="sector")
    if kind not in Kind.values:
        raise Refused("Choose what kind of organisation it is", field="kind")
    if unconstituted and (sector != Sector.VCS or kind != Kind.COMMUNITY_GROUP):
        raise Refused(
            "Only a voluntary and community sector community group can be unconstituted",
            field="kind",
        )
    if unconstituted and identifiers:
        raise Refused(
            "An unconstituted group has no registration number; leave the identifiers empty",
            field="scheme_1",
        )
    cleaned: list[tuple[str, str, str | None]] = []
    for item in identifiers:
        item = item if isinstance(item, IdentifierInput) else IdentifierInput(*item)
        try:
            value = identifier_clean(scheme=item.scheme, value=item.value)
        except Refused as refused:
            raise Refused(refused.message, field=item.field) from None
        if any((item.scheme, value) == (s, v) for s, v, _ in cleaned):
            raise Refused("Give each identifier once", field=item.field)
        owner = identifier_owner(scheme=item.scheme, value=value)
        if owner is not None:
            raise IdentifierTaken(
                f"{item.scheme}-{value} already belongs to {owner.name} on this site",
                organisation=owner,
                field=item.field,
            )
        cleaned.append((item.scheme, value, item.field))

    organisation = Organisation(
        name=name,
        sector=sector,
        kind=kind,
        area_served=area_served.strip(),
        website=website.strip(),
        public_email=public_email.strip(),
        public_phone=public_phone.strip(),
        income_band=income_band or IncomeBand.UNKNOWN,
        bme_led=bme_led,
        equality_and_diversity=equality_and_diversity,
        receives_public_funding=receives_public_funding,
        has_equality_policy=has_equality_policy,
        unconstituted=unconstituted,
    )
    _history_by(organisation, created_by)
    # Two people naming organisations alike at once: the loser of the race takes the
    # next free slug.
    for _attempt in range(5):
        organisation.slug = _free_slug(name)
        try:
            with transaction.atomic():
                organisation.save()
            break
        except IntegrityError:
            organisation.pk = None
    else:  # pragma: no cover - five collisions in a row
        raise Refused("Could not save the organisation; try again")

    for scheme, value, field in cleaned:
        identifier = Identifier(organisation=organisation, scheme=scheme, value=value)
        _history_by(identifier, created_by)
        try:
            with transaction.atomic():
                identifier.save()
        except IntegrityError:
            owner = identifier_owner(scheme=scheme, value=value)
            holder = owner.name if owner else "another organisation"
            raise IdentifierTaken(
                f"{scheme}-{value} already belongs to {holder} on this site",
                organisation=owner,
                field=field,
            ) from None
    membership = Membership(user=created_by, organisation=organisation, role=Role.ADMINISTRATOR)
    _history_by(membership, created_by)
    membership.save()
    audit_log(
        "organisation.created",
        organisation=organisation,
        identifiers=len(cleaned),
        by=created_by,
    )
    return organisation


def has_verified_email(user) -> bool:
    """Whether the person has an e-mail address they have confirmed (allauth)."""
    from allauth.account.models import EmailAddress

    return EmailAddress.objects.filter(user=user, verified=True).exists()


@transaction.atomic
def community_group_register(
    *,
    name: str,
    area: str,
    created_by: AbstractBaseUser,
    public_email: str = "",
    public_phone: str = "",
) -> Organisation:
    """Register a small, unconstituted community group with the least the register needs:
    its name, the neighbourhood or area it works in, and a contact, the person registering
    it, who must have confirmed their e-mail address and becomes its administrator. No
    identifier is asked for (002_41c5fa4d4a1baeb0.txt, Community groups and
    neighbourhoods code, introduction and public sector undertaking 6: keep what is asked
    of such groups in proportion).
    """
    if not has_verified_email(created_by):
        raise Refused(
            "Confirm your e-mail address before you register a group: you will be its contact",
            code="unverified",
        )
    area = " ".join(area.split())
    if not " ".join(name.split()):
        raise Refused("Enter the group's name", field="name")
    if not area:
        raise Refused("Enter the neighbourhood or area the group works in", field="area")
    organisation = organisation_create(
        name=name,
        sector=Sector.VCS,
        kind=Kind.COMMUNITY_GROUP,
        created_by=created_by,
        area_served=area,
        public_email=public_email,
        public_phone=public_phone,
        unconstituted=True,
    )
    audit_log("organisation.community_group_registered", organisation=organisation)
    return organisation


@transaction.atomic
def organisation_verify(
    *, organisation: Organisation, by: AbstractBaseUser, today: dt.date
) -> Organisation:
    """The support team has checked who the organisation is and its identifiers."""
    organisation = _lock(organisation)
    organisation.verified_on = today
    organisation.verified_by = by
    _history_by(organisation, by)
    organisation.save(update_fields=["verified_on", "verified_by", "updated_at"])
    audit_log("organisation.verified", organisation=organisation, by=by)
    return organisation


# Claims ---------------------------------------------------------------------------------


@transaction.atomic
def organisation_claim(*, organisation: Organisation, by: AbstractBaseUser, reason: str) -> Claim:
    """Ask to act for an organisation already on the site.

    Its administrators decide; when it has none, the compact support team does.
    Refused for someone who already belongs to it, or who has a claim waiting.
    """
    organisation = _lock(organisation)
    reason = reason.strip()
    if not reason:
        raise Refused("Say who you are and why you should act for the organisation", field="reason")
    if Membership.objects.filter(user=by, organisation=organisation).exists():
        raise Refused(f"You already belong to {organisation.name}", code="member")
    if Claim.objects.filter(user=by, organisation=organisation, status=PENDING).exists():
        raise Refused(
            f"You have already claimed {organisation.name}; the claim is waiting for a decision",
            code="pending",
        )
    claim = Claim(organisation=organisation, user=by, reason=reason)
    _history_by(claim, by)
    claim.save()
    audit_log(
        "organisation.claimed",
        organisation=organisation,
        claim=claim,
        decided_by="administrators" if _administrators(organisation).exists() else "support",
    )
    return claim


def claim_decided_by_support(organisation: Organisation) -> bool:
    """Whether the support team decides claims on it (it has no administrator)."""
    return not _administrators(organisation).exists()


@transaction.atomic
def claim_approve(*, claim: Claim, role: str, by: AbstractBaseUser, now: dt.datetime) -> Claim:
    """Approve a waiting claim: the claimant joins the organisation with `role`."""
    organisation = _lock(claim.organisation)
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != PENDING:
        raise Refused("This claim has already been decided", code="decided")
    if role not in Role.values:
        raise Refused("Choose the role to give", field="role")
    if Membership.objects.filter(user=claim.user, organisation=organisation).exists():
        raise Refused(f"They already belong to {organisation.name}", code="member")
    membership = Membership(user=claim.user, organisation=organisation, role=role)
    _history_by(membership, by)
    membership.save()
    claim.status, claim.decided_at, claim.decided_by = Claim.Status.APPROVED, now, by
    claim.role_given = role
    _history_by(claim, by)
    claim.save()
    audit_log("claim.approved", claim=claim, organisation=organisation, role=role, by=by)
    return claim


@transaction.atomic
def claim_refuse(*, claim: Claim, by: AbstractBaseUser, now: dt.datetime) -> Claim:
    claim = Claim.objects.select_for_update().get(pk=claim.pk)
    if claim.status != PENDING:
        raise Refused("This claim has already been decided", code="decided")
    claim.status, claim.decided_at, claim.decided_by = Claim.Status.REFUSED, now, by
    _history_by(claim, by)
    claim.save()
    audit_log("claim.refused", claim=claim, organisation=claim.organisation_id, by=by)
    return claim


# Invitations ----------------------------------------------------------------------------


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _same_address(a: str, b: str) -> bool:
    return bool(a) and bool(b) and a.strip().casefold() == b.strip().casefold()


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    role: str,
    by: AbstractBaseUser,
    now: dt.datetime,
) -> tuple[Invitation, str]:
    """Invite someone by e-mail; returns the invitation and its token (which is only
    stored hashed, so it must go into the e-mail now or never).

    Refused when the address already belongs to a member, or an invitation to it is
    still waiting.
    """
    organisation = _lock(organisation)
    email = email.strip()
    if not email:
        raise Refused("Enter the e-mail address to send the invitation to", field="email")
    if role not in Role.values:
        raise Refused("Choose the role to give", field="role")
    if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
        raise Refused(
            f"Someone with that e-mail address already belongs to {organisation.name}",
            field="email",
        )
    waiting = Invitation.objects.filter(
        organisation=organisation,
        email__iexact=email,
        accepted_at__isnull=True,
        revoked_at__isnull=True,
        expires_at__gt=now,
    )
    if waiting.exists():
        raise Refused(
            "An invitation to that address is already waiting. Revoke it first to send a new one",
            field="email",
        )
    token = secrets.token_urlsafe(32)
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email,
        role=role,
        token_hash=token_hash(token),
        invited_by=by,
        expires_at=now + dt.timedelta(days=INVITATION_DAYS),
    )
    audit_log("invitation.created", invitation=invitation, organisation=organisation, role=role)
    return invitation, token


def invitation_find(*, token: str) -> Invitation | None:
    if not token:
        return None
    return (
        Invitation.objects.select_related("organisation", "invited_by")
        .filter(token_hash=token_hash(token))
        .first()
    )


def invitation_check(*, invitation: Invitation | None, user, now: dt.datetime) -> None:
    """Refused, with the reason, unless `user` may accept the invitation now."""
    if invitation is None:
        raise Refused(
            "This invitation link is not valid. Check you copied the whole link from the e-mail",
            code="unknown",
        )
    who = invitation.organisation.name
    if invitation.accepted_at is not None:
        raise Refused(
            f"This invitation to join {who} has already been used. Ask one of its "
            "administrators if you need a new one",
            code="used",
        )
    if invitation.revoked_at is not None:
        raise Refused(
            f"This invitation to join {who} was withdrawn by its administrators. Ask them "
            "if you need a new one",
            code="revoked",
        )
    if invitation.expires_at <= now:
        raise Refused(
            f"This invitation to join {who} has expired: invitations last {INVITATION_DAYS} "
            "days. Ask one of its administrators to send a new one",
            code="expired",
        )
    if not _same_address(getattr(user, "email", ""), invitation.email):
        raise Refused(
            f"This invitation was sent to a different e-mail address from the one on your "
            f"account. Sign in with the account for that address, or ask an administrator of "
            f"{who} to invite the address you use",
            code="wrong_address",
        )
    if Membership.objects.filter(user=user, organisation=invitation.organisation).exists():
        raise Refused(f"You already belong to {who}", code="member")


@transaction.atomic
def invitation_accept(*, token: str, user: AbstractBaseUser, now: dt.datetime) -> Membership:
    """Join the organisation with the invitation's role. Each invitation works once, for
    the address it was sent to (compared without regard to case), before it expires."""
    found = invitation_find(token=token)
    invitation = (
        Invitation.objects.select_for_update().select_related("organisation").get(pk=found.pk)
        if found
        else None
    )
    invitation_check(invitation=invitation, user=user, now=now)
    _lock(invitation.organisation)
    membership = Membership(user=user, organisation=invitation.organisation, role=invitation.role)
    _history_by(membership, user)
    membership.save()
    invitation.accepted_at, invitation.accepted_by = now, user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    audit_log(
        "invitation.accepted",
        invitation=invitation,
        organisation=invitation.organisation,
        role=invitation.role,
    )
    return membership


@transaction.atomic
def invitation_revoke(
    *, invitation: Invitation, by: AbstractBaseUser, now: dt.datetime
) -> Invitation:
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise Refused("This invitation has already been accepted; remove the member instead")
    if invitation.revoked_at is not None:
        raise Refused("This invitation has already been revoked")
    invitation.revoked_at = now
    invitation.save(update_fields=["revoked_at"])
    audit_log("invitation.revoked", invitation=invitation, by=by)
    return invitation


# Memberships ----------------------------------------------------------------------------


def is_last_administrator(membership: Membership) -> bool:
    return (
        membership.role == Role.ADMINISTRATOR
        and not _administrators(membership.organisation).exclude(pk=membership.pk).exists()
    )


def _fresh(membership: Membership) -> Membership:
    """The membership as it is now (after the organisation is locked), or Refused."""
    fresh = (
        Membership.objects.select_related("organisation", "user").filter(pk=membership.pk).first()
    )
    if fresh is None:
        raise Refused("They no longer belong to the organisation", code="gone")
    return fresh


@transaction.atomic
def membership_leave(*, membership: Membership, by: AbstractBaseUser) -> None:
    """Leave an organisation. Its last administrator cannot: it would have no one to
    manage its members or sign for it."""
    _lock(membership.organisation)
    membership = _fresh(membership)
    if membership.user_id != by.pk:
        raise Refused("You can only leave on your own behalf")
    if is_last_administrator(membership):
        raise Refused(
            f"You are the only administrator of {membership.organisation.name}, so you cannot "
            "leave. Make another member an administrator first",
            code="last_administrator",
        )
    _history_by(membership, by)
    audit_log("membership.left", organisation=membership.organisation, member=by)
    membership.delete()


@transaction.atomic
def membership_remove(*, membership: Membership, by: AbstractBaseUser) -> None:
    """An administrator removes someone else from the organisation."""
    _lock(membership.organisation)
    membership = _fresh(membership)
    if membership.user_id == by.pk:
        raise Refused("To remove yourself, leave the organisation instead", code="self")
    if is_last_administrator(membership):
        raise Refused(
            f"They are the only administrator of {membership.organisation.name}",
            code="last_administrator",
        )
    _history_by(membership, by)
    audit_log(
        "membership.removed",
        organisation=membership.organisation,
        member=membership.user,
        by=by,
    )
    membership.delete()


@transaction.atomic
def membership_change_role(
    *, membership: Membership, role: str, by: AbstractBaseUser
) -> Membership:
    """Change someone's role. The last administrator cannot be made anything less."""
    _lock(membership.organisation)
    membership = _fresh(membership)
    if role not in Role.values:
        raise Refused("Choose a role", field="role")
    if role == membership.role:
        raise Refused(f"They are already {Role(role).label.split(' (')[0].lower()}", field="role")
    if role != Role.ADMINISTRATOR and is_last_administrator(membership):
        who = "You are" if membership.user_id == by.pk else "They are"
        raise Refused(
            f"{who} the only administrator of {membership.organisation.name}. Make another "
            "member an administrator first",
            code="last_administrator",
            field="role",
        )
    before = membership.role
    membership.role = role
    _history_by(membership, by)
    membership.save(update_fields=["role"])
    audit_log(
        "membership.role_changed",
        organisation=membership.organisation,
        member=membership.user,
        before=before,
        after=role,
        by=by,
    )
    return membership


# The pledge -----------------------------------------------------------------------------


def signing_of(compact: Compact) -> dict | None:
    """The `signing` block of the compact's current definition, if it has one."""
    version = compact.current_version
    if version is None:
        return None
    return version.definition.get("signing")


def _check_pledge(
    *,
    organisation: Organisation,
    compact: Compact,
    organisation_name: str,
    signatory_name: str,
    signatory_position: str,
    signed_on: dt.date,
    today: dt.date,
) -> None:
    if signing_of(compact) is None:
        raise Refused(
            f"The {compact.name} does not take signatures on this platform", code="no_signing"
        )
    if not organisation_name.strip():
        raise Refused("Enter the organisation's full name", field="organisation_name")
    if not signatory_name.strip():
        raise Refused("Enter the name of the person signing", field="signatory_name")
    if not signatory_position.strip():
        raise Refused("Enter the position of the person signing", field="signatory_position")
    if signed_on > today:
        raise Refused("The date of signing must be today or in the past", field="signed_on")
    current = (
        Signature.objects.current()
        .select_for_update()
        .filter(organisation=organisation, compact=compact)
        .first()
    )
    if current is not None:
        raise Refused(
            f"{organisation.name} already signed the {compact.name} pledge on "
            f"{current.signed_on:%-d %B %Y}. Its signature stands until it is withdrawn",
            code="already_signed",
        )


def _signature_save(signature: Signature, by) -> Signature:
    _history_by(signature, by)
    try:
        with transaction.atomic():
            signature.save()
    except IntegrityError:
        # Someone else's signature won the race between the check and the save.
        raise Refused(
            f"{signature.organisation.name} has just signed the {signature.compact.name} pledge",
            code="already_signed",
        ) from None
    return signature


@transaction.atomic
def signature_sign(
    *,
    organisation: Organisation,
    compact: Compact,
    organisation_name: str,
    signatory_name: str,
    signatory_position: str,
    signed_on: dt.date,
    confirmed: bool,
    by: AbstractBaseUser,
    today: dt.date,
) -> Signature:
    """An administrator signs the compact's pledge online for the organisation.

    The pledge is taken as it stands: there is nothing to add to it. Refused when the
    compact takes no signatures here, without the confirmation, for a date in the
    future, or while the organisation's earlier signature stands.
    """
    organisation = _lock(organisation)
    if signing_of(compact) is None:
        raise Refused(
            f"The {compact.name} does not take signatures on this platform", code="no_signing"
        )
    if not confirmed:
        raise Refused(
            "Confirm that the organisation will keep to the compact's ethos and commitments",
            field="confirmed",
        )
    _check_pledge(
        organisation=organisation,
        compact=compact,
        organisation_name=organisation_name,
        signatory_name=signatory_name,
        signatory_position=signatory_position,
        signed_on=signed_on,
        today=today,
    )
    signature = _signature_save(
        Signature(
            compact=compact,
            version=compact.current_version,
            organisation=organisation,
            organisation_name=" ".join(organisation_name.split()),
            signatory_name=" ".join(signatory_name.split()),
            signatory_position=" ".join(signatory_position.split()),
            signed_on=signed_on,
            method=Signature.Method.ONLINE,
            recorded_by=by,
        ),
        by,
    )
    audit_log("pledge.signed", pledge=signature, organisation=organisation, compact=compact)
    return signature


@transaction.atomic
def signature_record_paper(
    *,
    organisation: Organisation,
    compact: Compact,
    organisation_name: str,
    signatory_name: str,
    signatory_position: str,
    signed_on: dt.date,
    received_on: dt.date,
    confirmed: bool,
    by: AbstractBaseUser,
    today: dt.date,
) -> Signature:
    """The support team records a pledge received on paper; `by` is who recorded it.

    `confirmed`: the paper pledge was signed as printed, with nothing added or changed.
    """
    organisation = _lock(organisation)
    if signing_of(compact) is None:
        raise Refused(
            f"The {compact.name} does not take signatures on this platform", code="no_signing"
        )
    if not confirmed:
        raise Refused(
            "Confirm that the paper pledge was signed as printed, with nothing added or changed",
            field="confirmed",
        )
    if received_on > today:
        raise Refused("The date it was received must be today or in the past", field="received_on")
    if received_on < signed_on:
        raise Refused(
            "The date it was received must be the same as or after the date it was signed",
            field="received_on",
        )
    _check_pledge(
        organisation=organisation,
        compact=compact,
        organisation_name=organisation_name,
        signatory_name=signatory_name,
        signatory_position=signatory_position,
        signed_on=signed_on,
        today=today,
    )
    signature = _signature_save(
        Signature(
            compact=compact,
            version=compact.current_version,
            organisation=organisation,
            organisation_name=" ".join(organisation_name.split()),
            signatory_name=" ".join(signatory_name.split()),
            signatory_position=" ".join(signatory_position.split()),
            signed_on=signed_on,
            method=Signature.Method.PAPER,
            received_on=received_on,
            recorded_by=by,
        ),
        by,
    )
    audit_log("pledge.paper_recorded", pledge=signature, organisation=organisation, compact=compact)
    return signature


@transaction.atomic
def signature_withdraw(
    *,
    signature: Signature,
    withdrawn_on: dt.date,
    reason: str,
    by: AbstractBaseUser,
    today: dt.date,
) -> Signature:
    """Record the organisation's written notice that it leaves the compact.

    The signature is kept, with the date of withdrawal; signing again later makes a new
    one. Refused when it was already withdrawn, or for a date before it was signed or in
    the future.
    """
    _lock(signature.organisation)
    signature = (
        Signature.objects.select_for_update()
        .select_related("organisation", "compact")
        .get(pk=signature.pk)
    )
    if signature.withdrawn_on is not None:
        raise Refused(
            f"{signature.organisation.name} already withdrew from the {signature.compact.name} "
            f"on {signature.withdrawn_on:%-d %B %Y}",
            code="already_withdrawn",
        )
    if withdrawn_on > today:
        raise Refused("The date of withdrawal must be today or in the past", field="withdrawn_on")
    if withdrawn_on < signature.signed_on:
        raise Refused(
            f"The date of withdrawal must be on or after the date the pledge was signed, "
            f"{signature.signed_on:%-d %B %Y}",
            field="withdrawn_on",
        )
    signature.withdrawn_on = withdrawn_on
    signature.withdrawal_reason = reason.strip()
    signature.withdrawal_recorded_by = by
    _history_by(signature, by)
    signature.save(update_fields=["withdrawn_on", "withdrawal_reason", "withdrawal_recorded_by"])
    audit_log(
        "pledge.withdrawn",
        pledge=signature,
        organisation=signature.organisation,
        compact=signature.compact,
    )
    return signature


# Compact roles --------------------------------------------------------------------------


@transaction.atomic
def compact_role_grant(
    *,
    compact: Compact,
    user: AbstractBaseUser,
    kind: str,
    case: str = "",
    by: AbstractBaseUser,
) -> CompactRole:
    """Give someone a role in the compact. A mediator is appointed for one case, named by
    its reference; the other roles are for no case."""
    if kind not in CompactRoleKind.values:
        raise Refused("Choose the role to give", field="kind")
    case = case.strip()
    if kind == CompactRoleKind.MEDIATOR and not case:
        raise Refused("Enter the reference of the case the mediator is for", field="case")
    if kind != CompactRoleKind.MEDIATOR and case:
        raise Refused("Only a mediator is appointed for a case; leave the case empty", field="case")
    label = CompactRoleKind(kind).label
    existing = CompactRole.objects.current().filter(
        compact=compact, user=user, kind=kind, case=case
    )
    if existing.exists():
        raise Refused(f"They are already {with_article(label)} of the {compact.name}", field="kind")
    role = CompactRole(compact=compact, user=user, kind=kind, case=case, granted_by=by)
    _history_by(role, by)
    try:
        with transaction.atomic():
            role.save()
    except IntegrityError:
        raise Refused(
            f"They are already {with_article(label)} of the {compact.name}", field="kind"
        ) from None
    audit_log("compact_role.granted", role=role, compact=compact, kind=kind, holder=user, by=by)
    return role


def with_article(label: str) -> str:
    return ("an " if label[0].lower() in "aeiou" else "a ") + label.lower()


@transaction.atomic
def compact_role_revoke(
    *, role: CompactRole, by: AbstractBaseUser, now: dt.datetime
) -> CompactRole:
    """End someone's role. The compact's last support-team member stays until another
    is appointed, so that someone can still keep its register."""
    # Lock the compact's support-team roles so two revocations cannot leave none.
    held = list(
        CompactRole.objects.current()
        .select_for_update()
        .filter(compact_id=role.compact_id, kind=role.kind)
        .values_list("pk", flat=True)
    )
    role = CompactRole.objects.select_for_update().select_related("compact").get(pk=role.pk)
    if role.revoked_at is not None:
        raise Refused("This role has already been revoked")
    if role.kind == CompactRoleKind.SUPPORT_TEAM and held == [role.pk]:
        raise Refused(
            f"This is the last member of the {role.compact.name}'s support team. Appoint "
            "another before revoking this role",
            code="last_support",
        )
    role.revoked_at, role.revoked_by = now, by
    _history_by(role, by)
    role.save(update_fields=["revoked_at", "revoked_by"])
    audit_log("compact_role.revoked", role=role, compact=role.compact, kind=role.kind, by=by)
    return role


# E-mails ----------------------------------------------------------------------------------


def _send(template: str, *, to: Iterable[str], context: dict) -> int:
    """Send the subject, text and HTML of `organisations/email/<template>` to each
    address separately (no one sees another's address)."""
    addresses = sorted({address for address in to if address})
    context = {"site_name": settings.SITE_NAME, **context}
    name = f"organisations/email/{template}"
    subject = " ".join(render_to_string(f"{name}_subject.txt", context).split())
    context["subject"] = subject
    text = render_to_string(f"{name}.txt", context)
    html = render_to_string(f"{name}.html", context)
    sent = 0
    for address in addresses:
        message = EmailMultiAlternatives(subject=subject, body=text, to=[address])
        message.attach_alternative(html, "text/html")
        sent += message.send()
    return sent


def _name(user) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def invitation_email(*, invitation: Invitation, accept_url: str) -> int:
    """The invitation, with its one-time link (built from the token by the view)."""
    return _send(
        "invitation",
        to=[invitation.email],
        context={
            "invitation": invitation,
            "organisation": invitation.organisation,
            "role": with_article(Role(invitation.role).label.split(" (")[0]),
            "inviter": _name(invitation.invited_by),
            "accept_url": accept_url,
            "days": INVITATION_DAYS,
            "expires_on": invitation.expires_at,
        },
    )


def pledge_email(*, signature: Signature, to: Iterable[str], register_url: str) -> int:
    """Confirms a pledge signed online (to the signatory) or received on paper (to the
    organisation's administrators)."""
    return _send(
        "pledge_signed",
        to=to,
        context={
            "signature": signature,
            "compact": signature.compact,
            "paper": signature.method == Signature.Method.PAPER,
            "register_url": register_url,
        },
    )


def withdrawal_email(*, signature: Signature, to: Iterable[str], register_url: str) -> int:
    return _send(
        "pledge_withdrawn",
        to=to,
        context={
            "signature": signature,
            "compact": signature.compact,
            "register_url": register_url,
        },
    )


def administrator_addresses(organisation: Organisation) -> list[str]:
    return list(
        _administrators(organisation).exclude(user__email="").values_list("user__email", flat=True)
    )


# Personal data (the hooks of localcompact.accounts.personal_data) -------------------------


def _iso(value) -> str | None:
    return value.isoformat() if value is not None else None


def _addressed_to(emails: Iterable[str]):
    from django.db.models import Q

    query = Q(pk__in=[])
    for email in emails:
        query |= Q(email__iexact=email)
    return Invitation.objects.filter(query)


HISTORY_MODELS = (Organisation, Identifier, Membership, CompactRole, Signature, Claim)
HISTORY_KINDS = {"+": "created", "~": "changed", "-": "deleted"}


def personal_data(sender=None, *, user, **kwargs) -> dict:
    """What organisations holds about `user`: memberships, claims, invitations, compact
    roles, the pledges they recorded, and the changes they made (the history rows that
    name them). Other people's addresses are left out of the invitations they sent."""
    from localcompact.accounts.personal_data import verified_emails

    changes = []
    for model in HISTORY_MODELS:
        for row in model.history.filter(history_user=user).order_by("history_date"):
            changes.append(
                {
                    "record": model._meta.verbose_name,
                    "id": row.id,
                    "what": HISTORY_KINDS.get(row.history_type, row.history_type),
                    "at": _iso(row.history_date),
                }
            )
    changes.sort(key=lambda change: change["at"])
    signatures = Signature.objects.select_related("compact", "organisation")
    return {
        "organisation_memberships": [
            {
                "organisation": m.organisation.name,
                "role": m.get_role_display(),
                "since": _iso(m.created_at),
            }
            for m in Membership.objects.filter(user=user).select_related("organisation")
        ],
        "organisation_claims": [
            {
                "organisation": c.organisation.name,
                "reason": c.reason,
                "status": c.get_status_display(),
                "made": _iso(c.created_at),
                "decided": _iso(c.decided_at),
            }
            for c in Claim.objects.filter(user=user).select_related("organisation")
        ],
        "invitations_received": [
            {
                "organisation": i.organisation.name,
                "email": i.email,
                "role": i.get_role_display(),
                "sent": _iso(i.created_at),
                "accepted": _iso(i.accepted_at),
                "revoked": _iso(i.revoked_at),
            }
            for i in _addressed_to(verified_emails(user)).select_related("organisation")
        ],
        "invitations_sent": [
            {
                "organisation": i.organisation.name,
                "role": i.get_role_display(),
                "sent": _iso(i.created_at),
                "accepted": _iso(i.accepted_at),
                "revoked": _iso(i.revoked_at),
            }
            for i in Invitation.objects.filter(invited_by=user).select_related("organisation")
        ],
        "compact_roles": [
            {
                "compact": r.compact.name,
                "role": r.get_kind_display(),
                "case": r.case,
                "granted": _iso(r.granted_at),
                "revoked": _iso(r.revoked_at),
            }
            for r in CompactRole.objects.filter(user=user).select_related("compact")
        ],
        "pledges_recorded": [
            {
                "compact": s.compact.name,
                "organisation": s.organisation_name,
                "signatory": s.signatory_name,
                "position": s.signatory_position,
                "signed_on": _iso(s.signed_on),
                "method": s.get_method_display(),
                "recorded": _iso(s.recorded_at),
            }
            for s in signatures.filter(recorded_by=user)
        ],
        "withdrawals_recorded": [
            {
                "compact": s.compact.name,
                "organisation": s.organisation_name,
                "withdrawn_on": _iso(s.withdrawn_on),
                "reason": s.withdrawal_reason,
            }
            for s in signatures.filter(withdrawal_recorded_by=user)
        ],
        "organisations_verified": [
            {"organisation": o.name, "verified_on": _iso(o.verified_on)}
            for o in Organisation.objects.filter(verified_by=user)
        ],
        "organisation_changes_made": changes,
    }


def sole_administrator_of(user) -> list[Organisation]:
    """The organisations that would have no administrator without `user`."""
    theirs = Membership.objects.filter(user=user, role=Role.ADMINISTRATOR).values_list(
        "organisation_id", flat=True
    )
    others = Membership.objects.filter(organisation_id__in=theirs, role=Role.ADMINISTRATOR).exclude(
        user=user
    )
    return list(
        Organisation.objects.filter(pk__in=theirs)
        .exclude(pk__in=others.values_list("organisation_id", flat=True))
        .order_by("name")
    )


def personal_data_erase(sender=None, *, user, by, now: dt.datetime, emails, **kwargs) -> dict:
    """Erase what organisations holds about `user` (inside `account_erase`).

    Their memberships end (an organisation left with no administrator is then claimed
    through the support team, as any such organisation is); their current compact roles
    are revoked; their pending claims are refused and the reasons they gave, in every
    claim and its history, cleared; invitations to their addresses are revoked and the
    addresses replaced. The pledges and withdrawals they recorded and the changes they
    made stay, naming the anonymised account.
    """
    memberships = list(
        Membership.objects.select_for_update().filter(user=user).select_related("organisation")
    )
    for membership in memberships:
        _history_by(membership, by)
        membership.delete()
    roles = list(CompactRole.objects.current().select_for_update().filter(user=user))
    for role in roles:
        role.revoked_at, role.revoked_by = now, by
        _history_by(role, by)
        role.save(update_fields=["revoked_at", "revoked_by"])
    claims = list(Claim.objects.select_for_update().filter(user=user))
    for claim in claims:
        if claim.status == PENDING:
            claim.status, claim.decided_at, claim.decided_by = Claim.Status.REFUSED, now, by
        claim.reason = ""
        _history_by(claim, by)
        claim.save(update_fields=["status", "decided_at", "decided_by", "reason"])
    Claim.history.filter(user=user).update(reason="")
    invitations = list(_addressed_to(emails).select_for_update())
    for invitation in invitations:
        if invitation.accepted_at is None and invitation.revoked_at is None:
            invitation.revoked_at = now
        invitation.email = f"erased-{invitation.pk}@erased.invalid"
        invitation.save(update_fields=["email", "revoked_at"])
    counts = {
        "memberships ended": len(memberships),
        "compact roles revoked": len(roles),
        "claims cleared": len(claims),
        "invitations cleared": len(invitations),
    }
    audit_log(
        "organisations.personal_data_erased",
        user=user,
        by=by,
        memberships=len(memberships),
        roles=len(roles),
        claims=len(claims),
        invitations=len(invitations),
    )
    return counts
