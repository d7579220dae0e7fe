"""Dates the jobs reason with, all in Asia/Shanghai.

"6 months before ``today``" is ``today - relativedelta(months=6)``: the same
day number six months earlier, clamped to the end of a shorter month
(2026-08-31 → 2026-02-28, 2024-08-29 → 2024-02-29). A record dated on that
cutoff day is exactly 6 months old and no longer counts; a record one day
later still does.
"""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone

SHANGHAI = timezone.get_default_timezone()


def shanghai_today(now: datetime | None = None) -> date:
    return timezone.localtime(now or timezone.now(), SHANGHAI).date()


def months_before(today: date, months: int) -> date:
    return today - relativedelta(months=months)


def start_of_day(day: date) -> datetime:
    """Midnight at the start of ``day`` in Shanghai, as an aware datetime."""
    return datetime.combine(day, time.min, tzinfo=SHANGHAI)


def end_of_day(day: date) -> datetime:
    """The first instant after ``day`` in Shanghai (compare with ``<``)."""
    return start_of_day(day + timedelta(days=1))


def first_of_month(day: date) -> date:
    return day.replace(day=1)


@dataclass(frozen=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def containing(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @property
    def key(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def previous(self) -> "Quarter":
        return Quarter(self.year, self.number - 1) if self.number > 1 else Quarter(self.year - 1, 4)

    @property
    def first_day(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def next_first_day(self) -> date:
        return self.first_day + relativedelta(months=3)

    @property
    def report_due(self) -> date:
        """The quarterly report on this quarter is due on day ``REPORT_DEADLINE_DAY`` of the next quarter."""
        return self.next_first_day.replace(day=settings.REPORT_DEADLINE_DAY)
