"""An organisation's dashboards: what it owes and what it is owed (its members only)."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe

from localcompact.organisations.models import Organisation

from .. import selectors
from ..forms import DashboardFilterForm
from . import common

DIRECTIONS = {
    "owing": ("What we owe", "Owed to"),
    "owed": ("What we are owed", "Owed by"),
}


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The organisations the user belongs to; straight to the dashboard if only one."""
    memberships = list(selectors.memberships_with_counts(request.user))
    if len(memberships) == 1:
        return redirect("obligations:owing", slug=memberships[0].organisation.slug)
    return render(
        request,
        "obligations/index.html",
        {
            "memberships": memberships,
            "page_title": "Your obligations",
            "nav_section": "obligations",
        },
    )


def _dashboard(request: HttpRequest, slug: str, direction: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    title, other_party = DIRECTIONS[direction]
    if not request.user.has_perm("obligations.view_dashboard", organisation):
        return common.forbidden(
            request,
            title=f"You cannot see {organisation.name}'s obligations",
            reason=f"Only members of {organisation.name} can see what it owes and is owed. "
            "If you work for it, ask one of its administrators to add you.",
        )
    base = selectors.obligations_of(organisation=organisation, direction=direction)
    form = DashboardFilterForm(request.GET, options=selectors.filter_options(base))
    valid = form.is_valid()
    filtered = selectors.obligations_filtered(base, **form.chosen)
    sections = selectors.dashboard_sections(
        base=filtered,
        today=common.today(),
        pages={
            key: common.page_number(request, f"{key}_page")
            for key in ("due_soon", "missed", "not_yet_due", "recently_met", "excused")
        },
    )
    for page in sections:
        name = f"{page.section.key}_page"
        page.previous_url = common.with_query(request, **{name: page.number - 1})
        page.next_url = common.with_query(request, **{name: page.number + 1})
    context = {
        "organisation": organisation,
        "direction": direction,
        "title": title,
        "other_party": other_party,
        "form": form,
        "filtered": bool(form.chosen),
        "sections": sections,
        "can_record": direction == "owing"
        and request.user.has_perm("obligations.record_activity", organisation),
        "page_title": f"{'Error: ' if not valid else ''}{title} – {organisation.name}",
        "nav_section": "obligations",
    }
    return render(request, "obligations/dashboard.html", context, status=200 if valid else 400)


@login_required
@require_safe
def owing(request: HttpRequest, slug: str) -> HttpResponse:
    return _dashboard(request, slug, "owing")


@login_required
@require_safe
def owed(request: HttpRequest, slug: str) -> HttpResponse:
    return _dashboard(request, slug, "owed")
