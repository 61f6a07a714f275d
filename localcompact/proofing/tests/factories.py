"""Drafts and reports for the tests, made through the service."""

import datetime as dt

from localcompact.proofing import services
from localcompact.rulebook import long_date

from .conftest import NOW, TODAY


def consultation(*, weeks: int, opens: dt.date = TODAY, compact_name="Leicester Compact") -> str:
    closes = opens + dt.timedelta(weeks=weeks)
    return (
        f"We are asking people about the future of the library service, as the {compact_name} "
        f"asks us to. The consultation opens on {long_date(opens)} and closes on "
        f"{long_date(closes)}. You can reply online or by post."
    )


def report(
    world, *, organisation=None, compact=None, kind="other", text=None, by=None, title="A draft"
):
    return services.report_create(
        organisation=organisation or world.council,
        compact=compact or world.leicester,
        kind=kind,
        title=title,
        text=text
        if text is not None
        else "We keep to the Leicester Compact. We talk to people first.",
        by=by or world.user("officer"),
        now=NOW,
    )
