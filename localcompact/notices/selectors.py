"""Reads of notices that are more than a filter. Every one starts from `visible_to`."""

import datetime as dt
import re
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils.http import urlencode

from localcompact.compacts.models import Compact, GlossaryTerm
from localcompact.organisations.models import Organisation

from .models import Notice, Status


def notices_listed(
    *, user, now: dt.datetime, query: str = "", compact: str = "", upcoming: bool = False
) -> QuerySet[Notice]:
    """Published notices `user` may see, newest first, searched and filtered."""
    notices = (
        Notice.objects.visible_to(user, now)
        .filter(status=Status.PUBLISHED)
        .select_related("issued_by", "compact")
    )
    if query:
        for word in query.split()[:8]:
            notices = notices.filter(
                Q(title__icontains=word)
                | Q(decision__icontains=word)
                | Q(action_required__icontains=word)
                | Q(area__icontains=word)
                | Q(affected__icontains=word)
                | Q(issued_by__name__icontains=word)
            )
    if compact:
        notices = notices.filter(compact__slug=compact)
    if upcoming:
        notices = notices.filter(action_by__gte=now.date())
    return notices.order_by("-published_at", "-pk")


def notice_get(*, user, now: dt.datetime, pk: int) -> Notice | None:
    """The notice if `user` may see it at `now`, else None (the page says 404)."""
    return (
        Notice.objects.visible_to(user, now)
        .select_related("issued_by", "compact", "version", "created_by")
        .prefetch_related("terms", "shared_with")
        .filter(pk=pk)
        .first()
    )


def compacts_with_notices() -> list[Compact]:
    return list(Compact.objects.filter(notices__isnull=False).distinct().order_by("name"))


def notices_of_organisation(*, organisation: Organisation, now: dt.datetime) -> dict:
    """An organisation's own notices (every status) and those shared with it."""
    own = organisation.notices.select_related("compact").order_by("-updated_at", "-pk")
    shared = (
        Notice.objects.filter(
            shared_with=organisation,
            published_on__isnull=False,
            status__in=("published", "withdrawn"),
        )
        .select_related("issued_by", "compact")
        .order_by("-published_at", "-pk")
    )
    return {"own": own, "shared": shared}


@dataclass(frozen=True)
class GlossaryMatch:
    term: str
    explanation: str
    url: str
    from_compact: bool


def glossary_for(notice: Notice) -> list[GlossaryMatch]:
    """The notice's own explained terms, each linked to the compact's glossary where
    the compact explains the same term; then compact glossary terms the notice's text
    uses that it does not explain itself. One query for the compact's glossary."""
    glossary = {
        g.term.casefold(): g
        for g in GlossaryTerm.objects.filter(version_id=notice.version_id).only(
            "term", "definition"
        )
    }
    base = reverse("compacts:glossary", kwargs={"slug": notice.compact.slug})
    matches = []
    seen = set()
    for term in notice.terms.all():
        found = glossary.get(term.term.casefold())
        url = f"{base}?{urlencode({'q': term.term})}" if found else ""
        matches.append(GlossaryMatch(term.term, term.explanation, url, False))
        seen.add(term.term.casefold())
    text = " ".join([notice.title, notice.decision, notice.action_required, notice.affected])
    for key, g in sorted(glossary.items()):
        if key in seen:
            continue
        if re.search(rf"(?<!\w){re.escape(g.term)}(?!\w)", text, flags=re.IGNORECASE):
            matches.append(
                GlossaryMatch(g.term, g.definition, f"{base}?{urlencode({'q': g.term})}", True)
            )
    return matches
