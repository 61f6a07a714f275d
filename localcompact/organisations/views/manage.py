"""Managing an organisation: creating or claiming it, its members and invitations, the
pledge and its withdrawal; and the compact support team's pages.

Who may use each page is a django-rules permission (see `rules.py`); a refusal is a 403
page saying why, and goes to the audit log. Writes go through `services`; a service's
refusal comes back as an error on the form, with nothing changed. Views read the clock
once, through `today()` and `now()` (tests replace them).
"""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from localcompact.compacts.models import Compact
from localcompact.core import logging as audit
from localcompact.core.refusals import forbidden

from .. import services
from ..forms import (
    ClaimDecisionForm,
    ClaimForm,
    CommunityGroupForm,
    InvitationForm,
    OrganisationForm,
    OrganisationSearchForm,
    PaperPledgeForm,
    PledgeForm,
    RoleForm,
    RoleGrantForm,
    WithdrawalForm,
)
from ..models import (
    Claim,
    CompactRole,
    CompactRoleKind,
    Invitation,
    Membership,
    Organisation,
    Role,
    Signature,
)
from ..services import Refused

GET_POST = ["GET", "HEAD", "POST"]
# The invitation's token is kept in the session under this key once its link is opened,
# so that it leaves the address bar (and any Referer header and log line) at once.
INVITATION_SESSION_KEY = "organisations.invitation_token"


def today() -> dt.date:
    """Today in the site's time zone; views read it once (tests replace it)."""
    return timezone.localdate()


def now() -> dt.datetime:
    return timezone.now()


# Helpers -----------------------------------------------------------------------------------


def _forbidden(request: HttpRequest, *, title: str, reason: str) -> HttpResponse:
    return forbidden(
        request, title=title, reason=reason, way_on=("core:home", "Go to the home page")
    )


def _organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


def _compact(slug: str) -> Compact:
    return get_object_or_404(
        Compact.objects.select_related("current_version"),
        slug=slug,
        current_version__isnull=False,
    )


def _try_reverse(name: str, **kwargs) -> str:
    """The URL, or "" while the page it names does not exist yet (the register is built
    alongside these pages)."""
    try:
        return reverse(name, kwargs=kwargs or None)
    except NoReverseMatch:
        return ""


def public_url(organisation: Organisation) -> str:
    return _try_reverse("organisations:detail", slug=organisation.slug)


def _absolute(request: HttpRequest, path: str) -> str:
    """The address to put in an e-mail: on SITE_URL, not on whatever host the request
    came by (e-mails must link to the site's public address)."""
    return settings.SITE_URL.rstrip("/") + path if path else ""


def _register_link(request: HttpRequest, organisation: Organisation, compact: Compact) -> str:
    return _absolute(request, public_url(organisation) or compact.get_absolute_url())


def _role_name(role: str) -> str:
    return Role(role).label.split(" (")[0].lower()


def _error_title(form, title: str) -> str:
    return f"Error: {title}" if form is not None and form.errors else title


def _render_form(request, template: str, context: dict, form) -> HttpResponse:
    context["page_title"] = _error_title(form, context["page_title"])
    return render(request, template, context, status=400 if form.errors else 200)


def _org_crumbs(organisation: Organisation, *more) -> list[tuple[str, str]]:
    crumbs = [("Home", reverse("core:home"))]
    detail = public_url(organisation)
    crumbs.append(
        (organisation.name, detail or reverse("organisations:members", args=[organisation.slug]))
    )
    return crumbs + list(more)


def _members_crumb(organisation: Organisation) -> tuple[str, str]:
    return ("Members", reverse("organisations:members", args=[organisation.slug]))


def signing_compacts() -> list[Compact]:
    """Compacts that take signatures on this platform (their definition has `signing`)."""
    compacts = Compact.objects.filter(current_version__isnull=False).select_related(
        "current_version"
    )
    return [c for c in compacts if services.signing_of(c) is not None]


def _pledges_of(organisation: Organisation) -> list[dict]:
    """Each compact taking signatures, with the organisation's signatures of it."""
    signatures = list(organisation.signatures.select_related("compact"))
    rows = []
    for compact in signing_compacts():
        mine = [s for s in signatures if s.compact_id == compact.pk]
        rows.append(
            {
                "compact": compact,
                "current": next((s for s in mine if s.is_current), None),
                "signatures": mine,
            }
        )
    return rows


# Creating and claiming -------------------------------------------------------------------


@login_required
@require_http_methods(GET_POST)
def organisation_new(request: HttpRequest) -> HttpResponse:
    form = OrganisationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.organisation_create(
                name=form.cleaned_data["name"],
                sector=form.cleaned_data["sector"],
                kind=form.cleaned_data["kind"],
                identifiers=[
                    services.IdentifierInput(scheme, value, field)
                    for scheme, value, field in form.identifiers()
                ],
                created_by=request.user,
                **form.details(),
            )
        except services.IdentifierTaken as taken:
            form.taken = taken.organisation
            form.refuse(taken)
        except Refused as refused:
            form.refuse(refused)
        else:
            return redirect("organisations:created", slug=organisation.slug)
    taken = form.taken
    return _render_form(
        request,
        "organisations/manage/organisation_form.html",
        {
            "form": form,
            "taken": taken,
            "claim_url": reverse("organisations:claim", args=[taken.slug]) if taken else "",
            "page_title": "Add your organisation",
            "crumbs": [("Home", reverse("core:home"))],
        },
        form,
    )


@login_required
@require_http_methods(GET_POST)
def community_group_new(request: HttpRequest) -> HttpResponse:
    """Register a small, unconstituted community group: no identifier, the person
    registering it as its contact (they must have confirmed their e-mail address)."""
    verified = services.has_verified_email(request.user)
    form = CommunityGroupForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            organisation = services.community_group_register(
                name=form.cleaned_data["name"],
                area=form.cleaned_data["area"],
                public_email=form.cleaned_data["public_email"],
                public_phone=form.cleaned_data["public_phone"],
                created_by=request.user,
            )
        except Refused as refused:
            form.refuse(refused)
        else:
            return redirect("organisations:created", slug=organisation.slug)
    return _render_form(
        request,
        "organisations/manage/community_group_form.html",
        {
            "form": form,
            "verified": verified,
            "contact_email": request.user.email,
            "page_title": "Register a community group",
            "crumbs": [("Home", reverse("core:home"))],
        },
        form,
    )


@login_required
@require_safe
def organisation_created(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    if not request.user.has_perm("organisations.view_members", organisation):
        return _forbidden(
            request,
            title=f"You do not belong to {organisation.name}",
            reason="Only its members can see this page.",
        )
    return render(
        request,
        "organisations/manage/organisation_created.html",
        {
            "organisation": organisation,
            "identifiers": organisation.identifiers.all(),
            "compacts": signing_compacts(),
            "public_url": public_url(organisation),
            "page_title": f"{organisation.name} added",
        },
    )


@login_required
@require_http_methods(GET_POST)
def organisation_claim(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    context = {
        "organisation": organisation,
        "page_title": f"Claim {organisation.name}",
        "crumbs": _org_crumbs(organisation),
        "is_member": request.user.has_perm("organisations.view_members", organisation),
        "by_support": services.claim_decided_by_support(organisation),
    }
    form = ClaimForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_claim(
                organisation=organisation, by=request.user, reason=form.cleaned_data["reason"]
            )
        except Refused as refused:
            form.refuse(refused)
        else:
            return redirect("organisations:claim_sent", slug=organisation.slug)
    context["form"] = form
    return _render_form(request, "organisations/manage/claim_form.html", context, form)


@login_required
@require_safe
def claim_sent(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    claim = (
        Claim.objects.filter(organisation=organisation, user=request.user)
        .order_by("-created_at")
        .first()
    )
    if claim is None:
        raise Http404("No claim")
    return render(
        request,
        "organisations/manage/claim_sent.html",
        {
            "organisation": organisation,
            "claim": claim,
            "by_support": services.claim_decided_by_support(organisation),
            "page_title": f"Claim sent – {organisation.name}",
        },
    )


@login_required
@require_http_methods(GET_POST)
def claim_decide(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation(slug)
    claim = get_object_or_404(
        Claim.objects.select_related("user", "organisation"),
        pk=pk,
        organisation=organisation,
    )
    if not request.user.has_perm("organisations.decide_claim", claim):
        return _forbidden(
            request,
            title="You cannot decide this claim",
            reason=f"Claims on {organisation.name} are decided by its administrators, or by "
            "the compact support team when it has none.",
        )
    by_support = services.claim_decided_by_support(organisation)
    form = ClaimDecisionForm(
        request.POST if request.method == "POST" else None,
        initial={"role": Role.ADMINISTRATOR if by_support else Role.MEMBER},
    )
    if request.method == "POST" and form.is_valid():
        try:
            if form.cleaned_data["decision"] == "approve":
                services.claim_approve(
                    claim=claim, role=form.cleaned_data["role"], by=request.user, now=now()
                )
                messages.success(
                    request,
                    f"Claim approved: {claim.user.get_full_name() or claim.user.get_username()} "
                    f"is now {_a(_role_name(form.cleaned_data['role']))} of {organisation.name}",
                )
            else:
                services.claim_refuse(claim=claim, by=request.user, now=now())
                messages.success(request, f"Claim on {organisation.name} refused")
        except Refused as refused:
            form.refuse(refused)
        else:
            if request.user.has_perm("organisations.manage_members", organisation):
                return redirect("organisations:members", slug=organisation.slug)
            return redirect("organisations:support_index")
    return _render_form(
        request,
        "organisations/manage/claim_decide.html",
        {
            "organisation": organisation,
            "claim": claim,
            "form": form,
            "by_support": by_support,
            "page_title": f"Claim on {organisation.name}",
        },
        form,
    )


def _a(words: str) -> str:
    return ("an " if words[:1] in "aeiou" else "a ") + words


def _pending_claims(**filters) -> list[Claim]:
    return list(
        Claim.objects.filter(status=Claim.Status.PENDING, **filters)
        .select_related("user", "organisation")
        .order_by("created_at")
    )


# Members ----------------------------------------------------------------------------------


def _may_manage(request: HttpRequest, organisation: Organisation) -> HttpResponse | None:
    if request.user.has_perm("organisations.manage_members", organisation):
        return None
    return _forbidden(
        request,
        title=f"You cannot manage the members of {organisation.name}",
        reason=f"Only administrators of {organisation.name} can invite, remove or change "
        "the role of its members.",
    )


@login_required
@require_safe
def members(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    if not request.user.has_perm("organisations.view_members", organisation):
        return _forbidden(
            request,
            title=f"You do not belong to {organisation.name}",
            reason=f"Only members of {organisation.name} can see who belongs to it. If you "
            "work for it, ask one of its administrators to invite you, or claim it.",
        )
    administers = request.user.has_perm("organisations.manage_members", organisation)
    memberships = list(
        organisation.memberships.select_related("user").order_by("user__last_name", "user__pk")
    )
    order = {Role.ADMINISTRATOR: 0, Role.OFFICER: 1, Role.MEMBER: 2}
    memberships.sort(key=lambda m: order[m.role])
    moment = now()
    invitations = (
        list(
            organisation.invitations.filter(
                accepted_at__isnull=True, revoked_at__isnull=True
            ).select_related("invited_by")
        )
        if administers
        else []
    )
    for invitation in invitations:
        invitation.expired = invitation.expires_at <= moment
        invitation.role_name = _role_name(invitation.role)
    for membership in memberships:
        membership.role_name = _role_name(membership.role)
    mine = next(m for m in memberships if m.user_id == request.user.pk)
    mine.role_name_with_article = _a(mine.role_name)
    return render(
        request,
        "organisations/manage/members.html",
        {
            "organisation": organisation,
            "memberships": memberships,
            "mine": mine,
            "administers": administers,
            "invitations": invitations,
            "claims": _pending_claims(organisation=organisation) if administers else [],
            "pledges": _pledges_of(organisation),
            "public_url": public_url(organisation),
            "page_title": f"Members – {organisation.name}",
            "crumbs": _org_crumbs(organisation),
        },
    )


@login_required
@require_http_methods(GET_POST)
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    if refused := _may_manage(request, organisation):
        return refused
    form = InvitationForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            invitation, token = services.invitation_create(
                organisation=organisation,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                by=request.user,
                now=now(),
            )
        except Refused as refused:
            form.refuse(refused)
        else:
            services.invitation_email(
                invitation=invitation,
                accept_url=_absolute(
                    request, reverse("organisations:invitation", kwargs={"token": token})
                ),
            )
            messages.success(request, f"Invitation sent to {invitation.email}")
            return redirect("organisations:members", slug=organisation.slug)
    return _render_form(
        request,
        "organisations/manage/invite.html",
        {
            "organisation": organisation,
            "form": form,
            "days": services.INVITATION_DAYS,
            "page_title": f"Invite someone to {organisation.name}",
            "crumbs": _org_crumbs(organisation, _members_crumb(organisation)),
        },
        form,
    )


def _membership(organisation: Organisation, pk: int) -> Membership:
    return get_object_or_404(
        Membership.objects.select_related("user"), pk=pk, organisation=organisation
    )


@login_required
@require_http_methods(GET_POST)
def member(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change a member's role."""
    organisation = _organisation(slug)
    if refused := _may_manage(request, organisation):
        return refused
    membership = _membership(organisation, pk)
    form = RoleForm(
        request.POST if request.method == "POST" else None, initial={"role": membership.role}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_change_role(
                membership=membership, role=form.cleaned_data["role"], by=request.user
            )
        except Refused as refused:
            form.refuse(refused)
        else:
            messages.success(
                request,
                f"{_person(membership.user)} is now "
                f"{_a(_role_name(form.cleaned_data['role']))} of {organisation.name}",
            )
            return redirect("organisations:members", slug=organisation.slug)
    return _render_form(
        request,
        "organisations/manage/member.html",
        {
            "organisation": organisation,
            "membership": membership,
            "person": _person(membership.user),
            "is_self": membership.user_id == request.user.pk,
            "form": form,
            "page_title": f"{_person(membership.user)} – {organisation.name}",
            "crumbs": _org_crumbs(organisation, _members_crumb(organisation)),
        },
        form,
    )


def _person(user) -> str:
    return user.get_full_name() or user.get_username()


@login_required
@require_http_methods(GET_POST)
def member_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation(slug)
    if refused := _may_manage(request, organisation):
        return refused
    membership = _membership(organisation, pk)
    error = ""
    if request.method == "POST":
        try:
            services.membership_remove(membership=membership, by=request.user)
        except Refused as refused:
            error = refused.message
        else:
            messages.success(
                request, f"{_person(membership.user)} no longer belongs to {organisation.name}"
            )
            return redirect("organisations:members", slug=organisation.slug)
    title = f"Remove {_person(membership.user)} from {organisation.name}?"
    return render(
        request,
        "organisations/manage/member_remove.html",
        {
            "organisation": organisation,
            "membership": membership,
            "person": _person(membership.user),
            "error": error,
            "page_title": f"Error: {title}" if error else title,
            "crumbs": _org_crumbs(organisation, _members_crumb(organisation)),
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(GET_POST)
def invitation_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    organisation = _organisation(slug)
    if refused := _may_manage(request, organisation):
        return refused
    invitation = get_object_or_404(Invitation, pk=pk, organisation=organisation)
    error = ""
    if request.method == "POST":
        try:
            services.invitation_revoke(invitation=invitation, by=request.user, now=now())
        except Refused as refused:
            error = refused.message
        else:
            messages.success(request, f"Invitation to {invitation.email} revoked")
            return redirect("organisations:members", slug=organisation.slug)
    title = f"Revoke the invitation to {invitation.email}?"
    return render(
        request,
        "organisations/manage/invitation_revoke.html",
        {
            "organisation": organisation,
            "invitation": invitation,
            "error": error,
            "page_title": f"Error: {title}" if error else title,
            "crumbs": _org_crumbs(organisation, _members_crumb(organisation)),
        },
        status=400 if error else 200,
    )


@login_required
@require_http_methods(GET_POST)
def leave(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = _organisation(slug)
    membership = Membership.objects.filter(organisation=organisation, user=request.user).first()
    if membership is None:
        return _forbidden(
            request,
            title=f"You do not belong to {organisation.name}",
            reason="You can only leave an organisation you belong to.",
        )
    error = ""
    if request.method == "POST":
        try:
            services.membership_leave(membership=membership, by=request.user)
        except Refused as refused:
            error = refused.message
        else:
            return render(
                request,
                "organisations/manage/left.html",
                {"organisation": organisation, "page_title": f"You have left {organisation.name}"},
            )
    title = f"Leave {organisation.name}?"
    return render(
        request,
        "organisations/manage/leave.html",
        {
            "organisation": organisation,
            "membership": membership,
            "last_administrator": services.is_last_administrator(membership),
            "error": error,
            "page_title": f"Error: {title}" if error else title,
            "crumbs": _org_crumbs(organisation, _members_crumb(organisation)),
        },
        status=400 if error else 200,
    )


# Invitations ------------------------------------------------------------------------------


@require_safe
def invitation_open(request: HttpRequest, token: str) -> HttpResponse:
    """The link in the e-mail: keep the token in the session and move on to a page whose
    address does not carry it."""
    request.session[INVITATION_SESSION_KEY] = token[:128]  # a real one is 43 characters
    return redirect("organisations:invitation_accept")


INVITATION_STATUS = {
    "unknown": 404,
    "used": 410,
    "revoked": 410,
    "expired": 410,
    "wrong_address": 403,
    "member": 409,
}


@login_required
@require_http_methods(GET_POST)
def invitation_accept(request: HttpRequest) -> HttpResponse:
    token = request.session.get(INVITATION_SESSION_KEY, "")
    invitation = services.invitation_find(token=token)
    moment = now()
    try:
        if request.method == "POST":
            membership = services.invitation_accept(token=token, user=request.user, now=moment)
        else:
            services.invitation_check(invitation=invitation, user=request.user, now=moment)
    except Refused as refused:
        if refused.code == "wrong_address":
            audit.audit_log(
                "invitation.refused", invitation=invitation, code=refused.code, by=request.user
            )
        return render(
            request,
            "organisations/manage/invitation_problem.html",
            {
                "message": refused.message,
                "code": refused.code,
                "organisation": invitation.organisation if invitation else None,
                "page_title": "You cannot use this invitation",
            },
            status=INVITATION_STATUS.get(refused.code, 400),
        )
    if request.method == "POST":
        request.session.pop(INVITATION_SESSION_KEY, None)
        messages.success(
            request,
            f"You have joined {membership.organisation.name} as {_a(_role_name(membership.role))}",
        )
        return redirect("organisations:members", slug=membership.organisation.slug)
    return render(
        request,
        "organisations/manage/invitation.html",
        {
            "invitation": invitation,
            "organisation": invitation.organisation,
            "role": _a(_role_name(invitation.role)),
            "inviter": _person(invitation.invited_by) if invitation.invited_by else "",
            "page_title": f"Join {invitation.organisation.name}",
        },
    )


# The pledge -------------------------------------------------------------------------------


def _may_sign(request: HttpRequest, organisation: Organisation) -> HttpResponse | None:
    if request.user.has_perm("organisations.sign_pledge", organisation):
        return None
    return _forbidden(
        request,
        title=f"You cannot sign or withdraw for {organisation.name}",
        reason=f"Only administrators of {organisation.name} can sign a compact's pledge for "
        "it or withdraw from a compact.",
    )


def _no_signing(request, organisation: Organisation, compact: Compact) -> HttpResponse:
    return render(
        request,
        "organisations/manage/no_signing.html",
        {
            "organisation": organisation,
            "compact": compact,
            "page_title": f"The {compact.name} does not take signatures here",
        },
    )


def _current(organisation: Organisation, compact: Compact) -> Signature | None:
    return (
        Signature.objects.current()
        .filter(organisation=organisation, compact=compact)
        .select_related("compact")
        .first()
    )


@login_required
@require_http_methods(GET_POST)
def pledge(request: HttpRequest, slug: str, compact: str) -> HttpResponse:
    organisation = _organisation(slug)
    if refused := _may_sign(request, organisation):
        return refused
    compact_obj = _compact(compact)
    signing = services.signing_of(compact_obj)
    if signing is None:
        return _no_signing(request, organisation, compact_obj)
    day = today()
    current = _current(organisation, compact_obj)
    context = {
        "organisation": organisation,
        "compact": compact_obj,
        "signing": signing,
        "current": current,
        "page_title": f"Sign the {compact_obj.name} pledge",
        "crumbs": _org_crumbs(organisation, _members_crumb(organisation)),
    }
    if current is not None:
        return render(request, "organisations/manage/pledge_already.html", context)
    form = PledgeForm(
        request.POST if request.method == "POST" else None,
        organisation=organisation,
        compact=compact_obj,
        today=day,
        initial={
            "organisation_name": organisation.name,
            "signatory_name": request.user.get_full_name(),
            "signed_on": day,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signature = services.signature_sign(
                organisation=organisation,
                compact=compact_obj,
                organisation_name=data["organisation_name"],
                signatory_name=data["signatory_name"],
                signatory_position=data["signatory_position"],
                signed_on=data["signed_on"],
                confirmed=data["confirmed"],
                by=request.user,
                today=day,
            )
        except Refused as refused:
            form.refuse(refused)
        else:
            services.pledge_email(
                signature=signature,
                to=[request.user.email],
                register_url=_register_link(request, organisation, compact_obj),
            )
            return redirect("organisations:pledge_signed", slug=organisation.slug, compact=compact)
    context["form"] = form
    return _render_form(request, "organisations/manage/pledge_form.html", context, form)


def _may_see_pledges(request, organisation: Organisation, compact: Compact):
    if request.user.has_perm("organisations.view_members", organisation) or (
        request.user.has_perm("organisations.support_compact", compact)
    ):
        return None
    return _forbidden(
        request,
        title=f"You do not belong to {organisation.name}",
        reason="Only its members and the compact's support team can see this page. Its "
        "signatures are on the public register.",
    )


@login_required
@require_safe
def pledge_signed(request: HttpRequest, slug: str, compact: str) -> HttpResponse:
    organisation = _organisation(slug)
    compact_obj = _compact(compact)
    if refused := _may_see_pledges(request, organisation, compact_obj):
        return refused
    signature = _current(organisation, compact_obj)
    if signature is None:
        raise Http404("No current signature")
    return render(
        request,
        "organisations/manage/pledge_signed.html",
        {
            "organisation": organisation,
            "compact": compact_obj,
            "signature": signature,
            "public_url": public_url(organisation),
            "page_title": f"{organisation.name} has signed the {compact_obj.name} pledge",
        },
    )


@login_required
@require_http_methods(GET_POST)
def withdraw(request: HttpRequest, slug: str, compact: str) -> HttpResponse:
    organisation = _organisation(slug)
    if refused := _may_sign(request, organisation):
        return refused
    compact_obj = _compact(compact)
    signing = services.signing_of(compact_obj)
    if signing is None:
        return _no_signing(request, organisation, compact_obj)
    signature = _current(organisation, compact_obj)
    context = {
        "organisation": organisation,
        "compact": compact_obj,
        "signing": signing,
        "signature": signature,
        "page_title": f"Withdraw from the {compact_obj.name}",
        "crumbs": _org_crumbs(organisation, _members_crumb(organisation)),
    }
    if signature is None:
        return render(request, "organisations/manage/withdraw_not_signed.html", context)
    day = today()
    form = WithdrawalForm(
        request.POST if request.method == "POST" else None,
        signed_on=signature.signed_on,
        today=day,
        initial={"withdrawn_on": day},
    )
    if request.method == "POST" and form.is_valid():
        try:
            signature = services.signature_withdraw(
                signature=signature,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                today=day,
            )
        except Refused as refused:
            form.refuse(refused)
        else:
            services.withdrawal_email(
                signature=signature,
                to=[request.user.email, *services.administrator_addresses(organisation)],
                register_url=_register_link(request, organisation, compact_obj),
            )
            return redirect("organisations:withdrawn", slug=organisation.slug, compact=compact)
    context["form"] = form
    return _render_form(request, "organisations/manage/withdraw_form.html", context, form)


@login_required
@require_safe
def withdrawn(request: HttpRequest, slug: str, compact: str) -> HttpResponse:
    organisation = _organisation(slug)
    compact_obj = _compact(compact)
    if refused := _may_see_pledges(request, organisation, compact_obj):
        return refused
    signature = (
        Signature.objects.filter(
            organisation=organisation, compact=compact_obj, withdrawn_on__isnull=False
        )
        .order_by("-withdrawn_on", "-pk")
        .first()
    )
    if signature is None:
        raise Http404("No withdrawal")
    return render(
        request,
        "organisations/manage/withdrawn.html",
        {
            "organisation": organisation,
            "compact": compact_obj,
            "signature": signature,
            "signing": services.signing_of(compact_obj) or {},
            "can_sign": request.user.has_perm("organisations.sign_pledge", organisation),
            "public_url": public_url(organisation),
            "page_title": f"{organisation.name} has withdrawn from the {compact_obj.name}",
        },
    )


# The support team ---------------------------------------------------------------------------


def _support(request: HttpRequest, slug: str) -> tuple[Compact, HttpResponse | None]:
    compact = _compact(slug)
    if request.user.has_perm("organisations.support_compact", compact):
        return compact, None
    return compact, _forbidden(
        request,
        title=f"Only the {compact.name}'s support team can see this page",
        reason="The support team keeps the compact's register and gives its roles. Ask "
        "them if you need to be on it.",
    )


def _support_crumbs(compact: Compact, *more) -> list[tuple[str, str]]:
    return [
        ("Home", reverse("core:home")),
        (compact.name, compact.get_absolute_url()),
        ("Support team", reverse("organisations:support", args=[compact.slug])),
        *more,
    ]


@login_required
@require_safe
def support_index(request: HttpRequest) -> HttpResponse:
    """The compacts the signed-in person supports, and claims waiting for the support team."""
    compacts = [
        c
        for c in Compact.objects.filter(current_version__isnull=False)
        if request.user.has_perm("organisations.support_compact", c)
    ]
    if not compacts:
        return _forbidden(
            request,
            title="You are not on any compact's support team",
            reason="These pages are for the people who keep a compact's register.",
        )
    claims = [c for c in _pending_claims() if services.claim_decided_by_support(c.organisation)]
    return render(
        request,
        "organisations/manage/support_index.html",
        {"compacts": compacts, "claims": claims, "page_title": "Support team"},
    )


@login_required
@require_safe
def support(request: HttpRequest, compact: str) -> HttpResponse:
    compact_obj, refused = _support(request, compact)
    if refused:
        return refused
    claims = [c for c in _pending_claims() if services.claim_decided_by_support(c.organisation)]
    signatures = list(
        Signature.objects.filter(compact=compact_obj)
        .select_related("organisation", "recorded_by", "withdrawal_recorded_by")
        .order_by("-recorded_at")[:10]
    )
    return render(
        request,
        "organisations/manage/support.html",
        {
            "compact": compact_obj,
            "signing": services.signing_of(compact_obj),
            "claims": claims,
            "signatures": signatures,
            "current_count": Signature.objects.current().filter(compact=compact_obj).count(),
            "search": OrganisationSearchForm(),
            "page_title": f"Support team – {compact_obj.name}",
            "crumbs": _support_crumbs(compact_obj)[:2],
        },
    )


@login_required
@require_safe
def support_organisations(request: HttpRequest, compact: str) -> HttpResponse:
    """Find an organisation, by name or identifier, to record or verify something for."""
    compact_obj, refused = _support(request, compact)
    if refused:
        return refused
    form = OrganisationSearchForm(request.GET or None)
    query = form.cleaned_data["q"].strip() if form.is_valid() else ""
    results = Organisation.objects.none()
    if query:
        value = query.replace(" ", "").upper()
        results = (
            Organisation.objects.filter(
                Q(name__icontains=query)
                | Q(identifiers__value=value)
                | Q(identifiers__value=value.split("-")[-1])
            )
            .distinct()
            .order_by("name")
        )
    rows = list(results[:50])
    current = set(
        Signature.objects.current()
        .filter(compact=compact_obj, organisation__in=rows)
        .values_list("organisation_id", flat=True)
    )
    for organisation in rows:
        organisation.signed = organisation.pk in current
    return render(
        request,
        "organisations/manage/support_organisations.html",
        {
            "compact": compact_obj,
            "form": form,
            "query": query,
            "organisations": rows,
            "page_title": f"Find an organisation – {compact_obj.name}",
            "crumbs": _support_crumbs(compact_obj),
        },
    )


@login_required
@require_safe
def support_organisation(request: HttpRequest, compact: str, slug: str) -> HttpResponse:
    compact_obj, refused = _support(request, compact)
    if refused:
        return refused
    organisation = _organisation(slug)
    signatures = list(
        organisation.signatures.filter(compact=compact_obj).select_related(
            "recorded_by", "withdrawal_recorded_by"
        )
    )
    return render(
        request,
        "organisations/manage/support_organisation.html",
        {
            "compact": compact_obj,
            "organisation": organisation,
            "identifiers": organisation.identifiers.all(),
            "signatures": signatures,
            "current": next((s for s in signatures if s.is_current), None),
            "administrators": organisation.memberships.filter(role=Role.ADMINISTRATOR).count(),
            "public_url": public_url(organisation),
            "page_title": f"{organisation.name} – {compact_obj.name} support team",
            "crumbs": _support_crumbs(
                compact_obj,
                (
                    "Find an organisation",
                    reverse("organisations:support_organisations", args=[compact]),
                ),
            ),
        },
    )


def _support_org_crumbs(compact: Compact, organisation: Organisation):
    return _support_crumbs(
        compact,
        (
            organisation.name,
            reverse("organisations:support_organisation", args=[compact.slug, organisation.slug]),
        ),
    )


@login_required
@require_http_methods(GET_POST)
def paper_pledge(request: HttpRequest, compact: str, slug: str) -> HttpResponse:
    compact_obj, refused = _support(request, compact)
    if refused:
        return refused
    organisation = _organisation(slug)
    signing = services.signing_of(compact_obj)
    if signing is None:
        return _no_signing(request, organisation, compact_obj)
    current = _current(organisation, compact_obj)
    context = {
        "organisation": organisation,
        "compact": compact_obj,
        "signing": signing,
        "current": current,
        "page_title": f"Record a paper pledge from {organisation.name}",
        "crumbs": _support_org_crumbs(compact_obj, organisation),
        "back_url": reverse(
            "organisations:support_organisation", args=[compact_obj.slug, organisation.slug]
        ),
    }
    if current is not None:
        return render(request, "organisations/manage/pledge_already.html", context)
    day = today()
    form = PaperPledgeForm(
        request.POST if request.method == "POST" else None,
        organisation=organisation,
        compact=compact_obj,
        today=day,
        initial={"organisation_name": organisation.name, "received_on": day},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            signature = services.signature_record_paper(
                organisation=organisation,
                compact=compact_obj,
                organisation_name=data["organisation_name"],
                signatory_name=data["signatory_name"],
                signatory_position=data["signatory_position"],
                signed_on=data["signed_on"],
                received_on=data["received_on"],
                confirmed=data["confirmed"],
                by=request.user,
                today=day,
            )
        except Refused as refused:
            form.refuse(refused)
        else:
            services.pledge_email(
                signature=signature,
                to=services.administrator_addresses(organisation),
                register_url=_register_link(request, organisation, compact_obj),
            )
            return redirect("organisations:support_pledge", compact=compact, pk=signature.pk)
    context["form"] = form
    return _render_form(request, "organisations/manage/paper_pledge_form.html", context, form)


@login_required
@require_http_methods(GET_POST)
def paper_withdrawal(request: HttpRequest, compact: str, slug: str) -> HttpResponse:
    compact_obj, refused = _support(request, compact)
    if refused:
        return refused
    organisation = _organisation(slug)
    signing = services.signing_of(compact_obj)
    if signing is None:
        return _no_signing(request, organisation, compact_obj)
    signature = _current(organisation, compact_obj)
    context = {
        "organisation": organisation,
        "compact": compact_obj,
        "signing": signing,
        "signature": signature,
        "paper": True,
        "page_title": f"Record a withdrawal by {organisation.name}",
        "crumbs": _support_org_crumbs(compact_obj, organisation),
    }
    if signature is None:
        return render(request, "organisations/manage/withdraw_not_signed.html", context)
    day = today()
    form = WithdrawalForm(
        request.POST if request.method == "POST" else None,
        signed_on=signature.signed_on,
        today=day,
        initial={"withdrawn_on": day},
    )
    if request.method == "POST" and form.is_valid():
        try:
            signature = services.signature_withdraw(
                signature=signature,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                reason=form.cleaned_data["reason"],
                by=request.user,
                today=day,
            )
        except Refused as refused:
            form.refuse(refused)
        else:
            services.withdrawal_email(
                signature=signature,
                to=services.administrator_addresses(organisation),
                register_url=_register_link(request, organisation, compact_obj),
            )
            return redirect("organisations:support_pledge", compact=compact, pk=signature.pk)
    context["form"] = form
    return _render_form(request, "organisations/manage/withdraw_form.html", context, form)


@login_required
@require_safe
def support_pledge(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    """What the support team recorded: a paper pledge, or a withdrawal."""
    compact_obj, refused = _support(request, compact)
    if refused:
        return refused
    signature = get_object_or_404(
        Signature.objects.select_related("organisation", "recorded_by", "withdrawal_recorded_by"),
        pk=pk,
        compact=compact_obj,
    )
    return render(
        request,
        "organisations/manage/support_pledge.html",
        {
            "compact": compact_obj,
            "signature": signature,
            "organisation": signature.organisation,
            "public_url": public_url(signature.organisation),
            "page_title": (
                f"Withdrawal recorded – {signature.organisation.name}"
                if signature.withdrawn_on
                else f"Pledge recorded – {signature.organisation.name}"
            ),
            "crumbs": _support_org_crumbs(compact_obj, signature.organisation),
        },
    )


@login_required
@require_http_methods(GET_POST)
def verify(request: HttpRequest, compact: str, slug: str) -> HttpResponse:
    compact_obj, refused = _support(request, compact)
    if refused:
        return refused
    organisation = _organisation(slug)
    if request.method == "POST":
        services.organisation_verify(organisation=organisation, by=request.user, today=today())
        messages.success(request, f"{organisation.name} is marked as verified")
        return redirect("organisations:support_organisation", compact=compact, slug=slug)
    return render(
        request,
        "organisations/manage/verify.html",
        {
            "compact": compact_obj,
            "organisation": organisation,
            "identifiers": organisation.identifiers.all(),
            "page_title": f"Verify {organisation.name}",
            "crumbs": _support_org_crumbs(compact_obj, organisation),
        },
    )


@login_required
@require_safe
def roles(request: HttpRequest, compact: str) -> HttpResponse:
    compact_obj, refused = _support(request, compact)
    if refused:
        return refused
    current = list(
        CompactRole.objects.current()
        .filter(compact=compact_obj)
        .select_related("user", "granted_by")
        .order_by("kind", "granted_at")
    )
    order = {kind: n for n, kind in enumerate(CompactRoleKind.values)}
    current.sort(key=lambda r: (order[r.kind], r.granted_at))
    return render(
        request,
        "organisations/manage/roles.html",
        {
            "compact": compact_obj,
            "roles": current,
            "page_title": f"Roles – {compact_obj.name}",
            "crumbs": _support_crumbs(compact_obj),
        },
    )


@login_required
@require_http_methods(GET_POST)
def role_grant(request: HttpRequest, compact: str) -> HttpResponse:
    compact_obj, refused = _support(request, compact)
    if refused:
        return refused
    form = RoleGrantForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            role = services.compact_role_grant(
                compact=compact_obj,
                user=form.user,
                kind=form.cleaned_data["kind"],
                case=form.cleaned_data["case"],
                by=request.user,
            )
        except Refused as refused:
            form.refuse(refused)
        else:
            messages.success(
                request,
                f"{_person(role.user)} is now {services.with_article(role.get_kind_display())}",
            )
            return redirect("organisations:roles", compact=compact)
    return _render_form(
        request,
        "organisations/manage/role_grant.html",
        {
            "compact": compact_obj,
            "form": form,
            "page_title": f"Give a role – {compact_obj.name}",
            "crumbs": _support_crumbs(
                compact_obj, ("Roles", reverse("organisations:roles", args=[compact]))
            ),
        },
        form,
    )


@login_required
@require_http_methods(GET_POST)
def role_revoke(request: HttpRequest, compact: str, pk: int) -> HttpResponse:
    compact_obj, refused = _support(request, compact)
    if refused:
        return refused
    role = get_object_or_404(
        CompactRole.objects.current().select_related("user", "granted_by"),
        pk=pk,
        compact=compact_obj,
    )
    error = ""
    if request.method == "POST":
        try:
            services.compact_role_revoke(role=role, by=request.user, now=now())
        except Refused as refused:
            error = refused.message
        else:
            messages.success(
                request,
                f"{_person(role.user)} is no longer "
                f"{services.with_article(role.get_kind_display())}",
            )
            return redirect("organisations:roles", compact=compact)
    title = f"Revoke {_person(role.user)}'s role?"
    return render(
        request,
        "organisations/manage/role_revoke.html",
        {
            "compact": compact_obj,
            "role": role,
            "person": _person(role.user),
            "error": error,
            "page_title": f"Error: {title}" if error else title,
            "crumbs": _support_crumbs(
                compact_obj, ("Roles", reverse("organisations:roles", args=[compact]))
            ),
        },
        status=400 if error else 200,
    )
