"""Quarters, their bounds and their filing deadline."""
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    def __post_init__(self):
        if not 1 <= self.number <= 4 or not 2000 <= self.year <= 2100:
            raise ValueError(f"invalid quarter {self.year}-{self.number}")

    @classmethod
    def containing(cls, day: date) -> "Quarter":
        return cls(day.year, (day.month - 1) // 3 + 1)

    @classmethod
    def last_completed(cls, today: date | None = None) -> "Quarter":
        """The quarter the branches are reporting on now (the one before today's)."""
        return cls.containing(today or timezone.localdate()).previous()

    @classmethod
    def parse(cls, key: str) -> "Quarter":
        """``"2026-3"`` → ``Quarter(2026, 3)``; ``ValueError`` for anything else."""
        year, _sep, number = (key or "").partition("-")
        return cls(int(year), int(number))

    @property
    def key(self) -> str:
        return f"{self.year}-{self.number}"

    @property
    def label(self) -> str:
        return _("%(year)s年第%(number)s季度") % {"year": self.year, "number": self.number}

    @property
    def start(self) -> date:
        return date(self.year, 3 * self.number - 2, 1)

    @property
    def end(self) -> date:
        """Last day of the quarter (inclusive)."""
        return self.next().start - timedelta(days=1)

    @property
    def last_month(self) -> date:
        return date(self.year, 3 * self.number, 1)

    @property
    def deadline(self) -> date:
        """The branches file by ``REPORT_DEADLINE_DAY`` of the month after the quarter."""
        return self.next().start.replace(day=settings.REPORT_DEADLINE_DAY)

    def datetime_bounds(self) -> tuple[datetime, datetime]:
        """[start, next start) as aware datetimes in the local time zone."""
        tz = timezone.get_current_timezone()
        return (datetime.combine(self.start, time.min, tzinfo=tz),
                datetime.combine(self.next().start, time.min, tzinfo=tz))

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def recent(self, count: int) -> list["Quarter"]:
        """This quarter and the ``count - 1`` before it, newest first."""
        quarters, quarter = [], self
        for _i in range(count):
            quarters.append(quarter)
            quarter = quarter.previous()
        return quarters


def month_starts(last: date, count: int) -> list[date]:
    """The first days of ``count`` months ending with ``last``'s month, oldest first."""
    months, year, month = [], last.year, last.month
    for _i in range(count):
        months.append(date(year, month, 1))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    return months[::-1]
