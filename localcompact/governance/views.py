"""Pages for running a compact. Public pages first, then the support team's, then the
signatories' (nominations, votes, progress, stories, news, concerns).

Who may use each is a django-rules permission (`rules.py`); a refusal is a 403 page
saying why, logged. Writes go through `services`; a refusal comes back on the form with
nothing typed lost. Views read the clock once through `today()` / `now()`.
"""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe
from icalendar import Calendar, Event

from localcompact.compacts.models import Code, Compact, Standard, Undertaking
from localcompact.consultations import access
from localcompact.core.refusals import forbidden, submit
from localcompact.obligations.models import Obligation
from localcompact.organisations.models import CompactRoleKind, Organisation
from localcompact.organisations.selectors import signatories_current

from . import forms, selectors, services
from .models import (
    Action,
    ActionPlan,
    BodyMember,
    Composition,
    Concern,
    Election,
    GovernanceEvent,
    Meeting,
    Nomination,
    Post,
    Review,
    Revision,
    SignUp,
    Story,
    Subscription,
    VoteCast,
)
from .rules import acting_organisations
from .services import Refused
from .sources import notice_standard

GET_POST = ["GET", "HEAD", "POST"]
PER_PAGE = 20


def today() -> dt.date:
    return timezone.localdate()


def now() -> dt.datetime:
    return timezone.now()


# Helpers -----------------------------------------------------------------------------------


def _forbidden(request: HttpRequest, *, title: str, reason: str) -> HttpResponse:
    return forbidden(
        request,
        title=title,
        reason=reason,
        section="governance",
        way_on=("governance:index", "Go to running the compacts"),
    )


def _compact(slug: str) -> Compact:
    return get_object_or_404(
        Compact.objects.select_related("current_version"), slug=slug, current_version__isnull=False
    )


def _may_manage(request, compact) -> HttpResponse | None:
    if request.user.has_perm("governance.manage", compact):
        return None
    return _forbidden(
        request,
        title=f"Only the {compact.name}'s support team can do this",
        reason="The support team keeps the compact's bodies, action plan, meetings, "
        "elections, reviews and revisions. Ask them if you need to be on it.",
    )


def _crumbs(compact: Compact, *more) -> list[tuple[str, str]]:
    return [
        ("Governance", reverse("governance:index")),
        (compact.name, reverse("governance:home", args=[compact.slug])),
        *more,
    ]


def _page(request, template: str, context: dict, *, form=None) -> HttpResponse:
    context.setdefault("nav_section", "governance")
    if form is not None and form.errors:
        context["page_title"] = f"Error: {context.get('page_title', '')}"
    return render(
        request, template, context, status=400 if form is not None and form.errors else 200
    )


def _compact_page(request, template: str, compact, *, title: str, form=None, **context):
    """A page of the compact: `title` is its page title, the compact its last crumb."""
    return _page(
        request,
        template,
        {"compact": compact, "page_title": title, "crumbs": _crumbs(compact), **context},
        form=form,
    )


def _form_page(request, compact, form, *, title, submit, cancel, intro=(), crumbs=()):
    return _page(
        request,
        "governance/form.html",
        {
            "compact": compact,
            "form": form,
            "title": title,
            "page_title": title,
            "submit": submit,
            "cancel": cancel,
            "intro": intro,
            "crumbs": _crumbs(compact, *crumbs),
        },
        form=form,
    )


def _confirm_page(request, compact, *, title, body, submit, cancel, error="", crumbs=()):
    return render(
        request,
        "governance/confirm.html",
        {
            "compact": compact,
            "title": title,
            "page_title": f"Error: {title}" if error else title,
            "body": body,
            "submit": submit,
            "cancel": cancel,
            "error": error,
            "crumbs": _crumbs(compact, *crumbs),
            "nav_section": "governance",
        },
        status=400 if error else 200,
    )


def _compact_form(request, form, compact, do, *, done, then=None, **page) -> HttpResponse:
    """A form about a compact: `submit` on a valid POST, else its `_form_page`."""
    return submit(request, form, do, done=done, then=then) or _form_page(
        request, compact, form, **page
    )


def _confirm(request, compact, do, *, done, then, **page) -> HttpResponse:
    """A yes-or-no step: on POST `do()` calls the service, `done` is flashed and the user is
    sent to `then`; a `Refused` is shown on the page. Else its `_confirm_page`."""
    error = ""
    if request.method == "POST":
        try:
            do()
        except Refused as refused:
            error = refused.message
        else:
            messages.success(request, done)
            return redirect(then)
    return _confirm_page(request, compact, error=error, cancel=then, **page)


def _paginate(request, queryset):
    paginator = Paginator(queryset, PER_PAGE)
    return paginator.get_page(request.GET.get("page"))


def _post(request) -> dict | None:
    return request.POST if request.method == "POST" else None


def _acting(request) -> list[Organisation]:
    return [m.organisation for m in acting_organisations(request.user)]


# Public pages ------------------------------------------------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    compacts = Compact.objects.filter(current_version__isnull=False).order_by("name")
    return _page(
        request,
        "governance/index.html",
        {"compacts": compacts, "page_title": "Running the compacts"},
    )


@require_safe
def home(request: HttpRequest, compact: str) -> HttpResponse:
    compact = _compact(compact)
    version = compact.current_version
    manage = request.user.has_perm("governance.manage", compact)
    compositions = Composition.objects.filter(compact=compact)
    if not manage:
        compositions = compositions.exclude(status=Composition.Status.DRAFT)
    compositions = (
        compositions.annotate(n=Count("members"))
        .select_related("compact")
        .order_by("status", "-takes_effect_on")
    )
    plans = ActionPlan.objects.filter(compact=compact).select_related("compact")
    if not manage:
        plans = plans.filter(agreed_on__isnull=False)
    context = {
        "compact": compact,
        "bodies": selectors.bodies_of(version),
        "compositions": list(compositions[:20]),
        "plans": list(plans[:10]),
        "meetings": list(Meeting.objects.filter(compact=compact).select_related("compact")[:10]),
        "reviews": list(
            Review.objects.filter(compact=compact).select_related("compact", "standard")[:10]
        ),
        "revisions": list(Revision.objects.filter(compact=compact).select_related("compact")[:10]),
        "posts": list(Post.objects.filter(compact=compact).select_related("compact")[:5]),
        "stories": list(
            Story.objects.filter(compact=compact, status=Story.Status.PUBLISHED).select_related(
                "organisation"
            )[:5]
        ),
        "manage": manage,
        "acting": bool(_acting(request)),
        "page_title": f"Running the {compact.name}",
        "crumbs": _crumbs(compact)[:1],
    }
    return _page(request, "governance/home.html", context)


def _composition(request, compact, pk) -> Composition:
    composition = get_object_or_404(
        Composition.objects.select_related("version", "compact"), compact=compact, pk=pk
    )
    if composition.status == Composition.Status.DRAFT and not request.user.has_perm(
        "governance.manage", compact
    ):
        raise Http404
    return composition


@require_safe
def composition(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    composition = _composition(request, compact, pk)
    members = list(composition.members.select_related("organisation").order_by("seat", "name"))
    check = selectors.composition_check(composition, members)
    public_count = sum(
        1 for _ in signatories_current(compact=compact).filter(sector="public").values("pk")
    )
    seats = selectors.seats_with_members(composition, members, public_count)
    return _compact_page(
        request,
        "governance/composition.html",
        compact,
        title=composition.title,
        composition=composition,
        body=composition.body_definition,
        seats=seats,
        check=check,
        withdrawn={m.pk for m in check.withdrawn},
        manage=request.user.has_perm("governance.manage", compact),
    )


def _plan(request, compact, pk) -> ActionPlan:
    plan = get_object_or_404(ActionPlan.objects.select_related("version"), compact=compact, pk=pk)
    if plan.agreed_on is None and not request.user.has_perm("governance.manage", compact):
        raise Http404
    return plan


@require_safe
def plan(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    plan = _plan(request, compact, pk)
    actions = list(
        plan.actions.select_related("owner", "code").prefetch_related(
            Prefetch("updates", to_attr="progress")
        )
    )
    outcomes = {o["id"]: o for o in plan.version.definition.get("outcomes", [])}
    acting = {o.pk for o in _acting(request)}
    manage = request.user.has_perm("governance.manage", compact)
    for action in actions:
        action.outcome_text = (
            outcomes[action.outcome].get("title") or outcomes[action.outcome]["text"]
            if action.outcome in outcomes
            else ""
        )
        action.may_report = manage or action.owner_id in acting
    obligations = list(
        Obligation.objects.filter(
            source_type__model="actionplan", source_type__app_label="governance", source_id=plan.pk
        ).select_related("standard__source")
    )
    return _compact_page(
        request,
        "governance/plan.html",
        compact,
        title=plan.title,
        plan=plan,
        actions=actions,
        obligations=obligations,
        manage=manage,
        today=today(),
    )


@require_safe
def outcomes(request: HttpRequest, compact: str) -> HttpResponse:
    compact = _compact(compact)
    version = compact.current_version
    indicators = selectors.outcome_indicators(compact)
    rows = [
        {"outcome": o, "indicators": indicators.get(o["id"], [])}
        for o in version.definition.get("outcomes", [])
    ]
    return _compact_page(
        request,
        "governance/outcomes.html",
        compact,
        title=f"Outcomes – {compact.name}",
        rows=rows,
    )


@require_safe
def meeting(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    meeting = get_object_or_404(
        Meeting.objects.select_related("version", "host"), compact=compact, pk=pk
    )
    manage = request.user.has_perm("governance.manage", compact)
    obligations = list(
        Obligation.objects.filter(
            source_type__model="meeting", source_type__app_label="governance", source_id=meeting.pk
        ).select_related("standard__source")
    )
    return _compact_page(
        request,
        "governance/meeting.html",
        compact,
        title=meeting.title,
        meeting=meeting,
        agenda=list(meeting.agenda.all()) if (manage or meeting.agenda_published_on) else [],
        decisions=list(meeting.decisions.all()),
        elections=list(meeting.elections.select_related("composition")),
        invited=meeting.invitations.count(),
        revisions=list(meeting.revisions.all()),
        notice_standard=notice_standard(meeting.version),
        # Without a host, the compact's support team answers such requests.
        format_request_url=access.format_request_url(
            organisation=meeting.host,
            compact=compact,
            subject=meeting.title,
            path=meeting.get_absolute_url(),
        ),
        obligations=obligations,
        manage=manage,
    )


def _election(compact, pk) -> Election:
    return get_object_or_404(
        Election.objects.select_related("meeting", "composition__version", "composition__compact"),
        meeting__compact=compact,
        pk=pk,
    )


@require_safe
def election(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    election = _election(compact, pk)
    outcome = services.results(election)
    if election.status != Election.Status.CLOSED:
        for seat in outcome:  # the counts stay sealed until the results are published
            seat["elected"] = []
            seat["flags"] = []
    turnout = dict(
        VoteCast.objects.filter(election=election).values_list("seat").annotate(n=Count("pk"))
    )
    for seat in outcome:
        seat["turnout"] = turnout.get(seat["seat"]["id"], 0)
    voted = set()
    acting = _acting(request)
    if acting:
        voted = set(
            VoteCast.objects.filter(election=election, organisation__in=acting).values_list(
                "seat", "organisation__name"
            )
        )
    return _page(
        request,
        "governance/election.html",
        {
            "compact": compact,
            "election": election,
            "seats": outcome,
            "voted": sorted(voted),
            "acting": acting,
            "manage": request.user.has_perm("governance.manage", compact),
            "page_title": str(election),
            "crumbs": _crumbs(
                compact, (election.meeting.title, election.meeting.get_absolute_url())
            ),
        },
    )


@require_safe
def revision(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    revision = get_object_or_404(
        Revision.objects.select_related("based_on", "adopted_version", "proposed_by", "meeting"),
        compact=compact,
        pk=pk,
    )
    return _compact_page(
        request,
        "governance/revision.html",
        compact,
        title=revision.title,
        revision=revision,
        current=services._target_item(
            revision.based_on.definition, revision.target, revision.target_id
        ),
        manage=request.user.has_perm("governance.manage", compact),
    )


@login_required
@require_safe
def history(request: HttpRequest, compact: str) -> HttpResponse:
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    page = _paginate(request, GovernanceEvent.objects.filter(compact=compact).select_related("by"))
    return _compact_page(
        request,
        "governance/history.html",
        compact,
        title=f"History – {compact.name}",
        page=page,
    )


@require_safe
def news(request: HttpRequest, compact: str) -> HttpResponse:
    compact = _compact(compact)
    page = _paginate(
        request, Post.objects.filter(compact=compact).select_related("organisation", "compact")
    )
    return _compact_page(
        request,
        "governance/news.html",
        compact,
        title=f"News and events – {compact.name}",
        page=page,
        may_publish=request.user.has_perm("governance.manage", compact) or bool(_acting(request)),
        following=request.user.is_authenticated
        and Subscription.objects.filter(user=request.user, compact=compact).exists(),
    )


@login_required
@require_http_methods(GET_POST)
def follow(request: HttpRequest, compact: str) -> HttpResponse:
    """Start or stop the weekly digest of the compact's news and events."""
    compact = _compact(compact)
    following = Subscription.objects.filter(user=request.user, compact=compact).exists()
    if request.method == "POST":
        now_following = services.subscription_toggle(
            user=request.user, compact=compact, today=today()
        )
        messages.success(
            request,
            "You will get a weekly digest of news and events"
            if now_following
            else "You will no longer get the digest",
        )
        return redirect("governance:news", compact=compact.slug)
    return _confirm_page(
        request,
        compact,
        title="Stop the weekly digest?" if following else "Get a weekly digest?",
        body=[
            "You get one e-mail a week at most, and only when something new has been "
            f"published, to {request.user.email or 'your account’s address'}."
        ],
        submit="Stop the digest" if following else "Get the digest",
        cancel=reverse("governance:news", args=[compact.slug]),
        crumbs=[("News and events", reverse("governance:news", args=[compact.slug]))],
    )


@require_http_methods(GET_POST)
def post(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    post = get_object_or_404(Post.objects.select_related("organisation"), compact=compact, pk=pk)
    signed_up = (
        request.user.is_authenticated
        and SignUp.objects.filter(post=post, user=request.user).exists()
    )
    error = ""
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{reverse('core:login')}?next={request.path}")
        acting = _acting(request)
        try:
            services.signup(
                post=post, user=request.user, organisation=acting[0] if acting else None, now=now()
            )
        except Refused as refused:
            error = refused.message
        else:
            messages.success(request, f"You are signed up for {post.title}")
            return redirect(post.get_absolute_url())
    context = {
        "compact": compact,
        "post": post,
        "signed_up": signed_up,
        "taken": post.signups.count() if post.is_event else 0,
        "error": error,
        "page_title": f"Error: {post.title}" if error else post.title,
        "crumbs": _crumbs(
            compact, ("News and events", reverse("governance:news", args=[compact.slug]))
        ),
        "nav_section": "governance",
    }
    return render(request, "governance/post.html", context, status=400 if error else 200)


@require_safe
def events_feed(request: HttpRequest, compact: str) -> HttpResponse:
    """The compact's joint events and training as a public iCalendar feed."""
    compact = _compact(compact)
    calendar = Calendar()
    calendar.add("prodid", "-//LocalCompact//Governance//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"{compact.name}: events")
    stamp = now()
    for item in Post.objects.filter(compact=compact, starts_at__isnull=False).order_by("starts_at")[
        :500
    ]:
        event = Event()
        event.add("uid", f"governance-post-{item.pk}@localcompact")
        event.add("dtstamp", stamp)
        event.add("dtstart", item.starts_at)
        event.add("dtend", item.ends_at or item.starts_at + dt.timedelta(hours=2))
        event.add("summary", item.title)
        event.add("description", item.body[:1000])
        if item.place:
            event.add("location", item.place)
        # On SITE_URL, never on the request's Host header (a calendar keeps the link).
        event.add("url", settings.SITE_URL.rstrip("/") + item.get_absolute_url())
        calendar.add_component(event)
    response = HttpResponse(calendar.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{compact.slug}-events.ics"'
    return response


@require_safe
def stories(request: HttpRequest, compact: str) -> HttpResponse:
    compact = _compact(compact)
    queryset = Story.objects.filter(compact=compact, status=Story.Status.PUBLISHED).select_related(
        "organisation", "code"
    )
    return _compact_page(
        request,
        "governance/stories.html",
        compact,
        title=f"Good practice – {compact.name}",
        page=_paginate(request, queryset),
        may_submit=bool(_acting(request)),
    )


# The support team's pages ------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def composition_new(request: HttpRequest, compact: str) -> HttpResponse:
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    form = forms.CompositionForm(
        _post(request), bodies=selectors.bodies_of(compact.current_version)
    )
    return _compact_form(
        request,
        form,
        compact,
        lambda d: services.composition_create(compact=compact, by=request.user, **d),
        done=lambda made: f"{made.title} is being put together",
        title="Put together a body's make-up",
        submit="Continue",
        cancel=reverse("governance:home", args=[compact.slug]),
        intro=[
            "Start a new make-up of one of the compact's bodies, then add its members "
            "seat by seat. It takes effect when you say so, or when the annual meeting "
            "that elects it is recorded as held."
        ],
    )


@login_required
@require_http_methods(GET_POST)
def member_new(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    composition = _composition(request, compact, pk)
    form = forms.MemberForm(
        _post(request),
        seats=composition.body_definition["seats"],
        organisations=Organisation.objects.order_by("name"),
    )

    def add(data):
        return services.member_add(
            composition=composition,
            seat=data["seat"],
            name=data["name"],
            organisation=data["organisation"],
            user=form.user,
            independent=data["independent"],
            how=data["how"],
            by=request.user,
            now=now(),
        )

    return _compact_form(
        request,
        form,
        compact,
        add,
        done=lambda _: f"{form.cleaned_data['name']} added",
        then=composition.get_absolute_url(),
        title=f"Add a member to {composition.title}",
        submit="Add the member",
        cancel=composition.get_absolute_url(),
        crumbs=[(composition.title, composition.get_absolute_url())],
    )


@login_required
@require_http_methods(GET_POST)
def member_remove(request: HttpRequest, compact: str, pk: int, member: int) -> HttpResponse:
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    composition = _composition(request, compact, pk)
    member = get_object_or_404(BodyMember, composition=composition, pk=member)
    return _confirm(
        request,
        compact,
        lambda: services.member_remove(member=member, by=request.user, now=now()),
        done=f"{member.name} removed",
        then=composition.get_absolute_url(),
        title=f"Remove {member.name} from {composition.title}?",
        body=["If they hold the body's role in the compact through this seat, it ends too."],
        submit="Remove",
        crumbs=[(composition.title, composition.get_absolute_url())],
    )


@login_required
@require_http_methods(GET_POST)
def composition_activate(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    composition = _composition(request, compact, pk)
    form = forms.ActivateForm(_post(request), initial={"on": today()})
    if done := submit(
        request,
        form,
        lambda d: services.composition_activate(
            composition=composition, on=d["on"], by=request.user, now=now()
        ),
        done=f"{composition.title} is now in effect",
        then=composition.get_absolute_url(),
    ):
        return done
    check = selectors.composition_check(composition)
    intro = [
        "The make-up in effect now, if any, ends on this date. Members with accounts "
        "are given the body's role in the compact; those leaving lose it."
    ]
    if check.verdict.missing:
        intro.append("It does not meet every seat quota: " + check.verdict.explanation)
    return _form_page(
        request,
        compact,
        form,
        title=f"Put {composition.title} into effect",
        submit="Put into effect",
        cancel=composition.get_absolute_url(),
        intro=intro,
        crumbs=[(composition.title, composition.get_absolute_url())],
    )


@login_required
@require_http_methods(GET_POST)
def plan_new(request: HttpRequest, compact: str) -> HttpResponse:
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    return _compact_form(
        request,
        forms.PlanForm(_post(request)),
        compact,
        lambda d: services.plan_create(compact=compact, by=request.user, **d),
        done=lambda made: f"{made.title} made: add its actions",
        title="Start an action plan",
        submit="Start the plan",
        cancel=reverse("governance:home", args=[compact.slug]),
    )


@login_required
@require_http_methods(GET_POST)
def plan_agree(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    plan = _plan(request, compact, pk)
    return _compact_form(
        request,
        forms.AgreeForm(_post(request), initial={"on": today()}),
        compact,
        lambda d: services.plan_agree(plan=plan, on=d["on"], by=request.user, today=today()),
        done=f"{plan.title} is agreed and public",
        then=plan.get_absolute_url(),
        title=f"Record that {plan.title} was agreed",
        submit="Record it",
        cancel=plan.get_absolute_url(),
        intro=[
            "Once agreed, the plan and its progress are public, and where the compact "
            "says how often the plan is revised, that becomes an obligation."
        ],
        crumbs=[(plan.title, plan.get_absolute_url())],
    )


@login_required
@require_http_methods(GET_POST)
def action_new(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    plan = _plan(request, compact, pk)
    form = forms.ActionForm(
        _post(request),
        outcomes=plan.version.definition.get("outcomes", []),
        codes=list(Code.objects.filter(version=plan.version)),
    )
    return _compact_form(
        request,
        form,
        compact,
        lambda d: services.action_add(plan=plan, by=request.user, **d),
        done="Action added",
        then=plan.get_absolute_url(),
        title=f"Add an action to {plan.title}",
        submit="Add the action",
        cancel=plan.get_absolute_url(),
        crumbs=[(plan.title, plan.get_absolute_url())],
    )


@login_required
@require_http_methods(GET_POST)
def action_progress(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    action = get_object_or_404(
        Action.objects.select_related("plan__compact", "owner"), plan__compact=compact, pk=pk
    )
    if not request.user.has_perm("governance.report_progress", action):
        return _forbidden(
            request,
            title="Only the action's owner or the support team can report progress",
            reason=f"This action belongs to {action.owner.name}.",
        )
    return _compact_form(
        request,
        forms.ProgressForm(_post(request), initial={"status": action.status}),
        compact,
        lambda d: services.action_progress(action=action, on=today(), by=request.user, **d),
        done="Progress recorded",
        then=action.plan.get_absolute_url(),
        title=f"Progress on: {action.title}",
        submit="Record progress",
        cancel=action.plan.get_absolute_url(),
        intro=["Progress is public with the action plan."],
        crumbs=[(action.plan.title, action.plan.get_absolute_url())],
    )


@login_required
@require_http_methods(GET_POST)
def meeting_new(request: HttpRequest, compact: str) -> HttpResponse:
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    form = forms.MeetingForm(_post(request), hosts=_hosts(compact))
    if done := submit(
        request,
        form,
        lambda d: services.meeting_create(compact=compact, by=request.user, today=today(), **d),
        done=lambda made: f"{made.title} set up",
    ):
        return done
    standard = notice_standard(compact.current_version)
    intro = [
        f"The {compact.name} asks for notice: {standard.title} ({standard.clause}). Sending "
        "the invitations is an obligation."
        if standard
        else f"The {compact.name} sets no notice period for its meetings, so the invitations "
        "carry no obligation."
    ]
    return _form_page(
        request,
        compact,
        form,
        title="Set up a meeting",
        submit="Set it up",
        cancel=reverse("governance:home", args=[compact.slug]),
        intro=intro,
    )


def _hosts(compact) -> list[Organisation]:
    """Who may host a meeting: the compact's current signatories and the organisations
    of its support team."""
    support = Q(
        memberships__user__compact_roles__compact=compact,
        memberships__user__compact_roles__kind=CompactRoleKind.SUPPORT_TEAM,
        memberships__user__compact_roles__revoked_at__isnull=True,
    )
    signed = Q(signatures__compact=compact, signatures__withdrawn_on__isnull=True)
    return list(Organisation.objects.filter(support | signed).distinct().order_by("name"))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_access(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    """The support team records a meeting's host, formats and venue access."""
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    meeting = _meeting(compact, pk)
    initial = {
        "host": str(meeting.host_id or ""),
        "formats_offered": meeting.formats_offered,
        "venue_access": meeting.venue_access,
        "venue_access_notes": meeting.venue_access_notes,
    }
    return _compact_form(
        request,
        forms.MeetingAccessForm(_post(request), hosts=_hosts(compact), initial=initial),
        compact,
        lambda d: services.meeting_access_set(meeting=meeting, by=request.user, **d),
        done="Formats and venue access saved",
        then=meeting.get_absolute_url(),
        title=f"Formats and venue access – {meeting.title}",
        submit="Save",
        cancel=meeting.get_absolute_url(),
        intro=[
            "Say what the meeting offers, so that people know before they come. Requests "
            "for another format or language go to the host organisation."
        ],
        crumbs=[(meeting.title, meeting.get_absolute_url())],
    )


def _meeting(compact, pk) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("version"), compact=compact, pk=pk)


def _meeting_action(request, compact, pk, *, title, body, submit, do, done):
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    meeting = _meeting(compact, pk)
    return _confirm(
        request,
        compact,
        lambda: do(meeting),
        done=done,
        then=meeting.get_absolute_url(),
        title=title.format(meeting=meeting),
        body=body,
        submit=submit,
        crumbs=[(meeting.title, meeting.get_absolute_url())],
    )


@login_required
@require_http_methods(GET_POST)
def meeting_invite(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    return _meeting_action(
        request,
        compact,
        pk,
        title="Invite every signatory to {meeting.title}?",
        body=[
            "Every organisation that has signed the compact now and has not been invited "
            "yet is invited, with today as the date of its invitation."
        ],
        submit="Send the invitations",
        do=lambda m: services.meeting_invite(meeting=m, by=request.user, today=today()),
        done="Invitations sent",
    )


@login_required
@require_http_methods(GET_POST)
def agenda_generate(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    return _meeting_action(
        request,
        compact,
        pk,
        title="Make the agenda for {meeting.title}?",
        body=[
            "The agenda is made from the platform's records as they are now: progress on "
            "the outcomes, the action plan, where the compact was not kept, proposed "
            "revisions and the election. Making it again replaces it until it is published."
        ],
        submit="Make the agenda",
        do=lambda m: services.agenda_generate(meeting=m, by=request.user, today=today()),
        done="Agenda made",
    )


@login_required
@require_http_methods(GET_POST)
def agenda_publish(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    return _meeting_action(
        request,
        compact,
        pk,
        title="Publish the agenda for {meeting.title}?",
        body=["Once published the agenda is public and no longer changes."],
        submit="Publish the agenda",
        do=lambda m: services.agenda_publish(meeting=m, by=request.user, today=today()),
        done="Agenda published",
    )


@login_required
@require_http_methods(GET_POST)
def meeting_record(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    meeting = _meeting(compact, pk)
    return _compact_form(
        request,
        forms.MinutesForm(_post(request), initial={"minutes": meeting.minutes}),
        compact,
        lambda d: services.meeting_record(
            meeting=meeting, minutes=d["minutes"], by=request.user, today=today(), now=now()
        ),
        done=f"{meeting.title} recorded as held; minutes published",
        then=meeting.get_absolute_url(),
        title=f"Record {meeting.title} as held",
        submit="Record and publish the minutes",
        cancel=meeting.get_absolute_url(),
        intro=[
            "The minutes are published. Any make-up elected at the meeting takes effect "
            "from the meeting's date."
        ],
        crumbs=[(meeting.title, meeting.get_absolute_url())],
    )


@login_required
@require_http_methods(GET_POST)
def decision_new(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    meeting = _meeting(compact, pk)
    return _compact_form(
        request,
        forms.DecisionForm(_post(request)),
        compact,
        lambda d: services.decision_add(meeting=meeting, text=d["text"], by=request.user),
        done="Decision recorded",
        then=meeting.get_absolute_url(),
        title=f"Record a decision of {meeting.title}",
        submit="Record the decision",
        cancel=meeting.get_absolute_url(),
        crumbs=[(meeting.title, meeting.get_absolute_url())],
    )


@login_required
@require_http_methods(GET_POST)
def election_new(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    meeting = _meeting(compact, pk)
    drafts = list(Composition.objects.filter(compact=compact, status=Composition.Status.DRAFT))
    return _compact_form(
        request,
        forms.ElectionForm(_post(request), compositions=drafts),
        compact,
        lambda d: services.election_create(
            meeting=meeting, composition=d["composition"], by=request.user
        ),
        done="Election set up: nominations are open",
        title=f"Hold an election at {meeting.title}",
        submit="Open nominations",
        cancel=meeting.get_absolute_url(),
        intro=[
            "The election fills the elected seats of a make-up being put together; "
            "put it together first if there is none."
        ],
        crumbs=[(meeting.title, meeting.get_absolute_url())],
    )


def _election_step(request, compact, pk, *, title, body, submit, do, done):
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    election = _election(compact, pk)
    return _confirm(
        request,
        compact,
        lambda: do(election),
        done=done,
        then=election.get_absolute_url(),
        title=title,
        body=body,
        submit=submit,
        crumbs=[(str(election), election.get_absolute_url())],
    )


@login_required
@require_http_methods(GET_POST)
def voting_open(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    return _election_step(
        request,
        compact,
        pk,
        title="Close nominations and open voting?",
        body=["No more nominations can be made once voting opens."],
        submit="Open voting",
        do=lambda e: services.voting_open(election=e, by=request.user),
        done="Voting is open",
    )


@login_required
@require_http_methods(GET_POST)
def election_close(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    return _election_step(
        request,
        compact,
        pk,
        title="Close voting and publish the results?",
        body=[
            "The votes are counted and published. Those elected join the make-up the "
            "election fills. A tie for a last place, or too few candidates, is left for "
            "the meeting to settle, since the compact does not say."
        ],
        submit="Publish the results",
        do=lambda e: services.election_close(election=e, by=request.user, today=today(), now=now()),
        done="Results published",
    )


@login_required
@require_http_methods(GET_POST)
def nominate(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    election = _election(compact, pk)
    manage = request.user.has_perm("governance.manage", compact)
    acting = _acting(request)
    if not manage and not acting:
        return _forbidden(
            request,
            title="Only a signatory's officers or the support team can nominate",
            reason="Nominations come from organisations that have signed the compact.",
        )
    public = selectors.public_signatory_count(compact)
    seats = services.elected_seats(election.composition, public)
    organisations = (
        signatories_current(compact=compact).distinct().order_by("name") if manage else acting
    )
    form = forms.NominationForm(_post(request), seats=seats, organisations=organisations)
    return _compact_form(
        request,
        form,
        compact,
        lambda d: services.nomination_add(election=election, by=request.user, **d),
        done=lambda _: f"{form.cleaned_data['candidate']} is nominated",
        then=election.get_absolute_url(),
        title=f"Nominate a candidate: {election}",
        submit="Nominate",
        cancel=election.get_absolute_url(),
        intro=[
            "A candidate must come from an organisation that has signed the compact and "
            "fits the seat: its sector, and for some seats how it is funded or whom it "
            "serves, as recorded on the register."
        ],
        crumbs=[(str(election), election.get_absolute_url())],
    )


@login_required
@require_http_methods(GET_POST)
def vote(request: HttpRequest, compact: str, pk: int, seat: str) -> HttpResponse:
    compact = _compact(compact)
    election = _election(compact, pk)
    acting = [
        o for o in _acting(request) if signatories_current(compact=compact).filter(pk=o.pk).exists()
    ]
    if not acting:
        return _forbidden(
            request,
            title="Only an officer of a signatory organisation can vote",
            reason="Each organisation that has signed the compact has one vote per seat.",
        )
    public = selectors.public_signatory_count(compact)
    places = dict(
        (s["id"], (s, n)) for s, n in services.elected_seats(election.composition, public)
    )
    if seat not in places:
        raise Http404
    seat_def, count = places[seat]
    nominations = list(
        Nomination.objects.filter(election=election, seat=seat).select_related("organisation")
    )
    form = forms.VoteForm(
        _post(request), nominations=nominations, places=count, organisations=acting
    )
    return _compact_form(
        request,
        form,
        compact,
        lambda d: services.vote_cast(
            election=election,
            seat=seat,
            organisation=d["organisation"],
            choices=d["choices"],
            by=request.user,
        ),
        done="Your organisation's vote is cast",
        then=election.get_absolute_url(),
        title=f"Vote: {seat_def['title']}",
        submit="Cast the vote",
        cancel=election.get_absolute_url(),
        intro=[
            "The ballot is secret: the platform records that your organisation voted, "
            "not whom it voted for. You cannot change a vote once cast."
        ],
        crumbs=[(str(election), election.get_absolute_url())],
    )


@login_required
@require_http_methods(GET_POST)
def review_new(request: HttpRequest, compact: str) -> HttpResponse:
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    form = forms.ReviewForm(_post(request))
    home = reverse("governance:home", args=[compact.slug])
    if done := submit(
        request,
        form,
        lambda d: services.review_schedule(compact=compact, by=request.user, today=today(), **d),
        done="Review scheduled",
        then=home,
    ):
        return done
    from .sources import APPLIES_TO_REVIEW, standard_for

    standard = standard_for(compact.current_version, APPLIES_TO_REVIEW, "respond_within")
    intro = [
        f"{standard.title} ({standard.clause}): the due date follows from the date it counts "
        "from, and the review is an obligation."
        if standard
        else f"The {compact.name} sets no review period: give the date the review is due. "
        "It carries no obligation."
    ]
    return _form_page(
        request,
        compact,
        form,
        title="Schedule a review of the compact",
        submit="Schedule it",
        cancel=home,
        intro=intro,
    )


@login_required
@require_http_methods(GET_POST)
def review_record(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    review = get_object_or_404(Review, compact=compact, pk=pk)
    home = reverse("governance:home", args=[compact.slug])
    return _compact_form(
        request,
        forms.ReviewRecordForm(_post(request), initial={"done_on": today()}),
        compact,
        lambda d: services.review_record(review=review, by=request.user, today=today(), **d),
        done="Review recorded",
        then=home,
        title="Record the review",
        submit="Record it",
        cancel=home,
    )


def _revision_targets(version) -> list[tuple[str, str, str]]:
    definition = version.definition
    targets = []
    for s in definition.get("standards", []):
        targets.append(
            (Revision.Target.STANDARD_SUMMARY, s["id"], f"Wording of standard: {s['title']}")
        )
        if services._period_key(s):
            targets.append(
                (Revision.Target.STANDARD_PERIOD, s["id"], f"Period of standard: {s['title']}")
            )
    for o in definition.get("outcomes", []):
        targets.append(
            (Revision.Target.OUTCOME, o["id"], f"Outcome: {o.get('title') or o['text']}")
        )
    for code in definition.get("codes", []):
        for u in code["undertakings"]:
            targets.append(
                (Revision.Target.UNDERTAKING, u["id"], f"Undertaking: {u['summary'][:80]}")
            )
    return targets


@login_required
@require_http_methods(GET_POST)
def revision_new(request: HttpRequest, compact: str) -> HttpResponse:
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    form = forms.RevisionForm(_post(request), targets=_revision_targets(compact.current_version))

    def propose(data):
        return services.revision_propose(
            compact=compact,
            title=data["title"],
            reason_kind=data["reason_kind"],
            reason=data["reason"],
            target=form.target,
            target_id=data["target_id"],
            new_text=data["new_text"],
            new_count=data["new_count"],
            by=request.user,
        )

    return _compact_form(
        request,
        form,
        compact,
        propose,
        done="Revision proposed: it goes on the annual meeting's agenda",
        title="Propose a revision of the compact",
        submit="Propose it",
        cancel=reverse("governance:home", args=[compact.slug]),
    )


@login_required
@require_http_methods(GET_POST)
def revision_decide(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    revision = get_object_or_404(Revision, compact=compact, pk=pk)

    def decide(data):
        meeting = Meeting.objects.filter(compact=compact, on__lte=data["on"]).order_by("-on")
        return services.revision_decide(
            revision=revision,
            adopt=data["decision"] == "adopt",
            on=data["on"],
            meeting=meeting.first(),
            by=request.user,
            now=now(),
        )

    return _compact_form(
        request,
        forms.DecideForm(_post(request), initial={"on": today()}),
        compact,
        decide,
        done="Decision recorded",
        then=revision.get_absolute_url(),
        title=f"Decide: {revision.title}",
        submit="Record the decision",
        cancel=revision.get_absolute_url(),
        intro=[
            "Adopting it publishes a new version of the compact with the change in its "
            "change log. Records made under the earlier version keep pointing at it."
        ],
        crumbs=[(revision.title, revision.get_absolute_url())],
    )


# Signatories: news, stories, concerns ------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def post_new(request: HttpRequest, compact: str) -> HttpResponse:
    compact = _compact(compact)
    manage = request.user.has_perm("governance.manage", compact)
    acting = _acting(request)
    if not manage and not acting:
        return _forbidden(
            request,
            title="Only the support team or a signatory's officers can publish",
            reason="News and events come from the support team and the organisations that "
            "have signed the compact.",
        )
    form = forms.PostForm(_post(request), organisations=acting)

    def publish(data):
        if data["organisation"] is None and not manage:
            raise Refused("Choose the organisation you publish for", field="organisation")
        return services.post_publish(
            compact=compact,
            kind=data["kind"],
            title=data["title"],
            body=data["body"],
            organisation=data["organisation"],
            starts_at=form.starts_at(),
            place=data["place"],
            places=data["places"],
            today=today(),
            by=request.user,
        )

    news = reverse("governance:news", args=[compact.slug])
    return _compact_form(
        request,
        form,
        compact,
        publish,
        done="Published",
        title="Publish news or an event",
        submit="Publish",
        cancel=news,
        crumbs=[("News and events", news)],
    )


@login_required
@require_http_methods(GET_POST)
def story_new(request: HttpRequest, compact: str) -> HttpResponse:
    compact = _compact(compact)
    acting = _acting(request)
    if not acting:
        return _forbidden(
            request,
            title="Only a signatory's officers can send a story",
            reason="Good-practice stories come from organisations that have signed the compact.",
        )
    form = forms.StoryForm(
        _post(request),
        organisations=acting,
        codes=list(Code.objects.filter(version=compact.current_version)),
    )

    def send(data):
        return services.story_submit(
            compact=compact,
            organisation=data["organisation"],
            title=data["title"],
            body=data["body"],
            worked=data["worked"] == "yes",
            code=data["code"],
            by=request.user,
            today=today(),
        )

    stories = reverse("governance:stories", args=[compact.slug])
    return _compact_form(
        request,
        form,
        compact,
        send,
        done="Thank you: the support team will read it before publishing it",
        then=stories,
        title="Tell us about the compact at work",
        submit="Send the story",
        cancel=stories,
        intro=[
            "A short example of the compact working, or not working. The support team "
            "reads it before it is published."
        ],
        crumbs=[("Good practice", stories)],
    )


@login_required
@require_safe
def stories_waiting(request: HttpRequest, compact: str) -> HttpResponse:
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    queryset = Story.objects.filter(compact=compact, status=Story.Status.SUBMITTED).select_related(
        "organisation", "code"
    )
    return _compact_page(
        request,
        "governance/stories_waiting.html",
        compact,
        title=f"Stories waiting – {compact.name}",
        page=_paginate(request, queryset),
    )


@login_required
@require_http_methods(GET_POST)
def story_decide(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    if refused := _may_manage(request, compact):
        return refused
    story = get_object_or_404(Story.objects.select_related("organisation"), compact=compact, pk=pk)
    waiting = reverse("governance:stories_waiting", args=[compact.slug])
    return _compact_form(
        request,
        forms.StoryDecideForm(_post(request)),
        compact,
        lambda d: services.story_decide(
            story=story, publish=d["decision"] == "publish", by=request.user, today=today()
        ),
        done="Decision recorded",
        then=waiting,
        title=f"Publish “{story.title}”?",
        submit="Record the decision",
        cancel=waiting,
        intro=[f"From {story.organisation.name}: {story.body}"],
    )


@login_required
@require_safe
def concerns(request: HttpRequest, compact: str) -> HttpResponse:
    compact = _compact(compact)
    mine = [m.organisation_id for m in request.user.memberships.all()]
    queryset = (
        Concern.objects.filter(compact=compact)
        .filter(Q(raised_by_organisation_id__in=mine) | Q(raised_with_id__in=mine))
        .select_related("raised_by_organisation", "raised_with")
    )
    return _compact_page(
        request,
        "governance/concerns.html",
        compact,
        title=f"Concerns – {compact.name}",
        page=_paginate(request, queryset),
        may_raise=bool(_acting(request)),
    )


@login_required
@require_http_methods(GET_POST)
def concern_new(request: HttpRequest, compact: str) -> HttpResponse:
    compact = _compact(compact)
    acting = _acting(request)
    if not acting:
        return _forbidden(
            request,
            title="Only an organisation's officers can raise a concern",
            reason="A concern is raised by one organisation with another.",
        )
    version = compact.current_version
    form = forms.ConcernForm(
        _post(request),
        organisations=acting,
        others=signatories_current(compact=compact).distinct().order_by("name"),
        undertakings=list(Undertaking.objects.filter(version=version)),
        standards=list(Standard.objects.filter(version=version)),
    )

    def raise_(data):
        about = data["about"]
        return services.concern_raise(
            compact=compact,
            raised_by_organisation=data["organisation"],
            raised_with=data["raised_with"],
            subject=data["subject"],
            text=data["text"],
            suggestion=data["suggestion"],
            undertaking=about if isinstance(about, Undertaking) else None,
            standard=about if isinstance(about, Standard) else None,
            by=request.user,
            today=today(),
        )

    concerns = reverse("governance:concerns", args=[compact.slug])
    return _compact_form(
        request,
        form,
        compact,
        raise_,
        done=lambda made: f"Your concern was sent to {made.raised_with.name}",
        title="Raise a concern directly",
        submit="Send the concern",
        cancel=concerns,
        intro=[
            "The compacts ask organisations to take a problem up with each other first, "
            "in writing, with suggestions for doing better. Only the two organisations' "
            "members see the concern and the reply."
        ],
        crumbs=[("Concerns", concerns)],
    )


@login_required
@require_http_methods(GET_POST)
def concern(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact = _compact(compact)
    concern = get_object_or_404(
        Concern.objects.select_related(
            "raised_by_organisation", "raised_with", "undertaking", "standard__source"
        ),
        compact=compact,
        pk=pk,
    )
    if not request.user.has_perm("governance.view_concern", concern):
        raise Http404  # not even its existence is shown to others
    may_reply = (
        request.user.has_perm("governance.reply_concern", concern) and not concern.replied_on
    )
    form = forms.ReplyForm(_post(request)) if may_reply else None
    if request.method == "POST":
        if form is None:
            return _forbidden(
                request,
                title="Only the organisation the concern was raised with can reply",
                reason="Its officers and administrators reply, once.",
            )
        if done := submit(
            request,
            form,
            lambda d: services.concern_reply(
                concern=concern, reply=d["reply"], by=request.user, today=today()
            ),
            done="Your reply was sent",
            then=lambda _: concern.get_absolute_url(),
        ):
            return done
    try:
        disputes_url = reverse("disputes:raise")
    except NoReverseMatch:
        disputes_url = ""
    return _page(
        request,
        "governance/concern.html",
        {
            "compact": compact,
            "concern": concern,
            "form": form,
            "disputes_url": disputes_url,
            "page_title": concern.subject,
            "crumbs": _crumbs(
                compact, ("Concerns", reverse("governance:concerns", args=[compact.slug]))
            ),
        },
        form=form,
    )


@login_required
@require_safe
def concern_text(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    """The exchange as plain text, to attach when taking it to the disagreement
    procedure. Only for the two organisations' members."""
    compact = _compact(compact)
    concern = get_object_or_404(
        Concern.objects.select_related(
            "raised_by_organisation", "raised_with", "undertaking", "standard__source"
        ),
        compact=compact,
        pk=pk,
    )
    if not request.user.has_perm("governance.view_concern", concern):
        raise Http404
    about = (
        f"{concern.standard.title} ({concern.standard.source.file}, {concern.standard.clause_ref})"
        if concern.standard
        else concern.undertaking.summary
    )
    lines = [
        f"Concern raised directly under the {compact.name}",
        f"Subject: {concern.subject}",
        f"From: {concern.raised_by_organisation.name}, {concern.raised_on:%-d %B %Y}",
        f"To: {concern.raised_with.name}",
        f"About: {about}",
        "",
        concern.text,
    ]
    if concern.suggestion:
        lines += ["", "Suggested:", concern.suggestion]
    if concern.replied_on:
        lines += ["", f"Reply of {concern.replied_on:%-d %B %Y}:", concern.reply]
    else:
        lines += ["", "No reply yet."]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="concern-{concern.pk}.txt"'
    response["Cache-Control"] = "private, no-store"
    return response
