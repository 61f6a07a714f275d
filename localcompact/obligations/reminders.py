"""Reminder digests: one e-mail per person per day and kind, sent at most once.

An obligation that becomes due soon or missed goes into the day's digest (kind OWING)
of everyone who acts for the organisation that owes it (officers and administrators,
active, with an e-mail address), and, when missed, into the digest (kind OWED) of
everyone who acts for an organisation it is owed to. `digests_add` does that for rows
the caller has locked, in the caller's transaction, and the caller stamps
`reminded_due_soon_on` / `reminded_missed_on` with the day in the same transaction: the
sweep as it moves rows, and `reminders_queue` for the rest. A digest is unique per
(recipient, day, kind), so running either again adds nothing.

A digest that has already been claimed for sending is closed: an obligation that would
go into it goes into none of the day's digests and stays unstamped, so the next day's
digests carry it (to all its recipients: no one is told twice and no one left out).

`reminders_send(now=...)` claims queued digests with a guarded update (queued ->
sending; only the worker whose update moved the row sends it), renders each from the
subject, text and HTML templates, sends it, and marks it sent, or failed with the error
(not retried). A digest left 'sending' by a worker that stopped is never sent again:
digests are claimed one at a time (SEND_BATCH), so a worker that dies while sending
loses at most that one, and once its lease (SEND_LEASE) has run out the next sweep
marks it lost, logs it, and puts its obligations into that person's next digest
(`reminders_lost`).
"""

import datetime as dt
import logging
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from operator import itemgetter

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import get_template, render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils.safestring import mark_safe

from localcompact.compacts.models import Standard
from localcompact.core.logging import audit_log
from localcompact.organisations.models import ACTING_ROLES, Membership, Organisation
from localcompact.rulebook.verdicts import and_list, long_date

from .models import Obligation, Reminder, Status

logger = logging.getLogger(__name__)

CHUNK_SIZE = 2_000
MAX_ROWS = 100  # obligations listed in one e-mail; the rest are counted
# Digests claimed at a time: at most this many are lost (never sent) when a worker dies
# while sending. One rather than 50 costs about 1.6 s (SQLite) to 3.5 s (PostgreSQL) of
# CPU more for a month's catch-up of 1,000 digests, which still takes 5 s to 7 s (see
# bench/README.md, the sweep section).
SEND_BATCH = 1
# How long a claimed digest may stay 'sending' before it counts as lost. Longer than a
# task may run (Q_CLUSTER "timeout", 600 s, after which django-q kills the worker), so a
# digest a live worker is still sending is never declared lost.
SEND_LEASE = dt.timedelta(minutes=15)
# Queued digests whose people and rows are read together, before they are claimed one
# by one (what each holds is read again once it is claimed).
READ_AHEAD = 50
WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
# Any fixed number: the PostgreSQL advisory lock that queues digests one chunk at a time.
QUEUE_LOCK_KEY = 7_404_219_363
OBLIGATION_URL = "obligations:obligation"
DASHBOARD_URL = "obligations:dashboard"


def chunk_size() -> int:
    """Ids per chunk: 2,000, or fewer where the database limits a query's parameters."""
    limit = connection.features.max_query_params
    return min(CHUNK_SIZE, limit - 50) if limit else CHUNK_SIZE


def chunked(ids: Sequence[int], size: int | None = None) -> Iterator[Sequence[int]]:
    size = size or chunk_size()
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


@dataclass(frozen=True)
class Reason:
    """Why an obligation goes into a digest, the stamp that records it, and who is told."""

    status: Status
    stamp: str
    kinds: tuple[str, ...]


DUE_SOON = Reason(Status.DUE_SOON, "reminded_due_soon_on", (Reminder.Kind.OWING,))
MISSED = Reason(Status.MISSED, "reminded_missed_on", (Reminder.Kind.OWING, Reminder.Kind.OWED))
REASONS = (DUE_SOON, MISSED)


class ReminderConflict(RuntimeError):
    """A guarded update changed fewer rows than were locked: the chunk is rolled back."""


@dataclass(frozen=True)
class Added:
    obligations: set[int]  # added to the day's digests; the caller stamps exactly these
    digests_made: int


def reminders_queue(*, today: dt.date) -> int:
    """Queue every due-soon or missed obligation not yet reminded; return digests made.

    The sweep adds what it moves to the digests as it moves it (see `digests_add`); this
    finds the rest: obligations created already due soon or missed, ones held back from
    a digest that had gone, and ones that were locked when the sweep passed.
    """
    made = 0
    for reason in REASONS:
        unstamped = {f"{reason.stamp}__isnull": True}
        candidates = list(
            Obligation.objects.filter(status=reason.status, **unstamped)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for ids in chunked(candidates):
            with transaction.atomic():
                rows = list(
                    Obligation.objects.select_for_update(skip_locked=True)
                    .filter(pk__in=ids, status=reason.status, **unstamped)
                    .order_by("pk")
                    .values_list("pk", "owed_by_id")
                )
                added = digests_add(reason, rows, today=today)
                stamped = Obligation.objects.filter(
                    pk__in=sorted(added.obligations), **unstamped
                ).update(**{reason.stamp: today})
                if stamped != len(added.obligations):
                    raise ReminderConflict(
                        f"{stamped} of {len(added.obligations)} locked obligations stamped"
                    )
                made += added.digests_made
    return made


def digests_add(reason: Reason, rows: Sequence[tuple[int, int | None]], *, today: dt.date) -> Added:
    """Add obligations, as (pk, owed_by id), to the day's digests of everyone to be told.

    The caller holds the obligations' row locks, in a transaction, and stamps
    `reason.stamp = today` on exactly the obligations returned, in the same transaction.
    An obligation one of whose digests for the day has already been claimed for sending
    is added to none of them and not returned: it waits for the next day's digests.
    """
    if not rows:
        return Added(set(), 0)
    _one_queuer_at_a_time()
    ids = [pk for pk, _ in rows]

    # (recipient, kind) -> the obligations that go into that digest
    wanted: dict[tuple[int, str], set[int]] = defaultdict(set)
    owing = acting_people(org for _, org in rows if org is not None)
    for pk, org in rows:
        for user in owing.get(org, ()):
            wanted[(user, Reminder.Kind.OWING)].add(pk)
    if Reminder.Kind.OWED in reason.kinds:
        pairs = list(
            Obligation.owed_to.through.objects.filter(obligation_id__in=ids).values_list(
                "obligation_id", "organisation_id"
            )
        )
        owed = acting_people(org for _, org in pairs)
        for pk, org in pairs:
            for user in owed.get(org, ()):
                wanted[(user, Reminder.Kind.OWED)].add(pk)

    digests = _digests(wanted, today=today, kinds=reason.kinds)
    closed = {key for key in wanted if key in digests and digests[key][1] != Reminder.State.QUEUED}
    held_back = set().union(*(wanted[key] for key in closed))

    new_keys = sorted(key for key, pks in wanted.items() if key not in digests and pks - held_back)
    if new_keys:
        Reminder.objects.bulk_create(
            [Reminder(recipient_id=user, on=today, kind=kind) for user, kind in new_keys],
            ignore_conflicts=True,
        )
        digests = _digests(wanted, today=today, kinds=reason.kinds)

    links_insert(
        (digests[key][0], pk)
        for key, pks in wanted.items()
        if key not in closed
        for pk in sorted(pks - held_back)
    )
    return Added({pk for pk in ids if pk not in held_back}, len(new_keys))


def links_insert(links: Iterable[tuple[int, int]]) -> None:
    """Put obligations into digests, as (reminder, obligation) pairs: one prepared INSERT
    run for all of them (no model instance per pair), a pair already there skipped, as
    bulk_create(ignore_conflicts=True) would."""
    links = list(links)
    if not links:
        return
    through = Reminder.obligations.through._meta
    quote = connection.ops.quote_name
    reminder_column = quote(through.get_field("reminder").column)
    obligation_column = quote(through.get_field("obligation").column)
    insert, suffix = "INSERT INTO", " ON CONFLICT DO NOTHING"
    if connection.vendor == "sqlite":
        insert, suffix = "INSERT OR IGNORE INTO", ""
    sql = (
        f"{insert} {quote(through.db_table)} ({reminder_column}, {obligation_column}) "
        f"VALUES (%s, %s){suffix}"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, links)


def _one_queuer_at_a_time() -> None:
    """Queue one chunk at a time across workers (SQLite already writes one at a time).

    While a chunk is queued, the digests it adds to are locked, so none can be claimed
    for sending half-filled, and no two workers create the same digest at once.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [QUEUE_LOCK_KEY])


def _digests(
    wanted: dict[tuple[int, str], set[int]], *, today: dt.date, kinds: Sequence[str]
) -> dict[tuple[int, str], tuple[int, str]]:
    """The day's digests for these recipients, locked: (recipient, kind) -> (pk, state)."""
    found = (
        Reminder.objects.select_for_update()
        .filter(on=today, kind__in=kinds, recipient_id__in={user for user, _ in wanted})
        .order_by("pk")
        .values_list("recipient_id", "kind", "pk", "state")
    )
    return {(user, kind): (pk, state) for user, kind, pk, state in found}


def acting_people(organisation_ids: Iterable[int]) -> dict[int, list[int]]:
    """Who can be e-mailed for each organisation: active officers and administrators."""
    people: dict[int, list[int]] = defaultdict(list)
    memberships = (
        Membership.objects.filter(
            organisation_id__in=set(organisation_ids),
            role__in=ACTING_ROLES,
            user__is_active=True,
        )
        .exclude(user__email="")
        .values_list("organisation_id", "user_id")
    )
    for org, user in memberships:
        people[org].append(user)
    return people


@dataclass(frozen=True)
class SendResult:
    sent: int = 0
    failed: int = 0
    unconfirmed: int = 0  # left 'sending' (by this or an earlier run); never resent


def reminders_send(*, now: dt.datetime) -> SendResult:
    """Send every queued digest once; return how many were sent, failed, or unconfirmed.

    Digests are claimed SEND_BATCH (one) at a time: the guarded update moves a queued
    digest to 'sending' (the state must still be 'queued') and records `now` as its claim
    time (`now` plus the time this run has taken); only the worker whose update moved it
    sends it. Its person and the rows it is
    likely to show are read ahead, READ_AHEAD digests together; which obligations it
    holds is read after the claim, so nothing added before it is left out, and nothing
    can be added after it. It is then rendered, sent, and marked sent (a failure is
    marked at once, with its error, and not retried).

    Call it outside any transaction: the claim must be committed before the e-mail goes,
    or a worker killed while sending would leave it to go again. A worker killed while
    sending leaves at most SEND_BATCH digests 'sending'; they are never resent, and are
    counted here until their lease runs out and `reminders_lost` marks them lost.
    """
    ids = list(
        Reminder.objects.filter(state=Reminder.State.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    sent = failed = 0
    started = time.monotonic()
    if ids:
        writer = DigestWriter()
        with get_connection() as mail:
            for group in chunked(ids, READ_AHEAD):
                ahead = {r.pk: r for r in writer.read_ahead(group)}
                for batch in chunked(list(ahead), SEND_BATCH):
                    # the claim time as the clock has moved on since `now`, so a long
                    # run's last claims do not look older than they are
                    elapsed = dt.timedelta(seconds=time.monotonic() - started)
                    claimed = reminders_claim(batch, now=now + elapsed)
                    if not claimed:
                        continue
                    writer.hold(claimed)
                    done = []
                    for reminder in (ahead[pk] for pk in claimed):
                        try:
                            writer.message(reminder, connection=mail).send()
                        except Exception as exc:  # recorded on the reminder; not retried
                            logger.exception("Reminder %s could not be sent", reminder.pk)
                            Reminder.objects.filter(
                                pk=reminder.pk, state=Reminder.State.SENDING
                            ).update(
                                state=Reminder.State.FAILED,
                                error=f"{type(exc).__name__}: {exc}"[:300],
                            )
                            failed += 1
                        else:
                            done.append(reminder.pk)
                    if done:
                        sent += Reminder.objects.filter(
                            pk__in=done, state=Reminder.State.SENDING
                        ).update(state=Reminder.State.SENT, sent_at=now)
    unconfirmed = Reminder.objects.filter(state=Reminder.State.SENDING).count()
    return SendResult(sent=sent, failed=failed, unconfirmed=unconfirmed)


def reminders_claim(ids: Sequence[int], *, now: dt.datetime) -> list[int]:
    """Move the queued reminders of `ids` that no other worker holds to 'sending'.

    Returns the ones this worker now owns, claimed at `now`. One reminder is claimed by
    the guarded update alone, a transaction of its own (it changes one row or none).
    Several are locked first, in one transaction (on PostgreSQL, skipping any another
    worker has locked; SQLite lets one writer in at a time), so the guarded update moves
    exactly them.
    """
    claim = {"state": Reminder.State.SENDING, "claimed_at": now}
    if len(ids) == 1:
        moved = Reminder.objects.filter(pk=ids[0], state=Reminder.State.QUEUED).update(**claim)
        return list(ids) if moved else []
    with transaction.atomic():
        mine = list(
            Reminder.objects.select_for_update(skip_locked=True)
            .filter(pk__in=ids, state=Reminder.State.QUEUED)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        moved = Reminder.objects.filter(pk__in=mine, state=Reminder.State.QUEUED).update(**claim)
        if moved != len(mine):
            raise ReminderConflict(f"{moved} of {len(mine)} locked reminders claimed")
    return mine


def reminders_lost(*, today: dt.date, now: dt.datetime) -> int:
    """Mark digests claimed more than SEND_LEASE before `now`, and never confirmed sent, as
    lost; put lost digests' obligations into their person's digest for `today`. Returns
    how many were marked lost.

    A lost digest may or may not have gone (the worker may have died just before or just
    after the mail server took it), so it is never sent again: marking it lost is a
    guarded update from 'sending', and only 'queued' digests are ever claimed. Each one is
    written to the audit log (its id, day and kind: nothing about the person).

    Its obligations are not forgotten. "The next digest" is the same person's digest of
    the same kind for a later day: a digest is one per (person, day, kind) and a claimed
    one is closed, so nothing can be added to the lost one or to any digest of that day
    that has been claimed. So on the first later sweep, the lost digest's obligations
    that still call for that reminder (due soon or missed for 'owing', missed for 'owed')
    and that the person still acts for are added to their digest for `today`, made if
    there is none, under the same locks as `digests_add`; if that digest has already been
    claimed, they wait for the next day's. Only that person is told again, not everyone
    the obligations concern (their stamps are left alone), and no digest can go twice:
    the carried obligations go into a queued digest, which is claimed once like any
    other. The price: someone whose lost digest did reach them is told of those
    obligations a second time, in a later e-mail.
    """
    expired = list(
        Reminder.objects.filter(state=Reminder.State.SENDING, claimed_at__lt=now - SEND_LEASE)
        .order_by("pk")
        .values_list("pk", "on", "kind", "claimed_at")
    )
    lost = 0
    for pk, on, kind, claimed_at in expired:
        marked = Reminder.objects.filter(pk=pk, state=Reminder.State.SENDING).update(
            state=Reminder.State.LOST,
            error=f"Claimed for sending at {claimed_at.isoformat()} and never confirmed sent",
        )
        if marked:
            lost += 1
            audit_log(
                "reminder.lost", reminder=Reminder(pk=pk), on=on, kind=kind, claimed_at=claimed_at
            )
    if lost:
        logger.warning(
            "%d reminder digests were claimed for sending and not confirmed sent within %d "
            "minutes: marked lost, not resent",
            lost,
            SEND_LEASE // dt.timedelta(minutes=1),
        )
    to_carry = (
        Reminder.objects.filter(state=Reminder.State.LOST, carried_on__isnull=True, on__lt=today)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    for pk in list(to_carry):
        lost_carry(pk, today=today)
    return lost


@transaction.atomic
def lost_carry(pk: int, *, today: dt.date) -> bool:
    """Put lost digest `pk`'s obligations into its person's digest of the same kind for
    `today` (see `reminders_lost`); False if that digest has been claimed already."""
    _one_queuer_at_a_time()
    found = (
        Reminder.objects.select_for_update()
        .filter(pk=pk, state=Reminder.State.LOST, carried_on__isnull=True, on__lt=today)
        .values_list("recipient_id", "kind")
        .first()
    )
    if found is None:
        return False
    recipient, kind = found
    statuses = [r.status for r in REASONS if kind in r.kinds]
    rows = list(
        Obligation.objects.filter(reminders=pk, status__in=statuses).values_list("pk", "owed_by_id")
    )
    if kind == Reminder.Kind.OWING:
        pairs = [(ob, org) for ob, org in rows if org is not None]
    else:
        pairs = list(
            Obligation.owed_to.through.objects.filter(
                obligation_id__in=[ob for ob, _ in rows]
            ).values_list("obligation_id", "organisation_id")
        )
    people = acting_people(org for _, org in pairs)
    carried = {ob for ob, org in pairs if recipient in people.get(org, ())}
    if carried:
        key = (recipient, kind)
        wanted = {key: carried}
        digests = _digests(wanted, today=today, kinds=[kind])
        if key not in digests:
            Reminder.objects.bulk_create(
                [Reminder(recipient_id=recipient, on=today, kind=kind)], ignore_conflicts=True
            )
            digests = _digests(wanted, today=today, kinds=[kind])
        digest, state = digests[key]
        if state != Reminder.State.QUEUED:
            return False  # the day's digest has gone: tomorrow's carries them
        links_insert((digest, ob) for ob in sorted(carried))
    Reminder.objects.filter(pk=pk).update(carried_on=today)
    return True


# --- Rendering ------------------------------------------------------------------------

ROW_FIELDS = (
    "pk",
    "summary",
    "status",
    "due_on",
    "owed_by_id",
    "owed_by_role",
    "owed_to_label",
    "standard_id",
)
SECTIONS = {Status.MISSED: (0, "Missed"), Status.DUE_SOON: (1, "Due soon")}
SETTLED = (2, "Settled since this e-mail was prepared")


def weekday_date(day: dt.date) -> str:
    """``Tuesday 3 March 2026``, whatever the locale."""
    return f"{WEEKDAYS[day.weekday()]} {long_date(day)}"


def site_link(name: str, **kwargs) -> str:
    """An absolute link on this site, or "" while the page does not exist."""
    try:
        path = reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""
    return settings.SITE_URL.rstrip("/") + path


def obligation_links() -> Callable[[int], str]:
    """pk -> the obligation's absolute link (reversed once, not once per row), or ""."""
    marker = 918_273_645
    link = site_link(OBLIGATION_URL, pk=marker)
    if not link:
        return lambda pk: ""
    before, after = link.split(str(marker), 1)
    return lambda pk: f"{before}{pk}{after}"


def names(items: Iterable[str]) -> str:
    """In alphabetical order: ``A and B``, ``A, B and C``; four or more as ``A, B and 2 other
    organisations``."""
    items = sorted(set(items))
    if len(items) > 3:
        return f"{items[0]}, {items[1]} and {len(items) - 2} other organisations"
    return and_list(items)


class DigestWriter:
    """Renders digests from the subject, text and HTML templates.

    What a digest shows is read in bulk and kept for the run: an obligation is usually
    in several digests (each officer of its owing organisation, each of its owed-to
    organisations'), so its row is rendered once, from `_digest_row.txt` and
    `_digest_row.html`, and placed in each digest that lists it.
    """

    def __init__(self) -> None:
        self.link = obligation_links()
        self.dashboard_url = site_link(DASHBOARD_URL)
        self.site_name = getattr(settings, "SITE_NAME", "LocalCompact")
        self.rows: dict[int, dict] = {}  # obligation -> its row, for the whole run
        self.acting_for: dict[int, set[int]] = {}  # person -> organisations they act for
        self.held: dict[int, set[int]] = {}  # reminder -> its obligations, for this batch
        self.carried: set[int] = set()  # reminders of this batch holding carried obligations
        self.organisation_names: dict[int, str] = {}
        self.standards: dict[int, tuple[str, str]] = {}  # pk -> (title, source and clause)
        self.row_text = get_template("obligations/email/_digest_row.txt")
        self.row_html = get_template("obligations/email/_digest_row.html")

    def preload(self, ids: Sequence[int]) -> list[Reminder]:
        """The reminders of `ids`, with what they show read in bulk."""
        reminders = self.read_ahead(ids)
        self.hold([r.pk for r in reminders])
        return reminders

    def read_ahead(self, ids: Sequence[int]) -> list[Reminder]:
        """The reminders of `ids`, their people, and the rows they show now, in bulk.

        Read before they are claimed: who a reminder is for never changes, and the rows
        read here are what `hold` will usually find. Which obligations a reminder holds
        is read again by `hold`, after the claim.
        """
        reminders = list(
            Reminder.objects.filter(pk__in=ids).select_related("recipient").order_by("pk")
        )
        self.load(
            Reminder.obligations.through.objects.filter(
                reminder_id__in=[r.pk for r in reminders]
            ).values_list("obligation_id", flat=True)
        )
        people = {r.recipient_id for r in reminders} - set(self.acting_for)
        for person in people:
            self.acting_for[person] = set()
        for person, org in Membership.objects.filter(
            user_id__in=people, role__in=ACTING_ROLES
        ).values_list("user_id", "organisation_id"):
            self.acting_for[person].add(org)
        return reminders

    def hold(self, ids: Sequence[int]) -> None:
        """Read which obligations the reminders of `ids` hold (once claimed, final), and
        the rows of any not read yet.

        In the same query: whether each was carried from a lost digest, that is, was in
        a lost digest of the same person and kind whose obligations were carried into
        this one (`carried_on` is this digest's day; see `reminders_lost`).
        """
        lost = Reminder.objects.filter(
            state=Reminder.State.LOST,
            recipient_id=OuterRef("reminder__recipient_id"),
            kind=OuterRef("reminder__kind"),
            carried_on=OuterRef("reminder__on"),
            obligations=OuterRef("obligation_id"),
        )
        self.held = defaultdict(set)
        self.carried = set()
        for reminder, obligation, carried in (
            Reminder.obligations.through.objects.filter(reminder_id__in=ids)
            .annotate(carried=Exists(lost))
            .values_list("reminder_id", "obligation_id", "carried")
        ):
            self.held[reminder].add(obligation)
            if carried:
                self.carried.add(reminder)
        self.load(set().union(*self.held.values()))

    def load(self, ids: Iterable[int]) -> None:
        """Read the rows of obligations not read yet in this run.

        Single-table queries by primary key, with the few standards and organisations
        they name read once and kept, rather than joins repeated for every obligation.
        """
        missing = sorted(set(ids) - set(self.rows))
        for chunk in chunked(missing):
            owed_to: dict[int, list[int]] = defaultdict(list)
            for pk, org in Obligation.owed_to.through.objects.filter(
                obligation_id__in=chunk
            ).values_list("obligation_id", "organisation_id"):
                owed_to[pk].append(org)
            obligations = list(Obligation.objects.filter(pk__in=chunk).values(*ROW_FIELDS))
            self._names(
                {o["owed_by_id"] for o in obligations if o["owed_by_id"]}
                | {org for orgs in owed_to.values() for org in orgs}
            )
            self._standards({o["standard_id"] for o in obligations})
            for values in obligations:
                self.rows[values["pk"]] = self.row(values, owed_to[values["pk"]])

    def _names(self, organisations: set[int]) -> None:
        missing = organisations - set(self.organisation_names)
        if missing:
            self.organisation_names.update(
                Organisation.objects.filter(pk__in=missing).values_list("pk", "name")
            )

    def _standards(self, standards: set[int]) -> None:
        missing = standards - set(self.standards)
        for standard in Standard.objects.filter(pk__in=missing).select_related("source"):
            self.standards[standard.pk] = (
                standard.title,
                f"Source: {standard.source.title} ({standard.source.file}), "
                f"clause {standard.clause_ref}",
            )

    def row(self, values: dict, owed_to: list[int]) -> dict:
        section = SECTIONS.get(values["status"], SETTLED)
        owed_to_orgs = sorted(
            ((org, self.organisation_names[org]) for org in owed_to), key=itemgetter(1)
        )
        owed_to_names = [name for _, name in owed_to_orgs]
        if values["owed_to_label"]:
            owed_to_names.append(values["owed_to_label"])
        owed_by_name = self.organisation_names.get(values["owed_by_id"], "")
        standard_title, source = self.standards[values["standard_id"]]
        return {
            "order": (section[0], values["due_on"], values["pk"]),
            "section": section[1],
            "status_value": values["status"],
            "owed_by_name": owed_by_name,
            "owed_to_orgs": owed_to_orgs,
            "summary": values["summary"],
            "url": self.link(values["pk"]),
            "due": weekday_date(values["due_on"]),
            "status": Status(values["status"]).label,
            "standard": standard_title,
            "source": source,
            "owed_by": owed_by_name or values["owed_by_role"] or "Not recorded",
            "owed_to": ", ".join(owed_to_names) or "Not recorded",
        }

    def context(self, reminder: Reminder) -> dict:
        """What the templates show: counts, who it is for, and up to MAX_ROWS rows."""
        rows = sorted((self.rows[pk] for pk in self.held[reminder.pk]), key=itemgetter("order"))
        shown = rows[:MAX_ROWS]
        sections: dict[str, list[dict]] = {}
        for row in shown:
            if "html" not in row:
                row["text"] = self.row_text.render({"row": row})
                row["html"] = self.row_html.render({"row": row})
            sections.setdefault(row["section"], []).append(row)
        if reminder.kind == Reminder.Kind.OWING:
            organisations = [row["owed_by_name"] for row in rows if row["owed_by_name"]]
        else:
            acting_for = self.acting_for.get(reminder.recipient_id, set())
            owed_to = [org for row in rows for org in row["owed_to_orgs"]]
            organisations = [name for org, name in owed_to if org in acting_for] or [
                name for _, name in owed_to
            ]
        recipient = reminder.recipient
        return {
            "reminder": reminder,
            "name": recipient.get_full_name() or recipient.get_username(),
            "site_name": self.site_name,
            "day": weekday_date(reminder.on),
            "organisations": names(organisations) or "your organisation",
            "due_soon_count": sum(row["status_value"] == Status.DUE_SOON for row in rows),
            "missed_count": sum(row["status_value"] == Status.MISSED for row in rows),
            "total": len(rows),
            "sections": [
                {
                    "title": title,
                    "count": len(rows),
                    # Joined here rather than looped over in the templates (a digest can
                    # list 100 rows, and a sweep can send thousands of digests).
                    "text": "".join("\n" + row["text"] for row in rows),
                    "html": mark_safe("".join(row["html"] for row in rows)),  # noqa: S308
                }
                for title, rows in sections.items()
            ],
            "more": len(rows) - len(shown),
            "carried": reminder.pk in self.carried,
            "dashboard_url": self.dashboard_url,
        }

    def message(self, reminder: Reminder, *, connection=None) -> EmailMultiAlternatives:
        """The digest as an e-mail: subject, plain text, and HTML alternative."""
        context = self.context(reminder)
        name = f"obligations/email/digest_{reminder.kind}"
        subject = " ".join(render_to_string(f"{name}_subject.txt", context).split())
        context["subject"] = subject
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string(f"{name}.txt", context),
            to=[reminder.recipient.email],
            connection=connection,
        )
        message.attach_alternative(render_to_string(f"{name}.html", context), "text/html")
        return message


def digest_message(reminder: Reminder, *, connection=None) -> EmailMultiAlternatives:
    """One reminder's digest as an e-mail (the sender renders many with one writer)."""
    writer = DigestWriter()
    [reminder] = writer.preload([reminder.pk])
    return writer.message(reminder, connection=connection)
