"""Every reader of the dues rule gives the month-by-month answer of ``members.dues`` (issue 11).

Issue 11: "The arrears list, the inactivity rule's dues condition, the 党费缴至 month printed on an
introduction letter, the roster column and the report statistics all read the same month-by-month answer
from one place", and "A month format everywhere: 2026年10月 on pages, notifications and Excel".
"""
import importlib
from datetime import date
from decimal import Decimal

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from jobs.deadlines import dues_in_arrears
from members import dues, dues_ledger
from members.choices import MembershipStatus
from members.models import DuesPayment, Member
from members.services import dues_payment_add
from reports.periods import Quarter
from reports.statistics import branch_statistics, reporting_units
from tests.factories import MobileMemberFactory

THIS_MONTH = dues.month_start(timezone.localdate())


def month(n: int) -> date:
    """``n`` months from this month (negative: back)."""
    return dues.add_months(THIS_MONTH, n)


def pay(member, user, first, last):
    return dues_payment_add(member=member, acting_user=user, first_month=first, last_month=last,
                            amount=Decimal("1"), paid_on=last, paid_where="本支部")


@pytest.fixture
def with_gap(tree, secretary_a1):
    """Dues from 10 months back; paid the 1st, then the 6th to the last month: months 2-5 back are owed."""
    member = MobileMemberFactory(organization=tree.branch_a1, name="缺月甲", dues_paid_through=month(-11))
    pay(member, secretary_a1, month(-10), month(-10))
    pay(member, secretary_a1, month(-5), month(-1))
    member.refresh_from_db()
    return member


def test_arrears_page_shows_the_unpaid_months_in_a_fixed_number_of_queries(
        client, tree, secretary_a1, with_gap, django_assert_max_num_queries):
    MobileMemberFactory(organization=tree.branch_a1, name="按时乙", dues_paid_through=month(-1))
    client.force_login(secretary_a1)
    with django_assert_max_num_queries(9) as few:
        response = client.get(reverse("members:dues_arrears"))
    assert [(m.name, unpaid) for m, unpaid in response.context["rows"]] == [
        ("缺月甲", [month(-9), month(-8), month(-7), month(-6)])]
    page = response.content.decode()
    assert dues.month_label(month(-10)) in page and dues.month_label(month(-9)) in page
    assert month(-10).strftime("%Y-%m") not in page
    for n in range(12):
        late = MobileMemberFactory(organization=tree.branch_a1, dues_paid_through=month(-12))
        pay(late, secretary_a1, month(-11 + n % 3), month(-11 + n % 3))
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("members:dues_arrears"))
    assert len(response.context["rows"]) == 13


def test_arrears_page_leaves_out_members_no_longer_held(client, tree, secretary_a1, with_gap):
    """Issue 11: members no longer in the organization are excluded from arrears."""
    Member.objects.filter(pk=with_gap.pk).update(membership_status=MembershipStatus.TRANSFERRED_OUT)
    client.force_login(secretary_a1)
    assert client.get(reverse("members:dues_arrears")).context["rows"] == []


def test_member_page_writes_months_in_chinese(client, secretary_a1, with_gap):
    client.force_login(secretary_a1)
    page = client.get(reverse("members:detail", args=[with_gap.pk])).content.decode()
    assert dues.month_label(month(-10)) in page and month(-10).strftime("%Y-%m") not in page


def test_dues_reminder_names_the_unbroken_run_as_a_chinese_month(with_gap):
    rule = dues_in_arrears(timezone.localdate())
    bodies = dict(rule.members.annotate(body=rule.body).values_list("name", "body"))
    assert bodies == {"缺月甲": "党费缴至：" + dues.month_label(month(-10))}


def test_statistics_count_a_member_with_a_gap_as_not_up_to_date(tree, secretary_a1, with_gap):
    up_to_date = MobileMemberFactory(organization=tree.branch_a1, dues_paid_through=month(-1))
    quarter = Quarter.containing(month(-4))  # over: its last month is at most last month
    figures = branch_statistics(reporting_units(tree.branch_a1), quarter)[tree.branch_a1.pk]
    assert up_to_date.dues_paid_through >= quarter.last_month > with_gap.dues_paid_through
    assert figures["dues_up_to_date"] == 1


def test_the_quarter_s_dues_figure_reads_the_months_paid_by_its_end(tree, secretary_a1):
    """The quarterly figure is the month-by-month answer as of the quarter's end: a payment made after the
    quarter, even one filling a gap in it, leaves the quarter's figure as it was; the next quarter counts it."""
    member = MobileMemberFactory(organization=tree.branch_a1, dues_paid_through=date(2026, 6, 1))
    dues_payment_add(member=member, acting_user=secretary_a1, first_month=date(2026, 8, 1),
                     last_month=date(2026, 9, 1), amount=Decimal("1"), paid_on=date(2026, 9, 20), paid_where="本支部")
    q3, q4 = Quarter(2026, 3), Quarter(2026, 4)
    units = reporting_units(tree.branch_a1)
    assert branch_statistics(units, q3)[tree.branch_a1.pk]["dues_up_to_date"] == 0   # July is owed
    dues_payment_add(member=member, acting_user=secretary_a1, first_month=date(2026, 7, 1),
                     last_month=date(2026, 7, 1), amount=Decimal("1"), paid_on=date(2026, 10, 8), paid_where="本支部")
    member.refresh_from_db()
    assert member.dues_paid_through == date(2026, 9, 1)   # the gap filled: 党费缴至 runs on to September
    assert branch_statistics(units, q3)[tree.branch_a1.pk]["dues_up_to_date"] == 0   # not by the end of Q3
    assert dues_ledger.paid_through_by_member(Member.objects.filter(pk=member.pk), as_of=q3.end) == {
        member.pk: date(2026, 6, 1)}
    dues_payment_add(member=member, acting_user=secretary_a1, first_month=date(2026, 10, 1),
                     last_month=date(2026, 12, 1), amount=Decimal("1"), paid_on=date(2026, 12, 1), paid_where="本支部")
    assert branch_statistics(units, q4)[tree.branch_a1.pk]["dues_up_to_date"] == 1


def test_data_migration_keeps_every_row_and_turns_a_typed_month_into_an_opening_balance(tree, secretary_a1):
    """A typed 党费缴至 no payment covers stays settled; a 党费缴至 that jumped a gap goes back to the run."""
    typed = MobileMemberFactory(organization=tree.branch_a1, dues_paid_through=date(2026, 3, 1), dues_start_month=None)
    jumped = MobileMemberFactory(organization=tree.branch_a1, dues_paid_through=None)
    pay(jumped, secretary_a1, date(2026, 1, 1), date(2026, 1, 1))
    pay(jumped, secretary_a1, date(2026, 6, 1), date(2026, 11, 1))
    nothing = MobileMemberFactory(organization=tree.branch_a1, dues_paid_through=None)
    # As the old service left them: 党费缴至 moved to the last month of any payment.
    Member.objects.filter(pk=jumped.pk).update(dues_paid_through=date(2026, 11, 1), dues_start_month=None)
    payments = list(DuesPayment.objects.order_by("pk").values_list("pk", "first_month", "last_month"))

    importlib.import_module("members.migrations.0013_dues_recompute_paid_through").forwards(apps, None)

    assert list(DuesPayment.objects.order_by("pk").values_list("pk", "first_month", "last_month")) == payments
    rows = {m.pk: (m.dues_start_month, m.dues_paid_through) for m in Member.objects.all()}
    assert rows[typed.pk] == (date(2026, 4, 1), date(2026, 3, 1))
    assert rows[jumped.pk] == (None, date(2026, 1, 1))
    assert rows[nothing.pk] == (None, None)
    unpaid = dues_ledger.unpaid_months_by_member(Member.objects.filter(pk=jumped.pk), date(2026, 12, 2))
    assert unpaid[jumped.pk] == [date(2026, m, 1) for m in (2, 3, 4, 5)]
