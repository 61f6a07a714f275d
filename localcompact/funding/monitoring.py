"""Monitoring in proportion to the amount of funding.

City Together asks for monitoring proportionate to the amount of funding
(000_fbfad6764e4f2d7a.txt, commissioning code, public sector undertaking 7) and Redcar
for proportionate, outcome-focused monitoring (002_41c5fa4d4a1baeb0.txt, funding and
commissioning code, public sector undertaking 7, and its simplicity and proportionality
principle). None of the four compacts names amounts, and a compact definition has no
place to put them (the definition schema allows no such field), so the bands below are
this platform's own, documented here, and the same for every compact. They bound the
burden: the most monitoring returns a year a funder should ask for at each size of award.
A monitoring plan that asks for more is flagged on the award page; it is not refused,
because the compacts ask for proportion, not for a particular number.
"""

from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True)
class Band:
    name: str
    up_to: Decimal | None  # inclusive; None for the top band
    max_returns_per_year: int
    summary: str


MONITORING_BANDS = (
    Band("Small", Decimal("10000"), 1, "one short return a year on outputs and outcomes"),
    Band("Medium", Decimal("100000"), 2, "up to two returns a year"),
    Band("Large", None, 4, "up to quarterly returns, with a yearly review meeting"),
)
BANDS_CLAUSE = (
    "000_fbfad6764e4f2d7a.txt, commissioning code, public sector undertaking 7; "
    "002_41c5fa4d4a1baeb0.txt, funding and commissioning code, public sector undertaking 7"
)


def band_for(amount: Decimal) -> Band:
    for band in MONITORING_BANDS:
        if band.up_to is None or amount <= band.up_to:
            return band
    raise AssertionError("the top band has no limit")


def monitoring_flag(amount: Decimal, returns_per_year: int) -> str:
    """Why the monitoring asked for is more than the band allows, or ''."""
    band = band_for(amount)
    if returns_per_year > band.max_returns_per_year:
        return (
            f"{returns_per_year} returns a year is more than the {band.name.lower()} band "
            f"allows ({band.summary}) for an award of this size."
        )
    return ""
