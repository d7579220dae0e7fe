from datetime import date

import pytest

from reports.periods import Quarter, month_starts
from reports.selectors import is_overdue


@pytest.mark.parametrize("day, expected", [
    (date(2026, 1, 1), Quarter(2026, 1)), (date(2026, 3, 31), Quarter(2026, 1)),
    (date(2026, 4, 1), Quarter(2026, 2)), (date(2026, 12, 31), Quarter(2026, 4)),
])
def test_containing(day, expected):
    assert Quarter.containing(day) == expected


def test_bounds_and_deadline(settings):
    settings.REPORT_DEADLINE_DAY = 15
    q4 = Quarter(2026, 4)
    assert (q4.start, q4.end, q4.last_month) == (date(2026, 10, 1), date(2026, 12, 31), date(2026, 12, 1))
    assert q4.deadline == date(2027, 1, 15)
    assert Quarter.last_completed(date(2026, 1, 10)) == Quarter(2025, 4)
    assert Quarter.parse("2026-3") == Quarter(2026, 3) and Quarter(2026, 3).label == "2026年第3季度"


@pytest.mark.parametrize("key", ["", "2026", "2026-5", "x-1", "1999-1"])
def test_parse_refuses_nonsense(key):
    with pytest.raises(ValueError):
        Quarter.parse(key)


@pytest.mark.parametrize("status, today, overdue", [
    ("not_started", date(2026, 10, 15), False), ("not_started", date(2026, 10, 16), True),
    ("draft", date(2026, 10, 16), True), ("returned", date(2026, 10, 16), True),
    ("submitted", date(2026, 10, 16), False), ("approved", date(2026, 12, 1), False),
])
def test_overdue(settings, status, today, overdue):
    settings.REPORT_DEADLINE_DAY = 15
    assert is_overdue(status, Quarter(2026, 3), today) is overdue


def test_month_starts():
    assert month_starts(date(2026, 2, 20), 3) == [date(2025, 12, 1), date(2026, 1, 1), date(2026, 2, 1)]
