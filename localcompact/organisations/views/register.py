"""The public register: the list, its downloads, each organisation's page; and, for the
compact support team, each organisation's history.

Who may see what: anyone, signed in or not, sees the register, the downloads and the
organisation pages (what an organisation's pledge says is public; no members, no
signatories' names). Only the support team of a compact (or staff) sees an
organisation's history, which names the people who changed it.
"""

import csv
import datetime as dt
import json
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from localcompact.accounts.display import person_name
from localcompact.compacts.models import Compact, CompactVersion
from localcompact.core.refusals import forbidden

from ..models import Identifier, Kind, Organisation, Sector, Signature
from ..register import (
    DOWNLOAD_FIELDS,
    FLAGS,
    JSON_EXTRA_FIELDS,
    LICENCE,
    PAGE_SIZE,
    STATUSES,
    CompactPledges,
    RegisterFilterForm,
    RegisterQuery,
    compacts_for_register,
    csv_cells,
    pledges_by_compact,
    register_organisations,
    rows_streamed,
    with_pledges,
)

# --- The register ----------------------------------------------------------------------


@dataclass
class RegisterRow:
    organisation: Organisation
    identifiers: list[Identifier]
    compacts: list[CompactPledges]


def _query_string(request: HttpRequest, **changes) -> str:
    """The current query string without the page number, with some values changed."""
    query = request.GET.copy()
    query.pop("page", None)
    for key, value in changes.items():
        query[key] = str(value)
    encoded = query.urlencode()
    return "?" + encoded if encoded else "?"


def _page_links(request: HttpRequest, page: Page) -> list[dict]:
    """GOV.UK pagination items: the first, the last, and the pages either side of this
    one, with an ellipsis for each gap."""
    last = page.paginator.num_pages
    near = {1, last, page.number - 1, page.number, page.number + 1}
    wanted = sorted(n for n in near if 1 <= n <= last)
    items, previous = [], 0
    for number in wanted:
        if number - previous > 1:
            items.append({"ellipsis": True})
        items.append(
            {
                "number": number,
                "url": _query_string(request, page=number),
                "current": number == page.number,
            }
        )
        previous = number
    return items


def _describe(query: RegisterQuery) -> str:
    """What the results are, in words, for the heading under the search."""
    parts = []
    if query.status:
        parts.append(STATUSES[query.status].lower())
    if query.sector:
        parts.append(f"in the {Sector(query.sector).label.lower()}")
    if query.kind:
        parts.append(f"of the kind ‘{Kind(query.kind).label}’")
    if query.flags:
        parts.append("; ".join(FLAGS[f].lower() for f in query.flags))
    if query.q:
        parts.append(f"matching ‘{query.q}’")
    return ", ".join(parts)


@require_safe
def register(request: HttpRequest) -> HttpResponse:
    """Every organisation, or those the filters choose: 50 a page."""
    form = RegisterFilterForm(request.GET, compacts=compacts_for_register())
    valid = form.is_valid()
    query = form.chosen
    page = Paginator(register_organisations(query), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        RegisterRow(
            organisation=organisation,
            identifiers=list(organisation.identifiers.all()),
            compacts=pledges_by_compact(organisation),
        )
        for organisation in page.object_list
    ]
    title = "Register of signatories" if query.compact else "Register of organisations"
    context = {
        "form": form,
        "valid": valid,
        "query": query,
        "rows": rows,
        "page": page,
        "page_links": _page_links(request, page),
        "previous_url": _query_string(request, page=page.number - 1) if page.has_previous() else "",
        "next_url": _query_string(request, page=page.number + 1) if page.has_next() else "",
        "download_query": _query_string(request),
        "count_text": f"{page.paginator.count:,}",
        "start_text": f"{page.start_index():,}",
        "end_text": f"{page.end_index():,}",
        "description": _describe(query),
        "title": title,
        "page_title": ("Error: " if not valid else "")
        + title
        + (f" – {query.compact.name}" if query.compact else ""),
        "nav_section": "register",
    }
    return render(
        request, "organisations/register/list.html", context, status=200 if valid else 400
    )


# --- Downloads -------------------------------------------------------------------------


class _Echo:
    """A file-like object whose write returns what it is given, for csv.writer."""

    def write(self, value: str) -> str:
        return value


def _download_filename(query: RegisterQuery, extension: str) -> str:
    """A file name made only of our own slugs and choice values: nothing the user typed."""
    parts = ["register"]
    if query.compact:
        parts.append(query.compact.slug)
    if query.status:
        parts.append(query.status)
    parts.append(timezone.localdate().isoformat())
    return "-".join(parts) + "." + extension


def _download_query(request: HttpRequest) -> tuple[RegisterQuery | None, dict]:
    form = RegisterFilterForm(request.GET, compacts=compacts_for_register())
    if not form.is_valid():
        return None, {name: errors[0] for name, errors in form.errors.items()}
    return form.chosen, {}


def _organisation_url(request: HttpRequest):
    """Links in the downloads are on SITE_URL, not on the request's Host header."""
    base = settings.SITE_URL.rstrip("/")
    return lambda organisation: base + organisation.get_absolute_url()


@require_safe
def register_csv(request: HttpRequest) -> HttpResponse:
    """The register as CSV, one row per organisation, with the page's filters."""
    query, errors = _download_query(request)
    if query is None:
        text = "".join(f"{name}: {message}\n" for name, message in errors.items())
        return HttpResponse(text, status=400, content_type="text/plain; charset=utf-8")
    writer = csv.writer(_Echo())
    rows = rows_streamed(register_organisations(query), url_for=_organisation_url(request))

    def lines():
        yield writer.writerow(list(DOWNLOAD_FIELDS))
        for row in rows:
            yield writer.writerow(csv_cells(row))

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_download_filename(query, "csv")}"'
    return response


@require_safe
def register_json(request: HttpRequest) -> HttpResponse:
    """The register as JSON: its licence, what each field means, and the organisations."""
    query, errors = _download_query(request)
    if query is None:
        return HttpResponse(
            json.dumps({"errors": errors}),
            status=400,
            content_type="application/json",
        )
    rows = rows_streamed(register_organisations(query), url_for=_organisation_url(request))
    fields = {**DOWNLOAD_FIELDS, **JSON_EXTRA_FIELDS}

    def chunks():
        yield (
            '{"licence": ' + json.dumps(LICENCE) + ', "fields": ' + json.dumps(fields)
        ) + ', "organisations": ['
        separator = "\n"
        for row in rows:
            yield separator + json.dumps(row, ensure_ascii=False)
            separator = ",\n"
        yield "\n]}\n"

    response = StreamingHttpResponse(chunks(), content_type="application/json")
    response["Content-Disposition"] = f'attachment; filename="{_download_filename(query, "json")}"'
    return response


# --- An organisation's page ------------------------------------------------------------


@require_safe
def detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(with_pledges(Organisation.objects.all()), slug=slug)
    context = {
        "organisation": organisation,
        "identifiers": list(organisation.identifiers.all()),
        "compacts": pledges_by_compact(organisation),
        "flags": [label for name, label in FLAGS.items() if getattr(organisation, name)],
        # Only web addresses become links (a URLField also accepts ftp://).
        "website_is_link": organisation.website.startswith(("https://", "http://")),
        "can_see_history": request.user.has_perm("organisations.support"),
        "page_title": organisation.name,
        "nav_section": "register",
    }
    return render(request, "organisations/detail.html", context)


# --- History (the support team) --------------------------------------------------------

HIDDEN_FIELDS = {"id", "created_at", "updated_at", "recorded_at", "organisation"}


@dataclass
class Change:
    field: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    order: int
    what: str
    who: str
    reason: str
    created: bool
    changes: list[Change] = field(default_factory=list)


class _Shown:
    """Values of history records as people read them."""

    def __init__(self, users: dict, compacts: dict, versions: dict):
        self.users = users
        self.compacts = compacts
        self.versions = versions

    def __call__(self, model_field, value) -> str:
        if value is None or value == "":
            return "(empty)"
        if isinstance(value, bool):
            return "Yes" if value else "No"
        if model_field.choices:
            return str(dict(model_field.flatchoices).get(value, value))
        if model_field.name == "compact":
            return self.compacts.get(value, f"compact {value}")
        if model_field.name == "version":
            return f"version {self.versions.get(value, '?')}"
        if model_field.is_relation:
            user = self.users.get(value)
            return user.get_username() if user else f"user {value}"
        if isinstance(value, dt.datetime):
            value = timezone.localtime(value)
            return f"{value.day} {value:%B %Y %H:%M}"
        if isinstance(value, dt.date):
            return f"{value.day} {value:%B %Y}"
        return str(value)


def _what(record, compacts: dict) -> str:
    verb = {"+": "added", "~": "changed", "-": "deleted"}[record.history_type]
    model = record.instance_type
    if model is Organisation:
        return {"+": "Organisation created", "~": "Organisation changed", "-": "Deleted"}[
            record.history_type
        ]
    if model is Identifier:
        return f"Identifier {record.scheme}-{record.value} {verb}"
    compact = compacts.get(record.compact_id, "a compact")
    if record.history_type == "+":
        return f"Signature of {compact} recorded"
    return f"Signature of {compact} {verb}"


def history_entries(organisation: Organisation) -> list[HistoryEntry]:
    """The history records of the organisation, its identifiers and its signatures,
    newest first, each with what changed from the record before it (`diff_against`).

    Six queries whatever the length of the history: the three histories, the users
    they name, the compacts and their versions.
    """
    histories = [
        Organisation.history.filter(id=organisation.pk),
        Identifier.history.filter(organisation_id=organisation.pk),
        Signature.history.filter(organisation_id=organisation.pk),
    ]
    records = [
        list(h.select_related("history_user").order_by("history_date", "history_id"))
        for h in histories
    ]
    user_ids = {
        getattr(record, name)
        for group in records
        for record in group
        for name in ("verified_by_id", "recorded_by_id", "withdrawal_recorded_by_id")
        if getattr(record, name, None)
    }
    users = get_user_model().objects.in_bulk(user_ids) if user_ids else {}
    compacts = dict(Compact.objects.values_list("pk", "name"))
    versions = dict(CompactVersion.objects.values_list("pk", "number"))
    shown = _Shown(users, compacts, versions)

    entries = []
    for group in records:
        previous_of: dict[int, object] = {}
        for record in group:
            previous = previous_of.get(record.id)
            previous_of[record.id] = record
            entry = HistoryEntry(
                when=record.history_date,
                order=record.history_id,
                what=_what(record, compacts),
                who=(
                    person_name(record.history_user)
                    if record.history_user
                    else "No one signed in (an import or a command)"
                ),
                reason=record.history_change_reason or "",
                created=record.history_type == "+",
            )
            model_fields = {
                f.name: f for f in record.instance_type._meta.fields if f.name not in HIDDEN_FIELDS
            }
            if previous is not None and record.history_type == "~":
                delta = record.diff_against(previous, excluded_fields=HIDDEN_FIELDS)
                entry.changes = [
                    Change(
                        field=str(model_fields[c.field].verbose_name).capitalize(),
                        old=shown(model_fields[c.field], c.old),
                        new=shown(model_fields[c.field], c.new),
                    )
                    for c in delta.changes
                    if c.field in model_fields
                ]
            elif record.history_type == "+" and record.instance_type is not Identifier:
                for model_field in model_fields.values():
                    value = getattr(record, model_field.attname)
                    if value not in (None, "", False):
                        entry.changes.append(
                            Change(
                                field=str(model_field.verbose_name).capitalize(),
                                old="",
                                new=shown(model_field, value),
                            )
                        )
            entries.append(entry)
    entries.sort(key=lambda e: (e.when, e.order), reverse=True)
    return entries


@login_required
@require_safe
def history(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("organisations.support"):
        return forbidden(
            request,
            title=f"You cannot see {organisation.name}'s history",
            reason="Only a compact's support team can see the history of changes to "
            f"{organisation.name}, because it names the people who made them.",
            section="register",
            way_on=(organisation, f"See {organisation.name}'s public page"),
        )
    context = {
        "organisation": organisation,
        "entries": history_entries(organisation),
        "page_title": f"History – {organisation.name}",
        "nav_section": "register",
    }
    return render(request, "organisations/history.html", context)
