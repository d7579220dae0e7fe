"""The daily jobs look only at what can have changed since their last run, and agree with a full recount.

Each test runs a job on one day (a full recount: the first run), changes
something or lets a date edge pass, runs it on the next day (examining only
the changed and crossing members), and then checks the result against a
full recount of the same day: the rules' own querysets, and a second run
with the last run forgotten, which must find nothing to open, clear or send.
"""
from datetime import date, timedelta

import pytest

from jobs.changes import run_start
from jobs.choices import AUTO_CLEARABLE_FLAG_STATUSES, IncrementalJob, InactivityCondition
from jobs.conditions import inactive_members, lost_contact_members
from jobs.models import IncrementalRun, InactivityFlag, LostContactCase, MemberChange
from jobs.reminders import deadline_reminders_send
from jobs.scans import inactivity_scan
from jobs.windows import months_before
from members.choices import MembershipType
from members.models import OrganizationalLife
from notifications.choices import NotificationKind as K
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
DAY = date(2026, 11, 25)
NEXT = DAY + timedelta(days=1)


def assert_scan_matches_recount(today):
    """Open flags and cases are exactly the rules' members, and a full recount of the day changes nothing."""
    for condition in InactivityCondition:
        flagged = set(InactivityFlag.objects.open().filter(condition=condition, status__in=AUTO_CLEARABLE_FLAG_STATUSES)
                      .values_list("member_id", flat=True))
        assert flagged == set(inactive_members(condition, today).values_list("pk", flat=True)), condition
    cases = set(LostContactCase.objects.open().values_list("member_id", flat=True))
    assert cases == set(lost_contact_members(today).values_list("pk", flat=True))
    IncrementalRun.objects.all().delete()
    recount = inactivity_scan(today=today)
    assert not any(recount.opened.values()) and not any(recount.cleared.values())


def test_the_first_run_recounts_and_the_next_day_takes_only_the_changed_members(make_member, records):
    member = make_member()
    records.life(member, DAY)
    assert MemberChange.objects.filter(member_id=member.pk).count() == 2  # one per job
    assert not run_start(IncrementalJob.INACTIVITY_SCAN, DAY).incremental
    assert not MemberChange.objects.filter(job=IncrementalJob.INACTIVITY_SCAN).exists()
    IncrementalRun.objects.create(job=IncrementalJob.INACTIVITY_SCAN, through=DAY)
    records.life(member, NEXT)
    run = run_start(IncrementalJob.INACTIVITY_SCAN, NEXT)
    assert run.incremental and run.since == DAY
    assert set(MemberChange.objects.filter(job=run.job).values_list("member_id", "taken")) == {(member.pk, True)}


def test_a_run_for_an_earlier_day_recounts(make_member):
    IncrementalRun.objects.create(job=IncrementalJob.INACTIVITY_SCAN, through=NEXT)
    assert not run_start(IncrementalJob.INACTIVITY_SCAN, DAY).incremental


def test_a_member_crossing_the_six_month_edge_today(make_member, records):
    crossing = make_member()
    records.life(crossing, months_before(NEXT, 6))  # still within 6 months yesterday, exactly 6 months old today
    inactivity_scan(today=DAY)
    assert not InactivityFlag.objects.filter(member=crossing).exists()
    result = inactivity_scan(today=NEXT)
    assert result.opened["life"] == 1
    assert InactivityFlag.objects.get(member=crossing).condition == InactivityCondition.ORGANIZATIONAL_LIFE
    assert_scan_matches_recount(NEXT)


def test_a_new_contact_record_and_new_life_clear_what_they_end(make_member, records):
    lost = make_member()
    records.contact(lost, date(2026, 1, 10), reached=False)
    idle = make_member()
    records.life(idle, date(2026, 3, 1))
    inactivity_scan(today=DAY)
    assert LostContactCase.objects.open().filter(member=lost).exists()
    assert InactivityFlag.objects.open().filter(member=idle, condition="life").exists()
    records.contact(lost, NEXT, reached=True)
    records.life(idle, NEXT)
    result = inactivity_scan(today=NEXT)
    assert result.cleared["lost_contact"] == 1 and result.cleared["life"] == 1
    assert_scan_matches_recount(NEXT)


def test_a_payment_after_a_gap(make_member, records):
    behind = make_member(dues_paid_through=date(2026, 3, 1))
    inactivity_scan(today=DAY)
    assert InactivityFlag.objects.open().filter(member=behind, condition="dues").exists()
    records.dues(behind, date(2026, 10, 1), date(2026, 10, 1))  # October, after a gap since March
    result = inactivity_scan(today=NEXT)
    assert result.cleared["dues"] == 1
    assert_scan_matches_recount(NEXT)


def test_the_dues_threshold_moving_on_the_first_of_the_month(make_member):
    paid_through_may = make_member(dues_paid_through=date(2026, 5, 1))
    inactivity_scan(today=date(2026, 11, 30))
    assert not InactivityFlag.objects.filter(member=paid_through_may, condition="dues").exists()
    inactivity_scan(today=date(2026, 12, 1))
    assert InactivityFlag.objects.open().filter(member=paid_through_may, condition="dues").exists()
    assert_scan_matches_recount(date(2026, 12, 1))


def test_a_record_deleted(make_member, records):
    member = make_member()
    life = records.life(member, date(2026, 10, 1))
    inactivity_scan(today=DAY)
    assert not InactivityFlag.objects.filter(member=member).exists()
    OrganizationalLife.objects.filter(pk=life.pk).delete()
    result = inactivity_scan(today=NEXT)
    assert result.opened["life"] == 1
    assert_scan_matches_recount(NEXT)


def test_a_run_with_nothing_new_examines_nobody(make_member):
    make_member(dues_paid_through=date(2026, 3, 1))
    inactivity_scan(today=DAY)
    assert not MemberChange.objects.filter(job=IncrementalJob.INACTIVITY_SCAN).exists()
    second = inactivity_scan(today=DAY)
    assert not any(second.opened.values()) and not any(second.cleared.values())


# --- the deadline rules -------------------------------------------------------------------------------

def assert_deadlines_match_recount(today):
    """A full recount of the same day sends nothing the incremental run did not."""
    count = Notification.objects.count()
    IncrementalRun.objects.all().delete()
    deadline_reminders_send(today=today)
    assert Notification.objects.count() == count


def test_deadlines_a_probation_entering_its_last_30_days(make_member, secretary_a1):
    member = make_member(membership_type=MembershipType.PROBATIONARY, probation_end_date=NEXT + timedelta(days=30))
    deadline_reminders_send(today=DAY)
    assert not Notification.objects.filter(member=member).exists()
    deadline_reminders_send(today=NEXT)
    assert Notification.objects.get(member=member).kind == K.PROBATION_ENDING
    assert_deadlines_match_recount(NEXT)


def test_deadlines_a_contact_deleted_and_a_new_secretary(make_member, records, secretary_a1, tree):
    silent = make_member(departure_date=date(2025, 1, 1))
    contact = records.contact(silent, date(2026, 10, 1), reached=True)
    behind = make_member(dues_paid_through=date(2026, 1, 1))
    deadline_reminders_send(today=DAY)
    assert not Notification.objects.filter(member=silent).exists()
    assert Notification.objects.filter(member=behind, recipient=secretary_a1).count() == 1
    type(contact).objects.filter(pk=contact.pk).delete()
    newcomer = UserFactory(organization=tree.branch_a1, role="branch_secretary")
    deadline_reminders_send(today=NEXT)
    assert Notification.objects.get(member=silent, recipient=secretary_a1).kind == K.AWAY_NO_CONTACT
    assert Notification.objects.filter(member=behind, recipient=newcomer, kind=K.DUES_ARREARS).count() == 1
    assert_deadlines_match_recount(NEXT)
