"""Activities: something done under a dated standard, recorded by hand.

Recording is in two steps: choose the standard (a compact first, if there are several),
then give the dates its rule counts from. Members of the owing organisation and of the
organisations it is owed to see an activity; its officers and administrators change it.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from localcompact.compacts.presentation import describe_rule
from localcompact.organisations.models import Organisation
from localcompact.rulebook import ExcuseRefused

from .. import selectors
from ..forms import (
    ActivityForm,
    CompactChoiceForm,
    DoneForm,
    StandardChoiceForm,
    WithdrawForm,
    capital,
    when,
)
from ..models import Activity
from ..services import activity_mark_done, activity_record, activity_withdraw
from . import common

# --- Pages -------------------------------------------------------------------------------


def _may_record(request: HttpRequest, organisation: Organisation) -> HttpResponse | None:
    if request.user.has_perm("obligations.record_activity", organisation):
        return None
    return common.forbidden(
        request,
        title=f"You cannot record activities for {organisation.name}",
        reason=f"Only officers and administrators of {organisation.name} can record what "
        "it does under the compact's standards.",
    )


def _body_names(compact) -> dict:
    version = compact.current_version
    return {b["id"]: b["name"] for b in version.definition.get("bodies", [])}


@login_required
@require_safe
def new(request: HttpRequest, slug: str) -> HttpResponse:
    """Step 1: choose the compact (when there are several), then the standard."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if refused := _may_record(request, organisation):
        return refused
    compacts = selectors.compacts_with_recordable_standards()
    context = {
        "organisation": organisation,
        "nav_section": "obligations",
        "page_title": f"Record an activity – {organisation.name}",
    }
    compact_form = CompactChoiceForm(
        request.GET if "compact" in request.GET or "step" in request.GET else None,
        compacts=compacts,
    )
    if len(compacts) == 1:
        compact = compacts[0]
    elif compact_form.is_bound and compact_form.is_valid():
        compact = compact_form.compact()
    else:
        status = 400 if compact_form.is_bound else 200
        if status == 400:
            context["page_title"] = "Error: " + context["page_title"]
        context.update(form=compact_form, compacts=compacts)
        return render(request, "obligations/activity_compact.html", context, status=status)

    standards = list(selectors.standards_recordable(compact=compact))
    standard_form = StandardChoiceForm(
        request.GET if request.GET.get("step") == "standard" else None,
        initial={"compact": compact.slug},
        standards=standards,
        body_names=_body_names(compact),
    )
    if standard_form.is_bound and standard_form.is_valid():
        return redirect(
            "obligations:activity_new_details",
            slug=organisation.slug,
            compact=compact.slug,
            standard=standard_form.cleaned_data["standard"],
        )
    status = 400 if standard_form.is_bound else 200
    if status == 400:
        context["page_title"] = "Error: " + context["page_title"]
    context.update(form=standard_form, compact=compact, several=len(compacts) > 1)
    return render(request, "obligations/activity_standard.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def new_details(request: HttpRequest, slug: str, compact: str, standard: str) -> HttpResponse:
    """Step 2: what it is, the dates its standard's rule counts from, and who it is owed to."""
    organisation = get_object_or_404(Organisation, slug=slug)
    if refused := _may_record(request, organisation):
        return refused
    standard_obj = get_object_or_404(
        selectors.standards_recordable().select_related("version__compact__current_version"),
        version__compact__slug=compact,
        ident=standard,
    )
    today = common.today()
    form = ActivityForm(
        request.POST if request.method == "POST" else None,
        standard=standard_obj,
        organisation=organisation,
        today=today,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = activity_record(
                organisation=organisation,
                standard=standard_obj,
                title=data["title"],
                description=data["description"],
                start_on=data["start_on"],
                end_on=data.get("end_on"),
                agreed_due_on=data.get("agreed_due_on"),
                owed_to=data["owed_to"],
                owed_to_label=data["owed_to_label"],
                by=request.user,
                today=today,
                excuse=form.excuse,
            )
        except ExcuseRefused as refused:
            form.add_error(form.field_refused(), refused.message)
        else:
            return redirect("obligations:activity_recorded", pk=activity.pk)
    version = standard_obj.version
    body_names = {b["id"]: b["name"] for b in version.definition.get("bodies", [])}
    return render(
        request,
        "obligations/activity_form.html",
        {
            "organisation": organisation,
            "standard": standard_obj,
            "compact": version.compact,
            "rule_text": describe_rule(standard_obj.rule_kind, standard_obj.params, body_names),
            "form": form,
            "nav_section": "obligations",
            "page_title": f"{'Error: ' if form.errors else ''}Record an activity – "
            f"{standard_obj.title}",
        },
        status=400 if form.errors else 200,
    )


def _cannot_see(request: HttpRequest) -> HttpResponse:
    return common.forbidden(
        request,
        title="You cannot see this activity",
        reason="Only members of the organisation that recorded it, members of the "
        "organisations it is owed to, and the compact's support team can see an activity.",
    )


def _cannot_change(request: HttpRequest, activity: Activity) -> HttpResponse:
    return common.forbidden(
        request,
        title="You cannot change this activity",
        reason=f"Only officers and administrators of {activity.owed_by.name} can change "
        "what it has recorded.",
    )


def _date_labels(activity: Activity) -> list[tuple[str, dt.date | None]]:
    params, kind = activity.standard.params, activity.standard.rule_kind
    if kind == "minimum_period":
        rows = [(when(params["start"]), activity.start_on), (when(params["end"]), activity.end_on)]
    elif kind == "notice_before_event":
        rows = [(when(params["event"]), activity.start_on)]
    elif kind == "respond_within":
        rows = [(when(params["after"]), activity.start_on)]
    else:
        rows = [("the date the record is needed by", activity.start_on)]
    if activity.agreed_due_on:
        rows.append(("the agreed due date", activity.agreed_due_on))
    return [(capital(label), value) for label, value in rows]


def _activity_page(
    request: HttpRequest, activity: Activity, done_form: DoneForm | None = None, status=200
) -> HttpResponse:
    can_change = request.user.has_perm("obligations.change_activity", activity)
    can_mark_done = (
        can_change
        and activity.withdrawn_on is None
        and activity.done_on is None
        and activity.standard.rule_kind != "minimum_period"
    )
    if can_mark_done and done_form is None:
        done_form = DoneForm(today=common.today())
    return render(
        request,
        "obligations/activity.html",
        {
            "activity": activity,
            "standard": activity.standard,
            "dates": _date_labels(activity),
            "owed_to": list(activity.owed_to.all()),
            "obligations": list(selectors.obligations_of_source(activity)),
            "can_change": can_change,
            "can_mark_done": can_mark_done,
            "form": done_form,
            "nav_section": "obligations",
            "page_title": f"{'Error: ' if done_form and done_form.errors else ''}{activity.title}",
        },
        status=status,
    )


@login_required
@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(pk=pk)
    if not request.user.has_perm("obligations.view_activity", activity):
        return _cannot_see(request)
    return _activity_page(request, activity)


@login_required
@require_safe
def recorded(request: HttpRequest, pk: int) -> HttpResponse:
    """The confirmation page after recording: the activity and the obligation it gives."""
    activity = selectors.activity_get(pk=pk)
    if not request.user.has_perm("obligations.view_activity", activity):
        return _cannot_see(request)
    return render(
        request,
        "obligations/activity_recorded.html",
        {
            "activity": activity,
            "obligations": list(selectors.obligations_of_source(activity)),
            "nav_section": "obligations",
            "page_title": f"Activity recorded – {activity.title}",
        },
    )


@login_required
@require_POST
def done(request: HttpRequest, pk: int) -> HttpResponse:
    activity = selectors.activity_get(pk=pk)
    if not request.user.has_perm("obligations.change_activity", activity):
        if not request.user.has_perm("obligations.view_activity", activity):
            return _cannot_see(request)
        return _cannot_change(request, activity)
    today = common.today()
    form = DoneForm(request.POST, today=today)
    if activity.withdrawn_on is not None or activity.standard.rule_kind == "minimum_period":
        return _activity_page(request, activity, status=400)
    if form.is_valid():
        activity_mark_done(
            activity=activity,
            done_on=form.cleaned_data["done_on"],
            note=form.cleaned_data["done_note"],
            by=request.user,
            today=today,
        )
        messages.success(request, "Marked as done. Its obligation has been updated.")
        return redirect("obligations:activity", pk=activity.pk)
    return _activity_page(request, activity, done_form=form, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def withdraw(request: HttpRequest, pk: int) -> HttpResponse:
    """Withdraw an activity, with the reason: its obligation is no longer owed."""
    activity = selectors.activity_get(pk=pk)
    if not request.user.has_perm("obligations.change_activity", activity):
        if not request.user.has_perm("obligations.view_activity", activity):
            return _cannot_see(request)
        return _cannot_change(request, activity)
    if activity.withdrawn_on is not None:
        return redirect("obligations:activity", pk=activity.pk)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        activity_withdraw(
            activity=activity,
            reason=form.cleaned_data["reason"],
            by=request.user,
            today=common.today(),
        )
        messages.success(request, "The activity is withdrawn. Its obligation is no longer owed.")
        return redirect("obligations:activity", pk=activity.pk)
    return render(
        request,
        "obligations/activity_withdraw.html",
        {
            "activity": activity,
            "form": form,
            "nav_section": "obligations",
            "page_title": f"{'Error: ' if form.errors else ''}Withdraw – {activity.title}",
        },
        status=400 if form.errors else 200,
    )
