"""The 2008 dues table (中组发〔2008〕3号), row by row, and the payment service."""
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members import dues
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
    (date(2026, 4, 1), date(2026, 4, 1), date(2026, 11, 10), D("15"), D("15"), ["first_month"]),  # 7 back
    (date(2026, 5, 1), date(2026, 8, 1), date(2026, 5, 10), D("60"), D("15"), ["last_month"]),    # > a quarter ahead
    (date(2026, 5, 1), date(2026, 6, 1), date(2026, 6, 10), D("29.99"), D("15"), ["amount"]),     # less: refused
    (date(2026, 5, 1), date(2026, 6, 1), date(2026, 6, 10), D("40"), D("15"), []),                # more is fine
    (date(2026, 5, 1), date(2026, 6, 1), date(2026, 6, 10), D("1"), None, []),                    # no bracket
    (date(2026, 6, 1), date(2026, 5, 1), date(2026, 6, 10), D("15"), D("15"), ["last_month"]),
])
def test_payment_rules(first, last, paid_on, amount, monthly, fields):
    errors = dues.payment_errors(first_month=first, last_month=last, paid_on=paid_on, amount=amount, monthly=monthly)
    assert sorted(errors) == sorted(fields)


@pytest.mark.parametrize("paid_through, today, owed", [
    (date(2026, 10, 1), date(2026, 11, 25), 0),
    (date(2026, 11, 1), date(2026, 11, 25), 0),
    (date(2026, 9, 1), date(2026, 11, 25), 1),
    (date(2026, 4, 1), date(2026, 11, 25), 6),
    (date(2025, 12, 1), date(2026, 1, 3), 0),
    (None, date(2026, 11, 25), None),
])
def test_months_owed(paid_through, today, owed):
    assert dues.months_owed(paid_through, today) == owed


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


def test_earlier_back_payment_does_not_move_paid_through_back(salaried, secretary_a1):
    dues_payment_add(member=salaried, acting_user=secretary_a1, first_month=date(2026, 6, 1),
                     last_month=date(2026, 6, 1), amount=D("40"), paid_on=date(2026, 9, 5), paid_where="本支部")
    salaried.refresh_from_db()
    assert salaried.dues_paid_through == date(2026, 8, 1)


@pytest.mark.parametrize("fields, field", [
    (dict(first_month=date(2026, 9, 1), last_month=date(2026, 9, 1), amount=D("39")), "amount"),
    (dict(first_month=date(2026, 1, 1), last_month=date(2026, 1, 1), amount=D("40")), "first_month"),
    (dict(first_month=date(2026, 8, 1), last_month=date(2026, 9, 1), amount=D("80")), None),  # overlap: set up below
])
def test_bad_payments_are_refused_and_nothing_changes(salaried, secretary_a1, fields, field):
    if field is None:
        dues_payment_add(member=salaried, acting_user=secretary_a1, first_month=date(2026, 8, 1),
                         last_month=date(2026, 8, 1), amount=D("40"), paid_on=date(2026, 9, 1), paid_where="本支部")
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
