"""Writes for compacts: loading definitions as versions."""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from .loader import Definition, DefinitionError, read_definition
from .models import (
    Code,
    Compact,
    CompactVersion,
    GlossaryTerm,
    Party,
    SourceDocument,
    Standard,
    Statement,
    Undertaking,
)


@dataclass(frozen=True)
class LoadResult:
    file: str
    slug: str = ""
    version: int = 0
    # "new", "unchanged", "new version", "reinstated", "kept" (stored, but the version
    # adopted on the platform stays current), or "refused"
    outcome: str = ""
    error: DefinitionError | None = None


def compacts_load(
    *, paths: Sequence[Path], now: dt.datetime, replace_adopted: bool = False
) -> list[LoadResult]:
    """Load each file; a bad file is refused whole and the others still load."""
    results = []
    for path in sorted(paths):
        try:
            definition = read_definition(path)
        except DefinitionError as exc:
            results.append(LoadResult(file=path.name, outcome="refused", error=exc))
            continue
        results.append(
            compact_load(definition=definition, now=now, replace_adopted=replace_adopted)
        )
    return results


@transaction.atomic
def compact_load(
    *,
    definition: Definition,
    now: dt.datetime,
    adopted_here: bool = False,
    replace_adopted: bool = False,
) -> LoadResult:
    """Store a checked definition as a new version, unless it is already the latest.

    Loading the same content twice changes nothing. A changed definition becomes the
    next version and the current one; earlier versions and their rows stay as they were.

    `adopted_here` marks a version adopted through the compact's review on the platform.
    While such a version is current, loading a file does not take it out of use (the
    file's content is stored, or found, as a version, with the outcome "kept") unless
    `replace_adopted` says the file is meant to replace it.
    """
    data = definition.data
    compact, created = Compact.objects.select_for_update().get_or_create(
        slug=data["slug"], defaults={"name": data["name"]}
    )
    current = compact.current_version
    keep_current = (
        current is not None and current.adopted_here and not adopted_here and not replace_adopted
    )
    existing = compact.versions.filter(digest=definition.digest).first()
    if existing is not None:
        if compact.current_version_id == existing.pk:
            return LoadResult(definition.path.name, compact.slug, existing.number, "unchanged")
        if keep_current:
            return LoadResult(definition.path.name, compact.slug, existing.number, "kept")
        compact.current_version = existing
        compact.save(update_fields=["current_version"])
        return LoadResult(definition.path.name, compact.slug, existing.number, "reinstated")

    latest = compact.versions.order_by("-number").values_list("number", flat=True).first()
    version = CompactVersion.objects.create(
        compact=compact,
        number=(latest or 0) + 1,
        digest=definition.digest,
        source_file=definition.path.name,
        definition=data,
        loaded_at=now,
        name=data["name"],
        short_name=data.get("short_name", ""),
        status=data.get("status", ""),
        area=data["area"],
        nation=data["nation"],
        summary=data["summary"],
        covers=data["covers"],
        vision=data.get("vision", ""),
        adopted_here=adopted_here,
    )
    _store_rows(version, data)
    if keep_current:
        return LoadResult(definition.path.name, compact.slug, version.number, "kept")
    compact.name = data["name"]
    compact.current_version = version
    compact.save(update_fields=["name", "current_version"])
    return LoadResult(
        definition.path.name, compact.slug, version.number, "new" if created else "new version"
    )


def _store_rows(version: CompactVersion, data: dict) -> None:
    documents = {
        doc["file"]: SourceDocument.objects.create(
            version=version, file=doc["file"], title=doc["title"]
        )
        for doc in data["documents"]
    }

    def cited(item: dict, position: int) -> dict:
        clause = item["clause"]
        return {
            "source": documents[clause["document"]],
            "clause_ref": clause["ref"],
            "position": position,
        }

    parties = {}
    for position, party in enumerate(data["parties"]):
        parties[party["id"]] = Party.objects.create(
            version=version,
            ident=party["id"],
            name=party["name"],
            sectors=party["sectors"],
            summary=party.get("summary", ""),
            position=position,
        )

    statements = []
    for kind in Statement.Kind.values:
        for position, item in enumerate(data.get(f"{kind}s", [])):
            statements.append(
                Statement(
                    version=version,
                    kind=kind,
                    ident=item["id"],
                    title=item.get("title", ""),
                    text=item["text"],
                    **cited(item, position),
                )
            )

    codes = {}
    undertakings = []
    for position, item in enumerate(data["codes"]):
        code = Code.objects.create(
            version=version,
            slug=item["slug"],
            title=item["title"],
            kind=item.get("kind", "code_of_practice"),
            summary=item["summary"],
            **cited(item, position),
        )
        codes[code.slug] = code
        for p, principle in enumerate(item.get("principles", [])):
            statements.append(
                Statement(
                    version=version,
                    code=code,
                    kind=Statement.Kind.PRINCIPLE,
                    ident=principle["id"],
                    title=principle.get("title", ""),
                    text=principle["text"],
                    **cited(principle, p),
                )
            )
        for u, undertaking in enumerate(item["undertakings"]):
            undertakings.append(
                Undertaking(
                    version=version,
                    code=code,
                    party=parties[undertaking["party"]],
                    ident=undertaking["id"],
                    summary=undertaking["summary"],
                    **cited(undertaking, u),
                )
            )
    Statement.objects.bulk_create(statements)
    Undertaking.objects.bulk_create(undertakings)

    Standard.objects.bulk_create(
        Standard(
            version=version,
            code=codes.get(item.get("code", "")),
            ident=item["id"],
            title=item["title"],
            summary=item["summary"],
            applies_to=item["applies_to"],
            owed_by=item["owed_by"],
            owed_to=item["owed_to"],
            rule_kind=item["rule"],
            params=item["params"],
            strictness=item["strictness"],
            exception_kind=(item.get("exception") or {}).get("kind", ""),
            exception_summary=(item.get("exception") or {}).get("summary", ""),
            due_soon_working_days=item.get("due_soon_working_days", 5),
            **cited(item, position),
        )
        for position, item in enumerate(data["standards"])
    )

    GlossaryTerm.objects.bulk_create(
        GlossaryTerm(
            version=version,
            term=item["term"],
            definition=item["definition"],
            source=documents[item["clause"]["document"]] if "clause" in item else None,
            clause_ref=item["clause"]["ref"] if "clause" in item else "",
            position=position,
        )
        for position, item in enumerate(data["glossary"])
    )
