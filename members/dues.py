"""Dues rules of 中组发〔2008〕3号, as pure functions (no database).

Months are represented by the first day of the month. Checked row by row in
tests/members/test_dues.py.
"""
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from members.choices import DuesBracket

CENT = Decimal("0.01")
#: (upper bound of monthly after-tax income, inclusive; rate). ``None`` = no upper bound.
SALARIED_RATES = (
    (Decimal("3000"), Decimal("0.005")),
    (Decimal("5000"), Decimal("0.01")),
    (Decimal("10000"), Decimal("0.015")),
    (None, Decimal("0.02")),
)
RETIRED_RATES = (
    (Decimal("5000"), Decimal("0.005")),
    (None, Decimal("0.01")),
)
INCOME_RATES = {DuesBracket.SALARIED: SALARIED_RATES, DuesBracket.RETIRED: RETIRED_RATES}
FARMER_MIN = Decimal("0.2")
FARMER_MAX = Decimal("1")
#: Students, the unemployed and subsistence-allowance recipients pay a flat 0.2 yuan.
FLAT_AMOUNTS = {
    DuesBracket.STUDENT: Decimal("0.2"),
    DuesBracket.UNEMPLOYED: Decimal("0.2"),
    DuesBracket.SUBSISTENCE: Decimal("0.2"),
}
#: A payment may make up this many months before the month it is paid in; more needs a written reason.
MAX_BACK_MONTHS = 6
#: Quarterly payers pay a quarter at its start: at most this many months ahead.
MAX_AHEAD_MONTHS = 2


def month_start(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def months_between(first: date, last: date) -> int:
    """Number of months from ``first`` to ``last``, both included (0 if last < first)."""
    return max(0, (last.year - first.year) * 12 + last.month - first.month + 1)


def rate_for(bracket: str, income: Decimal) -> Decimal:
    for upper, rate in INCOME_RATES[bracket]:
        if upper is None or income <= upper:
            return rate
    raise AssertionError("the last row has no upper bound")


def monthly_amount(*, bracket: str, income: Decimal | None = None, farmer_amount: Decimal | None = None) -> Decimal | None:
    """The monthly dues, or ``None`` when the bracket is not set or its figure is missing."""
    if bracket in INCOME_RATES:
        if income is None:
            return None
        return (income * rate_for(bracket, income)).quantize(CENT, rounding=ROUND_HALF_UP)
    if bracket == DuesBracket.FARMER:
        return farmer_amount.quantize(CENT) if farmer_amount is not None else None
    return FLAT_AMOUNTS.get(bracket)


def bracket_errors(*, bracket: str, income: Decimal | None, farmer_amount: Decimal | None) -> dict[str, str]:
    """Field errors for a member's dues bracket and its figure."""
    errors = {}
    if bracket in INCOME_RATES and income is None:
        errors["dues_monthly_income"] = _("该党费档次按月收入计算，请填写税后月收入。")
    if income is not None and income < 0:
        errors["dues_monthly_income"] = _("月收入不能为负数。")
    if bracket == DuesBracket.FARMER:
        if farmer_amount is None:
            errors["dues_farmer_amount"] = _("农民党员请填写每月交纳金额（0.2元至1元）。")
        elif not FARMER_MIN <= farmer_amount <= FARMER_MAX:
            errors["dues_farmer_amount"] = _("农民党员每月交纳0.2元至1元。")
    return errors


def payment_errors(*, first_month: date, last_month: date, paid_on: date, amount: Decimal,
                   monthly: Decimal | None, back_payment_reason: str = "",
                   start_month: date | None = None) -> dict[str, str]:
    """Field errors for one payment covering ``first_month``..``last_month``.

    A payment covers whole months; it goes at most a quarter ahead and is
    never less than the member's dues for the months it covers. Making up
    more than 6 months before the month it is paid in is what a member may
    not do at once on their own: such a back-payment is recorded only with
    a written reason (the decision or certificate behind it), and marked
    (see ``is_beyond_back_limit``). Months before the member's start of
    dues are settled and are not paid again.
    """
    errors = {}
    first_month, last_month = month_start(first_month), month_start(last_month)
    paid_month = month_start(paid_on)
    if last_month < first_month:
        errors["last_month"] = _("截止月份不能早于起始月份。")
        return errors
    if start_month is not None and first_month < month_start(start_month):
        errors["first_month"] = _("党费从%(start)s起计算，此前的月份已结清，无需登记。") % {
            "start": month_label(start_month)}
    elif is_beyond_back_limit(first_month=first_month, paid_on=paid_on) and not back_payment_reason.strip():
        errors["back_payment_reason"] = _(
            "补交党费一次超过缴纳当月之前的6个月，须写明理由（如党组织的决定或所在单位的证明）。")
    if last_month > add_months(paid_month, MAX_AHEAD_MONTHS):
        errors["last_month"] = _("按季度交纳时最多预交到缴纳当月起的第3个月（一个季度）。")
    if monthly is not None and amount < monthly * months_between(first_month, last_month):
        errors["amount"] = _("党费应足额交纳：%(months)d个月应交 %(due)s 元，不能少交。") % {
            "months": months_between(first_month, last_month),
            "due": monthly * months_between(first_month, last_month),
        }
    return errors


def is_beyond_back_limit(*, first_month: date, paid_on: date) -> bool:
    """Whether the payment makes up more than the 6 months before the month it is paid in."""
    return month_start(first_month) < add_months(month_start(paid_on), -MAX_BACK_MONTHS)


# --- Months owed: the one definition every page, job, letter, export and figure reads ---
#
# Dues are owed month by month from the member's start of dues
# (``Member.dues_start_month``; when it is not set, the earliest month any
# payment covers) up to the last complete month: the current month may still
# be paid during the month, so it is never counted as owed. A month is paid
# when any payment covers it, whatever order payments arrive in. 党费缴至 is
# the last month of the unbroken run of paid months from the start (the month
# before the start when the start itself is unpaid) - it never jumps a gap.

Span = tuple[date, date]


def last_due_month(today: date) -> date:
    """The latest month that counts as owed on ``today``: the last complete month."""
    return add_months(month_start(today), -1)


def months_in(first: date, last: date) -> list[date]:
    return [add_months(month_start(first), n) for n in range(months_between(first, last))]


def covered_months(spans: list[Span]) -> set[date]:
    return {month for first, last in spans for month in months_in(first, last)}


def dues_start(start_month: date | None, spans: list[Span]) -> date | None:
    """The first month dues are owed (``None``: nothing recorded, so nothing can be said)."""
    if start_month is not None:
        return month_start(start_month)
    return min((month_start(first) for first, _last in spans), default=None)


def unpaid_months(*, start_month: date | None, spans: list[Span], today: date) -> list[date] | None:
    """The months owed on ``today`` that no payment covers, oldest first (``None``: nothing recorded)."""
    start = dues_start(start_month, spans)
    if start is None:
        return None
    covered = covered_months(spans)
    return [month for month in months_in(start, last_due_month(today)) if month not in covered]


def paid_through(*, start_month: date | None, spans: list[Span]) -> date | None:
    """党费缴至: the last month of the unbroken paid run from the start of dues."""
    start = dues_start(start_month, spans)
    if start is None:
        return None
    covered = covered_months(spans)
    month = start
    while month in covered:
        month = add_months(month, 1)
    return add_months(month, -1)


def arrears_cutoff(today: date) -> date:
    """Members whose 党费缴至 is before this month owe at least one month."""
    return last_due_month(today)


def month_label(month: date | None) -> str:
    """A month as written on every page, letter, notification and export: 2026年10月."""
    if month is None:
        return ""
    return _("%(year)d年%(month)d月") % {"year": month.year, "month": month.month}
