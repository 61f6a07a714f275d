"""Obligations' part of a person's data (see localcompact.accounts.personal_data).

What a person did here is part of the compact's record and is kept on erasure: the
activities they recorded, the changes they made to obligations (excusing, marking done)
and the calendar links they made, which then name "a former user". Only the reminder
digests waiting to be sent to them are stopped.
"""

import datetime as dt

from localcompact.core.logging import audit_log

from .models import Activity, CalendarFeed, Obligation, ObligationEvent, Reminder

ERASED_NOTE = "Not sent: the account was erased"


def _iso(value: dt.date | dt.datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def personal_data(sender=None, *, user, **kwargs) -> dict:
    """The activities they recorded, obligation changes they made, obligations they
    excused, digests sent to them and calendar links they made (without their secret
    addresses)."""
    events = ObligationEvent.objects.filter(by=user).select_related("obligation")
    return {
        "activities_recorded": [
            {
                "title": a.title,
                "description": a.description,
                "organisation": a.owed_by.name,
                "standard": a.standard.title,
                "starts": _iso(a.start_on),
                "done": _iso(a.done_on),
                "done_note": a.done_note,
                "withdrawn": _iso(a.withdrawn_on),
                "recorded": _iso(a.created_at),
            }
            for a in Activity.objects.filter(recorded_by=user).select_related("owed_by", "standard")
        ],
        "obligation_changes_made": [
            {
                "obligation": e.obligation.summary,
                "change": e.get_kind_display(),
                "from": e.from_status,
                "to": e.to_status,
                "on": _iso(e.on),
                "at": _iso(e.at),
                "note": e.note,
            }
            for e in events.order_by("at", "pk")
        ],
        "obligations_excused": [
            {
                "obligation": o.summary,
                "exception": o.exception_kind,
                "reason": o.excuse_reason,
                "agreed_by": o.excuse_agreed_by,
                "excused_on": _iso(o.excused_on),
            }
            for o in Obligation.objects.filter(excused_by=user).order_by("excused_on", "pk")
        ],
        "reminder_emails": [
            {
                "day": _iso(r.on),
                "kind": r.get_kind_display(),
                "state": r.get_state_display(),
                "sent": _iso(r.sent_at),
            }
            for r in Reminder.objects.filter(recipient=user).order_by("on", "kind")
        ],
        "calendar_links_made": [
            {
                "organisation": f.organisation.name,
                "made": _iso(f.created_at),
                "revoked": _iso(f.revoked_at),
            }
            for f in CalendarFeed.objects.filter(created_by=user).select_related("organisation")
        ],
    }


def personal_data_erase(sender=None, *, user, by, **kwargs) -> dict:
    """Stop the digests still queued for them (a guarded update, as the sender's claim
    is: one already claimed for sending is left to the sender)."""
    stopped = Reminder.objects.filter(recipient=user, state=Reminder.State.QUEUED).update(
        state=Reminder.State.FAILED, error=ERASED_NOTE
    )
    audit_log("obligations.personal_data_erased", user=user, by=by, reminders_stopped=stopped)
    return {"reminders stopped": stopped}
