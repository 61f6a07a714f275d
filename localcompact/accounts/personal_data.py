"""Personal data (UK GDPR): what is held about a person, and erasing it.

Two hooks, as Django signals sent with the user model as sender. Every app that keeps
something about a person (a foreign key to the user, an e-mail address, free text they
wrote) connects to both, in its ``AppConfig.ready()``, with a ``dispatch_uid``:

``personal_data_requested`` (``user``)
    Sent when a person downloads their data (`personal_data_collect`). Each receiver
    returns a dict ``{section: data}``: JSON-serialisable lists or dicts (dates and
    datetimes are written as ISO strings), describing what the app holds about the
    user: records they made and records about them. Leave out other people's personal
    data (e.g. the address of someone they invited) and secrets (tokens, keys).

``account_erased`` (``user``, ``by``, ``now``, ``emails``)
    Sent by `account_erase` inside its transaction, before the account itself is
    anonymised, so ``user`` still has its name; ``emails`` are the account's confirmed
    addresses (`verified_emails`), so records matched by address are only ever ones
    the person showed they own. Each receiver removes or anonymises what its app holds about the
    person, writes its own history and audit rows, and returns a dict of counts
    (``{"memberships ended": 2}``) for the audit log. A receiver that raises rolls the
    whole erasure back. Keep the records the compact must keep (signatures,
    obligations and their history, published replies): their foreign keys go on
    pointing at the anonymised account, whose name is then ``FORMER_USER``, so every
    page that names who did something shows "a former user".

The receivers for accounts itself (sign-in records, e-mail addresses, authenticator
apps, deletion requests), organisations and obligations are connected in
``AccountsConfig.ready()`` and ``ObligationsConfig.ready()``.

Erasure keeps the user row, anonymised: user name ``former-user-<id>``, no e-mail
address, no password, inactive, its sessions ended. It is carried out by staff from a
deletion request (`account_erase`), never by the person alone, and refused for staff
accounts (their staff access is removed first, in the admin).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.dispatch import Signal

from localcompact.core.logging import audit_log

from .models import DeletionRequest

personal_data_requested = Signal()
account_erased = Signal()

# The name an erased account shows wherever a page names who did something.
FORMER_USER = "a former user"
ERASED_USERNAME = "former-user-{pk}"


class Refused(Exception):
    """The erasure was not carried out; `message` says why, for the person asking."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def user_emails(user) -> list[str]:
    """Every address the account has or had on record, the primary one first."""
    from allauth.account.models import EmailAddress

    addresses = [user.email] if user.email else []
    for email in EmailAddress.objects.filter(user=user).order_by("-primary", "email"):
        if email.email.lower() not in {a.lower() for a in addresses}:
            addresses.append(email.email)
    return addresses


def verified_emails(user) -> list[str]:
    """The addresses the person has shown they own (confirmed). Records are matched to a
    person by address only through these: anyone can add an address to their account
    without owning it, and must not see or erase what someone else wrote from it."""
    from allauth.account.models import EmailAddress

    return list(
        EmailAddress.objects.filter(user=user, verified=True)
        .order_by("-primary", "email")
        .values_list("email", flat=True)
    )


def is_erased(user) -> bool:
    return user.username == ERASED_USERNAME.format(pk=user.pk)


# Downloading -----------------------------------------------------------------------------


def personal_data_collect(user, *, now: dt.datetime) -> dict:
    """Everything the apps hold about `user`, as one JSON-serialisable dict."""
    data: dict = {
        "about": (
            f"The personal data {settings.SITE_NAME} holds about you, as it stood when "
            "this file was made. Each section says where it is kept."
        ),
        "made_at": iso(now),
    }
    sender = get_user_model()
    for _receiver, sections in personal_data_requested.send(sender=sender, user=user):
        for name, section in (sections or {}).items():
            if name in data:
                raise ValueError(f"Two apps gave the personal data section {name!r}")
            data[name] = section
    return data


def personal_data_json(user, *, now: dt.datetime) -> str:
    return json.dumps(
        personal_data_collect(user, now=now), cls=DjangoJSONEncoder, indent=2, ensure_ascii=False
    )


def accounts_personal_data(sender, *, user, **kwargs) -> dict:
    """This app's part: the account, its addresses, authenticator apps, sign-ins,
    deletion requests."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    emails = verified_emails(user)
    sign_ins = []
    if emails:
        for model, what in (
            (AccessLog, "signed in"),
            (AccessFailureLog, "failed sign-in"),
            (AccessAttempt, "failed sign-ins being counted"),
        ):
            rows = model.objects.filter(username__in=[e.lower() for e in emails])
            for row in rows.order_by("-attempt_time")[:500]:
                sign_ins.append(
                    {
                        "what": what,
                        "at": iso(row.attempt_time),
                        "address": row.ip_address,
                        "browser": row.user_agent,
                    }
                )
    return {
        "account": {
            "kept_in": "accounts",
            "id": user.pk,
            "user_name": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "joined": iso(user.date_joined),
            "last_signed_in": iso(user.last_login),
            "active": user.is_active,
            "staff": user.is_staff,
        },
        "email_addresses": [
            {"email": e.email, "verified": e.verified, "primary": e.primary}
            for e in EmailAddress.objects.filter(user=user).order_by("-primary", "email")
        ],
        "two_factor_authentication": [
            {
                "type": a.get_type_display(),
                "set_up": iso(a.created_at),
                "last_used": iso(a.last_used_at),
            }
            for a in Authenticator.objects.filter(user=user).order_by("created_at")
        ],
        "sign_in_records": sign_ins,
        "deletion_requests": [
            {
                "requested": iso(d.requested_at),
                "reason": d.reason,
                "erased": iso(d.erased_at),
            }
            for d in DeletionRequest.objects.filter(user=user).order_by("requested_at")
        ],
    }


# Erasing ---------------------------------------------------------------------------------


@transaction.atomic
def account_erase(*, deletion: DeletionRequest, by, now: dt.datetime) -> dict[str, int]:
    """Erase the personal data of the account that made `deletion`; return the counts.

    Every app's `account_erased` receiver runs first, in this transaction; then the
    account is anonymised, its sessions ended and the request marked done. Nothing is
    changed if anything fails. Refused for a request already carried out, for one's own
    account, and for staff accounts.
    """
    deletion = DeletionRequest.objects.select_for_update().get(pk=deletion.pk)
    user = get_user_model().objects.select_for_update().get(pk=deletion.user_id)
    if deletion.erased_at is not None or is_erased(user):
        raise Refused("This account has already been erased.")
    if user.pk == by.pk:
        raise Refused("You cannot erase your own account: ask another member of staff.")
    if user.is_staff or user.is_superuser:
        raise Refused(
            "This is a staff account. Remove its staff access in the admin first, then erase it."
        )

    emails = verified_emails(user)
    counts: dict[str, int] = {}
    sender = get_user_model()
    for _receiver, result in account_erased.send(
        sender=sender, user=user, by=by, now=now, emails=emails
    ):
        for name, count in (result or {}).items():
            counts[name] = counts.get(name, 0) + count

    counts["sessions ended"] = _end_sessions(user, now=now)
    user.username = ERASED_USERNAME.format(pk=user.pk)
    user.first_name = FORMER_USER
    user.last_name = ""
    user.email = ""
    user.is_active = False
    user.last_login = None
    user.set_unusable_password()  # also ends sessions kept anywhere else (their hash)
    user.save()

    DeletionRequest.objects.filter(user=user).update(reason="")
    deletion.erased_at, deletion.erased_by, deletion.reason = now, by, ""
    deletion.save(update_fields=["erased_at", "erased_by", "reason"])
    audit_log("account.erased", user=user, deletion=deletion, **_fields(counts))
    return counts


def _fields(counts: dict[str, int]) -> dict[str, int]:
    return {name.replace(" ", "_"): count for name, count in counts.items()}


def _end_sessions(user, *, now: dt.datetime) -> int:
    """Delete the account's sessions kept in the database (the default engine)."""
    if settings.SESSION_ENGINE != "django.contrib.sessions.backends.db":
        return 0
    from django.contrib.sessions.models import Session

    theirs = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=now).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user.pk)
    ]
    Session.objects.filter(pk__in=theirs).delete()
    return len(theirs)


def accounts_erase(sender, *, user, emails: Iterable[str], **kwargs) -> dict[str, int]:
    """This app's part: e-mail addresses (and their confirmation keys), authenticator
    apps, and sign-in records kept by django-axes."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    emails = list(emails)
    sign_ins = 0
    if emails:
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            tried = [e.lower() for e in emails]  # axes keeps them lower-cased
            sign_ins += model.objects.filter(username__in=tried).delete()[0]
    addresses, _ = EmailAddress.objects.filter(user=user).delete()
    authenticators, _ = Authenticator.objects.filter(user=user).delete()
    return {
        "e-mail records removed": addresses,
        "authenticators removed": authenticators,
        "sign-in records removed": sign_ins,
    }
