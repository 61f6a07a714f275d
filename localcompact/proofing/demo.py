"""Demo compact-proofing reports (written for the demo; the organisations are invented).

Northfield City Council's officer checks a draft consultation paper on youth club
funding priorities against the Leicester compact: it names the compact, but it is full
of jargon the compact does not explain and it gives people six weeks, not the twelve the
compact asks for, so it does not pass. The officer attaches the report, as evidence, to
the council's planned consultation on the same subject (found through the consultations
app's selectors, when its demo made one), which makes the report public. Northfield
Community Action's administrator checks a short leaflet about volunteering week, which
passes and can carry the compact mark.
"""

import datetime as dt

from django.utils import timezone

from localcompact.consultations import selectors as consultation_selectors
from localcompact.rulebook import long_date

from . import services
from .models import DraftKind


def consultation_draft(today: dt.date) -> str:
    opens = today + dt.timedelta(days=7)
    closes = opens + dt.timedelta(weeks=6)
    lines = [
        "Youth club funding priorities: consultation paper",
        "",
        "Going forward, the council wants to leverage the synergy between its youth team and "
        "local stakeholders.",
        "We will deliver a step change in how youth clubs are run, with co-production at the "
        "heart of a holistic offer that is fit for purpose.",
        "Our KPIs will be refreshed and ring-fenced budgets will be streamlined so that capacity "
        "building can be mainstreamed across every locality, in line with the commitments the "
        "council made when it signed the Leicester Compact and the priorities that were agreed "
        "by the cabinet last year.",
        "",
        f"The consultation opens on {long_date(opens)}.",
        f"Responses must reach us by {long_date(closes)}.",
        "You can reply online, by e-mail or by post.",
    ]
    return "\n".join(lines)


LEAFLET = "\n".join(
    [
        "Volunteering week in Northfield",
        "",
        "Northfield Community Action is running a week of taster sessions for new volunteers.",
        "You can try gardening, reading with children or helping at the food bank.",
        "We pay your bus fares and lunch, so volunteering costs you nothing.",
        "We work to the Leicester Compact, which sets out how local charities and public "
        "bodies work together.",
        "Call us or drop in to find out more.",
    ]
)


def seed(demo) -> str:
    now = timezone.now()
    leicester = demo.compact("leicester")
    council = services.report_create(
        organisation=demo.organisations["northfield-council"],
        compact=leicester,
        kind=DraftKind.CONSULTATION,
        title="Youth club funding priorities: draft consultation paper",
        text=consultation_draft(demo.today),
        by=demo.people["olivia"],
        now=now,
    )
    leaflet = services.report_create(
        organisation=demo.organisations["northfield-community-action"],
        compact=leicester,
        kind=DraftKind.OTHER,
        title="Volunteering week leaflet",
        text=LEAFLET,
        by=demo.people["cara"],
        now=now,
    )
    planned = (
        consultation_selectors.consultations_filtered(
            q="Youth club funding priorities", status="planned", compact="leicester"
        )
        .filter(lead=demo.organisations["northfield-council"])
        .first()
    )
    attached = ""
    if planned is not None:
        services.report_attach(
            report=council, consultation=planned, by=demo.people["olivia"], now=now
        )
        attached = f", attached to the consultation \u201c{planned.title}\u201d"
    return (
        f"2 compact-proofing reports: {council.title} ({council.blocking} to fix{attached}), "
        f"{leaflet.title} ({'passes' if leaflet.passes else 'does not pass'}, "
        f"mark {leaflet.reference})"
    )
