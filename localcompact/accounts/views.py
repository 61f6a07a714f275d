from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.mail import send_mail
from django.shortcuts import render
from django.template.loader import render_to_string

from localcompact.core.logging import audit_log

from .forms import DeletionRequestForm
from .models import DeletionRequest


@login_required
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
