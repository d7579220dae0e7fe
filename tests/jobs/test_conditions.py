"""The edges of the 6-month rule: exactly 6 months vs one day less, month ends, leap years, excuses."""
from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from jobs.choices import InactivityCondition as C
from jobs.conditions import dues_threshold, inactive_members, lost_contact_members
from jobs.windows import Quarter, months_before, shanghai_today

pytestmark = pytest.mark.django_db


def flagged(member, condition, today):
    return inactive_members(condition, today).filter(pk=member.pk).exists()


@pytest.mark.parametrize("today, cutoff", [
    (date(2026, 7, 15), date(2026, 1, 15)),
    (date(2026, 8, 31), date(2026, 2, 28)),
    (date(2024, 8, 31), date(2024, 2, 29)),
    (date(2024, 8, 29), date(2024, 2, 29)),
    (date(2025, 8, 29), date(2025, 2, 28)),
    (date(2026, 3, 31), date(2025, 9, 30)),
    (date(2026, 1, 1), date(2025, 7, 1)),
])
def test_six_months_before(today, cutoff):
    assert months_before(today, 6) == cutoff


def test_today_is_shanghais_date():
    assert shanghai_today(datetime(2026, 7, 14, 16, 0, tzinfo=ZoneInfo("UTC"))) == date(2026, 7, 15)
    assert shanghai_today(datetime(2026, 7, 14, 15, 59, tzinfo=ZoneInfo("UTC"))) == date(2026, 7, 14)


@pytest.mark.parametrize("last_life, not_yet, flagged_on", [
    (date(2026, 1, 15), date(2026, 7, 14), date(2026, 7, 15)),  # exactly 6 months vs one day less
    (date(2024, 2, 29), date(2024, 8, 28), date(2024, 8, 29)),  # leap day
    (date(2023, 8, 31), date(2024, 2, 29), date(2024, 3, 1)),   # month end into a leap February
    (date(2025, 8, 31), date(2026, 2, 28), date(2026, 3, 1)),   # month end into a short February
    (date(2025, 12, 31), date(2026, 6, 30), date(2026, 7, 1)),  # year end
])
def test_organizational_life_edges(make_member, records, last_life, not_yet, flagged_on):
    member = make_member()
    records.life(member, last_life)
    assert not flagged(member, C.ORGANIZATIONAL_LIFE, not_yet)
    assert flagged(member, C.ORGANIZATIONAL_LIFE, flagged_on)


def test_records_dated_after_today_do_not_count(make_member, records):
    member = make_member()
    records.life(member, date(2026, 1, 10))
    records.life(member, date(2026, 9, 1))
    assert flagged(member, C.ORGANIZATIONAL_LIFE, date(2026, 8, 1))


def test_a_member_without_records_is_counted_from_registration(make_member):
    registered = datetime(2026, 1, 15, 23, 30, tzinfo=ZoneInfo("Asia/Shanghai"))  # 15:30 UTC
    member = make_member(registered=registered)
    assert not flagged(member, C.ORGANIZATIONAL_LIFE, date(2026, 7, 14))
    assert flagged(member, C.ORGANIZATIONAL_LIFE, date(2026, 7, 15))


@pytest.mark.parametrize("today, month", [
    (date(2026, 11, 30), date(2026, 4, 1)),
    (date(2026, 12, 1), date(2026, 5, 1)),
    (date(2026, 12, 31), date(2026, 5, 1)),
    (date(2024, 8, 31), date(2024, 1, 1)),
    (date(2026, 3, 1), date(2025, 8, 1)),
])
def test_dues_threshold(today, month):
    assert dues_threshold(today) == month


def test_dues_paid_through_may_flags_on_the_first_of_december(make_member):
    member = make_member(dues_paid_through=date(2026, 5, 1))
    assert not flagged(member, C.DUES, date(2026, 11, 30))
    assert flagged(member, C.DUES, date(2026, 12, 1))


def test_dues_through_august_flags_on_the_first_of_march_in_a_leap_year(make_member):
    member = make_member(dues_paid_through=date(2023, 8, 1))
    assert not flagged(member, C.DUES, date(2024, 2, 29))
    assert flagged(member, C.DUES, date(2024, 3, 1))


def test_a_dues_payment_record_counts_even_if_the_member_field_lags(make_member, records):
    member = make_member(dues_paid_through=date(2026, 1, 1))
    records.dues(member, date(2026, 2, 1), date(2026, 6, 1))
    assert not flagged(member, C.DUES, date(2026, 12, 31))
    assert flagged(member, C.DUES, date(2027, 1, 1))


def test_a_payment_after_a_gap_ends_the_run_of_six_unpaid_months(make_member, records):
    """Seeds 3 and 4: "连续6个月不交纳党费 ... 应按自行脫黨处理" - six consecutive months. Dues from January 2026
    (paid through December 2025), only June paid: 党费缴至 stays December 2025, but June breaks the run; July to
    December is the run of six, complete on 1 January 2027."""
    member = make_member(dues_paid_through=date(2025, 12, 1))
    records.dues(member, date(2026, 6, 1), date(2026, 6, 1))
    member.refresh_from_db()
    assert member.dues_paid_through == date(2025, 12, 1)
    assert not flagged(member, C.DUES, date(2026, 12, 31))  # July-November: 5 months
    assert flagged(member, C.DUES, date(2027, 1, 1))  # July-December: the 6th month is over


def test_assigned_work_edges(make_member, records):
    member = make_member()
    assert not flagged(member, C.ASSIGNED_WORK, date(2027, 1, 1)), "no work assigned, nothing to fault"
    records.work(member, date(2026, 1, 15))
    assert not flagged(member, C.ASSIGNED_WORK, date(2026, 7, 14))
    assert flagged(member, C.ASSIGNED_WORK, date(2026, 7, 15))
    records.work(member, date(2026, 3, 1), completed_on=date(2026, 3, 20))
    assert not flagged(member, C.ASSIGNED_WORK, date(2026, 9, 19))
    assert flagged(member, C.ASSIGNED_WORK, date(2026, 9, 20))


def test_work_done_later_than_today_is_still_open(make_member, records):
    member = make_member()
    records.work(member, date(2026, 1, 1), completed_on=date(2026, 8, 1))
    assert flagged(member, C.ASSIGNED_WORK, date(2026, 7, 15))
    assert not flagged(member, C.ASSIGNED_WORK, date(2026, 8, 1))


class TestValidReason:
    """An excuse interrupts the run: the 6 uncovered months are counted from its end."""

    def test_excuse_over_the_start_of_the_window(self, make_member, records):
        member = make_member()
        records.life(member, date(2025, 12, 1))
        records.excuse(member, date(2026, 1, 1), date(2026, 3, 31))
        assert not flagged(member, C.ORGANIZATIONAL_LIFE, date(2026, 6, 15))
        assert not flagged(member, C.ORGANIZATIONAL_LIFE, date(2026, 9, 30))
        assert flagged(member, C.ORGANIZATIONAL_LIFE, date(2026, 10, 1))

    def test_excuse_in_the_middle_of_the_window(self, make_member, records):
        member = make_member()
        records.life(member, date(2026, 1, 10))
        records.excuse(member, date(2026, 3, 1), date(2026, 3, 10))
        assert not flagged(member, C.ORGANIZATIONAL_LIFE, date(2026, 9, 9))
        assert flagged(member, C.ORGANIZATIONAL_LIFE, date(2026, 9, 10))

    def test_excuse_covering_today(self, make_member, records):
        member = make_member()
        records.excuse(member, date(2026, 6, 1), date(2026, 12, 31))
        assert not flagged(member, C.ORGANIZATIONAL_LIFE, date(2026, 7, 1))

    def test_an_excuse_that_has_not_started_does_not_count(self, make_member, records):
        member = make_member()
        records.life(member, date(2026, 1, 1))
        records.excuse(member, date(2026, 8, 1), date(2026, 8, 31))
        assert flagged(member, C.ORGANIZATIONAL_LIFE, date(2026, 7, 15))

    def test_excuse_applies_to_dues_and_work(self, make_member, records):
        member = make_member(dues_paid_through=date(2026, 1, 1))
        records.work(member, date(2026, 1, 1))
        records.excuse(member, date(2026, 2, 1), date(2026, 4, 30))
        for condition in (C.DUES, C.ASSIGNED_WORK):
            assert not flagged(member, condition, date(2026, 10, 29))
            assert flagged(member, condition, date(2026, 10, 30))


class TestLostContact:
    def test_needs_a_failed_attempt_after_the_last_success(self, make_member, records):
        member = make_member()
        records.contact(member, date(2026, 1, 15), reached=True)
        assert not lost_contact_members(date(2026, 8, 1)).filter(pk=member.pk).exists()
        records.contact(member, date(2026, 3, 1), reached=False)
        assert not lost_contact_members(date(2026, 7, 14)).filter(pk=member.pk).exists()
        assert lost_contact_members(date(2026, 7, 15)).get(pk=member.pk).last_reached_on == date(2026, 1, 15)

    def test_never_reached(self, make_member, records):
        member = make_member()
        records.contact(member, date(2026, 5, 1), reached=False)
        assert lost_contact_members(date(2026, 5, 1)).get(pk=member.pk).last_reached_on is None

    def test_never_reached_but_registered_recently(self, make_member, records):
        member = make_member(registered=datetime(2026, 4, 1, tzinfo=ZoneInfo("Asia/Shanghai")))
        records.contact(member, date(2026, 5, 1), reached=False)
        assert not lost_contact_members(date(2026, 9, 30)).filter(pk=member.pk).exists()
        assert lost_contact_members(date(2026, 10, 1)).filter(pk=member.pk).exists()


@pytest.mark.parametrize("day, key, due", [
    (date(2026, 1, 1), "2025Q4", date(2026, 1, 15)),
    (date(2026, 4, 10), "2026Q1", date(2026, 4, 15)),
    (date(2026, 9, 30), "2026Q2", date(2026, 7, 15)),
])
def test_quarter_of_the_report(day, key, due):
    quarter = Quarter.containing(day).previous
    assert quarter.key == key and quarter.report_due == due
