"""Our own account pages: a person's data and their deletion request, and the staff
pages that carry deletion requests out (see personal_data.py)."""

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from localcompact.core.logging import audit_log
from localcompact.core.refusals import forbidden
from localcompact.organisations.services import sole_administrator_of

from .forms import DeletionRequestForm, ErasureForm
from .models import DeletionRequest
from .personal_data import (
    Refused,
    account_erase,
    is_erased,
    personal_data_collect,
    personal_data_json,
    user_emails,
)

PER_PAGE = 50


def now() -> dt.datetime:
    """The time, read once per request (tests replace it)."""
    return timezone.now()


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request):
    """Asks for confirmation, then records the request and e-mails the user about it."""
    if request.method == "POST":
        form = DeletionRequestForm(request.POST)
        if form.is_valid():
            deletion = DeletionRequest.objects.create(
                user=request.user, reason=form.cleaned_data["reason"]
            )
            audit_log("account.deletion_requested", deletion=deletion)
            context = {"user": request.user, "deletion": deletion, "site_name": settings.SITE_NAME}
            if request.user.email:
                send_mail(
                    f"[{settings.SITE_NAME}] We have your request to delete your account",
                    render_to_string("accounts/email/deletion_requested.txt", context),
                    None,
                    [request.user.email],
                )
            return render(
                request,
                "accounts/delete_requested.html",
                {**context, "page_title": "We have your request"},
            )
    else:
        form = DeletionRequestForm()
    return render(
        request,
        "accounts/delete.html",
        {"form": form, "page_title": "Delete your account"},
        status=400 if form.errors else 200,
    )


# A person's own data --------------------------------------------------------------------


def _sections(data: dict) -> list[dict]:
    """The download's sections that hold something, with how many entries each has."""
    sections = []
    for name, value in data.items():
        if isinstance(value, list | dict) and value:
            count = len(value) if isinstance(value, list) else 1
            label = name.replace("_", " ").replace("email", "e-mail").capitalize()
            sections.append({"name": label, "count": count})
    return sections


@login_required
@require_safe
def personal_data(request: HttpRequest) -> HttpResponse:
    """What the download holds, section by section, and the button to download it."""
    data = personal_data_collect(request.user, now=now())
    return render(
        request,
        "accounts/personal_data.html",
        {"sections": _sections(data), "page_title": "Your personal data"},
    )


@login_required
@require_safe
def personal_data_download(request: HttpRequest) -> HttpResponse:
    """Everything held about the signed-in person, as a JSON file; never cached."""
    moment = now()
    response = HttpResponse(
        personal_data_json(request.user, now=moment), content_type="application/json"
    )
    stamp = timezone.localtime(moment).strftime("%Y-%m-%d")
    response["Content-Disposition"] = f'attachment; filename="personal-data-{stamp}.json"'
    response["Cache-Control"] = "no-store"
    audit_log("account.personal_data_downloaded")
    return response


# Staff: carrying out deletion requests ----------------------------------------------------


def _staff_only(request: HttpRequest) -> HttpResponse | None:
    if request.user.has_perm("accounts.erase_account"):
        return None
    return forbidden(
        request,
        title="You cannot see deletion requests",
        reason="Only staff carry out requests to delete accounts.",
        way_on=("core:home", "Go to the home page"),
    )


@login_required
@require_safe
def deletion_requests(request: HttpRequest) -> HttpResponse:
    """Deletion requests, those waiting first, oldest first; then those carried out."""
    refused = _staff_only(request)
    if refused:
        return refused
    waiting = DeletionRequest.objects.waiting().select_related("user").order_by("requested_at")
    done = (
        DeletionRequest.objects.filter(erased_at__isnull=False)
        .select_related("user", "erased_by")
        .order_by("-erased_at")
    )
    page = Paginator(done, PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/staff/deletion_requests.html",
        {
            "waiting": list(waiting[:PER_PAGE]),
            "waiting_count": waiting.count(),
            "done": page,
            "page_title": "Requests to delete accounts",
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def deletion_request_erase(request: HttpRequest, pk: int) -> HttpResponse:
    """What erasing the account will do, and the confirmation that does it."""
    refused = _staff_only(request)
    if refused:
        return refused
    deletion = get_object_or_404(DeletionRequest.objects.select_related("user"), pk=pk)
    person = deletion.user
    if deletion.erased_at is not None:
        return redirect("account_erased", pk=deletion.pk)
    form = ErasureForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        addresses = user_emails(person)
        try:
            counts = account_erase(deletion=deletion, by=request.user, now=now())
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            context = {"site_name": settings.SITE_NAME}
            if addresses:
                send_mail(
                    f"[{settings.SITE_NAME}] Your account has been deleted",
                    render_to_string("accounts/email/account_erased.txt", context),
                    None,
                    addresses,
                )
            request.session["accounts.erased_counts"] = counts
            return redirect("account_erased", pk=deletion.pk)
    data = personal_data_collect(person, now=now())
    return render(
        request,
        "accounts/staff/erase.html",
        {
            "deletion": deletion,
            "person": person,
            "emails": user_emails(person),
            "sections": _sections(data),
            "sole_administrator_of": sole_administrator_of(person),
            "form": form,
            "staff_account": person.is_staff or person.is_superuser,
            "page_title": "Erase this account",
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_safe
def deletion_request_erased(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation: the account is erased, and what was done."""
    refused = _staff_only(request)
    if refused:
        return refused
    deletion = get_object_or_404(DeletionRequest.objects.select_related("user", "erased_by"), pk=pk)
    if deletion.erased_at is None or not is_erased(deletion.user):
        messages.info(request, "That account has not been erased yet.")
        return redirect("account_erase", pk=deletion.pk)
    counts = request.session.pop("accounts.erased_counts", None)
    return render(
        request,
        "accounts/staff/erased.html",
        {"deletion": deletion, "counts": counts, "page_title": "Account erased"},
    )
