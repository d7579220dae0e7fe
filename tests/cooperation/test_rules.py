from datetime import date

import pytest

from cooperation.choices import ExchangeInterval as I
from cooperation.rules import exchange_due, last_closed_period, period_end, period_label, period_start, periods_between


@pytest.mark.parametrize("day, interval, start, end", [
    (date(2026, 11, 25), I.QUARTERLY, date(2026, 10, 1), date(2026, 12, 31)),
    (date(2026, 1, 1), I.QUARTERLY, date(2026, 1, 1), date(2026, 3, 31)),
    (date(2026, 2, 28), I.MONTHLY, date(2026, 2, 1), date(2026, 2, 28)),
    (date(2026, 7, 1), I.HALF_YEARLY, date(2026, 7, 1), date(2026, 12, 31)),
    (date(2026, 6, 30), I.HALF_YEARLY, date(2026, 1, 1), date(2026, 6, 30)),
    (date(2026, 6, 30), I.YEARLY, date(2026, 1, 1), date(2026, 12, 31)),
])
def test_periods_follow_the_calendar(day, interval, start, end):
    assert period_start(day, interval) == start
    assert period_end(start, interval) == end


@pytest.mark.parametrize("today, interval, closed, due", [
    (date(2026, 11, 25), I.QUARTERLY, date(2026, 7, 1), date(2026, 10, 15)),
    (date(2026, 1, 5), I.QUARTERLY, date(2025, 10, 1), date(2026, 1, 15)),
    (date(2026, 3, 1), I.MONTHLY, date(2026, 2, 1), date(2026, 3, 15)),
    (date(2027, 1, 1), I.YEARLY, date(2026, 1, 1), date(2027, 1, 15)),
])
def test_last_closed_period_and_its_due_date(today, interval, closed, due):
    assert last_closed_period(today, interval) == closed
    assert exchange_due(closed, interval) == due


def test_periods_between_newest_first():
    assert periods_between(date(2026, 1, 10), date(2026, 8, 1), I.QUARTERLY) == [
        date(2026, 7, 1), date(2026, 4, 1), date(2026, 1, 1)]


@pytest.mark.parametrize("start, interval, label", [
    (date(2026, 10, 1), I.QUARTERLY, "2026年第4季度"),
    (date(2026, 3, 1), I.MONTHLY, "2026年3月"),
    (date(2026, 1, 1), I.HALF_YEARLY, "2026年上半年"),
    (date(2026, 7, 1), I.HALF_YEARLY, "2026年下半年"),
    (date(2026, 1, 1), I.YEARLY, "2026年"),
])
def test_period_labels(start, interval, label):
    assert period_label(start, interval) == label
