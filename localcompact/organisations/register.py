"""The register: which organisations a query string selects, and how each is shown.

The register page and its CSV and JSON downloads read the same filters
(`RegisterFilterForm`) and the same queryset (`register_organisations`), so a download
holds exactly what the page lists.

Name search matches the start of any word of the name, case-insensitively, through a
full-text index (see migration 0003): SQLite's FTS5, PostgreSQL's GIN index on
`to_tsvector('simple', name)`. An identifier is matched exactly on its indexed columns:
"GB-CHC-1234567" by scheme and value, a bare "1234567" by value (and as a name word).
Every query is fixed in number whatever the register's size.
"""

import datetime as dt
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from django import forms
from django.db.models import (
    BooleanField,
    Exists,
    F,
    Func,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
)
from django.db.models.functions import Lower

from localcompact.compacts.models import Compact
from localcompact.core.forms import (
    GovukCheckboxes,
    GovukForm,
    GovukSelect,
    GovukTextInput,
)
from localcompact.rulebook import long_date

from .models import (
    Identifier,
    IncomeBand,
    Kind,
    Organisation,
    Scheme,
    Sector,
    Signature,
    normalise_identifier,
)

PAGE_SIZE = 50
SEARCH_MAX_LENGTH = 100
SEARCH_MAX_WORDS = 8

STATUSES = {
    "signed": "Signed (not withdrawn)",
    "withdrawn": "Withdrew and has not signed again",
    "never": "Never signed",
}
SORTS = {"name": "Name (A to Z)", "recent": "Recently signed"}
FLAGS = {
    "bme_led": "Led by and for black and minority ethnic communities",
    "equality_and_diversity": "An equality and diversity organisation",
    "receives_public_funding": "Receives public funding",
}

# The register is published as open data; the Charity Commission's own register extract,
# which most identifiers come from, is under the same licence.
LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}


# --- Filters ---------------------------------------------------------------------------


class RegisterFilterForm(GovukForm):
    """The register's query string. Every field is optional; a bad value is an error."""

    q = forms.CharField(
        label="Name or identifier",
        required=False,
        max_length=SEARCH_MAX_LENGTH,
        help_text="The start of any word of the name, or an identifier such as "
        "GB-CHC-1234567 or 1234567",
        widget=GovukTextInput(attrs={"type": "search", "spellcheck": "false"}),
        error_messages={
            "max_length": f"Search must be {SEARCH_MAX_LENGTH} characters or fewer",
        },
    )
    status = forms.ChoiceField(
        label="Pledge",
        required=False,
        choices=[("", "Any"), *STATUSES.items()],
        widget=GovukSelect(),
        error_messages={"invalid_choice": "Choose a pledge status from the list"},
    )
    sector = forms.ChoiceField(
        label="Sector",
        required=False,
        choices=[("", "Any sector"), *Sector.choices],
        widget=GovukSelect(),
        error_messages={"invalid_choice": "Choose a sector from the list"},
    )
    kind = forms.ChoiceField(
        label="Kind of organisation",
        required=False,
        choices=[("", "Any kind"), *Kind.choices],
        widget=GovukSelect(),
        error_messages={"invalid_choice": "Choose a kind of organisation from the list"},
    )
    flags = forms.MultipleChoiceField(
        label="Only organisations that are",
        required=False,
        choices=list(FLAGS.items()),
        widget=GovukCheckboxes(),
        error_messages={"invalid_choice": "Choose from the list of descriptions"},
    )
    sort = forms.ChoiceField(
        label="Sort by",
        required=False,
        choices=list(SORTS.items()),
        widget=GovukSelect(),
        error_messages={"invalid_choice": "Choose how to sort from the list"},
    )

    field_order = ["q", "compact", "status", "sector", "kind", "flags", "sort"]

    def __init__(self, *args, compacts: Iterable[Compact], **kwargs):
        super().__init__(*args, **kwargs)
        self.compacts = {c.slug: c for c in compacts}
        self.fields["compact"] = forms.ChoiceField(
            label="Compact",
            required=False,
            choices=[("", "All compacts"), *((c.slug, c.name) for c in self.compacts.values())],
            widget=GovukSelect(),
            error_messages={"invalid_choice": "Choose a compact from the list"},
        )
        self.order_fields(self.field_order)

    @property
    def chosen(self) -> "RegisterQuery":
        """The valid choices; an invalid one is left out (the page says so)."""
        data = getattr(self, "cleaned_data", {})
        return RegisterQuery(
            q=data.get("q", "").strip(),
            compact=self.compacts.get(data.get("compact") or ""),
            status=data.get("status", ""),
            sector=data.get("sector", ""),
            kind=data.get("kind", ""),
            flags=tuple(data.get("flags") or ()),
            sort=data.get("sort") or "name",
        )


@dataclass(frozen=True)
class RegisterQuery:
    q: str = ""
    compact: Compact | None = None
    status: str = ""
    sector: str = ""
    kind: str = ""
    flags: tuple[str, ...] = ()
    sort: str = "name"

    @property
    def filtered(self) -> bool:
        return bool(self.q or self.compact or self.status or self.sector or self.kind or self.flags)


def compacts_for_register() -> list[Compact]:
    return list(
        Compact.objects.filter(current_version__isnull=False).only("slug", "name").order_by("name")
    )


# --- Search ----------------------------------------------------------------------------

WORD = re.compile(r"[^\W_]+")
BARE_IDENTIFIER = re.compile(r"[0-9A-Z]*[0-9][0-9A-Z]*(-[0-9]+)?")


def search_words(q: str) -> list[str]:
    """The words of a name search, lower-cased, as the full-text index splits them."""
    return WORD.findall(q.lower())[:SEARCH_MAX_WORDS]


def identifier_searched(q: str) -> tuple[str | None, str] | None:
    """(scheme, value) for an org-id ('GB-CHC-1234567'), (None, value) for what looks
    like a bare identifier ('1234567', 'SC012345'), None for anything else."""
    text = normalise_identifier(q)
    for scheme in Scheme.values:  # each with its dash, so none is read as another's start
        if text.startswith(scheme + "-") and len(text) > len(scheme) + 1:
            return scheme, text[len(scheme) + 1 :]
    if len(q.split()) == 1 and BARE_IDENTIFIER.fullmatch(text):
        return None, text
    return None


class NameMatches(Func):
    """True when every search word starts a word of the organisation's name.

    Compiled per database to use that database's full-text index (migration 0003).
    """

    output_field = BooleanField()
    FTS = "organisations_organisation_name_fts"

    def __init__(self, words: list[str]):
        super().__init__(F("pk"), F("name"))
        self.words = words

    def as_sqlite(self, compiler, connection, **extra):
        pk_sql, pk_params = compiler.compile(self.source_expressions[0])
        match = " ".join(f'"{word}"*' for word in self.words)
        # The table name is a constant; the user's words are a parameter.
        sql = f"{pk_sql} IN (SELECT rowid FROM {self.FTS} WHERE {self.FTS} MATCH %s)"  # noqa: S608
        return sql, (*pk_params, match)

    def as_postgresql(self, compiler, connection, **extra):
        name_sql, name_params = compiler.compile(self.source_expressions[1])
        query = " & ".join(f"'{word}':*" for word in self.words)
        sql = f"to_tsvector('simple'::regconfig, {name_sql}) @@ to_tsquery('simple'::regconfig, %s)"
        return sql, (*name_params, query)

    def as_sql(self, compiler, connection, **extra):
        # Other databases: no index, but the same meaning (word starts, any case).
        name_sql, name_params = compiler.compile(self.source_expressions[1])
        clauses, params = [], []
        for word in self.words:
            clauses.append(f"(LOWER({name_sql}) LIKE %s OR LOWER({name_sql}) LIKE %s)")
            params += [*name_params, f"{word}%", *name_params, f"% {word}%"]
        return "(" + " AND ".join(clauses) + ")", tuple(params)


def search_filter(q: str) -> Q:
    """What a search selects: the name, an identifier, or (for a bare number) either."""
    words = search_words(q)
    name = Q(NameMatches(words)) if words else Q(pk__in=[])
    found = identifier_searched(q)
    if found is None:
        return name
    scheme, value = found
    identifiers = Identifier.objects.filter(value=value)
    if scheme is not None:
        return Q(pk__in=identifiers.filter(scheme=scheme).values("organisation_id"))
    return name | Q(pk__in=identifiers.values("organisation_id"))


# --- The queryset ----------------------------------------------------------------------


def _signers(query: RegisterQuery, **conditions) -> QuerySet:
    """The ids of organisations with a signature (of the chosen compact) that meets the
    conditions: a subquery run once, not once per organisation."""
    signatures = Signature.objects.filter(**conditions)
    if query.compact is not None:
        signatures = signatures.filter(compact=query.compact)
    return signatures.values("organisation_id")


def status_filter(query: RegisterQuery) -> Q:
    """Pledge status, of the chosen compact or of any compact.

    signed: a signature that stands. withdrawn: withdrew from a compact and has not
    signed it again (across compacts: from at least one compact). never: no signature.
    With a compact and no status, everyone who has ever signed it.
    """
    current = _signers(query, withdrawn_on__isnull=True)
    if query.status == "signed":
        return Q(pk__in=current)
    if query.status == "withdrawn":
        if query.compact is None:
            signed_again = Signature.objects.filter(
                organisation=OuterRef("organisation"),
                compact=OuterRef("compact"),
                withdrawn_on__isnull=True,
            )
            left = Signature.objects.filter(withdrawn_on__isnull=False).filter(
                ~Exists(signed_again)
            )
            return Q(pk__in=left.values("organisation_id"))
        return Q(pk__in=_signers(query, withdrawn_on__isnull=False)) & ~Q(pk__in=current)
    if query.status == "never":
        return ~Q(pk__in=_signers(query))
    if query.compact is not None:
        return Q(pk__in=_signers(query))
    return Q()


def register_organisations(query: RegisterQuery) -> "QuerySet[Organisation] | RecentlySigned":
    """The organisations the query selects, sorted, with what each row shows prefetched.

    Either a queryset (sorted by name) or a `RecentlySigned`: both can be counted,
    sliced (for the Paginator) and read in chunks (`.iterator(chunk_size=...)`).
    """
    organisations = Organisation.objects.filter(status_filter(query))
    if query.q:
        organisations = organisations.filter(search_filter(query.q))
    if query.sector:
        organisations = organisations.filter(sector=query.sector)
    if query.kind:
        organisations = organisations.filter(kind=query.kind)
    for flag in query.flags:
        organisations = organisations.filter(**{flag: True})
    if query.sort == "recent":
        return RecentlySigned(organisations, query)
    if query.q:
        # By an expression no index holds, so that the database finds the matches
        # through the search index and sorts just those. Ordered by the indexed name,
        # PostgreSQL would walk the name index from A, testing each name, and names that
        # match a word tend to sort together, far along (measured: 180 ms, not 2 ms).
        return with_pledges(organisations.order_by(Lower("name"), "pk"))
    return with_pledges(organisations.order_by("name", "pk"))


class RecentlySigned:
    """The organisations sorted by their latest signature (of the chosen compact), newest
    first, then those with none, by name.

    Two parts, so that no query computes a latest signature for every organisation (the
    register may hold 200,000, a few hundred of them signatories): those who signed,
    ordered by their signatures grouped per organisation, then everyone else, ordered by
    name. A page is cut across the two by their counts. Queries, whatever the page: the
    two counts, one slice of each part, and the page's organisations with their
    identifiers and signatures.
    """

    ordered = True  # for the Paginator

    def __init__(self, organisations: QuerySet[Organisation], query: RegisterQuery):
        signatures = Signature.objects.all()
        if organisations.query.has_filters():
            # (left out when there is no filter: SQLite would list every organisation)
            signatures = signatures.filter(organisation__in=organisations)
        if query.compact is not None:
            signatures = signatures.filter(compact=query.compact)
        self.everyone = organisations
        self.signed = (
            signatures.values("organisation_id")
            .annotate(latest=Max("signed_on"), name=Min("organisation__name"))
            .order_by("-latest", "name", "organisation_id")
        )
        self.others = organisations.exclude(pk__in=signatures.values("organisation_id")).order_by(
            "name", "pk"
        )

    def count(self) -> int:
        return self.everyone.count()

    @cached_property
    def signed_count(self) -> int:
        return self.signed.count()

    def __getitem__(self, page: slice) -> list[Organisation]:
        start, stop = page.start or 0, page.stop
        signed = self.signed_count
        # Always one query for each part, however little of the page it fills.
        ids = [row["organisation_id"] for row in self.signed[start : max(stop, start + 1)]]
        ids = ids[: max(0, stop - start)]
        rest_start, rest_stop = max(0, start - signed), max(0, stop - signed)
        rest = self.others.values_list("pk", flat=True)[
            rest_start : rest_start + max(1, rest_stop - rest_start)
        ]
        ids += list(rest)[: rest_stop - rest_start]
        found = with_pledges(Organisation.objects.filter(pk__in=ids)).in_bulk()
        return [found[pk] for pk in ids]

    def iterator(self, chunk_size: int) -> Iterator[Organisation]:
        ids = [row["organisation_id"] for row in self.signed]
        for at in range(0, len(ids), chunk_size):
            chunk = ids[at : at + chunk_size]
            found = with_pledges(Organisation.objects.filter(pk__in=chunk)).in_bulk()
            yield from (found[pk] for pk in chunk)
        yield from with_pledges(self.others).iterator(chunk_size=chunk_size)


def with_pledges(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    """Each organisation's identifiers and signatures (with their compacts), prefetched:
    two queries for any number of organisations."""
    return organisations.prefetch_related(
        Prefetch("identifiers", queryset=Identifier.objects.order_by("scheme", "value")),
        Prefetch(
            "signatures",
            queryset=Signature.objects.select_related("compact").order_by(
                "compact__name", "compact_id", "signed_on", "pk"
            ),
        ),
    )


# --- How an organisation's pledges are told --------------------------------------------


@dataclass
class Pledge:
    """One signature, as the register tells it."""

    compact: Compact
    signed_on: dt.date
    signed_again: bool
    method: str
    signatory_position: str
    withdrawn_on: dt.date | None
    withdrawal_reason: str

    @property
    def standing(self) -> bool:
        return self.withdrawn_on is None

    @property
    def told(self) -> str:
        """'signed on 1 June 2023, withdrew on 1 September 2023', or 'signed again ...'."""
        text = f"{'signed again' if self.signed_again else 'signed'} on {long_date(self.signed_on)}"
        if self.withdrawn_on:
            text += f", withdrew on {long_date(self.withdrawn_on)}"
        return text


@dataclass
class CompactPledges:
    compact: Compact
    pledges: list[Pledge] = field(default_factory=list)

    @property
    def standing(self) -> bool:
        return bool(self.pledges) and self.pledges[-1].standing

    @property
    def told(self) -> str:
        return "; ".join(pledge.told for pledge in self.pledges)


def pledges_by_compact(organisation: Organisation) -> list[CompactPledges]:
    """The organisation's signatures grouped by compact, oldest first within each.

    Reads the prefetched signatures (see `register_organisations`), so no query.
    """
    groups: dict[int, CompactPledges] = {}
    for signature in organisation.signatures.all():
        group = groups.setdefault(signature.compact_id, CompactPledges(signature.compact))
        group.pledges.append(
            Pledge(
                compact=signature.compact,
                signed_on=signature.signed_on,
                signed_again=bool(group.pledges),
                method=signature.method,
                signatory_position=signature.signatory_position,
                withdrawn_on=signature.withdrawn_on,
                withdrawal_reason=signature.withdrawal_reason,
            )
        )
    for group in groups.values():
        group.pledges.sort(key=lambda p: p.signed_on)
        for number, pledge in enumerate(group.pledges):
            pledge.signed_again = number > 0
    return list(groups.values())


# --- Downloads -------------------------------------------------------------------------

DOWNLOAD_FIELDS = {
    "name": "The organisation's name",
    "url": "Its page on this register",
    "identifiers": "Its identifiers in org-id.guide form (e.g. GB-CHC-1234567); in the CSV, "
    "joined with ';'",
    "sector": "One of: " + ", ".join(f"{v} ({label})" for v, label in Sector.choices),
    "kind": "One of: " + ", ".join(f"{v} ({label})" for v, label in Kind.choices),
    "unconstituted": "An unconstituted community group, registered with its name and area and "
    "no identifier (true or false)",
    "bme_led": FLAGS["bme_led"] + " (true or false)",
    "equality_and_diversity": FLAGS["equality_and_diversity"] + " (true or false)",
    "receives_public_funding": FLAGS["receives_public_funding"] + " (true or false)",
    "area_served": "The area it says it serves",
    "website": "Its website",
    "income_band": "Yearly income: one of "
    + ", ".join(f"{v} ({label})" for v, label in IncomeBand.choices if v)
    + ", or empty when not stated",
    "compacts_signed": "The compacts whose pledge it has signed and not withdrawn, each as "
    "slug:date signed (ISO 8601); in the CSV, joined with ';'",
    "withdrawn": "The compacts it withdrew from and has not signed again, each as "
    "slug:date withdrawn; in the CSV, joined with ';'",
    "signatory_positions": "For each standing signature, the position of the person who "
    "signed it for the organisation, as slug:position; in the CSV, joined with ';'. "
    "Signatories' names are not published",
}
JSON_EXTRA_FIELDS = {
    "signatures": "Every signature, withdrawn ones too: compact (slug), signed_on, method "
    "(online or paper), signatory_position, withdrawn_on and withdrawal_reason",
}
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _flag(value: bool) -> str:
    return "true" if value else "false"


def download_row(organisation: Organisation, *, url: str) -> dict:
    """One organisation, as the downloads list it (lists still lists; see `csv_cells`)."""
    groups = pledges_by_compact(organisation)
    standing = [g.pledges[-1] for g in groups if g.standing]
    withdrawn = [g.pledges[-1] for g in groups if not g.standing]
    return {
        "name": organisation.name,
        "url": url,
        "identifiers": [i.org_id for i in organisation.identifiers.all()],
        "sector": organisation.sector,
        "kind": organisation.kind,
        "unconstituted": organisation.unconstituted,
        "bme_led": organisation.bme_led,
        "equality_and_diversity": organisation.equality_and_diversity,
        "receives_public_funding": organisation.receives_public_funding,
        "area_served": organisation.area_served,
        "website": organisation.website,
        "income_band": organisation.income_band,
        "compacts_signed": [f"{p.compact.slug}:{p.signed_on.isoformat()}" for p in standing],
        "withdrawn": [f"{p.compact.slug}:{p.withdrawn_on.isoformat()}" for p in withdrawn],
        "signatory_positions": [
            f"{p.compact.slug}:{p.signatory_position}" for p in standing if p.signatory_position
        ],
        "signatures": [
            {
                "compact": p.compact.slug,
                "signed_on": p.signed_on.isoformat(),
                "method": p.method,
                "signatory_position": p.signatory_position,
                "withdrawn_on": p.withdrawn_on.isoformat() if p.withdrawn_on else None,
                "withdrawal_reason": p.withdrawal_reason,
            }
            for g in groups
            for p in g.pledges
        ],
    }


def csv_safe(value: str) -> str:
    """A cell a spreadsheet will not run as a formula: one starting with = + - @ or a
    tab or carriage return gets an apostrophe in front (OWASP's advice)."""
    if value.startswith(CSV_FORMULA_STARTS):
        return "'" + value
    return value


def csv_cells(row: dict) -> list[str]:
    cells = []
    for name in DOWNLOAD_FIELDS:
        value = row[name]
        if isinstance(value, bool):
            text = _flag(value)
        elif isinstance(value, list):
            text = ";".join(item.replace(";", ",") for item in value)
        else:
            text = str(value)
        cells.append(csv_safe(text))
    return cells


def rows_streamed(
    organisations: "QuerySet[Organisation] | RecentlySigned", *, url_for, chunk_size: int = 1000
) -> Iterator[dict]:
    """Download rows, read in chunks (each chunk's identifiers and signatures in one query
    each), so memory stays flat however large the register is."""
    for organisation in organisations.iterator(chunk_size=chunk_size):
        yield download_row(organisation, url=url_for(organisation))
