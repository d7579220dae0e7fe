from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.management import call_command

from accounts.roles import Role
from jobs import cooperation_deadlines
from jobs.reminders import deadline_rules
from jobs.models import LostContactCase
from jobs.choices import CaseStatus
from jobs.reminders import deadline_reminders_send, monthly_reminders_send, quarterly_reminders_send
from members.choices import MembershipType
from members.models import Member, ThoughtReport
from notifications.choices import NotificationKind as K
from notifications.models import Notification
from organizations.choices import OrganizationKind
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


def kinds(user=None):
    qs = Notification.objects.all() if user is None else Notification.objects.filter(recipient=user)
    return sorted(qs.values_list("kind", flat=True))


def test_monthly_reminder_goes_to_every_branch_secretary_once(secretary_a1, secretary_b1, reviewer_a):
    secretary_a1.email = "a1@example.invalid"
    secretary_a1.save()
    result = monthly_reminders_send(today=date(2026, 12, 1))
    assert set(Notification.objects.values_list("recipient", flat=True)) == {secretary_a1.pk, secretary_b1.pk}
    assert Notification.objects.get(recipient=secretary_a1).title == "2026年12月流动党员信息收集"
    assert len(mail.outbox) == 1 and result.emails == 1
    monthly_reminders_send(today=date(2026, 12, 1))
    monthly_reminders_send(today=date(2026, 12, 15))
    assert Notification.objects.count() == 2 and len(mail.outbox) == 1
    monthly_reminders_send(today=date(2027, 1, 1))
    assert Notification.objects.count() == 4


@pytest.mark.parametrize("day, kind, sent", [
    (date(2027, 1, 1), K.QUARTERLY_REPORT, True),
    (date(2027, 1, 9), K.QUARTERLY_REPORT, True),
    (date(2027, 1, 10), K.QUARTERLY_DUE_SOON, True),
    (date(2027, 1, 15), K.QUARTERLY_DUE_SOON, True),
    (date(2027, 1, 16), None, False),
])
def test_quarterly_reminder(secretary_a1, day, kind, sent):
    quarterly_reminders_send(today=day)
    quarterly_reminders_send(today=day)
    notes = Notification.objects.filter(recipient=secretary_a1)
    assert notes.count() == (1 if sent else 0)
    if sent:
        note = notes.get()
        assert note.kind == kind and note.period == "2026Q4" and "2027-01-15" in note.title


def test_quarterly_due_day_is_a_setting(secretary_a1, settings):
    settings.REPORT_DEADLINE_DAY = 20
    quarterly_reminders_send(today=date(2027, 1, 15))
    assert Notification.objects.get().kind == K.QUARTERLY_DUE_SOON and "2027-01-20" in Notification.objects.get().title


def test_quarterly_reminder_reaches_a_temporary_branch_leader(tree, secretary_a1):
    branch = OrganizationFactory(parent=tree.town_a, kind=OrganizationKind.TEMPORARY_BRANCH)
    leader = UserFactory(organization=branch, role=Role.TEMPORARY_BRANCH_LEADER)
    quarterly_reminders_send(today=date(2027, 1, 1))
    assert Notification.objects.filter(recipient=leader, kind=K.QUARTERLY_REPORT).count() == 1
    monthly_reminders_send(today=date(2027, 1, 1))  # the monthly collection stays the branch secretary's
    assert Notification.objects.filter(recipient=leader).count() == 1


def test_beat_schedule_is_in_one_place(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE
    assert settings.CELERY_TIMEZONE == "Asia/Shanghai"
    assert {entry["task"] for entry in schedule.values()} == {
        "jobs.send_reminders", "jobs.scan_inactivity", "jobs.remove_expired_files", "reports.refresh_figures"}
    due_soon = schedule["quarterly-report-due-soon"]["schedule"]
    assert due_soon.day_of_month == {settings.REPORT_DEADLINE_DAY - 5}
    assert due_soon.month_of_year == {1, 4, 7, 10}


@pytest.fixture
def deadline_members(make_member, records, tree):
    """One member per deadline rule, each failing only that rule."""
    probation = make_member(membership_type=MembershipType.PROBATIONARY, probation_end_date=TODAY + timedelta(days=30))
    make_member(membership_type=MembershipType.PROBATIONARY, probation_end_date=TODAY + timedelta(days=31))
    silent = make_member(departure_date=date(2025, 1, 1))
    records.contact(silent, date(2025, 11, 25), reached=True)
    heard = make_member(departure_date=date(2025, 1, 1))
    records.add(ThoughtReport, heard, received_on=date(2025, 11, 26))
    arrears = make_member(dues_paid_through=date(2026, 9, 1))
    make_member(dues_paid_through=date(2026, 10, 1))
    incomplete = make_member(phone="")
    suspended = make_member(membership_status="suspended", membership_status_since=date(2024, 11, 25))
    LostContactCase.objects.create(member=suspended, opened_on=date(2024, 1, 1), status=CaseStatus.SUSPENDED,
                                   suspended_on=date(2024, 11, 25))
    # A graduate held at the school: silent for 6 months is already too long; 2 years held is the limit.
    graduate = make_member(departure_date=date(2025, 1, 1), graduated_on=date(2025, 7, 1))
    records.contact(graduate, date(2026, 5, 25), reached=True)
    make_member(departure_date=date(2025, 1, 1), graduated_on=date(2025, 7, 1))  # reached recently: nothing
    records.contact(Member.objects.latest("pk"), date(2026, 5, 26), reached=True)
    held_too_long = make_member(graduated_on=date(2024, 11, 25))
    held_two_years_tomorrow = make_member(graduated_on=date(2024, 11, 26))
    for member in (held_too_long, held_two_years_tomorrow):
        records.contact(member, date(2026, 11, 1), reached=True)
    return dict(probation=probation, silent=silent, arrears=arrears, incomplete=incomplete, suspended=suspended,
                graduate=graduate, held_too_long=held_too_long)


def test_each_deadline_rule_reaches_the_right_member(deadline_members, secretary_a1, secretary_b1):
    deadline_reminders_send(today=TODAY)
    got = {(n.kind, n.member_id) for n in Notification.objects.filter(recipient=secretary_a1)}
    m = deadline_members
    assert got == {
        (K.PROBATION_ENDING, m["probation"].pk),
        (K.AWAY_NO_CONTACT, m["silent"].pk),
        (K.DUES_ARREARS, m["arrears"].pk),
        (K.INCOMPLETE_FACTS, m["incomplete"].pk),
        (K.REMOVAL_DUE, m["suspended"].pk),
        (K.GRADUATE_NO_CONTACT, m["graduate"].pk),
        (K.GRADUATE_HOLD_EXPIRED, m["held_too_long"].pk),
    }
    assert not Notification.objects.filter(recipient=secretary_b1).exists()


def test_deadlines_are_idempotent_and_monthly(deadline_members, secretary_a1):
    deadline_reminders_send(today=TODAY)
    count, mails = Notification.objects.count(), len(mail.outbox)
    deadline_reminders_send(today=TODAY)
    assert Notification.objects.count() == count and len(mail.outbox) == mails
    # The next day only what became due is new: the probation ending in 31 days is now within 30,
    # the thought report of 2025-11-26 is now 12 months old, the graduate's contact of 2026-05-26
    # 6 months old, and the graduate of 2024-11-26 held at the school for 2 years.
    deadline_reminders_send(today=TODAY + timedelta(days=1))
    new = Notification.objects.order_by("-id")[:4]
    assert Notification.objects.count() == count + 4
    assert sorted(n.kind for n in new) == sorted([K.PROBATION_ENDING, K.AWAY_NO_CONTACT, K.GRADUATE_NO_CONTACT,
                                                  K.GRADUATE_HOLD_EXPIRED])


@pytest.mark.parametrize("count", [5, 50])
def test_deadline_scan_query_count_does_not_grow(make_member, secretary_a1, count, django_assert_max_num_queries):
    for i in range(count):
        make_member(dues_paid_through=date(2026, 1, 1), phone="" if i % 2 else "13800138000")
    UserFactory(organization=secretary_a1.organization, role="branch_secretary", email="x@example.invalid")
    # one INSERT … SELECT per rule (two for a rule that also tells the committee member in charge), the
    # card-not-issued reminder (one SELECT when no outflow is due), the cooperation reminders, the e-mail
    # SELECT + UPDATE, SAVEPOINT/RELEASE; the last run read, the waiting changes dropped (the first run
    # recounts everything) and today recorded as the last run
    inserts = sum(1 + make_rule(TODAY).to_committee_member for make_rule in deadline_rules)
    with django_assert_max_num_queries(inserts + 1 + cooperation_deadlines.STATEMENTS + 4 + 3):
        deadline_reminders_send(today=TODAY)
    assert Notification.objects.filter(kind=K.DUES_ARREARS).count() == 2 * count
    # the next day: the waiting changes taken, the members crossing a date edge added, the taken ones deleted
    with django_assert_max_num_queries(inserts + 1 + cooperation_deadlines.STATEMENTS + 4 + 5):
        deadline_reminders_send(today=TODAY + timedelta(days=1))


@pytest.mark.parametrize("which", ["monthly", "quarterly"])
def test_reminder_query_count(secretary_a1, secretary_b1, which, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        call_command("send_reminders", which, "--today", "2027-01-01")


def test_send_reminders_command_prints_what_it_did(deadline_members, secretary_a1, capsys):
    call_command("send_reminders", "deadlines", "--today", TODAY.isoformat())
    out = capsys.readouterr().out
    assert "deadlines 2026-11-25" in out and "党费欠缴：1 条" in out


@pytest.mark.parametrize("status", ["transferred_out", "lapsed", "removed", "probation_cancelled", "deceased"])
def test_members_no_longer_in_the_organization_get_no_reminders(make_member, secretary_a1, status):
    make_member(dues_paid_through=date(2025, 1, 1), phone="", membership_status=status)
    deadline_reminders_send(today=TODAY)
    assert not Notification.objects.exists()


# --- probation past its end with no decision ---------------------------------------------

@pytest.mark.parametrize("day, expected", [
    (date(2026, 11, 25), 1),  # Wednesday of ISO week 48: the first reminder
    (date(2026, 11, 29), 1),  # Sunday of the same week: not again
    (date(2026, 11, 30), 2),  # Monday of week 49: once more
    (date(2026, 12, 6), 2),
    (date(2026, 12, 7), 3),   # and every week until decided
])
def test_probation_overdue_is_a_reminder_once_a_week_until_decided(make_member, secretary_a1, day, expected):
    """预备期满应及时讨论其转正问题: a member past the end date with no decision is reminded every week."""
    make_member(membership_type=MembershipType.PROBATIONARY, probation_end_date=date(2026, 11, 24), phone="")
    for today in (date(2026, 11, 25), date(2026, 11, 29), date(2026, 11, 30), date(2026, 12, 6),
                  date(2026, 12, 7)):
        if today > day:
            break
        deadline_reminders_send(today=today)
        deadline_reminders_send(today=today)  # idempotent within the day and the week
    assert Notification.objects.filter(kind=K.PROBATION_OVERDUE, recipient=secretary_a1).count() == expected


@pytest.mark.parametrize("end, status, membership_type, reminded", [
    (date(2026, 11, 24), "active", MembershipType.PROBATIONARY, True),
    (date(2026, 11, 25), "active", MembershipType.PROBATIONARY, False),  # the last day of probation: not yet past
    (date(2026, 11, 24), "probation_cancelled", MembershipType.PROBATIONARY, False),
    (None, "active", MembershipType.FULL, False),  # decided: 按期转正
])
def test_probation_overdue_edges(make_member, secretary_a1, end, status, membership_type, reminded):
    make_member(membership_type=membership_type, probation_end_date=end, membership_status=status)
    deadline_reminders_send(today=TODAY)
    assert Notification.objects.filter(kind=K.PROBATION_OVERDUE).exists() is reminded
