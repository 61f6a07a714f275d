"""Golden test: our calendar against GOV.UK's published bank holidays, 2015 to 2021.

The data is a copy of GOV.UK's own list (data/README.md gives the source).
"""

import json
from datetime import date, datetime
from pathlib import Path

import pytest

from localcompact.rulebook import Nation, calendar_for

GOV_UK = Path(__file__).parent / "data" / "gov-uk-bank-holidays-2015-2021.json"


def gov_uk_bank_holidays(division: str) -> dict[date, str]:
    data = json.loads(GOV_UK.read_text(encoding="utf-8"))["divisions"][division]
    return {
        datetime.strptime(event["date"], "%d/%m/%Y").date(): event["title"]
        for year, events in data.items()
        if year.isdigit()
        for event in events
    }


@pytest.mark.parametrize("nation", list(Nation))
def test_our_bank_holidays_are_exactly_gov_uks_for_2015_to_2021(nation):
    published = gov_uk_bank_holidays(nation.value)
    years = sorted({day.year for day in published})
    assert years == list(range(2015, 2022))
    cal = calendar_for(nation)
    ours = {day: name for year in years for day, name in cal.bank_holidays(year).items()}

    discrepancies = [
        f"{day}: GOV.UK has {title}, we do not"
        for day, title in published.items()
        if day not in ours
    ] + [
        f"{day}: we have {name}, GOV.UK does not"
        for day, name in ours.items()
        if day not in published
    ]

    assert discrepancies == []


def test_the_reference_file_covers_each_nation_in_full():
    counts = {nation: len(gov_uk_bank_holidays(nation.value)) for nation in Nation}
    assert counts == {
        Nation.ENGLAND_AND_WALES: 56,
        Nation.SCOTLAND: 63,
        Nation.NORTHERN_IRELAND: 70,
    }
