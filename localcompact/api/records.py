"""Public reads of consultations, meetings and awards: what their public pages show,
nothing more (no responses, no events, no unpublished agenda, no payments or monitoring).

Each list is one page of a queryset with its related rows joined or prefetched, so it
issues the same number of queries whatever the page size (tests/test_queries.py).
"""

from decimal import Decimal

from django.db.models import Prefetch
from django.http import Http404
from ninja import Query, Router

from localcompact.compacts.models import Compact
from localcompact.consultations.models import Consultation, Tag
from localcompact.core.links import absolute
from localcompact.funding.models import Award
from localcompact.governance.models import AgendaItem, Decision, Meeting
from localcompact.organisations.models import Organisation

from .errors import period_check
from .paging import paged
from .schemas import (
    AwardOut,
    AwardPage,
    ConsultationOut,
    ConsultationPage,
    ConsultationStatus,
    Date,
    Error,
    Id,
    MeetingDetailOut,
    MeetingPage,
    Text,
)

# Public: no token is needed, and one sent is not looked at (nor is it refused).
router = Router(tags=["Public"])
ERRORS = {404: Error, 422: Error, 429: Error}
PAGE = Query(1, ge=1, le=100000)
PAGE_SIZE = Query(50, ge=1, le=200)


def _compact(slug: str) -> Compact:
    found = Compact.objects.filter(slug=slug, current_version__isnull=False).first()
    if found is None:
        raise Http404(f"There is no compact '{slug}'")
    return found


def _organisation(slug: str) -> Organisation:
    found = Organisation.objects.filter(slug=slug).first()
    if found is None:
        raise Http404(f"There is no organisation '{slug}'")
    return found


def _filtered(
    found,
    *,
    dates: tuple[str, object, object],
    names: tuple[str, str],
    compact: tuple[str, str] = ("compact", ""),
    **organisations: str,
):
    """A list's filters, as each list has them: a period on a date field (`dates`: field,
    start, end, either may be missing; one that ends before it starts is refused, naming
    the query's `names`), a compact (`compact`: field, slug) and organisations (field=slug):
    an unknown slug is not found (404), an empty one not a filter."""
    field, start, end = dates
    period_check(start, end, names=names)
    compact_field, slug = compact
    if slug:
        found = found.filter(**{compact_field: _compact(slug)})
    for organisation_field, slug in organisations.items():
        if slug:
            found = found.filter(**{organisation_field: _organisation(slug)})
    if start:
        found = found.filter(**{f"{field}__gte": start})
    if end:
        found = found.filter(**{f"{field}__lte": end})
    return found


# --- Consultations ------------------------------------------------------------------------


def consultations_public():
    return Consultation.objects.select_related("compact", "lead").prefetch_related(
        Prefetch("tags", queryset=Tag.objects.order_by("kind", "name"))
    )


def consultation_item(request, c: Consultation) -> dict:
    decided = c.status in (ConsultationStatus.DECIDED, ConsultationStatus.FEEDBACK)
    fed_back = c.status == ConsultationStatus.FEEDBACK
    return {
        "id": c.pk,
        "compact": c.compact.slug,
        "lead": c.lead.slug,
        "lead_name": c.lead.name,
        "level": c.level,
        "status": c.status,
        "title": c.title,
        "summary": c.summary,
        "open_to_change": c.open_to_change,
        "not_open_to_change": c.not_open_to_change,
        "who_affected": c.who_affected,
        "tags": [{"kind": t.kind, "name": t.name} for t in c.tags.all()],
        "response_methods": list(c.response_methods),
        "response_details": c.response_details,
        "anonymous_allowed": c.anonymous_allowed,
        "acknowledged": c.acknowledged,
        "announced_on": c.announced_on,
        "opens_on": c.opens_on,
        "closes_on": c.closes_on,
        "feedback_by": c.feedback_by,
        "decision": c.decision if decided else "",
        "reasons_for_decision": c.reasons_for_decision if decided else "",
        "effect_of_consultation": c.effect_of_consultation if decided else "",
        "decided_on": c.decided_on if decided else None,
        "what_you_told_us": c.what_you_told_us if fed_back else "",
        "feedback_published_on": c.feedback_published_on if fed_back else None,
        "url": absolute(c.get_absolute_url()),
    }


@router.get(
    "/consultations",
    response={200: ConsultationPage, **ERRORS},
    summary="Consultations",
    description="Every consultation on the site, the newest opening first, as its public "
    "page shows it. `compact`, `lead` (an organisation's slug) and `status` filter; "
    "`opens_from` and `opens_to` keep those opening in that period.",
)
def consultations(
    request,
    compact: Text = "",
    lead: Text = "",
    status: ConsultationStatus | None = None,
    opens_from: Date | None = None,
    opens_to: Date | None = None,
    page: int = PAGE,
    page_size: int = PAGE_SIZE,
):
    found = _filtered(
        consultations_public(),
        dates=("opens_on", opens_from, opens_to),
        names=("opens_from", "opens_to"),
        compact=("compact", compact),
        lead=lead,
    )
    if status:
        found = found.filter(status=status)
    found = found.order_by("-opens_on", "-pk")
    return paged(request, found, page=page, page_size=page_size, item=consultation_item)


@router.get(
    "/consultations/{id}",
    response={200: ConsultationOut, **ERRORS},
    summary="One consultation",
)
def consultation(request, id: Id):
    found = consultations_public().filter(pk=id).first()
    if found is None:
        raise Http404(f"There is no consultation {id}")
    return consultation_item(request, found)


# --- Meetings -----------------------------------------------------------------------------


def meeting_item(request, m: Meeting) -> dict:
    return {
        "id": m.pk,
        "compact": m.compact.slug,
        "kind": m.kind,
        "title": m.title,
        "on": m.on,
        "place": m.place,
        "invitations_sent_on": m.invitations_sent_on,
        "agenda_published_on": m.agenda_published_on,
        "held": m.held,
        "minutes": m.minutes if m.minutes_published_on else "",
        "minutes_published_on": m.minutes_published_on,
        "url": absolute(m.get_absolute_url()),
    }


def meeting_detail(request, meeting_pk: int) -> dict:
    """A meeting with its published agenda and its decisions: as its public page shows."""
    m = (
        Meeting.objects.select_related("compact")
        .prefetch_related(
            Prefetch("agenda", queryset=AgendaItem.objects.order_by("position")),
            Prefetch("decisions", queryset=Decision.objects.order_by("at", "pk")),
        )
        .filter(pk=meeting_pk)
        .first()
    )
    if m is None:
        raise Http404(f"There is no meeting {meeting_pk}")
    return {
        **meeting_item(request, m),
        "agenda": [
            {"position": a.position, "kind": a.kind, "title": a.title, "lines": list(a.lines)}
            for a in m.agenda.all()
        ]
        if m.agenda_published_on
        else [],
        "decisions": [d.text for d in m.decisions.all()],
    }


@router.get(
    "/meetings",
    response={200: MeetingPage, **ERRORS},
    summary="Meetings of the compacts",
    description="The compacts' meetings, the latest first. `compact` filters; `date_from` "
    "and `date_to` keep those held (or to be held) in that period.",
)
def meetings(
    request,
    compact: Text = "",
    date_from: Date | None = None,
    date_to: Date | None = None,
    page: int = PAGE,
    page_size: int = PAGE_SIZE,
):
    found = _filtered(
        Meeting.objects.select_related("compact"),
        dates=("on", date_from, date_to),
        names=("date_from", "date_to"),
        compact=("compact", compact),
    )
    found = found.order_by("-on", "-pk")
    return paged(request, found, page=page, page_size=page_size, item=meeting_item)


@router.get(
    "/meetings/{id}",
    response={200: MeetingDetailOut, **ERRORS},
    summary="One meeting, with its published agenda and its decisions",
)
def meeting(request, id: Id):
    return meeting_detail(request, id)


# --- Awards -------------------------------------------------------------------------------


def awards_public():
    return Award.objects.select_related("version__compact", "funder", "recipient", "opportunity")


def pounds(value) -> Decimal:
    """An amount with its pence, however it was given ('12000' is '12000.00')."""
    return Decimal(value).quantize(Decimal("0.01"))


def award_item(request, a: Award) -> dict:
    return {
        "id": a.pk,
        "compact": a.version.compact.slug,
        "funder": a.funder.slug,
        "funder_name": a.funder.name,
        "recipient": a.recipient.slug,
        "recipient_name": a.recipient.name,
        "kind": a.kind,
        "title": a.title,
        "description": a.description,
        "amount": pounds(a.amount),
        "overheads": pounds(a.overheads),
        "award_date": a.award_date,
        "starts_on": a.starts_on,
        "ends_on": a.ends_on,
        "length_reason": a.length_reason,
        "programme": a.opportunity.title if a.opportunity else None,
        "url": absolute(a.get_absolute_url()),
    }


@router.get(
    "/awards",
    response={200: AwardPage, **ERRORS},
    summary="Funding awarded",
    description="Awards' headline facts (funder, recipient, amount, period), the latest "
    "decided first. `compact`, `funder` and `recipient` (organisations' slugs) filter; "
    "`decided_from` and `decided_to` keep those decided in that period.",
)
def awards(
    request,
    compact: Text = "",
    funder: Text = "",
    recipient: Text = "",
    decided_from: Date | None = None,
    decided_to: Date | None = None,
    page: int = PAGE,
    page_size: int = PAGE_SIZE,
):
    found = _filtered(
        awards_public(),
        dates=("award_date", decided_from, decided_to),
        names=("decided_from", "decided_to"),
        compact=("version__compact", compact),
        funder=funder,
        recipient=recipient,
    )
    found = found.order_by("-award_date", "-pk")
    return paged(request, found, page=page, page_size=page_size, item=award_item)


@router.get("/awards/{id}", response={200: AwardOut, **ERRORS}, summary="One award")
def award(request, id: Id):
    found = awards_public().filter(pk=id).first()
    if found is None:
        raise Http404(f"There is no award {id}")
    return award_item(request, found)
