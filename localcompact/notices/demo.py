"""Demo notices from Northfield City Council, made through the services so that their
obligations exist: one published in good time, one late with its reason, a draft due
soon, an embargoed one shared with Northfield Community Action, a confidential one
shared with Riverside Youth Trust, a withdrawn one, and one under a compact that sets
no notice period (Leicester)."""

import datetime as dt

from django.utils import timezone

from .models import Format, Restriction
from .services import Explained, notice_create, notice_publish, notice_withdraw

DAY = dt.timedelta(days=1)


def _data(title, decision, action, action_by, decided_on, **extra) -> dict:
    return {
        "title": title,
        "decision": decision,
        "decided_on": decided_on,
        "decided_by": "The council's cabinet",
        "action_required": action,
        "action_by": action_by,
        "affected": extra.pop("affected", "Residents and community groups in Northfield"),
        "area": extra.pop("area", "Northfield"),
        "more_information_url": "",
        "contact": "Olivia, partnerships officer: partnerships@northfield.example.org",
        "formats": extra.pop("formats", [Format.LARGE_PRINT, Format.EASY_READ]),
        "formats_note": "Ask the contact for any other format or language.",
        "restriction": extra.pop("restriction", Restriction.PUBLIC),
        "embargo_until": extra.pop("embargo_until", None),
        "handling": extra.pop("handling", ""),
        **extra,
    }


def seed(demo) -> str | None:
    council = demo.organisations["northfield-council"]
    olivia = demo.people["olivia"]
    today = demo.today
    herefordshire = demo.compact("herefordshire")
    leicester = demo.compact("leicester")
    moment = timezone.now()

    def made(compact, data, *, days_ago=0, shared_with=(), terms=(), publish=True, late=""):
        day = today - days_ago * DAY
        at = moment - days_ago * DAY
        notice = notice_create(
            organisation=council,
            compact=compact,
            data=data,
            terms=terms,
            shared_with=[demo.organisations[s] for s in shared_with],
            by=olivia,
            today=day,
            now=at,
        )
        if publish:
            notice = notice_publish(notice=notice, by=olivia, today=day, now=at, late_reason=late)
        return notice

    made(
        herefordshire,
        _data(
            "Bin collection days change in the north of the city",
            "Collections in the northern wards move from Monday to Thursday. Community "
            "centres that share a collection with homes move with them.",
            "Put bins out on Thursday mornings from the date below. Community centres with "
            "a trade waste contract should check their collection day with the contractor.",
            today + 30 * DAY,
            today - 25 * DAY,
            area="Northern wards",
        ),
        days_ago=20,
        terms=[
            Explained("Trade waste", "Rubbish from a business or organisation, not a home."),
            Explained("Stakeholder", "Anyone with an interest in the decision."),
        ],
    )
    made(
        herefordshire,
        _data(
            "Riverside day centre car park closes for resurfacing",
            "The car park closes for two weeks while it is resurfaced.",
            "Groups that use the centre should arrange other parking or drop-offs.",
            today + 14 * DAY,
            today - 6 * DAY,
        ),
        days_ago=3,
        late="The contractor's dates were only confirmed this week.",
    )
    made(
        herefordshire,
        _data(
            "New charges for community hall hire",
            "Hire charges for council-run community halls rise from next quarter. "
            "Registered charities keep a reduced rate.",
            "Groups with regular bookings should confirm them at the new rates.",
            today + 4 * 7 * DAY + 3 * DAY,
            today - 2 * DAY,
        ),
        publish=False,
    )
    made(
        herefordshire,
        _data(
            "Community grants programme for next year agreed",
            "The council agreed next year's community grants programme and its priorities.",
            "Groups intending to apply should register their interest before the date below.",
            today + 60 * DAY,
            today - 3 * DAY,
            restriction=Restriction.EMBARGOED,
            embargo_until=timezone.make_aware(dt.datetime.combine(today + 7 * DAY, dt.time(9, 0))),
            handling="Share within your organisation's board only until the embargo lifts.",
        ),
        days_ago=1,
        shared_with=["northfield-community-action"],
    )
    made(
        herefordshire,
        _data(
            "Partnerships team restructure",
            "The partnerships team is being restructured; named contacts will change.",
            "Youth providers should send any queries about current agreements before the date "
            "below.",
            today + 45 * DAY,
            today - 4 * DAY,
            restriction=Restriction.CONFIDENTIAL,
            handling="Not to be passed on outside the trust's senior staff.",
        ),
        days_ago=2,
        shared_with=["riverside-youth-trust"],
    )
    withdrawn = made(
        herefordshire,
        _data(
            "Library opening hours reduced",
            "Opening hours at branch libraries are reduced on Wednesdays.",
            "Groups booking library rooms on Wednesdays should rebook.",
            today + 40 * DAY,
            today - 12 * DAY,
        ),
        days_ago=10,
    )
    notice_withdraw(
        notice=withdrawn,
        reason="The decision was reversed after the budget was revised.",
        by=olivia,
        today=today,
    )
    made(
        leicester,
        _data(
            "Parks events permit process moves online",
            "Permits for events in parks are now applied for online.",
            "Groups planning summer events should apply online by the date below.",
            today + 21 * DAY,
            today - 5 * DAY,
        ),
        days_ago=2,
    )
    return "Informing notices: 7 from Northfield City Council (one draft, one withdrawn)."
