from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command

from jobs.choices import CaseStatus, FlagStatus, InactivityCondition as C
from jobs.models import InactivityFlag, LostContactCase
from jobs.scans import inactivity_scan
from notifications.choices import NotificationKind
from notifications.models import Notification

pytestmark = pytest.mark.django_db
TODAY = date(2026, 11, 25)


@pytest.fixture
def idle_member(make_member, records):
    member = make_member(dues_paid_through=date(2026, 3, 1))
    records.life(member, date(2026, 5, 25))
    records.work(member, date(2026, 4, 1))
    return member


def test_scan_opens_one_flag_per_condition_and_tells_the_secretary(idle_member, secretary_a1, secretary_b1):
    secretary_a1.email = "a1@example.invalid"
    secretary_a1.save()
    result = inactivity_scan(today=TODAY)
    flags = {f.condition: f for f in InactivityFlag.objects.filter(member=idle_member)}
    assert set(flags) == {C.ORGANIZATIONAL_LIFE, C.DUES, C.ASSIGNED_WORK}
    assert flags[C.ORGANIZATIONAL_LIFE].last_record_on == date(2026, 5, 25)
    assert flags[C.DUES].last_record_on == date(2026, 3, 1)
    assert flags[C.ASSIGNED_WORK].last_record_on == date(2026, 4, 1)
    assert all(f.status == FlagStatus.FLAGGED and f.flagged_on == TODAY for f in flags.values())
    assert result.opened == {"life": 1, "dues": 1, "work": 1, "lost_contact": 0}
    digest = Notification.objects.get(kind=NotificationKind.INACTIVITY_FLAG)
    assert digest.recipient == secretary_a1 and digest.title == "本支部新增不活跃提示 3 条"
    assert digest.organization == idle_member.organization and digest.get_absolute_url() == "/supervision/inactivity/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["a1@example.invalid"]
    assert "本支部新增不活跃提示 3 条" in mail.outbox[0].body


def test_scan_is_idempotent(idle_member, secretary_a1):
    inactivity_scan(today=TODAY)
    counts = (InactivityFlag.objects.count(), Notification.objects.count(), len(mail.outbox))
    second = inactivity_scan(today=TODAY)
    assert (InactivityFlag.objects.count(), Notification.objects.count(), len(mail.outbox)) == counts
    assert second.opened == {"life": 0, "dues": 0, "work": 0, "lost_contact": 0} and second.notified == 0
    inactivity_scan(today=date(2026, 11, 26))
    assert InactivityFlag.objects.count() == counts[0] and Notification.objects.count() == counts[1]


def test_resumption_clears_the_flag_and_a_new_run_opens_a_new_one(idle_member, records):
    inactivity_scan(today=TODAY)
    records.life(idle_member, date(2026, 11, 26))
    result = inactivity_scan(today=date(2026, 11, 26))
    assert result.cleared["life"] == 1
    life = InactivityFlag.objects.get(member=idle_member, condition=C.ORGANIZATIONAL_LIFE)
    assert life.cleared_on == date(2026, 11, 26) and life.status == FlagStatus.FLAGGED
    assert InactivityFlag.objects.open().filter(member=idle_member).count() == 2
    inactivity_scan(today=date(2027, 5, 26))
    assert InactivityFlag.objects.filter(member=idle_member, condition=C.ORGANIZATIONAL_LIFE).count() == 2


def test_a_valid_reason_recorded_later_clears_the_flag(idle_member, records):
    inactivity_scan(today=TODAY)
    records.excuse(idle_member, date(2026, 6, 1), date(2026, 11, 30))
    inactivity_scan(today=TODAY)
    assert not InactivityFlag.objects.open().filter(member=idle_member).exists()


def test_a_proposal_before_the_committee_is_not_cleared(idle_member, records):
    inactivity_scan(today=TODAY)
    InactivityFlag.objects.filter(condition=C.ORGANIZATIONAL_LIFE).update(status=FlagStatus.LAPSE_PROPOSED)
    records.life(idle_member, date(2026, 11, 26))
    inactivity_scan(today=date(2026, 11, 26))
    assert InactivityFlag.objects.get(condition=C.ORGANIZATIONAL_LIFE).is_open


def test_lost_contact_case_opens_and_closes_when_contact_is_restored(make_member, records, secretary_a1):
    member = make_member()
    records.contact(member, date(2026, 3, 1), reached=True)
    records.contact(member, date(2026, 6, 1), reached=False)
    inactivity_scan(today=TODAY)
    case = LostContactCase.objects.get(member=member)
    assert case.status == CaseStatus.OPEN and case.last_reached_on == date(2026, 3, 1)
    assert Notification.objects.get(kind=NotificationKind.LOST_CONTACT, recipient=secretary_a1).title == "本支部新增失联党员 1 名"
    inactivity_scan(today=TODAY)
    assert LostContactCase.objects.count() == 1
    records.contact(member, date(2026, 11, 26), reached=True)
    inactivity_scan(today=date(2026, 11, 26))
    case.refresh_from_db()
    assert case.cleared_on == date(2026, 11, 26)


def test_a_suspended_case_stays_for_people_to_decide(make_member, records):
    member = make_member()
    records.contact(member, date(2026, 1, 1), reached=False)
    inactivity_scan(today=TODAY)
    LostContactCase.objects.update(status=CaseStatus.SUSPENDED, suspended_on=TODAY)
    records.contact(member, date(2026, 11, 26), reached=True)
    inactivity_scan(today=date(2026, 11, 26))
    assert LostContactCase.objects.get().is_open


# 3 conditions × (UPDATE + INSERT), lost contact UPDATE + INSERT, 2 digest INSERTs,
# the e-mail SELECT + UPDATE, and the transaction's SAVEPOINT/RELEASE; the last run read, the waiting
# changes dropped (the first run recounts everything) and today recorded as the last run.
SCAN_QUERIES = 14 + 3
#: A later run takes the waiting changes, adds the members crossing a date edge and deletes what it took.
LATER_SCAN_QUERIES = 14 + 5


@pytest.mark.parametrize("count", [5, 50])
def test_scan_query_count_does_not_grow_with_members(make_member, records, secretary_a1, count,
                                                     django_assert_max_num_queries):
    for _ in range(count):
        member = make_member(dues_paid_through=date(2026, 1, 1))
        records.contact(member, date(2026, 2, 1), reached=False)
    with django_assert_max_num_queries(SCAN_QUERIES):
        result = inactivity_scan(today=TODAY)
    assert result.opened["life"] == count and result.opened["lost_contact"] == count and result.notified == 2
    with django_assert_max_num_queries(LATER_SCAN_QUERIES):
        inactivity_scan(today=TODAY)
    with django_assert_max_num_queries(LATER_SCAN_QUERIES):
        inactivity_scan(today=date(2026, 11, 26))


def test_flag_inactive_command_prints_what_it_did(idle_member, capsys):
    call_command("flag_inactive", "--today", "2026-11-25")
    out = capsys.readouterr().out
    assert "扫描日期 2026-11-25" in out and "连续6个月未参加组织生活：新增 1，消除 0" in out


def test_flag_inactive_command_refuses_a_bad_date():
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("flag_inactive", "--today", "2026-13-01")


def test_each_branch_secretary_gets_a_digest_of_their_own_branch(make_member, tree, secretary_a1, secretary_b1):
    from tests.factories import UserFactory

    second_a1 = UserFactory(organization=tree.branch_a1, role="branch_secretary")
    UserFactory(organization=tree.branch_a1, role="committee_reviewer")
    for _ in range(2):
        make_member(organization=tree.branch_a1, dues_paid_through=date(2026, 1, 1))
    make_member(organization=tree.branch_b1, dues_paid_through=date(2026, 1, 1))
    inactivity_scan(today=TODAY)
    titles = dict(Notification.objects.values_list("recipient", "title"))
    assert titles == {secretary_a1.pk: "本支部新增不活跃提示 4 条", second_a1.pk: "本支部新增不活跃提示 4 条",
                      secretary_b1.pk: "本支部新增不活跃提示 2 条"}
