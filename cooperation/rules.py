"""The exchange periods of an agreement and when each exchange is due: pure functions, tested row by row.

Periods follow the calendar (a quarterly agreement exchanges for 1–3月, 4–6月 …),
whatever day the agreement was signed, so that a county's agreements fall due
together and the quarterly report can speak of the same quarter.
"""
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext as _

from cooperation.choices import ExchangeInterval

INTERVAL_MONTHS = {
    ExchangeInterval.MONTHLY: 1,
    ExchangeInterval.QUARTERLY: 3,
    ExchangeInterval.HALF_YEARLY: 6,
    ExchangeInterval.YEARLY: 12,
}
#: An exchange is recorded within this many days after its period ends; after that it is a reminder.
EXCHANGE_GRACE_DAYS = 15
#: An agreement that ends within this many days is a reminder to renew or close it (once per agreement).
EXPIRY_NOTICE_DAYS = 30
#: The yearly two-way evaluation: the host's opinions are asked for from the fourth quarter.
EVALUATION_REMINDER_MONTH = 10


def period_start(day: date, interval: str) -> date:
    """The first day of the period of ``interval`` containing ``day``."""
    months = INTERVAL_MONTHS[interval]
    return date(day.year, (day.month - 1) // months * months + 1, 1)


def period_end(start: date, interval: str) -> date:
    return start + relativedelta(months=INTERVAL_MONTHS[interval]) - timedelta(days=1)


def exchange_due(start: date, interval: str) -> date:
    """The last day on which the exchange of the period starting ``start`` is on time."""
    return period_end(start, interval) + timedelta(days=EXCHANGE_GRACE_DAYS)


def last_closed_period(today: date, interval: str) -> date:
    """The start of the last period that ended before ``today``."""
    return period_start(period_start(today, interval) - timedelta(days=1), interval)


def periods_between(first: date, last: date, interval: str) -> list[date]:
    """Starts of the periods overlapping ``first``..``last``, newest first."""
    starts, start = [], period_start(last, interval)
    while start >= period_start(first, interval):
        starts.append(start)
        start = period_start(start - timedelta(days=1), interval)
    return starts


def period_label(start: date, interval: str) -> str:
    if interval == ExchangeInterval.MONTHLY:
        return _("%(y)d年%(m)d月") % {"y": start.year, "m": start.month}
    if interval == ExchangeInterval.QUARTERLY:
        return _("%(y)d年第%(q)d季度") % {"y": start.year, "q": (start.month - 1) // 3 + 1}
    if interval == ExchangeInterval.HALF_YEARLY:
        return _("%(y)d年上半年") % {"y": start.year} if start.month == 1 else _("%(y)d年下半年") % {"y": start.year}
    return _("%(y)d年") % {"y": start.year}
