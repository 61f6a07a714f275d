"""Informing notices' pages: the public list and search, a notice, drafting, publishing,
withdrawing, its history, an organisation's notices, and the public feeds.

Every read goes through `Notice.objects.visible_to(user, now)`: a notice someone may not
see answers 404, exactly as one that does not exist, so a restricted notice's existence
does not leak. Feeds are always the public view, whoever asks.
"""

import datetime as dt
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_http_methods, require_safe
from icalendar import Calendar, Event

from localcompact.core.links import absolute
from localcompact.core.refusals import forbidden
from localcompact.core.uploads import document_response
from localcompact.obligations.selectors import obligations_of_source
from localcompact.organisations.models import Organisation

from . import selectors
from .forms import DocumentForm, NoticeForm, PublishForm, SearchForm, WithdrawForm
from .models import Notice, Status
from .services import (
    NoticeRefused,
    notice_create,
    notice_document_add,
    notice_document_remove,
    notice_publish,
    notice_update,
    notice_withdraw,
)
from .sources import notice_check, notice_due_on

PER_PAGE = 20
FEED_SIZE = 50
SECTION = "notices"


def now() -> dt.datetime:
    """The clock: views read it once (tests replace it)."""
    return timezone.now()


def _forbidden(request: HttpRequest, *, title: str, reason: str) -> HttpResponse:
    return forbidden(
        request,
        title=title,
        reason=reason,
        section=SECTION,
        way_on=("notices:index", "See the published notices"),
    )


def _visible(request: HttpRequest, pk: int, moment: dt.datetime) -> Notice:
    notice = selectors.notice_get(user=request.user, now=moment, pk=pk)
    if notice is None:
        raise Http404("No such notice")
    return notice


def _changeable(request: HttpRequest, pk: int, moment: dt.datetime):
    """The notice and None, or None and the refusal page."""
    notice = _visible(request, pk, moment)
    if not request.user.has_perm("notices.change", notice):
        return None, _forbidden(
            request,
            title="You cannot change this notice",
            reason=f"Only officers and administrators of {notice.issued_by.name} can change, "
            "publish or withdraw its notices.",
        )
    return notice, None


# --- Public pages ------------------------------------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    moment = now()
    compacts = selectors.compacts_with_notices()
    form = SearchForm(request.GET or None, compacts=compacts)
    chosen = form.cleaned_data if form.is_bound and form.is_valid() else {}
    notices = selectors.notices_listed(
        user=request.user,
        now=moment,
        query=chosen.get("q", ""),
        compact=chosen.get("compact", ""),
        upcoming=chosen.get("upcoming", False),
    )
    page = Paginator(notices, PER_PAGE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    organisations = []
    if request.user.is_authenticated:
        organisations = list(
            Organisation.objects.filter(memberships__user=request.user).order_by("name")
        )
    return render(
        request,
        "notices/index.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": timezone.localdate(moment),
            "now": moment,
            "organisations": organisations,
            "searched": bool(chosen.get("q") or chosen.get("compact") or chosen.get("upcoming")),
            "nav_section": SECTION,
            "page_title": ("Error: " if form.errors else "") + "Informing notices",
        },
        status=400 if form.errors else 200,
    )


def _detail_context(request: HttpRequest, notice: Notice, moment: dt.datetime) -> dict:
    today = timezone.localdate(moment)
    can_change = request.user.has_perm("notices.change", notice)
    issuer_member = request.user.has_perm("notices.view_history", notice)
    return {
        "notice": notice,
        "standard": notice.standard(),
        "check": notice_check(notice, today=today),
        "due_on": notice_due_on(notice),
        "glossary": selectors.glossary_for(notice),
        "restricted_now": notice.restricted_at(moment),
        "shared_with": list(notice.shared_with.all()),
        "can_change": can_change and notice.status != Status.WITHDRAWN,
        "can_publish": can_change and notice.status == Status.DRAFT,
        "issuer_member": issuer_member,
        "obligations": list(obligations_of_source(notice)) if issuer_member else [],
        "now": moment,
        "format_query": urlencode(
            {"subject": f"Informing notice {notice.reference}", "from": notice.get_absolute_url()}
        ),
        "nav_section": SECTION,
    }


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    moment = now()
    notice = _visible(request, pk, moment)
    context = _detail_context(request, notice, moment)
    context["page_title"] = notice.title
    return render(request, "notices/detail.html", context)


# --- Drafting, publishing, withdrawing ---------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("notices.issue", organisation):
        return _forbidden(
            request,
            title=f"You cannot issue notices for {organisation.name}",
            reason="Informing notices are issued by public bodies, by their officers and "
            "administrators.",
        )
    moment = now()
    form = NoticeForm(request.POST if request.method == "POST" else None, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            notice = notice_create(
                organisation=organisation,
                compact=form.chosen_compact(),
                data=form.values(),
                terms=form.terms(),
                shared_with=list(form.cleaned_data["shared_with"]),
                by=request.user,
                today=timezone.localdate(moment),
                now=moment,
            )
        except NoticeRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, "The notice is saved as a draft. Check it, then publish it.")
            return redirect("notices:detail", pk=notice.pk)
    return render(
        request,
        "notices/form.html",
        {
            "form": form,
            "organisation": organisation,
            "notice": None,
            "nav_section": SECTION,
            "page_title": ("Error: " if form.errors else "") + "Draft an informing notice",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request: HttpRequest, pk: int) -> HttpResponse:
    moment = now()
    notice, refused_page = _changeable(request, pk, moment)
    if refused_page:
        return refused_page
    if notice.status == Status.WITHDRAWN:
        return redirect("notices:detail", pk=notice.pk)
    form = NoticeForm(
        request.POST if request.method == "POST" else None,
        organisation=notice.issued_by,
        notice=notice,
    )
    if request.method == "POST" and form.is_valid():
        try:
            notice_update(
                notice=notice,
                data=form.values(),
                terms=form.terms(),
                shared_with=list(form.cleaned_data["shared_with"]),
                by=request.user,
                today=timezone.localdate(moment),
                now=moment,
            )
        except NoticeRefused as refused:
            form.add_error(refused.field, refused.message)
        else:
            messages.success(request, "Your changes are saved and kept in the notice's history.")
            return redirect("notices:detail", pk=notice.pk)
    return render(
        request,
        "notices/form.html",
        {
            "form": form,
            "organisation": notice.issued_by,
            "notice": notice,
            "nav_section": SECTION,
            "page_title": ("Error: " if form.errors else "") + f"Change – {notice.title}",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def publish(request: HttpRequest, pk: int) -> HttpResponse:
    """Check against the compact's standard, then publish (late needs a reason)."""
    moment = now()
    today = timezone.localdate(moment)
    notice, refused_page = _changeable(request, pk, moment)
    if refused_page:
        return refused_page
    if notice.status != Status.DRAFT:
        return redirect("notices:detail", pk=notice.pk)
    check = notice_check(notice, today=today, publishing_on=today)
    late = check is not None and check.due is not None and today > check.due
    form = PublishForm(request.POST if request.method == "POST" else None, late=late)
    if request.method == "POST" and form.is_valid():
        try:
            notice_publish(
                notice=notice,
                by=request.user,
                today=today,
                now=moment,
                late_reason=form.cleaned_data.get("late_reason", ""),
            )
        except NoticeRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, "The notice is published.")
            return redirect("notices:detail", pk=notice.pk)
    return render(
        request,
        "notices/publish.html",
        {
            "form": form,
            "notice": notice,
            "check": check,
            "late": late,
            "restricted_now": notice.restricted_at(moment),
            "shared_with": list(notice.shared_with.all()),
            "nav_section": SECTION,
            "page_title": ("Error: " if form.errors else "") + f"Publish – {notice.title}",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    moment = now()
    notice, refused_page = _changeable(request, pk, moment)
    if refused_page:
        return refused_page
    if notice.status == Status.WITHDRAWN:
        return redirect("notices:detail", pk=notice.pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            notice_withdraw(
                notice=notice,
                reason=form.cleaned_data["reason"],
                by=request.user,
                today=timezone.localdate(moment),
            )
        except NoticeRefused as refused:
            form.add_error(refused.field if refused.field in form.fields else None, refused.message)
        else:
            messages.success(request, "The notice is withdrawn.")
            return redirect("notices:detail", pk=notice.pk)
    return render(
        request,
        "notices/withdraw.html",
        {
            "form": form,
            "notice": notice,
            "nav_section": SECTION,
            "page_title": ("Error: " if form.errors else "") + f"Withdraw – {notice.title}",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def history(request: HttpRequest, pk: int) -> HttpResponse:
    notice = _visible(request, pk, now())
    if not request.user.has_perm("notices.view_history", notice):
        return _forbidden(
            request,
            title="You cannot see this notice's history",
            reason=f"Only members of {notice.issued_by.name} can see the history of its notices.",
        )
    events = notice.events.select_related("by").order_by("at", "pk")
    return render(
        request,
        "notices/history.html",
        {
            "notice": notice,
            "events": events,
            "nav_section": SECTION,
            "page_title": f"History – {notice.title}",
        },
    )


@login_required
@require_safe
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    """An organisation's own notices (drafts too) and the notices shared with it."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if not request.user.has_perm("notices.view_organisation", organisation):
        return _forbidden(
            request,
            title=f"You cannot see {organisation.name}'s notices",
            reason=f"Only members of {organisation.name} can see its drafts and the notices "
            "shared with it.",
        )
    moment = now()
    lists = selectors.notices_of_organisation(organisation=organisation, now=moment)
    return render(
        request,
        "notices/organisation.html",
        {
            "organisation": organisation,
            "own": Paginator(lists["own"], PER_PAGE).get_page(request.GET.get("page")),
            "shared": Paginator(lists["shared"], PER_PAGE).get_page(request.GET.get("shared")),
            "can_issue": request.user.has_perm("notices.issue", organisation),
            "now": moment,
            "nav_section": SECTION,
            "page_title": f"Notices – {organisation.name}",
        },
    )


# --- Documents ------------------------------------------------------------------------


@require_safe
def document(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    """A document's download, for those who may see its notice (404 for anyone else)."""
    notice = _visible(request, pk, now())
    item = get_object_or_404(notice.documents.all(), pk=document_pk)
    return document_response(item)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def document_add(request: HttpRequest, pk: int) -> HttpResponse:
    moment = now()
    notice, refused_page = _changeable(request, pk, moment)
    if refused_page:
        return refused_page
    if notice.status == Status.WITHDRAWN:
        return redirect("notices:detail", pk=notice.pk)
    form = DocumentForm(
        request.POST if request.method == "POST" else None,
        request.FILES if request.method == "POST" else None,
    )
    if request.method == "POST" and form.is_valid():
        notice_document_add(
            notice=notice,
            title=form.cleaned_data["title"],
            uploaded=form.cleaned_data["file"],
            by=request.user,
            today=timezone.localdate(moment),
        )
        messages.success(request, "The document is added to the notice.")
        return redirect("notices:detail", pk=notice.pk)
    return render(
        request,
        "notices/document_add.html",
        {
            "form": form,
            "notice": notice,
            "nav_section": SECTION,
            "page_title": ("Error: " if form.errors else "") + f"Add a document – {notice.title}",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["POST"])
def document_remove(request: HttpRequest, pk: int, document_pk: int) -> HttpResponse:
    moment = now()
    notice, refused_page = _changeable(request, pk, moment)
    if refused_page:
        return refused_page
    item = get_object_or_404(notice.documents.all(), pk=document_pk)
    try:
        notice_document_remove(document=item, by=request.user, today=timezone.localdate(moment))
    except NoticeRefused as refused:
        messages.info(request, refused.message)
    else:
        messages.success(request, "The document is removed.")
    return redirect("notices:detail", pk=notice.pk)


# --- Feeds: always the public view --------------------------------------------------------


def _public(moment: dt.datetime):
    return selectors.notices_listed(user=AnonymousUser(), now=moment)


@require_safe
def feed_atom(request: HttpRequest) -> HttpResponse:
    """An Atom feed of the latest public notices."""
    from django.utils.feedgenerator import Atom1Feed

    moment = now()
    feed = Atom1Feed(
        title="Informing notices",
        link=absolute(reverse("notices:index")),
        description="Decisions public bodies have taken and when action is needed.",
        feed_url=absolute(reverse("notices:feed_atom")),
        language="en-GB",
    )
    for notice in _public(moment)[:FEED_SIZE]:
        feed.add_item(
            title=notice.title,
            link=absolute(notice.get_absolute_url()),
            description=(
                f"{notice.issued_by.name}. Action needed by "
                f"{notice.action_by:%d %B %Y}: {notice.action_required}"
            ),
            unique_id=absolute(notice.get_absolute_url()),
            pubdate=notice.published_at,
            updateddate=notice.published_at,
            author_name=notice.issued_by.name,
        )
    return HttpResponse(feed.writeString("utf-8"), content_type="application/atom+xml")


@require_safe
def feed_ics(request: HttpRequest) -> HttpResponse:
    """An iCalendar feed of the dates by which public notices need action."""
    moment = now()
    calendar = Calendar()
    calendar.add("prodid", "-//LocalCompact//Informing notices//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "Informing notices: action dates")
    host = urlsplit(settings.SITE_URL).hostname  # stable UIDs, whatever host asked
    for notice in _public(moment).filter(action_by__gte=timezone.localdate(moment))[:500]:
        event = Event()
        event.add("uid", f"notice-{notice.pk}@{host}")
        event.add("summary", f"Action needed: {notice.title}")
        event.add("dtstart", notice.action_by)
        event.add("dtend", notice.action_by + dt.timedelta(days=1))
        event.add("dtstamp", notice.published_at or moment)
        event.add("description", f"{notice.issued_by.name}: {notice.action_required}")
        event.add("url", absolute(notice.get_absolute_url()))
        calendar.add_component(event)
    return HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
