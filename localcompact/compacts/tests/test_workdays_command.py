"""The workdays command: working-day arithmetic by hand, in each nation."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def workdays(*args: str) -> str:
    out = StringIO()
    call_command("workdays", *args, stdout=out)
    return out.getvalue().strip()


def test_it_adds_working_days_over_christmas_2020_in_england_and_wales_by_default():
    assert workdays("add", "2020-12-24", "1") == "2020-12-29"


def test_it_adds_working_days_in_scotland():
    assert workdays("add", "2020-12-24", "5", "--nation", "scotland") == "2021-01-06"


def test_it_counts_back_with_a_negative_number():
    assert workdays("add", "2021-04-06", "-1", "--nation=northern-ireland") == "2021-04-01"


def test_it_counts_working_days_between_two_dates():
    assert workdays("between", "2020-12-24", "2021-01-05") == "5"
    assert workdays("between", "2021-01-05", "2020-12-24") == "-5"


def test_a_bad_date_is_refused_with_the_format_to_use():
    with pytest.raises(CommandError, match="'2020-12-32' is not a date: write it as YYYY-MM-DD"):
        workdays("add", "2020-12-32", "1")
    with pytest.raises(CommandError, match="'Christmas' is not a date"):
        workdays("between", "2020-12-24", "Christmas")


def test_a_bad_number_is_refused():
    with pytest.raises(CommandError, match="'ten' is not a whole number of working days"):
        workdays("add", "2020-12-24", "ten")


def test_an_unknown_nation_is_refused_with_the_choices():
    with pytest.raises(CommandError, match="Unknown nation 'wales'.*england-and-wales"):
        workdays("add", "2020-12-24", "1", "--nation", "wales")
