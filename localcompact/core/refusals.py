"""What every app does when it will not do what was asked: `Refused` (a service's
answer, shown on the form), `submit` (a form page's POST cycle around a service) and
`forbidden` (the 403 page for someone who may not ask)."""

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render, resolve_url

from . import logging as audit


class Refused(Exception):
    """A service would not do what was asked; `message` says why, `field` which value to
    change, if one. Each app's services raise their own subclass."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


def submit(request: HttpRequest, form, do: Callable, *, done, then=None) -> HttpResponse | None:
    """On a valid POST, `do(cleaned_data)` calls the service, `done` is flashed and the user
    is sent to `then` (each a value, or a function of what `do` returned; `then` is by
    default that result). A `Refused` becomes an error on the form (`form.refuse`).
    None: show the form."""
    if request.method == "POST" and form.is_valid():
        try:
            result = do(form.cleaned_data)
        except Refused as refused:
            form.refuse(refused)
        else:
            messages.success(request, done(result) if callable(done) else done)
            return redirect(then(result) if callable(then) else then or result)
    return None


def forbidden(
    request: HttpRequest, *, title: str, reason: str, section: str = "", way_on: tuple
) -> HttpResponse:
    """403, saying why and where to go instead (`way_on`: where, as `resolve_url` takes
    it (a URL name, a path or a model instance), and the link's text); the refusal goes
    to the audit log."""
    audit.log_permission_refused(request)
    where, text = way_on
    return render(
        request,
        "core/forbidden.html",
        {
            "page_title": title,
            "title": title,
            "reason": reason,
            "nav_section": section,
            "way_on_url": resolve_url(where),
            "way_on_text": text,
        },
        status=403,
    )
