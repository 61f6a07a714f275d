"""Public pages of the compacts: anyone may read them, no account needed."""

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from .models import CompactVersion, Statement
from .presentation import (
    APPOINTMENT_LABEL,
    EXCEPTION_LABEL,
    STRICTNESS_HINT,
    describe_rule,
    params_text,
    words,
)
from .selectors import codes_with_counts, compacts_current, version_get

SECTOR_NAMES = {
    "public": "the public sector",
    "vcs": "the voluntary and community sector",
    "private": "the private sector",
}


@require_safe
def compact_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "compacts/list.html",
        {"compacts": compacts_current(), "page_title": "Compacts", "nav_section": "compacts"},
    )


def _base_context(version: CompactVersion, page_title: str) -> dict:
    return {
        "version": version,
        "compact": version.compact,
        "page_title": page_title,
        "nav_section": "compacts",
    }


@require_safe
def compact_detail(request: HttpRequest, slug: str) -> HttpResponse:
    version = version_get(slug=slug)
    statements = list(version.statements.filter(code__isnull=True).select_related("source"))
    definition = version.definition
    context = _base_context(version, version.name)
    context.update(
        principles=[s for s in statements if s.kind == Statement.Kind.PRINCIPLE],
        values=[s for s in statements if s.kind == Statement.Kind.VALUE],
        outcomes=[s for s in statements if s.kind == Statement.Kind.OUTCOME],
        codes=codes_with_counts(version),
        documents=version.documents.all(),
        versions=version.compact.versions.order_by("-number").only(
            "number", "loaded_at", "compact_id"
        ),
        signing=definition.get("signing"),
        bodies=[
            {
                **body,
                "seats": [
                    {**seat, "appointment_label": APPOINTMENT_LABEL[seat["appointment"]]}
                    for seat in body["seats"]
                ],
            }
            for body in definition.get("bodies", [])
        ],
        has_procedure="disagreement_procedure" in definition,
        parties=version.parties.all(),
    )
    return render(request, "compacts/detail.html", context)


@require_safe
def undertakings(request: HttpRequest, slug: str, code: str | None = None) -> HttpResponse:
    """Undertakings of the whole compact, or of one code, filterable by who gives them.

    `?by=sector:public` answers "what does the public sector undertake?" (joint
    undertakings included); `?by=party:<id>` shows one party's exactly.
    """
    version = version_get(slug=slug)
    parties = list(version.parties.all())
    code_obj = (
        get_object_or_404(version.codes.select_related("source"), slug=code) if code else None
    )

    rows = version.undertakings.select_related("party", "source", "code").order_by(
        "code__position", "party__position", "position"
    )
    if code_obj:
        rows = rows.filter(code=code_obj)

    by = request.GET.get("by", "")
    kind, _, value = by.partition(":")
    error = ""
    filter_label = ""
    if kind == "sector" and value in SECTOR_NAMES:
        rows = rows.filter(party__in=[p for p in parties if value in p.sectors])
        filter_label = f"given by {SECTOR_NAMES[value]}, alone or jointly"
    elif kind == "party" and value in {p.ident for p in parties}:
        party = next(p for p in parties if p.ident == value)
        rows = rows.filter(party=party)
        filter_label = f"given by {party.name}"
    elif by:
        error = "Choose who gives the undertakings from the list"

    sectors_present = [s for s in SECTOR_NAMES if any(s in p.sectors for p in parties)]
    context = _base_context(
        version,
        f"{code_obj.title} – {version.name}" if code_obj else f"Undertakings – {version.name}",
    )
    context.update(
        code=code_obj,
        undertakings=list(rows),
        parties=parties,
        sector_options=[(f"sector:{s}", SECTOR_NAMES[s].capitalize()) for s in sectors_present],
        selected=by if not error else "",
        filter_label=filter_label,
        error=error,
    )
    if code_obj:
        context.update(
            principles=code_obj.principles.select_related("source"),
            standards=_described(code_obj.standards.select_related("source"), version),
        )
    return render(request, "compacts/undertakings.html", context, status=400 if error else 200)


def _described(standards, version: CompactVersion) -> list:
    body_names = {body["id"]: body["name"] for body in version.definition.get("bodies", [])}
    described = []
    for standard in standards:
        standard.rule_text = describe_rule(standard.rule_kind, standard.params, body_names)
        standard.params_text = params_text(standard.params)
        standard.strictness_hint = STRICTNESS_HINT[standard.strictness]
        standard.exception_label = EXCEPTION_LABEL.get(standard.exception_kind, "")
        standard.owed_by_text = _owed_text(standard.owed_by, version)
        standard.owed_to_text = _owed_text(standard.owed_to, version)
        described.append(standard)
    return described


def _owed_text(value: str, version: CompactVersion) -> str:
    parties = version.definition["parties"]
    for party in parties:
        if party["id"] == value:
            return party["name"]
    prefix, _, ident = value.partition(":")
    if prefix == "role":
        roles = version.definition.get("disagreement_procedure", {}).get("roles", [])
        return next((r["title"] for r in roles if r["id"] == ident), words(ident))
    if prefix == "body":
        bodies = version.definition.get("bodies", [])
        return next((b["name"] for b in bodies if b["id"] == ident), words(ident))
    return words(value).capitalize()


@require_safe
def standards(request: HttpRequest, slug: str) -> HttpResponse:
    version = version_get(slug=slug)
    codes = list(version.codes.all())
    rows = version.standards.select_related("source", "code").order_by("position")
    selected = request.GET.get("code", "")
    error = ""
    if selected and selected not in {c.slug for c in codes}:
        error = "Choose a code of practice from the list"
        selected = ""
    elif selected:
        rows = rows.filter(code__slug=selected)
    context = _base_context(version, f"Standards – {version.name}")
    context.update(
        standards=_described(rows, version),
        codes=codes,
        selected=selected,
        error=error,
    )
    return render(request, "compacts/standards.html", context, status=400 if error else 200)


@require_safe
def glossary(request: HttpRequest, slug: str) -> HttpResponse:
    version = version_get(slug=slug)
    query = request.GET.get("q", "").strip()[:100]
    terms = version.glossary.select_related("source")
    if query:
        terms = terms.filter(Q(term__icontains=query) | Q(definition__icontains=query))
    context = _base_context(version, f"Glossary – {version.name}")
    context.update(terms=list(terms), query=query)
    return render(request, "compacts/glossary.html", context)


@require_safe
def procedure(request: HttpRequest, slug: str) -> HttpResponse:
    version = version_get(slug=slug)
    definition = version.definition.get("disagreement_procedure")
    context = _base_context(version, f"Disagreements – {version.name}")
    if definition:
        standards = {
            s.ident: s
            for s in _described(version.standards.select_related("source", "code"), version)
        }
        states = {state["id"]: state for state in definition["states"]}
        roles = {role["id"]: role["title"] for role in definition["roles"]}
        stages = [{**stage, "moves": []} for stage in definition["stages"]]
        by_id = {stage["id"]: stage for stage in stages}
        for move in definition["moves"]:
            by_id[states[move["to"]]["stage"]]["moves"].append(
                {
                    **move,
                    "actor_titles": [roles.get(a, words(a)) for a in move["actors"]],
                    "limit": standards.get(move.get("standard", "")),
                }
            )
        context.update(
            procedure=definition,
            stages=[stage for stage in stages if stage["moves"]],
        )
    context["advice"] = version.definition.get("advice", [])
    return render(request, "compacts/procedure.html", context)


@require_safe
def version_detail(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    version = version_get(slug=slug, number=number)
    context = _base_context(version, f"Version {number} – {version.name}")
    context.update(
        standards=_described(
            version.standards.select_related("source", "code").order_by("position"), version
        ),
        codes=codes_with_counts(version),
        versions=version.compact.versions.order_by("-number").only(
            "number", "loaded_at", "compact_id"
        ),
    )
    return render(request, "compacts/version.html", context)
