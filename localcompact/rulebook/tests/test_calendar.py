"""Working days in each nation, anchored on real dates.

Reference: GOV.UK's bank holiday list (see data/README.md); dates checked on a calendar.
"""

from datetime import date

import pytest

from localcompact.rulebook import Nation, RuleError, WorkingCalendar, calendar_for

EW = Nation.ENGLAND_AND_WALES
SCOT = Nation.SCOTLAND
NI = Nation.NORTHERN_IRELAND


BANK_HOLIDAYS = [
    # nation, date, is a bank holiday, why
    (EW, date(2020, 12, 25), True, "Christmas Day 2020, a Friday"),
    (EW, date(2020, 12, 26), False, "Boxing Day 2020 was a Saturday"),
    (EW, date(2020, 12, 28), True, "Monday 28 December 2020, substitute for Boxing Day"),
    (SCOT, date(2020, 12, 28), True, "Boxing Day 2020 substitute, Scotland"),
    (NI, date(2020, 12, 28), True, "Boxing Day 2020 substitute, Northern Ireland"),
    (EW, date(2021, 12, 25), False, "Christmas Day 2021 was a Saturday"),
    (EW, date(2021, 12, 27), True, "Monday 27 December 2021, substitute for Christmas Day"),
    (EW, date(2021, 12, 28), True, "Tuesday 28 December 2021, substitute for Boxing Day"),
    (SCOT, date(2021, 12, 27), True, "Christmas Day 2021 substitute, Scotland"),
    (SCOT, date(2021, 12, 28), True, "Boxing Day 2021 substitute, Scotland"),
    (NI, date(2021, 12, 27), True, "Christmas Day 2021 substitute, Northern Ireland"),
    (NI, date(2021, 12, 28), True, "Boxing Day 2021 substitute, Northern Ireland"),
    (EW, date(2021, 4, 2), True, "Good Friday 2021"),
    (SCOT, date(2021, 4, 2), True, "Good Friday 2021, Scotland"),
    (NI, date(2021, 4, 2), True, "Good Friday 2021, Northern Ireland"),
    (EW, date(2021, 4, 5), True, "Easter Monday 2021"),
    (NI, date(2021, 4, 5), True, "Easter Monday 2021, Northern Ireland"),
    (SCOT, date(2021, 4, 5), False, "Easter Monday is not a bank holiday in Scotland"),
    (SCOT, date(2020, 1, 2), True, "2 January 2020 in Scotland"),
    (EW, date(2020, 1, 2), False, "2 January is not a bank holiday in England and Wales"),
    (SCOT, date(2021, 1, 4), True, "2 January 2021 was a Saturday: Monday 4 January, Scotland"),
    (SCOT, date(2019, 11, 30), False, "St Andrew's Day 2019 was a Saturday"),
    (SCOT, date(2019, 12, 2), True, "Monday 2 December 2019, substitute for St Andrew's Day"),
    (EW, date(2019, 12, 2), False, "St Andrew's Day is Scottish only"),
    (SCOT, date(2020, 11, 30), True, "St Andrew's Day 2020, a Monday"),
    (SCOT, date(2020, 8, 3), True, "Scotland's summer bank holiday, first Monday of August 2020"),
    (SCOT, date(2020, 8, 31), False, "Scotland does not keep the late August bank holiday"),
    (EW, date(2020, 8, 31), True, "Summer bank holiday 2020, England and Wales"),
    (NI, date(2020, 3, 17), True, "St Patrick's Day 2020, Northern Ireland"),
    (EW, date(2020, 3, 17), False, "St Patrick's Day is Northern Irish only"),
    (NI, date(2019, 3, 18), True, "St Patrick's Day 2019 was a Sunday: Monday 18 March"),
    (NI, date(2020, 7, 12), False, "Battle of the Boyne 2020 fell on a Sunday"),
    (NI, date(2020, 7, 13), True, "Monday 13 July 2020, substitute for the Battle of the Boyne"),
    (EW, date(2020, 7, 13), False, "The Battle of the Boyne is Northern Irish only"),
    (EW, date(2020, 5, 8), True, "Early May bank holiday 2020 moved to Friday 8 May (VE Day)"),
    (SCOT, date(2020, 5, 8), True, "Early May bank holiday 2020 moved, Scotland"),
    (NI, date(2020, 5, 8), True, "Early May bank holiday 2020 moved, Northern Ireland"),
    (EW, date(2020, 5, 4), False, "Monday 4 May 2020 was an ordinary working day"),
    (EW, date(2022, 6, 3), True, "Platinum Jubilee bank holiday, 3 June 2022"),
    (EW, date(2022, 9, 19), True, "State funeral of Queen Elizabeth II, 19 September 2022"),
    (SCOT, date(2022, 9, 19), True, "State funeral, Scotland"),
    (NI, date(2023, 5, 8), True, "Coronation of King Charles III, 8 May 2023"),
]


@pytest.mark.parametrize(("nation", "day", "expected", "why"), BANK_HOLIDAYS)
def test_it_knows_each_nations_bank_holidays(nation, day, expected, why):
    assert calendar_for(nation).is_bank_holiday(day) is expected, why


ADD_WORKING_DAYS = [
    # nation, start, n, expected, why
    (
        EW,
        date(2020, 12, 24),
        1,
        date(2020, 12, 29),
        "skips Christmas and the Boxing Day substitute",
    ),
    (SCOT, date(2020, 12, 24), 1, date(2020, 12, 29), "the same in Scotland"),
    (NI, date(2020, 12, 24), 1, date(2020, 12, 29), "the same in Northern Ireland"),
    (EW, date(2020, 12, 24), 5, date(2021, 1, 5), "skips New Year's Day"),
    (SCOT, date(2020, 12, 24), 5, date(2021, 1, 6), "skips 1 January and the 2 January substitute"),
    (NI, date(2020, 12, 24), 5, date(2021, 1, 5), "Northern Ireland keeps only 1 January"),
    (EW, date(2021, 4, 1), 1, date(2021, 4, 6), "skips Good Friday and Easter Monday 2021"),
    (SCOT, date(2021, 4, 1), 1, date(2021, 4, 5), "Easter Monday is a working day in Scotland"),
    (NI, date(2021, 4, 1), 1, date(2021, 4, 6), "skips Good Friday and Easter Monday, NI"),
    (EW, date(2021, 4, 6), -1, date(2021, 4, 1), "counting back over Easter 2021"),
    (SCOT, date(2021, 4, 6), -1, date(2021, 4, 5), "counting back over Easter 2021, Scotland"),
    (EW, date(2021, 3, 25), 15, date(2021, 4, 19), "15 working days across Easter 2021"),
    (NI, date(2021, 3, 16), 1, date(2021, 3, 18), "skips St Patrick's Day 2021, NI"),
    (EW, date(2021, 3, 16), 1, date(2021, 3, 17), "St Patrick's Day is a working day in EW"),
    (EW, date(2020, 12, 26), 0, date(2020, 12, 26), "adding none gives the day itself"),
    (EW, date(2021, 3, 5), 1, date(2021, 3, 8), "Friday to Monday"),
    (EW, date(2021, 3, 6), 1, date(2021, 3, 8), "from a Saturday, the next Monday"),
    (EW, date(2021, 3, 8), -1, date(2021, 3, 5), "Monday back to Friday"),
    (EW, date(2020, 1, 1), 254, date(2020, 12, 31), "2020 had 254 working days in EW"),
    (EW, date(2020, 1, 1), 255, date(2021, 1, 4), "and the next is after New Year 2021"),
]


@pytest.mark.parametrize(("nation", "start", "n", "expected", "why"), ADD_WORKING_DAYS)
def test_it_adds_working_days(nation, start, n, expected, why):
    assert calendar_for(nation).add_working_days(start, n) == expected, why


WORKING_DAYS_BETWEEN = [
    (EW, date(2020, 12, 24), date(2021, 1, 5), 5, "Christmas 2020 to the new year"),
    (SCOT, date(2020, 12, 24), date(2021, 1, 6), 5, "the same in Scotland, a day later"),
    (EW, date(2020, 12, 24), date(2020, 12, 28), 0, "only holidays and a weekend between"),
    (EW, date(2021, 1, 5), date(2020, 12, 24), -5, "negative when the end comes first"),
    (EW, date(2021, 3, 5), date(2021, 3, 8), 1, "a Friday to the Monday after"),
    (EW, date(2021, 3, 8), date(2021, 3, 8), 0, "none from a day to itself"),
    (EW, date(2019, 12, 31), date(2020, 12, 31), 254, "262 weekdays less 8 bank holidays"),
    (SCOT, date(2019, 12, 31), date(2020, 12, 31), 253, "262 weekdays less 9 in Scotland"),
    (NI, date(2019, 12, 31), date(2020, 12, 31), 252, "262 weekdays less 10 in NI"),
]


@pytest.mark.parametrize(("nation", "a", "b", "expected", "why"), WORKING_DAYS_BETWEEN)
def test_it_counts_working_days_between_two_dates(nation, a, b, expected, why):
    assert calendar_for(nation).working_days_between(a, b) == expected, why


def test_a_weekend_is_not_a_working_day():
    cal = calendar_for(EW)
    assert not cal.is_working_day(date(2021, 3, 6))
    assert not cal.is_working_day(date(2021, 3, 7))
    assert cal.is_working_day(date(2021, 3, 8))


def test_a_bank_holiday_is_not_a_working_day():
    assert not calendar_for(EW).is_working_day(date(2020, 12, 28))


def test_it_lists_a_years_bank_holidays_with_their_names():
    holidays = calendar_for(EW).bank_holidays(2020)
    assert len(holidays) == 8
    assert holidays[date(2020, 12, 28)] == "Boxing Day (observed)"
    assert all(day.weekday() < 5 for day in holidays)


def test_calendar_days_are_plain_arithmetic():
    cal = calendar_for(EW)
    assert cal.add_days(date(2020, 12, 24), 7) == date(2020, 12, 31)
    assert cal.days_between(date(2020, 12, 24), date(2020, 12, 31)) == 7
    assert cal.days_between(date(2020, 12, 31), date(2020, 12, 24)) == -7


def test_england_and_wales_share_one_calendar():
    import holidays

    for year in range(1990, 2041):
        england = holidays.country_holidays("GB", subdiv="ENG", years=year)
        wales = holidays.country_holidays("GB", subdiv="WLS", years=year)
        assert dict(england) == dict(wales), year


def test_there_is_one_calendar_per_nation():
    assert calendar_for("scotland") is calendar_for(Nation.SCOTLAND)
    assert isinstance(calendar_for("scotland"), WorkingCalendar)


def test_an_unknown_nation_is_refused_with_the_choices():
    with pytest.raises(RuleError, match="Unknown nation 'wales'.*england-and-wales"):
        calendar_for("wales")
