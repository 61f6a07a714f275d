"""One obligation: its standard in plain English, its history, and excusing it."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from localcompact.compacts.presentation import EXCEPTION_LABEL, STRICTNESS_HINT, describe_rule
from localcompact.rulebook import ExcuseRefused

from .. import selectors
from ..forms import EXCUSABLE, ExcuseForm
from ..models import Obligation, ObligationEvent, Status
from ..services import obligation_excuse
from . import common

NOT_YOURS = (
    "Only members of the organisation that owes it, members of the organisations it "
    "is owed to, and the compact's support team can see an obligation."
)


def _cannot_see(request: HttpRequest) -> HttpResponse:
    return common.forbidden(request, title="You cannot see this obligation", reason=NOT_YOURS)


def _headline(event: ObligationEvent, labels: dict) -> str:
    to = labels.get(event.to_status, "")
    kind = ObligationEvent.Kind
    if event.kind == kind.CREATED:
        return f"Created: {to.lower()}" if to else "Created"
    if event.kind == kind.STATUS:
        return f"Now {to.lower()}"
    if event.kind == kind.EXCUSED:
        return "Excused" if event.to_status == Status.EXCUSED else f"Extended: {to.lower()}"
    return event.get_kind_display()


def _labelled(events) -> list:
    labels = dict(Status.choices)
    events = list(events)
    for event in events:
        event.headline = _headline(event, labels)
    return events


def _page(
    request: HttpRequest, obligation: Obligation, form: ExcuseForm | None = None, status=200
) -> HttpResponse:
    standard = obligation.standard
    version = standard.version
    body_names = {b["id"]: b["name"] for b in version.definition.get("bodies", [])}
    can_excuse = request.user.has_perm("obligations.excuse_obligation", obligation)
    allowed = standard.allowed_exception
    excusable = obligation.status in EXCUSABLE
    if form is None and can_excuse and allowed is not None and excusable:
        form = ExcuseForm(obligation=obligation)
    source = obligation.source
    source_url = getattr(source, "get_absolute_url", None)
    context = {
        "obligation": obligation,
        "standard": standard,
        "rule_text": describe_rule(standard.rule_kind, standard.params, body_names),
        "strictness_hint": STRICTNESS_HINT[standard.strictness],
        "exception_label": EXCEPTION_LABEL.get(standard.exception_kind, ""),
        "owed_to": list(obligation.owed_to.all()),
        "events": _labelled(obligation.events.all()),
        "source": source,
        "source_url": source_url() if source_url else "",
        "can_excuse": can_excuse,
        "excusable": excusable,
        "form": form,
        "page_title": f"{'Error: ' if form is not None and form.errors else ''}"
        f"{obligation.summary}",
        "nav_section": "obligations",
    }
    return render(request, "obligations/obligation.html", context, status=status)


@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = selectors.obligation_get(pk=pk)
    if not request.user.has_perm("obligations.view_obligation", obligation):
        return _cannot_see(request)
    return _page(request, obligation)


@login_required
@require_POST
def excuse(request: HttpRequest, pk: int) -> HttpResponse:
    obligation = selectors.obligation_get(pk=pk)
    if not request.user.has_perm("obligations.excuse_obligation", obligation):
        if not request.user.has_perm("obligations.view_obligation", obligation):
            return _cannot_see(request)
        return common.forbidden(
            request,
            title="You cannot excuse this obligation",
            reason="Only officers and administrators of the organisation that owes an "
            "obligation can excuse it.",
        )
    form = ExcuseForm(request.POST, obligation=obligation)
    if form.is_valid():
        if obligation.status not in EXCUSABLE:
            form.add_error(
                "reason",
                f"This obligation is {obligation.get_status_display().lower()}: "
                "there is nothing to excuse.",
            )
        else:
            try:
                obligation_excuse(
                    obligation=obligation,
                    kind=form.cleaned_data["kind"],
                    reason=form.cleaned_data["reason"],
                    agreed_by=form.cleaned_data.get("agreed_by", ""),
                    extended_to=form.cleaned_data.get("extended_to"),
                    today=common.today(),
                    by=request.user,
                )
            except ExcuseRefused as refused:
                form.add_error(form.field_refused(), refused.message)
            else:
                return redirect("obligations:excused", pk=obligation.pk)
    return _page(request, obligation, form=form, status=400)


@login_required
@require_safe
def excused(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation after excusing: what was recorded, by whom and when."""
    obligation = selectors.obligation_get(pk=pk)
    if not request.user.has_perm("obligations.view_obligation", obligation):
        return _cannot_see(request)
    if not obligation.exception_kind:
        return redirect("obligations:obligation", pk=obligation.pk)
    return render(
        request,
        "obligations/excused.html",
        {
            "obligation": obligation,
            "exception_label": EXCEPTION_LABEL.get(obligation.exception_kind, ""),
            "page_title": f"Exception recorded – {obligation.summary}",
            "nav_section": "obligations",
        },
    )
