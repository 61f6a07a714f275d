"""Pages for partnership groups and meetings, requests to act, reports of withheld
information, consents and freedom-of-information requests.

Who may use each page is a django-rules permission (`rules.py`); a refusal is a 403
page saying why, and goes to the audit log. Writes go through `services`; a refusal
comes back as an error on the form, with nothing typed lost. Views read the clock once,
through `today()` and `now()` (tests replace them).
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from localcompact.compacts.models import Compact
from localcompact.core import logging as audit
from localcompact.core.links import absolute
from localcompact.core.refusals import forbidden, submit
from localcompact.core.uploads import document_response
from localcompact.obligations.models import Obligation
from localcompact.organisations.models import Kind, Organisation, Sector

from . import forms, selectors, services
from .models import (
    Consent,
    Decision,
    FoiRequest,
    GroupMember,
    Meeting,
    MeetingCalendar,
    Nomination,
    Paper,
    PartnershipGroup,
    RequestToAct,
    WithheldReport,
)
from .services import Refused

GET_POST = ["GET", "HEAD", "POST"]
PER_PAGE = 20
SECTION = "partnerships"


def today() -> dt.date:
    """Today in the site's time zone; views read it once (tests replace it)."""
    return timezone.localdate()


def now() -> dt.datetime:
    return timezone.now()


# Helpers -------------------------------------------------------------------------------------


def _forbidden(request: HttpRequest, *, title: str, reason: str) -> HttpResponse:
    return forbidden(
        request,
        title=title,
        reason=reason,
        section=SECTION,
        way_on=("partnerships:index", "Go to the partnership groups"),
    )


def _crumbs(*more) -> list[tuple[str, str]]:
    return [("Home", reverse("core:home")), ("Partnerships", reverse("partnerships:index")), *more]


def _group_crumbs(group: PartnershipGroup, *more):
    return _crumbs((group.name, group.get_absolute_url()), *more)


def _meeting_crumbs(meeting: Meeting, *more):
    return _group_crumbs(meeting.group, (meeting.title, meeting.get_absolute_url()), *more)


def _group(slug: str) -> PartnershipGroup:
    return get_object_or_404(
        PartnershipGroup.objects.select_related("compact__current_version", "convener"), slug=slug
    )


def _meeting(group: PartnershipGroup, pk: int) -> Meeting:
    meeting = get_object_or_404(Meeting, pk=pk, group=group)
    meeting.group = group
    return meeting


def _member(group: PartnershipGroup, pk: int, *related: str) -> GroupMember:
    return get_object_or_404(
        GroupMember.objects.select_related("organisation", *related), pk=pk, group=group
    )


def _organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


def _form_page(request, form, context: dict) -> HttpResponse:
    """The generic form page: `title`, `caption`, `intro`, `button`, `cancel`, `crumbs`."""
    context = {"form": form, "nav_section": SECTION, **context}
    context["page_title"] = ("Error: " if form.errors else "") + context["title"]
    return render(
        request,
        context.pop("template", "partnerships/form.html"),
        context,
        status=400 if form.errors else 200,
    )


def _group_page(request, form, group: PartnershipGroup, **context) -> HttpResponse:
    """`_form_page` for a form about a group: captioned with it, cancelling back to it."""
    return _form_page(
        request,
        form,
        {
            "caption": group.name,
            "cancel": group.get_absolute_url(),
            "crumbs": _group_crumbs(group),
            **context,
        },
    )


def _organisation_page(request, form, organisation: Organisation, **context) -> HttpResponse:
    """`_form_page` for a form an organisation fills in, cancelling back to its records."""
    records = reverse("partnerships:organisation", args=[organisation.slug])
    return _form_page(
        request,
        form,
        {
            "caption": organisation.name,
            "cancel": records,
            "crumbs": _crumbs((organisation.name, records)),
            **context,
        },
    )


def _post(request):
    return request.POST if request.method == "POST" else None


def _group_form(request, form, group, do, *, done, then=None, **page) -> HttpResponse:
    """A form about a group: `submit` on a valid POST, else its `_group_page`."""
    return submit(request, form, do, done=done, then=then) or _group_page(
        request, form, group, **page
    )


def _may_manage(request, group: PartnershipGroup) -> HttpResponse | None:
    if request.user.has_perm("partnerships.manage_group", group):
        return None
    return _forbidden(
        request,
        title=f"You cannot change {group.name}",
        reason=f"Only officers and administrators of {group.convener.name}, which runs the "
        "group, can change its terms of reference, members, meetings and minutes.",
    )


def _may_see_record(request, group: PartnershipGroup) -> HttpResponse | None:
    if request.user.has_perm("partnerships.view_group_record", group):
        return None
    return _forbidden(
        request,
        title=f"You cannot see the records of {group.name}",
        reason="Only people from the organisations that sit on the group or run it, and the "
        "compact's support team, can see its meetings, papers and decisions.",
    )


def _acting(request, organisation: Organisation) -> HttpResponse | None:
    if request.user.has_perm("partnerships.act_for", organisation):
        return None
    return _forbidden(
        request,
        title=f"You cannot act for {organisation.name}",
        reason=f"Only officers and administrators of {organisation.name} can do this for it.",
    )


def _may_answer_for(request, member: GroupMember, *, title: str, can: str) -> HttpResponse | None:
    if request.user.has_perm("partnerships.confirm_access", member):
        return None
    return _forbidden(
        request,
        title=title,
        reason=f"Only the member, officers of {member.organisation.name}, and officers of "
        f"{member.group.convener.name} {can}.",
    )


def _signed_compacts(organisation: Organisation):
    """The compacts the organisation has signed (the ones it works under here)."""
    return Compact.objects.filter(
        current_version__isnull=False,
        signatures__organisation=organisation,
        signatures__withdrawn_on__isnull=True,
    ).distinct()


def _member_label(member: GroupMember) -> str:
    return f"{member.name} ({member.organisation.name})"


def _role(data: dict) -> dict:
    """A member's role, from a member form's cleaned data, as the services take it."""
    return {
        "role": data["role"],
        "voting": data["voting"] == "yes",
        "represents": data["represents"],
        "constituency": data["constituency"],
    }


# Public: the list of groups, a group, its calendar feed -----------------------------------------


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    form = forms.SearchForm(request.GET or None)
    groups = (
        PartnershipGroup.objects.current()
        .select_related("compact", "convener")
        .annotate(member_count=Count("members", filter=Q(members__left_on__isnull=True)))
        .order_by("name", "pk")
    )
    query = ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        if query:
            groups = groups.filter(Q(name__icontains=query) | Q(convener__name__icontains=query))
    page = Paginator(groups, PER_PAGE).get_page(request.GET.get("page"))
    mine = []
    if request.user.is_authenticated:
        mine = list(Organisation.objects.filter(memberships__user=request.user).order_by("name"))
    return render(
        request,
        "partnerships/index.html",
        {
            "form": form,
            "page": page,
            "query": query,
            "mine": mine,
            "page_title": "Partnership groups",
            "nav_section": SECTION,
            "crumbs": [("Home", reverse("core:home"))],
        },
    )


@require_safe
def group_detail(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(slug)
    day = today()
    members = list(group.members.select_related("organisation").prefetch_related("nomination"))
    current = [m for m in members if m.left_on is None]
    may_see = request.user.has_perm("partnerships.view_group_record", group)
    manage = request.user.has_perm("partnerships.manage_group", group)
    calendars = list(group.calendars.all())
    meetings = list(group.meetings.annotate(tabled=Count("papers", filter=Q(papers__tabled=True))))
    published = [c for c in calendars if c.published_on]
    for calendar in calendars:
        calendar.meetings = [
            m for m in meetings if calendar.starts_on <= m.date <= calendar.ends_on
        ]
    context = {
        "group": group,
        "verdict": services.terms_verdict(group, members),
        "members": current,
        "former": [m for m in members if m.left_on is not None] if may_see else [],
        "nominations": list(group.nominations.select_related("infrastructure_body", "member")),
        "calendars": calendars if may_see else published,
        "meetings": selectors.meeting_rows(meetings, day) if may_see else [],
        "decisions": selectors.electronic_decisions(group) if may_see else [],
        "refusals": list(group.events.filter(kind="decision.refused")[:10]) if may_see else [],
        "access_missing": [m for m in current if m.access_confirmed_on is None],
        "may_see": may_see,
        "manage": manage,
        "today": day,
        "page_title": group.name,
        "nav_section": SECTION,
        "crumbs": _crumbs(),
    }
    if may_see:
        context["obligations"] = selectors.obligations_for(group, calendars, meetings)
    return render(request, "partnerships/group.html", context)


@require_safe
def calendar_feed(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(slug)
    body = selectors.meetings_ical(group=group, now=now(), base=absolute("/"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{group.slug}-meetings.ics"'
    return response


@login_required
@require_safe
def history(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(slug)
    if refused := _may_see_record(request, group):
        return refused
    page = Paginator(group.events.select_related("by"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/history.html",
        {
            "group": group,
            "page": page,
            "page_title": f"History – {group.name}",
            "nav_section": SECTION,
            "crumbs": _group_crumbs(group),
        },
    )


# A meeting -------------------------------------------------------------------------------------


@login_required
@require_safe
def meeting_detail(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    if refused := _may_see_record(request, group):
        return refused
    meeting = _meeting(group, pk)
    day = today()
    sees_restricted = request.user.has_perm("partnerships.view_restricted", group)
    context = selectors.meeting_page(meeting, day=day, sees_restricted=sees_restricted)
    context.update(
        {
            "group": group,
            "meeting": meeting,
            "manage": request.user.has_perm("partnerships.manage_group", group),
            "sees_restricted": sees_restricted,
            "today": day,
            "page_title": f"{meeting.title} – {group.name}",
            "nav_section": SECTION,
            "crumbs": _group_crumbs(group),
        }
    )
    return render(request, "partnerships/meeting.html", context)


@login_required
@require_safe
def interests(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    if refused := _may_see_record(request, group):
        return refused
    member = _member(group, pk)
    sees_restricted = request.user.has_perm("partnerships.view_restricted", group)
    declarations = list(
        member.declarations.select_related("item__meeting__group").order_by(
            "-item__meeting__starts_at"
        )
    )
    day = today()
    for declaration in declarations:
        declaration.hidden = declaration.item.restricted_on(day) and not sees_restricted
    return render(
        request,
        "partnerships/interests.html",
        {
            "group": group,
            "member": member,
            "registered": list(member.interests.all()),
            "declarations": declarations,
            "may_register": request.user.has_perm("partnerships.confirm_access", member),
            "page_title": f"Register of interests: {member.name} – {group.name}",
            "nav_section": SECTION,
            "crumbs": _group_crumbs(group),
        },
    )


# Managing a group ---------------------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def group_new(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    if refused := _acting(request, organisation):
        return refused
    compacts = _signed_compacts(organisation)
    form = forms.GroupForm(_post(request), compacts=compacts)

    def create(data):
        return services.group_create(
            compact=data["compact"],
            convener=organisation,
            name=data["name"],
            kind=data["kind"],
            set_up_on=data["set_up_on"],
            by=request.user,
            today=today(),
        )

    if done := submit(
        request,
        form,
        create,
        done=lambda group: f"{group.name} set up: now complete its terms of reference",
        then=lambda group: reverse("partnerships:terms", kwargs={"slug": group.slug}),
    ):
        return done
    return _organisation_page(
        request,
        form,
        organisation,
        title="Set up a partnership group",
        intro="Your organisation runs the group. Before it can hold a meeting that "
        "takes decisions, its terms of reference must be complete.",
        empty="Your organisation has signed no compact yet: a group works under a "
        "compact your organisation has signed."
        if not compacts.exists()
        else "",
        button="Set up the group",
    )


@login_required
@require_http_methods(GET_POST)
def terms(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(slug)
    if refused := _may_manage(request, group):
        return refused
    initial = {name: getattr(group, name) for name in forms.TermsForm.base_fields}
    form = forms.TermsForm(_post(request), initial=initial)

    def saved(group):
        verdict = services.terms_verdict(group)
        if group.terms_complete:
            return "Terms of reference saved: they are complete"
        return f"Terms of reference saved. {verdict.explanation}"

    if done := submit(
        request,
        form,
        lambda d: services.terms_update(group=group, by=request.user, today=today(), **d),
        done=saved,
    ):
        return done
    # Not `_group_form`: the page reads the verdict after any refused attempt.
    return _group_page(
        request,
        form,
        group,
        title="Terms of reference",
        verdict=services.terms_verdict(group),
        intro="The compact asks for the group's aims and tasks, its authority, how it "
        "decides, whether its decisions are final, each member's role and vote, and its "
        "quorum. Members' roles are set on the group's page.",
        button="Save the terms of reference",
    )


@login_required
@require_http_methods(GET_POST)
def member_new(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(slug)
    if refused := _may_manage(request, group):
        return refused
    form = forms.MemberForm(
        _post(request),
        organisations=Organisation.objects.order_by("name"),
        initial={"joined_on": today()},
    )

    def add(data):
        return services.member_add(
            group=group,
            organisation=data["organisation"],
            name=data["name"],
            joined_on=data["joined_on"],
            **_role(data),
            by=request.user,
            today=today(),
        )

    return _group_form(
        request,
        form,
        group,
        add,
        done=lambda m: f"{m.name} added to {group.name}",
        then=group,
        title="Add a member",
        intro="Each member acts for an organisation. Say whether they represent only "
        "their own organisation or a wider constituency, as the code on representing "
        "sectors asks.",
        button="Add the member",
    )


@login_required
@require_http_methods(GET_POST)
def member_change(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    if refused := _may_manage(request, group):
        return refused
    member = _member(group, pk)
    initial = {
        "role": member.role,
        "voting": "yes" if member.voting else "no",
        "represents": member.represents,
        "constituency": member.constituency,
    }
    form = forms.MemberChangeForm(_post(request), initial=initial)

    def change(data):
        return services.member_change(member=member, by=request.user, today=today(), **_role(data))

    return _group_form(
        request,
        form,
        group,
        change,
        done=f"{member.name}'s role changed",
        then=group,
        title=f"Change {member.name}'s role",
        caption=f"{group.name}: for {member.organisation.name}",
        button="Save the change",
    )


@login_required
@require_http_methods(GET_POST)
def member_leave(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    if refused := _may_manage(request, group):
        return refused
    member = _member(group, pk)
    form = forms.LeaveForm(_post(request), initial={"left_on": today()})
    return _group_form(
        request,
        form,
        group,
        lambda d: services.member_leave(
            member=member, left_on=d["left_on"], by=request.user, today=today()
        ),
        done=f"{member.name} has left {group.name}",
        then=group,
        title=f"{member.name} leaves the group",
        button="Record that they left",
    )


@login_required
@require_http_methods(GET_POST)
def access_confirm(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    member = _member(group, pk, "group__convener")
    if refused := _may_answer_for(
        request, member, title="You cannot confirm this member's access", can="can confirm it"
    ):
        return refused
    form = forms.ConfirmForm(_post(request))
    return _group_form(
        request,
        form,
        group,
        lambda d: services.access_confirm(member=member, by=request.user, today=today()),
        done=f"Access confirmed for {member.name}",
        then=group,
        title=f"Confirm {member.name} can use {group.electronic_means or 'the electronic means'}",
        intro="The group decides by electronic means only when every partner has "
        "confirmed access to them. Confirm only what the member has told you.",
        button="Confirm access",
    )


@login_required
@require_http_methods(GET_POST)
def interest_new(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    member = _member(group, pk, "group__convener")
    if refused := _may_answer_for(
        request, member, title="You cannot register this member's interests", can="can"
    ):
        return refused
    form = forms.InterestForm(_post(request), initial={"registered_on": today()})
    register = reverse("partnerships:interests", args=[group.slug, member.pk])
    return _group_form(
        request,
        form,
        group,
        lambda d: services.interest_register(member=member, by=request.user, today=today(), **d),
        done="Interest registered",
        then=register,
        title=f"Register an interest for {member.name}",
        button="Register the interest",
        cancel=register,
    )


@login_required
@require_http_methods(GET_POST)
def nomination_new(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(slug)
    if refused := _may_manage(request, group):
        return refused
    bodies = Organisation.objects.filter(kind=Kind.INFRASTRUCTURE, sector=Sector.VCS).order_by(
        "name"
    )
    form = forms.NominationRequestForm(_post(request), bodies=bodies)
    return _group_form(
        request,
        form,
        group,
        lambda d: services.nomination_request(group=group, by=request.user, today=today(), **d),
        done="Nomination asked for",
        then=group,
        title="Ask for a nominated representative",
        intro="Where the group needs a wider constituency represented, ask the "
        "relevant voluntary sector infrastructure body to nominate someone.",
        empty=""
        if bodies.exists()
        else "No organisation on the register is marked as an infrastructure body yet.",
        button="Ask for a nomination",
    )


@login_required
@require_http_methods(GET_POST)
def nomination(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    nomination = get_object_or_404(
        Nomination.objects.select_related("infrastructure_body"), pk=pk, group=group
    )
    user = request.user
    if not (
        user.has_perm("partnerships.manage_group", group)
        or user.has_perm("partnerships.act_for", nomination.infrastructure_body)
    ):
        return _forbidden(
            request,
            title="You cannot record this nomination",
            reason=f"Only officers of {nomination.infrastructure_body.name} and of "
            f"{group.convener.name} can record who is nominated.",
        )
    form = forms.NominationForm(_post(request))

    def record(data):
        return services.nomination_record(
            nomination=nomination,
            nominee_name=data["nominee_name"],
            term_starts_on=data["term_starts_on"],
            term_ends_on=data["term_ends_on"],
            voting=data["voting"] == "yes",
            by=user,
            today=today(),
        )

    return _group_form(
        request,
        form,
        group,
        record,
        done=lambda _: f"{form.cleaned_data['nominee_name']} nominated",
        then=group,
        title=f"Nominate a representative of {nomination.constituency}",
        intro=f"Role description: {nomination.role_description}",
        button="Record the nomination",
    )


@login_required
@require_http_methods(GET_POST)
def calendar_new(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(slug)
    if refused := _may_manage(request, group):
        return refused
    form = forms.CalendarForm(_post(request), initial={"year": today().year + 1})
    return _group_form(
        request,
        form,
        group,
        lambda d: services.calendar_create(group=group, by=request.user, today=today(), **d),
        done=lambda calendar: (
            f"Calendar for the {calendar.label} started: add its meetings, then publish it"
        ),
        then=group,
        title="Plan a year's meetings",
        intro="The compact asks for a group's meeting dates to be set for the calendar "
        "or financial year before it begins.",
        button="Start the calendar",
    )


@login_required
@require_http_methods(GET_POST)
def calendar_publish(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    group = _group(slug)
    if refused := _may_manage(request, group):
        return refused
    calendar = get_object_or_404(MeetingCalendar, pk=pk, group=group)
    form = forms.ConfirmForm(_post(request))
    return _group_form(
        request,
        form,
        group,
        lambda d: services.calendar_publish(calendar=calendar, by=request.user, today=today()),
        done=f"Meeting dates for the {calendar.label} published",
        then=group,
        title=f"Publish the meeting dates for the {calendar.label}",
        intro="Anyone will see the dates on the group's page and in its calendar feed.",
        button="Publish the dates",
    )


@login_required
@require_http_methods(GET_POST)
def meeting_new(request: HttpRequest, slug: str) -> HttpResponse:
    group = _group(slug)
    if refused := _may_manage(request, group):
        return refused
    form = forms.MeetingForm(_post(request))

    def schedule(data):
        return services.meeting_schedule(
            group=group,
            title=data["title"],
            starts_at=timezone.make_aware(dt.datetime.combine(data["date"], data["time"])),
            location=data["location"],
            decision_making=data["decision_making"] == "yes",
            by=request.user,
            today=today(),
        )

    return _group_form(
        request,
        form,
        group,
        schedule,
        done=lambda m: f"{m.title} added",
        title="Add a meeting",
        button="Add the meeting",
    )


def _meeting_form(
    request,
    slug,
    pk,
    form_class,
    action,
    *,
    title,
    button,
    intro="",
    form_kwargs=None,
    initial=None,
    done="",
):
    """A form about one meeting, for the group's managers: `action(meeting, data)`."""
    group = _group(slug)
    if refused := _may_manage(request, group):
        return refused
    meeting = _meeting(group, pk)
    kwargs = form_kwargs(meeting) if form_kwargs else {}
    files = request.FILES if request.method == "POST" else None
    form = form_class(_post(request), files, initial=initial or {}, **kwargs)
    if saved := submit(request, form, lambda d: action(meeting, d), done=done, then=meeting):
        return saved
    return _form_page(
        request,
        form,
        {
            "title": title,
            "caption": f"{group.name}: {meeting.title}, {meeting.date:%-d %B %Y}",
            "intro": intro(meeting) if callable(intro) else intro,
            "button": button,
            "cancel": meeting.get_absolute_url(),
            "crumbs": _meeting_crumbs(meeting),
        },
    )


def _notice_intro(meeting):
    due = services.notice_due_on(meeting)
    if due is None:
        return "The compact sets no notice period for meetings."
    return (
        f"The compact asks for notice by {due:%-d %B %Y}. Notice after that is short: "
        "record why, and the meeting shows it."
    )


@login_required
@require_http_methods(GET_POST)
def notice(request, slug, pk):
    return _meeting_form(
        request,
        slug,
        pk,
        forms.NoticeForm,
        lambda m, d: services.meeting_give_notice(meeting=m, by=request.user, today=today(), **d),
        title="Record the notice given",
        button="Record the notice",
        intro=_notice_intro,
        initial={"given_on": today()},
        done="Notice recorded",
    )


@login_required
@require_http_methods(GET_POST)
def item_new(request, slug, pk):
    return _meeting_form(
        request,
        slug,
        pk,
        forms.ItemForm,
        lambda m, d: services.item_add(meeting=m, by=request.user, today=today(), **d),
        title="Add an agenda item",
        button="Add the item",
        done="Agenda item added",
    )


@login_required
@require_http_methods(GET_POST)
def paper_new(request, slug, pk):
    return _meeting_form(
        request,
        slug,
        pk,
        forms.PaperForm,
        lambda m, d: services.paper_add(meeting=m, by=request.user, today=today(), **d),
        title="Add a paper",
        button="Add the paper",
        intro="Papers go to partners before the meeting; tabling a paper on the day is to "
        "be avoided, and is counted.",
        form_kwargs=lambda m: {"items": m.items.all()},
        done="Paper added",
    )


@login_required
@require_http_methods(GET_POST)
def paper_sent(request, slug, pk, paper):
    found = get_object_or_404(Paper, pk=paper, meeting_id=pk)
    return _meeting_form(
        request,
        slug,
        pk,
        forms.SentForm,
        lambda m, d: services.paper_mark_sent(paper=found, by=request.user, today=today(), **d),
        title=f"Record that '{found.title}' was sent",
        button="Record the date sent",
        initial={"sent_on": today()},
        done="Paper marked as sent",
    )


@login_required
@require_safe
def paper_document(request, slug, pk, paper):
    """A paper's file, for whoever may read the paper; a restricted paper's file is not
    found by those who may not see it, as its title is hidden from them."""
    group = _group(slug)
    if refused := _may_see_record(request, group):
        return refused
    meeting = _meeting(group, pk)
    found = get_object_or_404(
        Paper.objects.select_related("document", "item"), pk=paper, meeting=meeting
    )
    day = today()
    restricted = found.restricted_on(day) or bool(found.item and found.item.restricted_on(day))
    if restricted and not request.user.has_perm("partnerships.view_restricted", group):
        raise Http404("No such paper")
    document = getattr(found, "document", None)
    if document is None:
        raise Http404("This paper has no file")
    audit.audit_log("partnerships.paper.downloaded", paper=found.pk)
    return document_response(document)


def _members_on_the_day(meeting):
    return (
        meeting.group.members.filter(joined_on__lte=meeting.date)
        .exclude(left_on__lt=meeting.date)
        .select_related("organisation")
    )


@login_required
@require_http_methods(GET_POST)
def attendance(request, slug, pk):
    def initial_for(meeting):
        return {f"member_{a.member_id}": a.status for a in meeting.attendance.all()}

    group = _group(slug)
    meeting = _meeting(group, pk)
    return _meeting_form(
        request,
        slug,
        pk,
        forms.AttendanceForm,
        lambda m, d: services.attendance_record(
            meeting=m,
            statuses={int(k[7:]): v for k, v in d.items()},
            by=request.user,
            today=today(),
        ),
        title="Record attendance",
        button="Save the attendance",
        intro=lambda m: (
            f"The quorum is {group.quorum} voting members present."
            if group.quorum
            else "The terms of reference set no quorum yet."
        ),
        form_kwargs=lambda m: {"members": _members_on_the_day(m)},
        initial=initial_for(meeting),
        done="Attendance recorded",
    )


@login_required
@require_http_methods(GET_POST)
def declaration_new(request, slug, pk):
    return _meeting_form(
        request,
        slug,
        pk,
        forms.DeclarationForm,
        lambda m, d: services.declaration_record(by=request.user, today=today(), **d),
        title="Record a declaration of interest",
        button="Record the declaration",
        form_kwargs=lambda m: {"items": m.items.all(), "members": _members_on_the_day(m)},
        done="Declaration recorded",
    )


@login_required
@require_http_methods(GET_POST)
def decision_new(request, slug, pk):
    return _meeting_form(
        request,
        slug,
        pk,
        forms.MeetingDecisionForm,
        lambda m, d: services.decision_record(meeting=m, by=request.user, today=today(), **d),
        title="Record a decision",
        button="Record the decision",
        intro="A decision needs a quorate meeting: voting members present at least the quorum.",
        form_kwargs=lambda m: {"items": m.items.all()},
        done="Decision recorded",
    )


@login_required
@require_http_methods(GET_POST)
def minutes(request, slug, pk):
    group = _group(slug)
    meeting = _meeting(group, pk)
    return _meeting_form(
        request,
        slug,
        pk,
        forms.MinutesForm,
        lambda m, d: services.minutes_save(meeting=m, by=request.user, today=today(), **d),
        title="Draft minutes",
        button="Save the draft",
        intro="Restricted matters belong in restricted agenda items, not in the minutes, "
        "which the compact's support team can read.",
        initial={"minutes": meeting.minutes},
        done="Draft minutes saved",
    )


@login_required
@require_http_methods(GET_POST)
def minutes_approve(request, slug, pk):
    return _meeting_form(
        request,
        slug,
        pk,
        forms.ConfirmForm,
        lambda m, d: services.minutes_approve(meeting=m, by=request.user, today=today()),
        title="Approve the minutes",
        button="Approve the minutes",
        intro="Once approved, the meeting's record (attendance, declarations, decisions and "
        "objections) cannot change.",
        done="Minutes approved",
    )


@login_required
@require_http_methods(GET_POST)
def meeting_cancel(request, slug, pk):
    return _meeting_form(
        request,
        slug,
        pk,
        forms.ConfirmForm,
        lambda m, d: services.meeting_cancel(meeting=m, by=request.user, today=today()),
        title="Cancel the meeting",
        button="Cancel the meeting",
        intro="Its notice and papers are then no longer owed.",
        done="Meeting cancelled",
    )


@login_required
@require_http_methods(GET_POST)
def objection_new(request, slug, pk):
    group = _group(slug)
    if refused := _may_manage(request, group):
        return refused
    decision = get_object_or_404(Decision.objects.select_related("meeting"), pk=pk, group=group)
    form = forms.ObjectionForm(
        _post(request), members=group.members.current().select_related("organisation")
    )
    crumbs = _meeting_crumbs(decision.meeting) if decision.meeting else _group_crumbs(group)
    return _group_form(
        request,
        form,
        group,
        lambda d: services.objection_record(decision=decision, by=request.user, today=today(), **d),
        done="Objection minuted",
        then=decision.meeting or group,
        title="Minute an objection",
        caption=f"{group.name}: {decision.text[:80]}",
        intro="The compact asks that an objection be minuted with how the difference "
        "will be represented outside the meeting.",
        button="Minute the objection",
        cancel=(decision.meeting or group).get_absolute_url(),
        crumbs=crumbs,
    )


@login_required
@require_http_methods(GET_POST)
def decision_electronic(request, slug):
    group = _group(slug)
    if refused := _may_manage(request, group):
        return refused
    form = forms.ElectronicDecisionForm(_post(request), initial={"decided_on": today()})
    if done := submit(
        request,
        form,
        lambda d: services.decision_record_electronic(
            group=group, by=request.user, today=today(), **d
        ),
        done="Decision recorded",
        then=group,
    ):
        return done
    missing = services.access_missing(group)
    return _group_page(
        request,
        form,
        group,
        title="Record a decision taken by e-mail or video",
        intro="Only when every partner has confirmed access to "
        f"{group.electronic_means or 'the means'}."
        + (
            f" Still to confirm: {', '.join(_member_label(m) for m in missing)}." if missing else ""
        ),
        button="Record the decision",
    )


# An organisation's partnership records ------------------------------------------------------------


@login_required
@require_safe
def organisation(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    if not request.user.has_perm("partnerships.view_lists", organisation):
        return _forbidden(
            request,
            title=f"You cannot see {organisation.name}'s partnership records",
            reason=f"Only members of {organisation.name} can.",
        )
    context = selectors.organisation_page(organisation)
    context.update(
        {
            "organisation": organisation,
            "acts": request.user.has_perm("partnerships.act_for", organisation),
            "page_title": f"Partnership work – {organisation.name}",
            "nav_section": SECTION,
            "crumbs": _crumbs(),
        }
    )
    return render(request, "partnerships/organisation.html", context)


def _others(organisation):
    return Organisation.objects.exclude(pk=organisation.pk).order_by("name")


def _org_form(request, slug, form_class, create, *, title, button, intro="", others=None, done=""):
    organisation = _organisation(slug)
    if refused := _acting(request, organisation):
        return refused
    queryset = others(organisation) if others else _others(organisation)
    form = form_class(
        _post(request), organisations=queryset, compacts=_signed_compacts(organisation)
    )
    if saved := submit(request, form, lambda d: create(organisation, d), done=done):
        return saved
    return _organisation_page(request, form, organisation, title=title, intro=intro, button=button)


@login_required
@require_http_methods(GET_POST)
def request_new(request, slug):
    def create(organisation, data):
        return services.request_make(
            from_organisation=organisation, group=None, by=request.user, today=today(), **data
        )

    return _org_form(
        request,
        slug,
        forms.RequestForm,
        create,
        title="Ask a partner to act",
        button="Send the request",
        intro="The compact asks for at least a week to act from the day the request is "
        "received, and ideally four, except in an emergency.",
        done="Request sent",
    )


@login_required
@require_http_methods(GET_POST)
def withheld_new(request, slug):
    def create(organisation, data):
        return services.withheld_report(
            reported_by=organisation, group=None, by=request.user, today=today(), **data
        )

    return _org_form(
        request,
        slug,
        forms.WithheldForm,
        create,
        title="Report information withheld",
        button="Send the report",
        intro="Partners must not put one another at risk by withholding information the "
        "other needs. Your report goes to the compact's support team and steering group; "
        "the partner you name does not see it here.",
        done="Report sent to the compact's support team",
    )


@login_required
@require_http_methods(GET_POST)
def consent_new(request, slug):
    def create(organisation, data):
        return services.consent_ask(holder=organisation, by=request.user, today=today(), **data)

    return _org_form(
        request,
        slug,
        forms.ConsentForm,
        create,
        title="Ask consent to pass on information",
        button="Ask for consent",
        intro="Information about another organisation is passed on only with its consent, "
        "unless the law requires it.",
        done="Consent asked for",
    )


@login_required
@require_http_methods(GET_POST)
def foi_new(request, slug):
    def create(organisation, data):
        return services.foi_record(public_body=organisation, by=request.user, today=today(), **data)

    return _org_form(
        request,
        slug,
        forms.FoiForm,
        create,
        title="Record a freedom of information request",
        button="Record the request",
        intro="When a request concerns a voluntary or community organisation's material, it "
        "is invited to comment on what should be disclosed before the disclosure date.",
        others=lambda o: (
            Organisation.objects.filter(sector=Sector.VCS).exclude(pk=o.pk).order_by("name")
        ),
        done="Request recorded: the organisation is invited to comment",
    )


def _record_page(request, record, perm, template, context, *, title, who):
    if not request.user.has_perm(perm, record):
        return _forbidden(request, title=title, reason=who)
    context.update({"nav_section": SECTION, "crumbs": _crumbs()})
    return render(request, template, context)


def _record_form_page(request, template, form, context, *, title) -> HttpResponse:
    """A record's page with its form (or None): `title`, marked and a 400 while it has errors."""
    errors = form is not None and bool(form.errors)
    context = {
        "form": form,
        "page_title": ("Error: " if errors else "") + title,
        "nav_section": SECTION,
        "crumbs": _crumbs(),
        **context,
    }
    return render(request, template, context, status=400 if errors else 200)


def _obligations_of(record):
    from django.contrib.contenttypes.models import ContentType

    return list(
        Obligation.objects.filter(
            source_type=ContentType.objects.get_for_model(record), source_id=record.pk
        ).select_related("standard__source")
    )


@login_required
@require_safe
def request_detail(request, pk):
    record = get_object_or_404(
        RequestToAct.objects.select_related("from_organisation", "to_organisation", "compact"),
        pk=pk,
    )
    verdict = services.request_check(
        compact=record.compact,
        received_on=record.received_on,
        action_due_on=record.action_due_on,
        emergency_reason=record.emergency_reason,
    )
    return _record_page(
        request,
        record,
        "partnerships.view_request",
        "partnerships/request.html",
        {
            "record": record,
            "verdict": verdict,
            "obligations": _obligations_of(record),
            "may_act": request.user.has_perm("partnerships.act_on_request", record),
            "page_title": f"Request to act: {record.title}",
        },
        title="You cannot see this request",
        who="Only members of the two organisations and the compact's support team can see it.",
    )


@login_required
@require_http_methods(GET_POST)
def request_done(request, pk):
    record = get_object_or_404(RequestToAct.objects.select_related("to_organisation"), pk=pk)
    if not request.user.has_perm("partnerships.act_on_request", record):
        return _forbidden(
            request,
            title="You cannot act on this request",
            reason=f"Only officers of {record.to_organisation.name}, which was asked, can.",
        )
    form = forms.DoneForm(_post(request), initial={"done_on": today()})
    if done := submit(
        request,
        form,
        lambda d: services.request_done(request=record, by=request.user, today=today(), **d),
        done="Recorded as done",
        then=record,
    ):
        return done
    return _form_page(
        request,
        form,
        {
            "title": "Record that you acted",
            "caption": record.title,
            "button": "Record it",
            "cancel": record.get_absolute_url(),
            "crumbs": _crumbs((record.title, record.get_absolute_url())),
        },
    )


@login_required
@require_http_methods(GET_POST)
def withheld_detail(request, pk):
    record = get_object_or_404(
        WithheldReport.objects.select_related("reported_by", "about", "compact", "considered_by"),
        pk=pk,
    )
    if not request.user.has_perm("partnerships.view_withheld", record):
        return _forbidden(
            request,
            title="You cannot see this report",
            reason="Only members of the organisation that made it, and the compact's support "
            "team and steering group, can see it.",
        )
    considers = request.user.has_perm("partnerships.consider_withheld", record)
    form = forms.OutcomeForm(_post(request)) if considers and record.considered_on is None else None
    if request.method == "POST":
        if form is None:
            return _forbidden(
                request,
                title="You cannot record what was done",
                reason="Only the compact's support team can, once.",
            )
        if form.is_valid():
            try:  # refused when someone else recorded it a moment before
                services.withheld_consider(
                    report=record, by=request.user, today=today(), **form.cleaned_data
                )
            except Refused as refused:
                form.refuse(refused)
            else:
                messages.success(request, "Recorded")
                return redirect(record)
    return _record_form_page(
        request,
        "partnerships/withheld.html",
        form,
        {"record": record},
        title="Information withheld",
    )


@login_required
@require_safe
def withheld_list(request, slug):
    compact = get_object_or_404(Compact, slug=slug)
    if not request.user.has_perm("partnerships.view_withheld_list", compact):
        return _forbidden(
            request,
            title="You cannot see these reports",
            reason="Only the compact's support team and steering group can.",
        )
    page = Paginator(
        compact.withheld_reports.select_related("reported_by", "about"), PER_PAGE
    ).get_page(request.GET.get("page"))
    return render(
        request,
        "partnerships/withheld_list.html",
        {
            "compact": compact,
            "page": page,
            "page_title": f"Information withheld – {compact.name}",
            "nav_section": SECTION,
            "crumbs": _crumbs(),
        },
    )


@login_required
@require_http_methods(GET_POST)
def consent_detail(request, pk):
    record = get_object_or_404(
        Consent.objects.select_related("holder", "about", "decided_by"), pk=pk
    )
    if not request.user.has_perm("partnerships.view_consent", record):
        return _forbidden(
            request,
            title="You cannot see this consent",
            reason="Only members of the two organisations can see it.",
        )
    decides = request.user.has_perm("partnerships.decide_consent", record)
    form = (
        forms.ConsentDecisionForm(_post(request))
        if decides and record.status == Consent.Status.ASKED
        else None
    )
    if request.method == "POST":
        if form is None:
            return _forbidden(
                request,
                title="You cannot decide this consent",
                reason=f"Only officers of {record.about.name} can, while it is asked for.",
            )
        if form.is_valid():
            try:  # refused when someone else decided it a moment before
                services.consent_decide(
                    consent=record,
                    give=form.cleaned_data["decision"] == "give",
                    note=form.cleaned_data["note"],
                    by=request.user,
                    today=today(),
                )
            except Refused as refused:
                form.refuse(refused)
            else:
                messages.success(request, "Decision recorded")
                return redirect(record)
    return _record_form_page(
        request,
        "partnerships/consent.html",
        form,
        {"record": record},
        title="Consent to pass on information",
    )


@login_required
@require_http_methods(GET_POST)
def foi_detail(request, pk):
    record = get_object_or_404(
        FoiRequest.objects.select_related("public_body", "organisation", "compact"), pk=pk
    )
    if not request.user.has_perm("partnerships.view_foi", record):
        return _forbidden(
            request,
            title="You cannot see this request",
            reason="Only members of the public body and of the organisation it concerns can.",
        )
    form = None
    if (
        request.user.has_perm("partnerships.comment_foi", record)
        and record.commented_on is None
        and record.decided_on is None
    ):
        form = forms.FoiCommentForm(_post(request))
        action = lambda d: services.foi_comment(foi=record, by=request.user, today=today(), **d)  # noqa: E731
    elif request.user.has_perm("partnerships.decide_foi", record) and record.decided_on is None:
        form = forms.FoiDecisionForm(_post(request))
        action = lambda d: services.foi_decide(foi=record, by=request.user, today=today(), **d)  # noqa: E731
    if request.method == "POST":
        if form is None:
            return _forbidden(
                request,
                title="You cannot change this request",
                reason=f"Only officers of {record.organisation.name} comment, and only officers "
                f"of {record.public_body.name} decide, each once.",
            )
        if done := submit(request, form, action, done="Saved", then=record):
            return done
    return _record_form_page(
        request,
        "partnerships/foi.html",
        form,
        {"record": record, "obligations": _obligations_of(record)},
        title="Freedom of information request",
    )
