"""The API's pages for people: the guide, and one's own personal tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from .forms import TokenForm
from .models import ApiToken, Scope
from .services import Refused, token_create, token_revoke


@require_safe
def guide(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "api/guide.html",
        {"page_title": "The LocalCompact API", "scopes": Scope.choices, "nav_section": "api"},
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def tokens(request: HttpRequest) -> HttpResponse:
    """One's own tokens, and the form to make another."""
    form = TokenForm(request.POST or None)
    made = None
    if request.method == "POST" and form.is_valid():
        try:
            token, made = token_create(
                user=request.user,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
                expires_on=form.cleaned_data["expires_on"],
                now=timezone.now(),
            )
        except Refused as refusal:
            form.add_error(refusal.field, refusal.message)
        else:
            return render(
                request,
                "api/token_made.html",
                {"page_title": "Your new API token", "token": token, "text": made},
            )
    return render(
        request,
        "api/tokens.html",
        {
            "page_title": f"{'Error: ' if form.errors else ''}Your API tokens",
            "form": form,
            "tokens": ApiToken.objects.filter(user=request.user),
            "now": timezone.now(),
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    # Someone else's token is "not found": its existence is not theirs to learn.
    token = get_object_or_404(ApiToken, pk=pk, user=request.user)
    if request.method == "POST":
        try:
            token_revoke(token=token, by=request.user, now=timezone.now())
        except Refused as refusal:
            messages.info(request, refusal.message)
        else:
            messages.success(request, f"The token ‘{token.name}’ was revoked")
        return redirect("api_tokens")
    return render(
        request, "api/token_revoke.html", {"page_title": "Revoke an API token", "token": token}
    )
