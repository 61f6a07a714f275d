"""Properties of working-day and period arithmetic, for any date and count."""

from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st

from localcompact.rulebook import Nation, Period, Unit, add, calendar_for, subtract

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))
counts = st.integers(min_value=1, max_value=200)
nations = st.sampled_from(list(Nation))


def walk(cal, d: date, n: int) -> date:
    """The obvious day-by-day way, to check the week-skipping one against."""
    step = timedelta(days=1 if n > 0 else -1)
    for _ in range(abs(n)):
        d += step
        while not cal.is_working_day(d):
            d += step
    return d


@given(dates, counts, nations)
def test_adding_working_days_lands_on_a_working_day_that_many_working_days_later(d, n, nation):
    cal = calendar_for(nation)
    end = cal.add_working_days(d, n)
    assert cal.is_working_day(end)
    assert cal.working_days_between(d, end) == n


@given(dates, counts, nations)
def test_adding_working_days_agrees_with_walking_day_by_day(d, n, nation):
    cal = calendar_for(nation)
    assert cal.add_working_days(d, n) == walk(cal, d, n)
    assert cal.add_working_days(d, -n) == walk(cal, d, -n)


@given(dates, dates, nations)
def test_working_days_between_agrees_with_counting_day_by_day(a, b, nation):
    cal = calendar_for(nation)
    first, last = min(a, b), max(a, b)
    if (last - first).days > 800:
        last = first + timedelta(days=800)
    counted = sum(
        cal.is_working_day(first + timedelta(days=i)) for i in range(1, (last - first).days + 1)
    )
    assert cal.working_days_between(first, last) == counted
    assert cal.working_days_between(last, first) == -counted


@given(dates, counts, nations)
def test_counting_back_from_a_working_day_sum_gives_the_start(d, n, nation):
    cal = calendar_for(nation)
    start = cal.add_working_days(d, 1)  # a working day
    assert cal.add_working_days(cal.add_working_days(start, n), -n) == start


@given(dates, st.integers(min_value=0, max_value=400), st.sampled_from([Unit.DAYS, Unit.WEEKS]))
def test_adding_then_subtracting_days_or_weeks_gives_the_start(d, count, unit):
    cal = calendar_for(Nation.ENGLAND_AND_WALES)
    period = Period(count, unit)
    assert subtract(add(d, period, cal), period, cal) == d
