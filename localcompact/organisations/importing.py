"""Importing organisations from a register extract: an upsert by identifier.

Each row names one organisation by one org-id identifier. An organisation that already
has that identifier is updated from the row (only the cells that have a value; an empty
cell leaves what is stored); one that does not is created with it. Re-importing the same
file changes nothing and says so ("unchanged").

A row is all or nothing: it is checked whole before anything of it is written, and a row
with bad data is rejected with its line number and the reason. Rows are written in
batches of `BATCH_SIZE` (a few queries to find the batch's identifiers and free slugs,
then bulk inserts and updates, each batch one transaction); if a batch's write fails,
its rows are written one at a time, each in its own savepoint, to find and reject the
one at fault. Every write is in django-simple-history's tables, with the file's name as
the reason: updates through its `bulk_update_with_history`; new organisations and
identifiers with history rows written alongside them (`_Table`: the same rows as its
`bulk_create_with_history`, a third of the time).

Speed, for 200,000 rows in well under a minute on SQLite: the batch's lookups are plain
`IN` queries (arrays on PostgreSQL), new rows go in as prepared statements (COPY on
PostgreSQL), the SQLite name index is filled a batch at a time, and SQLite's page cache
and write-ahead log are enlarged for the import's connection while it runs.

Formats:

- `generic`: columns name, sector, kind, identifier (org-id, e.g. GB-CHC-1234567),
  area_served, website, public_email, income_band, bme_led, equality_and_diversity,
  receives_public_funding. Only name and identifier are required columns; a new
  organisation needs a sector. Flags are yes/no (also true/false, y/n, 1/0).
- `charity-commission`: the "charity" table of the Charity Commission for England and
  Wales's register extract (publicextract.charity, tab-separated or CSV), read by its
  column names: registered_charity_number, linked_charity_number, charity_name,
  charity_registration_status, latest_income, charity_contact_email,
  charity_contact_phone, charity_contact_web. Identifier GB-CHC-<number> (a linked
  charity: GB-CHC-<number>-<linked number>); new organisations are in the voluntary and
  community sector, of the kind "registered charity"; the latest income sets the income
  band. Charities removed from the register are skipped.
"""

import csv
import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, models, transaction
from django.utils.text import slugify
from simple_history.utils import bulk_update_with_history

from .models import (
    SCHEME_PATTERNS,
    Identifier,
    IncomeBand,
    Kind,
    Organisation,
    Scheme,
    Sector,
    normalise_identifier,
)

BATCH_SIZE = 900  # rows per batch: keeps each lookup under SQLite's 999-parameter floor
SLUG_BASE_LENGTH = 80
# Slugs that name pages rather than organisations (/organisations/new/).
RESERVED_SLUGS = {"new"}


class ImportFileError(Exception):
    """The file as a whole cannot be imported (unreadable, or a required column missing)."""


class RowRejected(Exception):
    """This row has bad data; the message is the reason, for "line N: reason"."""


class RowSkipped(Exception):
    """This row is not for the register (e.g. a charity removed from the regulator's)."""


@dataclass
class ParsedRow:
    line: int
    scheme: str
    value: str
    values: dict[str, object]  # fields to set, create or update
    new_only: dict[str, object] = field(default_factory=dict)  # fields set only on create

    @property
    def org_id(self) -> str:
        return f"{self.scheme}-{self.value}"


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    skipped: int = 0
    rejections: list[tuple[int, str]] = field(default_factory=list)

    def summary(self) -> str:
        text = (
            f"{self.created} created, {self.updated} updated, {self.unchanged} unchanged, "
            f"{self.rejected} rejected"
        )
        if self.skipped:
            text += f", {self.skipped} skipped (removed from the regulator's register)"
        return text


# --- Reading cells ---------------------------------------------------------------------

_url = URLValidator(schemes=["http", "https"])
# The common case, checked quickly: every address this matches, URLValidator accepts
# too (test_import.py checks that they agree); anything else goes to URLValidator.
_PLAIN_URL = re.compile(
    r"https?://(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}(?:/[^\s]*)?",
    re.IGNORECASE,
)
_email = EmailValidator()
_TRUE = frozenset({"yes", "y", "true", "1"})
_FALSE = frozenset({"no", "n", "false", "0"})
_PATTERNS = {scheme: re.compile(pattern) for scheme, pattern in SCHEME_PATTERNS.items()}
_SCHEME_LABELS = dict(Scheme.choices)
_CHOICES = {
    choices: (frozenset(choices.values), ", ".join(v for v in choices.values if v))
    for choices in (Sector, Kind, IncomeBand)
}


def org_id_parsed(text: str) -> tuple[str, str]:
    """(scheme, value) of an org-id such as GB-CHC-1234567, checked against its scheme."""
    value = normalise_identifier(text)
    if not value:
        raise RowRejected("identifier is empty")
    country, _, rest = value.partition("-")
    register, _, number = rest.partition("-")
    scheme = f"{country}-{register}"
    if scheme not in _PATTERNS or not number:
        raise RowRejected(
            f"identifier {text.strip()!r} is not an org-id from a known scheme "
            f"({', '.join(Scheme.values)}), e.g. GB-CHC-1234567"
        )
    if not _PATTERNS[scheme].fullmatch(number):
        raise RowRejected(
            f"identifier {text.strip()!r} is not a valid {_SCHEME_LABELS[scheme]} identifier"
        )
    return scheme, number


def _text(cells: dict, column: str, *, max_length: int, label: str) -> str | None:
    value = " ".join((cells.get(column) or "").split())
    if not value:
        return None
    if len(value) > max_length:
        raise RowRejected(f"{label} is longer than {max_length} characters")
    return value


def _choice(cells: dict, column: str, choices, *, label: str) -> str | None:
    value = (cells.get(column) or "").strip().lower()
    if not value:
        return None
    allowed, listed = _CHOICES[choices]
    if value not in allowed:
        raise RowRejected(f"{label} {value!r} is not one of {listed}")
    return value


def _flag(cells: dict, column: str) -> bool | None:
    value = (cells.get(column) or "").strip().lower()
    if not value:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise RowRejected(f"{column} must be yes or no, not {value!r}")


def _website(cells: dict, column: str) -> str | None:
    value = (cells.get(column) or "").strip()
    if not value:
        return None
    if "://" not in value:
        value = "https://" + value
    if len(value) > 200:
        raise RowRejected("website is longer than 200 characters")
    if _PLAIN_URL.fullmatch(value):
        return value
    try:
        _url(value)
    except ValidationError:
        raise RowRejected(f"website {value!r} is not a web address") from None
    return value


def _email_address(cells: dict, column: str) -> str | None:
    value = (cells.get(column) or "").strip()
    if not value:
        return None
    if len(value) > 254:
        raise RowRejected("e-mail address is longer than 254 characters")
    try:
        _email(value)
    except ValidationError:
        raise RowRejected(f"e-mail address {value!r} is not valid") from None
    return value


_SLUG_DROP = re.compile(r"[^\w\s-]")
_SLUG_JOIN = re.compile(r"[-\s]+")


def slug_for(name: str) -> str:
    """Django's slugify, quicker for an ASCII name (for which its Unicode normalisation
    changes nothing, so the result is the same)."""
    if not name.isascii():
        return slugify(name)
    return _SLUG_JOIN.sub("-", _SLUG_DROP.sub("", name.lower())).strip("-_")


def income_band_for(amount: Decimal) -> str:
    """The band of a yearly income: each band includes its lower bound."""
    if amount < 10_000:
        return IncomeBand.UNDER_10K
    if amount < 100_000:
        return IncomeBand.FROM_10K
    if amount < 1_000_000:
        return IncomeBand.FROM_100K
    if amount < 10_000_000:
        return IncomeBand.FROM_1M
    return IncomeBand.OVER_10M


def _set(values: dict, name: str, value) -> None:
    if value is not None:
        values[name] = value


# --- Formats ---------------------------------------------------------------------------


class GenericFormat:
    name = "generic"
    required_columns = ("name", "identifier")
    flags = ("bme_led", "equality_and_diversity", "receives_public_funding")

    def parse(self, line: int, cells: dict) -> ParsedRow:
        scheme, value = org_id_parsed(cells.get("identifier") or "")
        values: dict[str, object] = {}
        name = _text(cells, "name", max_length=200, label="name")
        if name is None:
            raise RowRejected("name is empty")
        values["name"] = name
        _set(values, "sector", _choice(cells, "sector", Sector, label="sector"))
        _set(values, "kind", _choice(cells, "kind", Kind, label="kind"))
        _set(values, "area_served", _text(cells, "area_served", max_length=200, label="area"))
        _set(values, "website", _website(cells, "website"))
        _set(values, "public_email", _email_address(cells, "public_email"))
        _set(values, "income_band", _choice(cells, "income_band", IncomeBand, label="income band"))
        for flag in self.flags:
            _set(values, flag, _flag(cells, flag))
        return ParsedRow(line=line, scheme=scheme, value=value, values=values)


class CharityCommissionFormat:
    """The Charity Commission for England and Wales's register extract, charity table."""

    name = "charity-commission"
    required_columns = ("registered_charity_number", "charity_name")

    def parse(self, line: int, cells: dict) -> ParsedRow:
        number = (cells.get("registered_charity_number") or "").strip()
        linked = (cells.get("linked_charity_number") or "").strip()
        if not number.isdigit():
            raise RowRejected(f"registered_charity_number {number!r} is not a number")
        if linked and not linked.isdigit():
            raise RowRejected(f"linked_charity_number {linked!r} is not a number")
        if linked and int(linked) != 0:
            number = f"{number}-{int(linked)}"
        scheme, value = org_id_parsed(f"{Scheme.CHARITY_ENGLAND_WALES}-{number}")
        status = (cells.get("charity_registration_status") or "").strip().lower()
        if status == "removed":
            raise RowSkipped
        values: dict[str, object] = {}
        name = _text(cells, "charity_name", max_length=200, label="charity_name")
        if name is None:
            raise RowRejected("charity_name is empty")
        values["name"] = name
        _set(values, "website", _website(cells, "charity_contact_web"))
        _set(values, "public_email", _email_address(cells, "charity_contact_email"))
        _set(
            values,
            "public_phone",
            _text(cells, "charity_contact_phone", max_length=40, label="charity_contact_phone"),
        )
        income = (cells.get("latest_income") or "").strip().replace(",", "").lstrip("£")
        if income:
            try:
                amount = Decimal(income)
            except InvalidOperation:
                raise RowRejected(f"latest_income {income!r} is not an amount") from None
            if not amount.is_finite() or amount < 0:
                raise RowRejected(f"latest_income {income!r} is not an amount")
            values["income_band"] = income_band_for(amount)
        return ParsedRow(
            line=line,
            scheme=scheme,
            value=value,
            values=values,
            new_only={"sector": Sector.VCS, "kind": Kind.REGISTERED_CHARITY},
        )


FORMATS = {f.name: f for f in (GenericFormat(), CharityCommissionFormat())}


# --- Reading the file ------------------------------------------------------------------


def _has_undecodable(cells: list[str]) -> bool:
    """Whether a cell holds bytes that were not UTF-8 (read as lone surrogates)."""
    try:
        "".join(cells).encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def rows_read(path: Path, *, required: tuple[str, ...]) -> Iterator[tuple[int, dict | Exception]]:
    """(line number, cells by column) for each row; (line, RowRejected) for one that
    cannot be read. The line is where the row starts (the header is line 1). The
    delimiter is a tab if the header has one (the Charity Commission's .txt files), else
    a comma.
    """
    try:
        file = path.open(encoding="utf-8-sig", errors="surrogateescape", newline="")
    except OSError as exc:
        raise ImportFileError(f"cannot open {path}: {exc.strerror}") from None
    with file:
        first = file.readline()
        if not first.strip():
            raise ImportFileError(f"{path} is empty: the first line must name the columns")
        delimiter = "\t" if "\t" in first else ","
        header = [c.strip().lower() for c in next(csv.reader([first], delimiter=delimiter))]
        missing = [c for c in required if c not in header]
        if missing:
            raise ImportFileError(
                f"{path.name} has no column {', '.join(missing)} (the first line names the "
                f"columns; it has: {', '.join(h for h in header if h) or 'none'})"
            )
        reader = csv.reader(file, delimiter=delimiter)
        next_line = 2
        while True:
            start = next_line
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                next_line = reader.line_num + 2
                yield start, RowRejected(f"cannot be read: {exc}")
                continue
            next_line = reader.line_num + 2
            if not any(cell.strip() for cell in cells):
                continue
            if _has_undecodable(cells):
                yield start, RowRejected("is not UTF-8 text")
            elif len(cells) != len(header):
                yield (
                    start,
                    RowRejected(
                        f"has {len(cells)} cells but the first line names {len(header)} columns"
                    ),
                )
            else:
                yield start, dict(zip(header, cells, strict=True))


# --- Writing ---------------------------------------------------------------------------

# Migration 0003: on SQLite, a trigger adds each new organisation to the name search
# index. Row by row, that trigger costs more than the insert it follows, so the importer
# drops it inside each batch's transaction, adds the whole batch to the index in one
# statement, and re-creates the trigger from its own SQL as the database holds it. The
# batch's transaction holds SQLite's write lock throughout, so no other write can
# happen without the trigger; if the batch fails, the rollback restores it.
FTS = "organisations_organisation_name_fts"
FTS_INSERT_TRIGGER = "organisations_organisation_name_fts_insert"


class _Table:
    """Rows written straight into one model's table: the batch's new organisations and
    identifiers, and their history records. Django's bulk_create and
    django-simple-history's bulk_create_with_history write the same rows, but prepare
    every value of every row through the field classes, which at 200,000 rows is most of
    an import's time.

    Values are plain str, bool or None, which the drivers take as they are; anything
    else a row needs (dates, defaults) is prepared once, in `constants`.
    """

    def __init__(self, model, connection, constants: dict):
        self.model = model
        # every column but an automatic primary key (a historical model's `id` is a
        # plain column: the id of the row the record is about)
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if not (f.primary_key and isinstance(f, models.AutoField))
        ]
        self.constants = {
            f.attname: f.get_db_prep_save(
                constants.get(f.attname, f.get_default()), connection=connection
            )
            for f in self.fields
        }
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        columns = ", ".join(quote(f.column) for f in self.fields)
        # names from the model, values as parameters
        self.insert_sql = (
            f"INSERT INTO {table} ({columns}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(self.fields))})"
        )
        self.copy = f"COPY {table} ({columns}) FROM STDIN"
        self.connection = connection

    def insert(self, rows: list[dict]) -> None:
        """PostgreSQL: COPY, its bulk-loading statement (many times quicker than one
        INSERT per row). Others (SQLite): one prepared INSERT run for each row."""
        values = itemgetter(*(f.attname for f in self.fields))
        constants = self.constants
        params = [values({**constants, **row}) for row in rows]
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                # psycopg's own COPY, its errors turned into Django's as for any query
                with self.connection.wrap_database_errors, cursor.cursor.copy(self.copy) as copy:
                    for row in params:
                        copy.write_row(row)
                return
            cursor.executemany(self.insert_sql, params)


@dataclass
class _Create:
    row: ParsedRow
    fields: dict

    def organisation(self) -> Organisation:
        return Organisation(**self.fields)


@dataclass
class _Update:
    row: ParsedRow
    organisation: Organisation
    changed: list[str]


class Importer:
    """One run of an import: reads the rows, plans and writes them a batch at a time,
    and counts what happened (`result`)."""

    def __init__(
        self,
        *,
        format: str,
        now: dt.datetime,
        reason: str,
        on_reject: Callable[[int, str], None] | None = None,
    ):
        self.format = FORMATS[format]
        self.now = now
        self.reason = reason[:100]
        self.on_reject = on_reject
        self.result = ImportResult()
        self.seen: dict[tuple[str, str], int] = {}
        self.pending: list[tuple[int, str]] = []
        connection = connections[DEFAULT_DB_ALIAS]
        self.connection = connection
        history = {"history_date": now, "history_change_reason": self.reason, "history_type": "+"}
        self.tables = {
            "organisation": _Table(
                Organisation, connection, {"created_at": now, "updated_at": now}
            ),
            "organisation_history": _Table(
                Organisation.history.model,
                connection,
                {"created_at": now, "updated_at": now, **history},
            ),
            "identifier": _Table(Identifier, connection, {}),
            "identifier_history": _Table(Identifier.history.model, connection, history),
        }

    def reject(self, line: int, reason: str) -> None:
        self.result.rejected += 1
        self.pending.append((line, reason))

    def _report(self) -> None:
        """Rejections so far, in line order (a batch's are found when it is written)."""
        self.pending.sort()
        self.result.rejections += self.pending
        if self.on_reject:
            for line, reason in self.pending:
                self.on_reject(line, reason)
        self.pending = []

    def run(self, path: Path) -> ImportResult:
        with self._sqlite_tuned():
            batch: list[ParsedRow] = []
            for line, cells in rows_read(path, required=self.format.required_columns):
                row = self._parsed(line, cells)
                if row is None:
                    continue
                batch.append(row)
                if len(batch) >= BATCH_SIZE:
                    self._write_batch(batch)
                    self._report()
                    batch = []
            if batch:
                self._write_batch(batch)
            self._report()
        if self.result.created or self.result.updated:
            self._name_index_tidied()
        return self.result

    def _name_index_tidied(self) -> None:
        """On PostgreSQL, merge the name search index's pending entries (a GIN index
        queues new entries, and every search reads the whole queue until autovacuum
        merges it: after a large import, ten times slower for a while)."""
        if self.connection.vendor != "postgresql":
            return
        try:
            with transaction.atomic(), self.connection.cursor() as cursor:
                cursor.execute("SELECT gin_clean_pending_list('organisations_name_search')")
        except DatabaseError:
            pass  # an older index, or not ours to tidy: autovacuum will do it

    @contextmanager
    def _sqlite_tuned(self):
        """On SQLite, for the import's own connection and only while it runs: a page
        cache of about 100 MB (SQLite's default is 2 MB; the indexes of 200,000 rows
        are written in no particular order), and a write-ahead log that grows to about
        80 MB before it is copied back into the database (each copy waits for the disk;
        at SQLite's default of 4 MB a large import would wait hundreds of times)."""
        if self.connection.vendor != "sqlite":
            yield
            return
        settings = {"cache_size": -100_000, "wal_autocheckpoint": 20_000}
        with self.connection.cursor() as cursor:
            before = {}
            for name, value in settings.items():
                cursor.execute(f"PRAGMA {name}")
                (before[name],) = cursor.fetchone()
                cursor.execute(f"PRAGMA {name} = {int(value)}")
        try:
            yield
        finally:
            with self.connection.cursor() as cursor:
                for name, value in before.items():
                    cursor.execute(f"PRAGMA {name} = {int(value)}")

    def _parsed(self, line: int, cells: dict | Exception) -> ParsedRow | None:
        if isinstance(cells, RowRejected):
            self.reject(line, str(cells))
            return None
        try:
            row = self.format.parse(line, cells)
        except RowRejected as exc:
            self.reject(line, str(exc))
            return None
        except RowSkipped:
            self.result.skipped += 1
            return None
        key = (row.scheme, row.value)
        if key in self.seen:
            self.reject(
                line, f"identifier {row.org_id} is also on line {self.seen[key]}: one line each"
            )
            return None
        self.seen[key] = line
        return row

    # Planning: decide each row's create or update before anything is written.

    def _select_in(self, sql: str, values, *, fetch: bool = True) -> list[tuple]:
        """Rows of `sql` (a constant query ending "IN ({})") for the values: the batch's
        lookups, without the ORM preparing each of up to 1,800 values per query. On
        PostgreSQL the values go as one array (`= ANY(%s)`), which it plans far better
        than a list of 1,800 parameters."""
        values = list(values)
        if not values:
            return []
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                cursor.execute(sql.replace("IN ({})", "= ANY(%s)"), [values])
            else:
                cursor.execute(sql.format(", ".join(["%s"] * len(values))), values)
            return cursor.fetchall() if fetch else []

    def _plan(self, batch: list[ParsedRow]) -> tuple[list[_Create], list[_Update]]:
        found = self._select_in(
            "SELECT scheme, value, organisation_id FROM organisations_identifier "
            "WHERE value IN ({})",
            {row.value for row in batch},
        )
        owner = {(scheme, value): pk for scheme, value, pk in found}
        compared = sorted({name for row in batch for name in row.values})
        stored = {
            values["pk"]: values
            for values in Organisation.objects.filter(pk__in=set(owner.values())).values(
                "pk", *compared
            )
        }
        creates, changes = [], []
        updating: dict[int, int] = {}
        for row in batch:
            pk = owner.get((row.scheme, row.value))
            if pk is None:
                fields = {"kind": Kind.OTHER, **row.new_only, **row.values}
                if not fields.get("sector"):
                    self.reject(row.line, "sector is needed to add a new organisation")
                    continue
                creates.append(_Create(row, fields))
                continue
            changed = [k for k, v in row.values.items() if stored[pk][k] != v]
            if not changed:
                self.result.unchanged += 1
                continue
            if pk in updating:
                self.reject(
                    row.line,
                    f"{stored[pk]['name']} is also updated on line {updating[pk]} "
                    "(by another of its identifiers): one line each",
                )
                continue
            updating[pk] = row.line
            changes.append((row, pk, changed))
        organisations = Organisation.objects.in_bulk([pk for _, pk, _ in changes])
        updates = []
        for row, pk, changed in changes:
            organisation = organisations[pk]
            for name in changed:
                setattr(organisation, name, row.values[name])
            organisation.updated_at = self.now
            updates.append(_Update(row, organisation, changed))
        self._assign_slugs(creates)
        # In slug order, so that each index is written in order within a batch.
        creates.sort(key=lambda c: c.fields["slug"])
        return creates, updates

    def _assign_slugs(self, creates: list[_Create]) -> None:
        """A slug from the name; if taken, the name and the identifier; if that is taken
        too (rare), with a number. One query for the batch's candidates."""
        candidates = {}
        for create in creates:
            base = slug_for(create.fields["name"])[:SLUG_BASE_LENGTH].strip("-") or "organisation"
            candidates[id(create)] = (base, f"{base}-{create.row.org_id.lower()}")
        wanted = {slug for pair in candidates.values() for slug in pair}
        taken = {
            slug
            for (slug,) in self._select_in(
                "SELECT slug FROM organisations_organisation WHERE slug IN ({})", wanted
            )
        }
        taken |= RESERVED_SLUGS
        for create in creates:
            base, with_identifier = candidates[id(create)]
            if base not in taken:
                slug = base
            elif with_identifier not in taken:
                slug = with_identifier
            else:
                number = 2
                slug = f"{with_identifier}-{number}"
                while slug in taken or Organisation.objects.filter(slug=slug).exists():
                    number += 1
                    slug = f"{with_identifier}-{number}"
            taken.add(slug)
            create.fields["slug"] = slug

    def _write_batch(self, batch: list[ParsedRow]) -> None:
        creates, updates = self._plan(batch)
        if not creates and not updates:
            return
        try:
            with transaction.atomic():
                self._bulk_create(creates)
                self._bulk_update(updates)
        except DatabaseError:
            for plan in [*creates, *updates]:
                self._write_one(plan)
            return
        self.result.created += len(creates)
        self.result.updated += len(updates)

    def _bulk_create(self, creates: list[_Create]) -> None:
        """The batch's new organisations, their identifiers, and the history of both."""
        if not creates:
            return
        sqlite = self.connection.vendor == "sqlite"
        trigger = self._fts_trigger_dropped() if sqlite else None
        self.tables["organisation"].insert([c.fields for c in creates])
        ids = dict(
            self._select_in(
                "SELECT slug, id FROM organisations_organisation WHERE slug IN ({})",
                [c.fields["slug"] for c in creates],
            )
        )
        if sqlite:
            self._select_in(
                f"INSERT INTO {FTS}(rowid, name) SELECT id, name "  # noqa: S608 (constants)
                "FROM organisations_organisation WHERE id IN ({})",
                ids.values(),
                fetch=False,
            )
            if trigger:
                with self.connection.cursor() as cursor:
                    cursor.execute(trigger)
        self.tables["organisation_history"].insert(
            [{**c.fields, "id": ids[c.fields["slug"]]} for c in creates]
        )
        self.tables["identifier"].insert(
            [
                {
                    "organisation_id": ids[c.fields["slug"]],
                    "scheme": c.row.scheme,
                    "value": c.row.value,
                }
                for c in creates
            ]
        )
        identifiers = self._select_in(
            "SELECT id, organisation_id, scheme, value FROM organisations_identifier "
            "WHERE organisation_id IN ({})",
            ids.values(),
        )
        self.tables["identifier_history"].insert(
            [
                {"id": pk, "organisation_id": organisation, "scheme": scheme, "value": value}
                for pk, organisation, scheme, value in identifiers
            ]
        )

    def _fts_trigger_dropped(self) -> str | None:
        """Drop the name index's insert trigger (SQLite), returning its SQL, or None
        when the database has none."""
        with self.connection.cursor() as cursor:
            cursor.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                [FTS_INSERT_TRIGGER],
            )
            found = cursor.fetchone()
            if found is None:
                return None
            cursor.execute(f"DROP TRIGGER {FTS_INSERT_TRIGGER}")
            return found[0]

    def _bulk_update(self, updates: list[_Update]) -> None:
        if not updates:
            return
        fields = sorted({name for u in updates for name in u.changed} | {"updated_at"})
        bulk_update_with_history(
            [u.organisation for u in updates],
            Organisation,
            fields,
            default_change_reason=self.reason,
            default_date=self.now,
        )

    def _write_one(self, plan: _Create | _Update) -> None:
        """One row in its own savepoint, with its history; a failure rejects the row."""
        try:
            with transaction.atomic():
                if isinstance(plan, _Create):
                    organisation = plan.organisation()
                    organisation._change_reason = self.reason
                    organisation.save()
                    identifier = Identifier(
                        organisation=organisation, scheme=plan.row.scheme, value=plan.row.value
                    )
                    identifier._change_reason = self.reason
                    identifier.save()
                else:
                    plan.organisation._change_reason = self.reason
                    plan.organisation.save(update_fields=[*plan.changed, "updated_at"])
        except DatabaseError as exc:
            self.reject(plan.row.line, f"could not be saved: {exc}")
            return
        if isinstance(plan, _Create):
            self.result.created += 1
        else:
            self.result.updated += 1


def organisations_import(
    *,
    path: Path,
    format: str = "generic",
    now: dt.datetime,
    dry_run: bool = False,
    on_reject: Callable[[int, str], None] | None = None,
) -> ImportResult:
    """Import the file; with `dry_run`, check and count everything and write nothing."""
    if format not in FORMATS:
        raise ImportFileError(f"unknown format {format!r}: one of {', '.join(FORMATS)}")
    importer = Importer(
        format=format, now=now, reason=f"Imported from {path.name}", on_reject=on_reject
    )
    if not dry_run:
        return importer.run(path)
    with transaction.atomic():
        result = importer.run(path)
        transaction.set_rollback(True)
    return result
