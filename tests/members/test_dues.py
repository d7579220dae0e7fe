"""The 2008 dues table (中组发〔2008〕3号), row by row, and the payment service."""
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members import dues, dues_ledger
from members.choices import DuesBracket
from members.models import DuesPayment
from members.services import dues_payment_add
from tests.factories import AwayMemberFactory

D = Decimal


@pytest.mark.parametrize("bracket, income, expected", [
    (DuesBracket.SALARIED, D("0"), D("0.00")),
    (DuesBracket.SALARIED, D("2800"), D("14.00")),      # ≤ 3000: 0.5 %
    (DuesBracket.SALARIED, D("3000"), D("15.00")),      # the bound belongs to the lower row
    (DuesBracket.SALARIED, D("3000.01"), D("30.00")),   # 3000–5000: 1 %
    (DuesBracket.SALARIED, D("5000"), D("50.00")),
    (DuesBracket.SALARIED, D("5001"), D("75.02")),      # 5000–10000: 1.5 %
    (DuesBracket.SALARIED, D("10000"), D("150.00")),
    (DuesBracket.SALARIED, D("12000"), D("240.00")),    # > 10000: 2 %
    (DuesBracket.RETIRED, D("4000"), D("20.00")),       # retirees ≤ 5000: 0.5 %
    (DuesBracket.RETIRED, D("5000"), D("25.00")),
    (DuesBracket.RETIRED, D("6000"), D("60.00")),       # retirees > 5000: 1 %
    (DuesBracket.SALARIED, D("3333"), D("33.33")),
    (DuesBracket.SALARIED, D("2001"), D("10.01")),      # 10.005 rounds half up
])
def test_income_based_rates(bracket, income, expected):
    assert dues.monthly_amount(bracket=bracket, income=income) == expected


@pytest.mark.parametrize("bracket, farmer_amount, expected", [
    (DuesBracket.FARMER, D("0.5"), D("0.50")),
    (DuesBracket.STUDENT, None, D("0.20")),
    (DuesBracket.UNEMPLOYED, None, D("0.20")),
    (DuesBracket.SUBSISTENCE, None, D("0.20")),
    (DuesBracket.SALARIED, None, None),   # income missing
    ("", None, None),                      # no bracket recorded
])
def test_flat_and_farmer_amounts(bracket, farmer_amount, expected):
    assert dues.monthly_amount(bracket=bracket, farmer_amount=farmer_amount) == expected


@pytest.mark.parametrize("bracket, income, farmer_amount, field", [
    (DuesBracket.SALARIED, None, None, "dues_monthly_income"),
    (DuesBracket.RETIRED, None, None, "dues_monthly_income"),
    (DuesBracket.SALARIED, D("-1"), None, "dues_monthly_income"),
    (DuesBracket.FARMER, None, None, "dues_farmer_amount"),
    (DuesBracket.FARMER, None, D("0.1"), "dues_farmer_amount"),
    (DuesBracket.FARMER, None, D("1.5"), "dues_farmer_amount"),
    (DuesBracket.FARMER, None, D("1"), None),
    (DuesBracket.FARMER, None, D("0.2"), None),
    (DuesBracket.STUDENT, None, None, None),
    ("", None, None, None),
])
def test_bracket_errors(bracket, income, farmer_amount, field):
    errors = dues.bracket_errors(bracket=bracket, income=income, farmer_amount=farmer_amount)
    assert list(errors) == ([field] if field else [])


@pytest.mark.parametrize("first, last, paid_on, amount, monthly, fields", [
    (date(2026, 5, 1), date(2026, 5, 1), date(2026, 5, 10), D("15"), D("15"), []),      # monthly
    (date(2026, 4, 1), date(2026, 6, 1), date(2026, 4, 3), D("45"), D("15"), []),       # a quarter at its start
    (date(2026, 5, 1), date(2026, 5, 1), date(2026, 11, 10), D("15"), D("15"), []),     # 6 months back: allowed
    (date(2026, 4, 1), date(2026, 4, 1), date(2026, 11, 10), D("15"), D("15"), ["back_payment_reason"]),  # 7 back
    (date(2026, 5, 1), date(2026, 8, 1), date(2026, 5, 10), D("60"), D("15"), ["last_month"]),    # > a quarter ahead
    (date(2026, 5, 1), date(2026, 6, 1), date(2026, 6, 10), D("29.99"), D("15"), ["amount"]),     # less: refused
    (date(2026, 5, 1), date(2026, 6, 1), date(2026, 6, 10), D("40"), D("15"), []),                # more is fine
    (date(2026, 5, 1), date(2026, 6, 1), date(2026, 6, 10), D("1"), None, []),                    # no bracket
    (date(2026, 6, 1), date(2026, 5, 1), date(2026, 6, 10), D("15"), D("15"), ["last_month"]),
])
def test_payment_rules(first, last, paid_on, amount, monthly, fields):
    errors = dues.payment_errors(first_month=first, last_month=last, paid_on=paid_on, amount=amount, monthly=monthly)
    assert sorted(errors) == sorted(fields)


@pytest.mark.parametrize("first, paid_on, reason, errors, beyond", [
    (date(2026, 5, 1), date(2026, 11, 10), "", [], False),                        # the 6th month back: no reason
    (date(2026, 4, 1), date(2026, 11, 10), "", ["back_payment_reason"], True),    # the 7th: refused without one
    (date(2026, 4, 1), date(2026, 11, 10), "  ", ["back_payment_reason"], True),  # blanks are no reason
    (date(2026, 4, 1), date(2026, 11, 10), "党支部2026年11月5日决定", [], True),     # ... and accepted with one
    (date(2024, 1, 1), date(2026, 11, 10), "持所在单位证明补交", [], True),          # arrears of years can be recorded
])
def test_back_payment_beyond_six_months_needs_a_written_reason(first, paid_on, reason, errors, beyond):
    """中组发〔2008〕3号 (domain.md): "Paid monthly (quarterly with the branch's consent), by proxy allowed,
    back-payment up to 6 months". Seed 4 (八): "如因特殊情况，本人不能按时交纳党费的，经流出地党组织同意，可以郵寄、
    由他人代交、或持所在单位证明补交党费，但不能少交或不交。" Issue 11: arrears older than 6 months can be recorded;
    a back-payment beyond the limit needs a written reason and is marked as such.
    """
    found = dues.payment_errors(first_month=first, last_month=first, paid_on=paid_on, amount=D("15"),
                                monthly=D("15"), back_payment_reason=reason)
    assert list(found) == errors
    assert dues.is_beyond_back_limit(first_month=first, paid_on=paid_on) is beyond


def test_months_before_the_start_of_dues_are_settled():
    errors = dues.payment_errors(first_month=date(2026, 5, 1), last_month=date(2026, 6, 1), paid_on=date(2026, 9, 1),
                                 amount=D("30"), monthly=D("15"), start_month=date(2026, 6, 1))
    assert list(errors) == ["first_month"] and "2026年6月" in errors["first_month"]


JAN, FEB, MAR, APR, MAY, JUN = (date(2026, m, 1) for m in range(1, 7))
JUL, AUG, SEP, OCT, NOV, DEC = (date(2026, m, 1) for m in range(7, 13))
TODAY = date(2026, 12, 2)  # December: the months owed run to November


@pytest.mark.parametrize("label, start, spans, unpaid, paid_through", [
    ("nothing recorded", None, [], None, None),
    ("paid up to last month", None, [(JAN, NOV)], [], NOV),
    ("this month may still be paid", None, [(JAN, OCT)], [NOV], OCT),
    ("paid ahead: the run goes on", None, [(JAN, DEC)], [], DEC),
    ("paid through January, then June-November: February-May owed", None, [(JAN, JAN), (JUN, NOV)],
     [FEB, MAR, APR, MAY], JAN),
    ("the same payments arriving out of order", None, [(JUN, NOV), (JAN, JAN)], [FEB, MAR, APR, MAY], JAN),
    ("a payment filling the gap joins the run up", None, [(JAN, JAN), (JUN, NOV), (FEB, MAY)], [], NOV),
    ("filling part of the gap", None, [(JAN, JAN), (JUN, NOV), (FEB, MAR)], [APR, MAY], MAR),
    ("start of dues before the first payment", MAR, [(JUN, NOV)], [MAR, APR, MAY], FEB),
    ("start with nothing paid: 6 full months owed", JUN, [], [JUN, JUL, AUG, SEP, OCT, NOV], MAY),
    ("start with nothing paid: 7 full months owed", MAY, [], [MAY, JUN, JUL, AUG, SEP, OCT, NOV], APR),
    ("start this month: nothing owed yet", DEC, [], [], NOV),
    ("payments before the start of dues do not count", JUN, [(JAN, MAR)], [JUN, JUL, AUG, SEP, OCT, NOV], MAY),
])
def test_months_owed_month_by_month(label, start, spans, unpaid, paid_through):
    """Issue 11: "Dues are owed per month: the arrears are the months between the member's start of dues (or
    the earliest month on record) and today that no payment covers, whatever order payments arrive in. 党费缴至
    is the last month of the unbroken run from the start, never a jump over a gap." Seeds 3 and 4: "连续6个月不交纳
    党费" counts whole months; the current month may still be paid during the month, so it is not owed yet.
    """
    assert dues.unpaid_months(start_month=start, spans=spans, today=TODAY) == unpaid, label
    assert dues.paid_through(start_month=start, spans=spans) == paid_through, label


@pytest.mark.parametrize("month, label", [
    (date(2026, 10, 1), "2026年10月"), (date(2027, 1, 1), "2027年1月"), (None, ""),
])
def test_month_label(month, label):
    assert dues.month_label(month) == label


# --- the payment service ------------------------------------------------------------

@pytest.fixture
def salaried(tree):
    return AwayMemberFactory(organization=tree.branch_a1, dues_bracket=DuesBracket.SALARIED,
                             dues_monthly_income=D("4000"), dues_paid_through=date(2026, 8, 1))


def test_payment_moves_dues_paid_through_and_version(salaried, secretary_a1):
    version = salaried.version
    payment = dues_payment_add(member=salaried, acting_user=secretary_a1, first_month=date(2026, 9, 1),
                               last_month=date(2026, 11, 1), amount=D("120"), paid_on=date(2026, 9, 5),
                               paid_where="甲一村党支部", by_proxy=True, receipt_number="2026-09-001")
    salaried.refresh_from_db()
    assert salaried.dues_paid_through == date(2026, 11, 1) and salaried.dues_paid_where == "甲一村党支部"
    assert salaried.version == version + 1
    assert payment.by_proxy and payment.receipt_number == "2026-09-001" and payment.recorded_by.name == "甲一村党支部"
    assert salaried.history.first().history_user == secretary_a1


@pytest.fixture
def paid_through_january(tree, secretary_a1):
    """Paid January 2026 through the service, no opening balance: the earliest payment starts the dues."""
    member = AwayMemberFactory(organization=tree.branch_a1, dues_bracket=DuesBracket.SALARIED,
                               dues_monthly_income=D("4000"), dues_paid_through=None)
    dues_payment_add(member=member, acting_user=secretary_a1, first_month=JAN, last_month=JAN, amount=D("40"),
                     paid_on=date(2026, 1, 10), paid_where="本支部")
    return member


def _pay(member, user, first, last, paid_on, **extra):
    return dues_payment_add(member=member, acting_user=user, first_month=first, last_month=last,
                            amount=D("40") * dues.months_between(first, last), paid_on=paid_on, paid_where="本支部",
                            **extra)


def test_a_payment_after_a_gap_does_not_jump_it(paid_through_january, secretary_a1):
    """Issue 11: "a member paid through January who pays June-November shows nothing owed and February-May
    vanish" - no more: 党费缴至 stays January and February-May are owed."""
    member = paid_through_january
    _pay(member, secretary_a1, JUN, AUG, date(2026, 6, 3))
    _pay(member, secretary_a1, SEP, NOV, date(2026, 9, 3))
    member.refresh_from_db()
    assert member.dues_paid_through == JAN
    assert dues_ledger.unpaid_months_by_member([member], TODAY)[member.pk] == [FEB, MAR, APR, MAY]


def test_a_payment_filling_the_gap_moves_paid_through_over_it(paid_through_january, secretary_a1):
    member = paid_through_january
    _pay(member, secretary_a1, JUN, AUG, date(2026, 6, 3))
    _pay(member, secretary_a1, FEB, MAY, date(2026, 6, 20))  # May-6 months = December 2025: within the limit
    member.refresh_from_db()
    assert member.dues_paid_through == AUG
    assert dues_ledger.unpaid_months_by_member([member], TODAY)[member.pk] == [SEP, OCT, NOV]


def test_seven_months_back_refused_without_reason_accepted_and_marked_with_one(paid_through_january, secretary_a1):
    """中组发〔2008〕3号: back-payment up to 6 months at once. Paid in September, February is the 7th month back."""
    member = paid_through_january
    _pay(member, secretary_a1, MAR, AUG, date(2026, 9, 5))  # March: the 6th month back, no reason needed
    with pytest.raises(ValidationError) as exc:
        _pay(member, secretary_a1, FEB, FEB, date(2026, 9, 5))
    assert "back_payment_reason" in exc.value.error_dict
    payment = _pay(member, secretary_a1, FEB, FEB, date(2026, 9, 5), back_payment_reason="党支部2026年9月1日决定同意补交")
    assert payment.beyond_back_limit and payment.back_payment_reason == "党支部2026年9月1日决定同意补交"
    assert not DuesPayment.objects.get(member=member, first_month=MAR).beyond_back_limit
    member.refresh_from_db()
    assert member.dues_paid_through == AUG


def test_a_reason_is_not_kept_on_a_payment_within_the_limit(paid_through_january, secretary_a1):
    payment = _pay(paid_through_january, secretary_a1, FEB, FEB, date(2026, 3, 1), back_payment_reason="无需")
    assert not payment.beyond_back_limit and payment.back_payment_reason == ""


def test_months_before_an_opening_balance_are_not_paid_again(salaried, secretary_a1):
    """A 党费缴至 of August without payments is an opening balance: dues start in September."""
    with pytest.raises(ValidationError) as exc:
        dues_payment_add(member=salaried, acting_user=secretary_a1, first_month=date(2026, 6, 1),
                         last_month=date(2026, 6, 1), amount=D("40"), paid_on=date(2026, 9, 5), paid_where="本支部")
    assert "first_month" in exc.value.error_dict
    salaried.refresh_from_db()
    assert salaried.dues_paid_through == date(2026, 8, 1)


@pytest.mark.parametrize("fields, field", [
    (dict(first_month=date(2026, 9, 1), last_month=date(2026, 9, 1), amount=D("39")), "amount"),
    (dict(first_month=date(2026, 1, 1), last_month=date(2026, 1, 1), amount=D("40")), "first_month"),  # settled
    (dict(first_month=date(2026, 9, 1), last_month=date(2026, 10, 1), amount=D("80")), None),  # overlap: set up below
])
def test_bad_payments_are_refused_and_nothing_changes(salaried, secretary_a1, fields, field):
    if field is None:
        dues_payment_add(member=salaried, acting_user=secretary_a1, first_month=date(2026, 9, 1),
                         last_month=date(2026, 9, 1), amount=D("40"), paid_on=date(2026, 9, 1), paid_where="本支部")
        field = "first_month"
    before = DuesPayment.objects.count()
    salaried.refresh_from_db()
    version = salaried.version
    with pytest.raises(ValidationError) as exc:
        dues_payment_add(member=salaried, acting_user=secretary_a1, paid_on=date(2026, 9, 5), paid_where="本支部",
                         **fields)
    assert field in exc.value.error_dict
    assert DuesPayment.objects.count() == before
    salaried.refresh_from_db()
    assert salaried.version == version


def test_other_subtree_cannot_record_dues(salaried, secretary_b1):
    with pytest.raises(PermissionDenied):
        dues_payment_add(member=salaried, acting_user=secretary_b1, first_month=date(2026, 9, 1),
                         last_month=date(2026, 9, 1), amount=D("40"), paid_on=date(2026, 9, 5), paid_where="x")
    assert not DuesPayment.objects.exists()


def test_member_bracket_is_validated_on_the_model(tree):
    member = AwayMemberFactory.build(organization=tree.branch_a1, dues_bracket=DuesBracket.FARMER,
                                     dues_farmer_amount=D("2"))
    with pytest.raises(ValidationError) as exc:
        member.full_clean()
    assert "dues_farmer_amount" in exc.value.error_dict
