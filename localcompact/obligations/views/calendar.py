"""Private calendar links (iCalendar feeds) of what an organisation owes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from localcompact.organisations.models import Organisation

from .. import selectors
from ..feeds import (
    calendar_feed_create,
    calendar_feed_for_token,
    calendar_feed_revoke,
    obligations_ical,
)
from ..models import CalendarFeed
from . import common


def _organisation(request: HttpRequest, slug: str):
    organisation = get_object_or_404(Organisation, slug=slug)
    if request.user.has_perm("obligations.manage_calendar", organisation):
        return organisation, None
    return organisation, common.forbidden(
        request,
        title=f"You cannot see {organisation.name}'s calendar links",
        reason=f"Only members of {organisation.name} can make or see its calendar links.",
    )


@login_required
@require_safe
def calendar(request: HttpRequest, slug: str) -> HttpResponse:
    organisation, refused = _organisation(request, slug)
    if refused:
        return refused
    acts = request.user.has_perm("organisations.act_for", organisation)
    feeds = list(selectors.calendar_feeds_of(organisation))
    for feed in feeds:
        feed.may_revoke = feed.revoked_at is None and (
            acts or feed.created_by_id == request.user.pk
        )
    return render(
        request,
        "obligations/calendar.html",
        {
            "organisation": organisation,
            "feeds": feeds,
            "nav_section": "obligations",
            "page_title": f"Calendar links – {organisation.name}",
        },
    )


@never_cache
@login_required
@require_POST
def calendar_create(request: HttpRequest, slug: str) -> HttpResponse:
    """Make a link and show it, once: only its hash is kept, so it cannot be shown again."""
    organisation, refused = _organisation(request, slug)
    if refused:
        return refused
    feed, token = calendar_feed_create(organisation=organisation, by=request.user)
    url = request.build_absolute_uri(reverse("obligations:feed", kwargs={"token": token}))
    return render(
        request,
        "obligations/calendar_created.html",
        {
            "organisation": organisation,
            "feed": feed,
            "url": url,
            "nav_section": "obligations",
            "page_title": f"Calendar link made – {organisation.name}",
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def calendar_revoke(request: HttpRequest, slug: str, feed: int) -> HttpResponse:
    """Ask to confirm (GET), then revoke (POST)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    feed_obj = get_object_or_404(
        CalendarFeed.objects.select_related("organisation", "created_by"),
        pk=feed,
        organisation=organisation,
    )
    if not request.user.has_perm("obligations.revoke_calendar", feed_obj):
        return common.forbidden(
            request,
            title="You cannot revoke this calendar link",
            reason="Only the person who made a calendar link, or an officer or "
            f"administrator of {organisation.name}, can revoke it.",
        )
    if feed_obj.revoked_at is not None:
        return redirect("obligations:calendar", slug=organisation.slug)
    if request.method == "POST":
        calendar_feed_revoke(feed=feed_obj, now=common.now())
        messages.success(request, "The calendar link is revoked. It no longer shows anything.")
        return redirect("obligations:calendar", slug=organisation.slug)
    return render(
        request,
        "obligations/calendar_revoke.html",
        {
            "organisation": organisation,
            "feed": feed_obj,
            "nav_section": "obligations",
            "page_title": f"Revoke a calendar link – {organisation.name}",
        },
    )


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The feed itself, for calendar applications: no sign-in, the token is the key."""
    feed_obj = calendar_feed_for_token(token)
    if feed_obj is None:
        raise Http404("No such calendar")
    obligations = selectors.calendar_obligations(
        organisation=feed_obj.organisation, today=common.today()
    )
    body = obligations_ical(
        organisation=feed_obj.organisation,
        obligations=obligations,
        url_for=lambda o: request.build_absolute_uri(
            reverse("obligations:obligation", kwargs={"pk": o.pk})
        ),
        now=common.now(),
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="obligations.ics"'
    response["Cache-Control"] = "private, max-age=0, no-cache"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
