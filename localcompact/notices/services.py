"""Writes for informing notices: draft, change, publish, withdraw.

Each is atomic, locks the notice whose state moves, writes an append-only NoticeEvent
and an audit line, and keeps the notice's obligation in step with `obligations_sync`.
An invalid move raises `NoticeRefused` with the message the form shows.
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from localcompact.compacts.models import Compact
from localcompact.core.logging import audit_log
from localcompact.core.uploads import document_store
from localcompact.obligations.services import obligations_sync
from localcompact.organisations.models import Organisation, Sector, Signature
from localcompact.rulebook import long_date

from .models import Notice, NoticeDocument, NoticeEvent, Restriction, Status, Term
from .sources import notice_check

# The fields a draft is made of; all but `formats` are plain values.
FIELDS = (
    "title",
    "decision",
    "decided_on",
    "decided_by",
    "action_required",
    "action_by",
    "affected",
    "area",
    "more_information_url",
    "contact",
    "formats",
    "formats_note",
    "restriction",
    "embargo_until",
    "handling",
)


class NoticeRefused(Exception):
    """A write the rules do not allow; `field` names the form field it is about."""

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Explained:
    term: str
    explanation: str


def _signed(organisation: Organisation, compact: Compact) -> bool:
    return Signature.objects.current().filter(organisation=organisation, compact=compact).exists()


def _check(data: dict, shared_with: Sequence[Organisation], *, now: dt.datetime) -> None:
    if data["action_by"] < data["decided_on"]:
        raise NoticeRefused(
            "The date action is needed by must be on or after the date of the decision",
            "action_by",
        )
    restriction = data["restriction"]
    if restriction == Restriction.EMBARGOED and data.get("embargo_until") is None:
        raise NoticeRefused("Enter the date the embargo lifts", "embargo_until")
    if restriction == Restriction.CONFIDENTIAL and not shared_with:
        raise NoticeRefused(
            "Choose the organisations that may see a confidential notice", "shared_with"
        )
    if restriction != Restriction.PUBLIC and not data.get("handling", "").strip():
        raise NoticeRefused("Say whether, when and to whom the notice may be passed on", "handling")


def _clean(data: dict) -> dict:
    values = {name: data.get(name) for name in FIELDS}
    for name in FIELDS:
        if isinstance(values[name], str):
            values[name] = values[name].strip()
        if values[name] is None and name not in ("decided_on", "action_by", "embargo_until"):
            values[name] = [] if name == "formats" else ""
    if values["restriction"] != Restriction.EMBARGOED:
        values["embargo_until"] = None
    if values["restriction"] == Restriction.PUBLIC:
        values["handling"] = ""
    return values


def _set_terms(notice: Notice, terms: Iterable[Explained]) -> None:
    notice.terms.all().delete()
    Term.objects.bulk_create(
        Term(notice=notice, term=t.term.strip(), explanation=t.explanation.strip(), position=i)
        for i, t in enumerate(terms)
        if t.term.strip()
    )


@transaction.atomic
def notice_create(
    *,
    organisation: Organisation,
    compact: Compact,
    data: dict,
    terms: Iterable[Explained] = (),
    shared_with: Sequence[Organisation] = (),
    by: AbstractBaseUser,
    today: dt.date,
    now: dt.datetime,
) -> Notice:
    """A draft notice under `compact`'s current version, with its obligation declared."""
    if organisation.sector != Sector.PUBLIC:
        raise NoticeRefused("Only public bodies issue informing notices")
    if not _signed(organisation, compact):
        raise NoticeRefused(f"{organisation.name} has not signed {compact.name}", "compact")
    shared_with = [o for o in shared_with if o.pk != organisation.pk]
    values = _clean(data)
    _check(values, shared_with, now=now)
    notice = Notice.objects.create(
        compact=compact,
        version=compact.current_version,
        issued_by=organisation,
        created_by=by,
        **values,
    )
    notice.shared_with.set(shared_with)
    _set_terms(notice, terms)
    NoticeEvent.objects.create(notice=notice, kind=NoticeEvent.Kind.CREATED, on=today, by=by)
    obligations_sync(source=notice, today=today, by=by)
    audit_log("notice.created", notice=notice, organisation=organisation)
    return notice


def _locked(notice: Notice) -> Notice:
    return Notice.objects.select_for_update().get(pk=notice.pk)


@transaction.atomic
def notice_update(
    *,
    notice: Notice,
    data: dict,
    terms: Iterable[Explained] = (),
    shared_with: Sequence[Organisation] = (),
    by: AbstractBaseUser,
    today: dt.date,
    now: dt.datetime,
) -> Notice:
    """Change a draft, or correct a published notice (the history says what changed)."""
    notice = _locked(notice)
    if notice.status == Status.WITHDRAWN:
        raise NoticeRefused("A withdrawn notice cannot be changed")
    shared_with = [o for o in shared_with if o.pk != notice.issued_by_id]
    values = _clean(data)
    _check(values, shared_with, now=now)
    if (
        notice.status == Status.PUBLISHED
        and not notice.restricted_at(now)
        and values["restriction"] != Restriction.PUBLIC
    ):
        raise NoticeRefused(
            "This notice has already been public, so it cannot be restricted now", "restriction"
        )
    if (
        notice.status == Status.PUBLISHED
        and values["restriction"] == Restriction.EMBARGOED
        and values["embargo_until"] > (notice.embargo_until or now)
    ):
        raise NoticeRefused(
            "An embargo can be lifted sooner, but not put back once the notice is published",
            "embargo_until",
        )
    changed = [name for name in FIELDS if getattr(notice, name) != values[name]]
    old_terms = list(notice.terms.values_list("term", "explanation"))
    old_shared = set(notice.shared_with.values_list("pk", flat=True))
    for name, value in values.items():
        setattr(notice, name, value)
    notice.save()
    notice.shared_with.set(shared_with)
    terms = list(terms)
    _set_terms(notice, terms)
    new_terms = [(t.term.strip(), t.explanation.strip()) for t in terms if t.term.strip()]
    if new_terms != old_terms:
        changed.append("terms")
    if {o.pk for o in shared_with} != old_shared:
        changed.append("shared_with")
    NoticeEvent.objects.create(
        notice=notice, kind=NoticeEvent.Kind.EDITED, on=today, by=by, changed=changed
    )
    obligations_sync(source=notice, today=today, by=by)
    audit_log("notice.changed", notice=notice, changed=",".join(changed))
    return notice


@transaction.atomic
def notice_publish(
    *,
    notice: Notice,
    by: AbstractBaseUser,
    today: dt.date,
    now: dt.datetime,
    late_reason: str = "",
) -> Notice:
    """Publish a draft. Late against the compact's standard needs a stated reason."""
    notice = _locked(notice)
    if notice.status != Status.DRAFT:
        raise NoticeRefused("Only a draft can be published")
    if notice.action_by < today:
        raise NoticeRefused("The date action is needed by has passed: change it before publishing")
    if notice.restriction == Restriction.EMBARGOED and notice.embargo_until <= now:
        raise NoticeRefused(
            "The embargo date has passed: change the notice to public or move the date"
        )
    verdict = notice_check(notice, today=today, publishing_on=today)
    late = verdict is not None and verdict.due is not None and today > verdict.due
    if late and not late_reason.strip():
        raise NoticeRefused(
            f"It is late for the compact's standard ({verdict.clause}): it should have been "
            f"published by {long_date(verdict.due)}. Say why it is late to publish it now",
            "late_reason",
        )
    notice.status = Status.PUBLISHED
    notice.published_on, notice.published_at = today, now
    notice.published_late_reason = late_reason.strip() if late else ""
    notice.save(
        update_fields=[
            "status",
            "published_on",
            "published_at",
            "published_late_reason",
            "updated_at",
        ]
    )
    NoticeEvent.objects.create(
        notice=notice,
        kind=NoticeEvent.Kind.PUBLISHED,
        on=today,
        by=by,
        note=f"Published late: {late_reason.strip()}" if late else "",
    )
    obligations_sync(source=notice, today=today, by=by)
    audit_log("notice.published", notice=notice, late=late)
    return notice


@transaction.atomic
def notice_withdraw(*, notice: Notice, reason: str, by: AbstractBaseUser, today: dt.date) -> Notice:
    """Withdraw a notice. A draft's obligation is no longer owed; a published one's stands."""
    notice = _locked(notice)
    if notice.status == Status.WITHDRAWN:
        raise NoticeRefused("This notice has already been withdrawn")
    if not reason.strip():
        raise NoticeRefused("Say why the notice is withdrawn", "reason")
    notice.status = Status.WITHDRAWN
    notice.withdrawn_on, notice.withdrawn_reason = today, reason.strip()
    notice.save(update_fields=["status", "withdrawn_on", "withdrawn_reason", "updated_at"])
    NoticeEvent.objects.create(
        notice=notice, kind=NoticeEvent.Kind.WITHDRAWN, on=today, by=by, note=reason.strip()
    )
    obligations_sync(source=notice, today=today, by=by)
    audit_log("notice.withdrawn", notice=notice)
    return notice


@transaction.atomic
def notice_document_add(
    *, notice: Notice, title: str, uploaded, by: AbstractBaseUser, today: dt.date
) -> NoticeDocument:
    notice = _locked(notice)
    if notice.status == Status.WITHDRAWN:
        raise NoticeRefused("A withdrawn notice cannot be changed")
    document = document_store(NoticeDocument(notice=notice, title=title.strip()), uploaded, by=by)
    NoticeEvent.objects.create(
        notice=notice, kind=NoticeEvent.Kind.DOCUMENT_ADDED, on=today, by=by, note=document.title
    )
    audit_log("notice.document_added", notice=notice, document=document)
    return document


@transaction.atomic
def notice_document_remove(
    *, document: NoticeDocument, by: AbstractBaseUser, today: dt.date
) -> None:
    notice = _locked(document.notice)
    if notice.status == Status.WITHDRAWN:
        raise NoticeRefused("A withdrawn notice cannot be changed")
    title = document.title
    document.file.delete(save=False)
    document.delete()
    NoticeEvent.objects.create(
        notice=notice, kind=NoticeEvent.Kind.DOCUMENT_REMOVED, on=today, by=by, note=title
    )
    audit_log("notice.document_removed", notice=notice)
