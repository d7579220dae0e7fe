"""The people's workflow: transitions, refusals, who may act, who is asked."""
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError

from jobs import services
from jobs.choices import CaseStatus, FlagStatus, InactivityCondition as C
from jobs.models import InactivityFlag, LostContactCase
from jobs.windows import shanghai_today
from members.choices import DecisionKind, MembershipStatus
from members.models import Member
from notifications.choices import NotificationKind
from notifications.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def flag(make_member):
    member = make_member()
    return InactivityFlag.objects.create(member=member, condition=C.ORGANIZATIONAL_LIFE, flagged_on=date(2026, 11, 1))


@pytest.fixture
def case(make_member):
    member = make_member()
    return LostContactCase.objects.create(member=member, opened_on=date(2026, 11, 1))


def talk(flag, user):
    return services.flag_record_talk(flag=flag, acting_user=user, talk_on=date(2026, 11, 2), notes="谈心谈话")


def test_flagged_talk_resolved(flag, secretary_a1):
    talk(flag, secretary_a1)
    assert flag.status == FlagStatus.TALK_HELD and flag.talk_on == date(2026, 11, 2)
    services.flag_resolve(flag=flag, acting_user=secretary_a1, notes="已按时参加组织生活")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.RESOLVED and flag.is_open


def test_lapse_is_proposed_by_the_branch_and_approved_by_the_committee(flag, secretary_a1, reviewer_a, tree):
    talk(flag, secretary_a1)
    services.flag_propose_lapse(flag=flag, acting_user=secretary_a1, reason="经教育仍不改正")
    assert flag.status == FlagStatus.LAPSE_PROPOSED and flag.proposed_by == secretary_a1
    asked = Notification.objects.get(kind=NotificationKind.APPROVAL_NEEDED)
    assert asked.recipient == reviewer_a and asked.member == flag.member
    services.flag_decide_lapse(flag=flag, acting_user=reviewer_a, approve=True, notes="同意",
                               document_number="县委组〔2026〕12号")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.LAPSE_APPROVED and flag.decided_by == reviewer_a
    # The record is kept for history; the committee's decision, with its document, changed the standing.
    member = Member.objects.get(pk=flag.member_id)
    assert member.membership_status == MembershipStatus.LAPSED
    decision = member.membership_decisions.get()
    assert (decision.kind, decision.proposed_by, decision.decided_by, decision.document_number) == (
        DecisionKind.LAPSE, secretary_a1, reviewer_a, "县委组〔2026〕12号")
    assert not Member.objects.in_registry().filter(pk=member.pk).exists()


def test_committee_can_send_a_proposal_back_with_a_reason(flag, secretary_a1, reviewer_a):
    talk(flag, secretary_a1)
    services.flag_propose_lapse(flag=flag, acting_user=secretary_a1, reason="经教育仍不改正")
    with pytest.raises(ValidationError):
        services.flag_decide_lapse(flag=flag, acting_user=reviewer_a, approve=False, notes=" ")
    services.flag_decide_lapse(flag=flag, acting_user=reviewer_a, approve=False, notes="请继续教育")
    assert flag.status == FlagStatus.TALK_HELD


@pytest.mark.parametrize("step", ["resolve", "propose"])
def test_no_resolution_or_proposal_before_a_talk(flag, secretary_a1, step):
    with pytest.raises(ValidationError):
        if step == "resolve":
            services.flag_resolve(flag=flag, acting_user=secretary_a1, notes="x")
        else:
            services.flag_propose_lapse(flag=flag, acting_user=secretary_a1, reason="x")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.FLAGGED


def test_talk_refusals(flag, secretary_a1):
    with pytest.raises(ValidationError):
        services.flag_record_talk(flag=flag, acting_user=secretary_a1, talk_on=shanghai_today() + timedelta(days=1),
                                  notes="x")
    with pytest.raises(ValidationError):
        services.flag_record_talk(flag=flag, acting_user=secretary_a1, talk_on=date(2026, 11, 2), notes="  ")
    InactivityFlag.objects.filter(pk=flag.pk).update(cleared_on=date(2026, 11, 3))
    flag.refresh_from_db()
    with pytest.raises(ValidationError):
        talk(flag, secretary_a1)


def test_roles_and_subtrees(flag, secretary_a1, secretary_b1, reviewer_a):
    with pytest.raises(PermissionDenied):
        talk(flag, secretary_b1)
    with pytest.raises(PermissionDenied):
        talk(flag, reviewer_a)
    talk(flag, secretary_a1)
    services.flag_propose_lapse(flag=flag, acting_user=secretary_a1, reason="x")
    with pytest.raises(PermissionDenied):
        services.flag_decide_lapse(flag=flag, acting_user=secretary_a1, approve=True, notes="")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.LAPSE_PROPOSED


def test_suspension_then_removal_after_two_years(case, secretary_a1, reviewer_a, records):
    services.case_propose_suspension(case=case, acting_user=secretary_a1, reason="多次联系未果")
    services.case_decide(case=case, acting_user=reviewer_a, approve=True, notes="同意停止党籍",
                         document_number="镇党委〔2026〕3号")
    assert case.status == CaseStatus.SUSPENDED and case.suspended_on == shanghai_today()
    with pytest.raises(ValidationError, match="满2年"):
        services.case_propose_removal(case=case, acting_user=secretary_a1, reason="仍无法联系")
    LostContactCase.objects.filter(pk=case.pk).update(
        suspended_on=shanghai_today() - relativedelta(years=2))
    case.refresh_from_db()
    services.case_propose_removal(case=case, acting_user=secretary_a1, reason="仍无法联系")
    assert case.status == CaseStatus.REMOVAL_PROPOSED
    services.case_decide(case=case, acting_user=reviewer_a, approve=True, notes="同意除名",
                         document_number="镇党委〔2028〕9号")
    assert case.status == CaseStatus.REMOVED
    assert Member.objects.get(pk=case.member_id).membership_status == MembershipStatus.REMOVED
    assert list(case.member.membership_decisions.order_by("id").values_list("kind", flat=True)) == [
        DecisionKind.SUSPEND, DecisionKind.REMOVE]
    assert Notification.objects.filter(kind=NotificationKind.APPROVAL_NEEDED, recipient=reviewer_a).count() == 2


def test_no_removal_once_the_member_was_reached(case, secretary_a1, records):
    LostContactCase.objects.filter(pk=case.pk).update(status=CaseStatus.SUSPENDED,
                                                      suspended_on=date(2023, 1, 1))
    Member.objects.filter(pk=case.member_id).update(membership_status=MembershipStatus.SUSPENDED)
    case.refresh_from_db()
    records.contact(case.member, date(2024, 6, 1), reached=True)
    with pytest.raises(ValidationError, match="已联系上"):
        services.case_propose_removal(case=case, acting_user=secretary_a1, reason="x")


def test_rejected_suspension_returns_the_case_to_the_branch(case, secretary_a1, reviewer_a):
    services.case_propose_suspension(case=case, acting_user=secretary_a1, reason="多次联系未果")
    services.case_decide(case=case, acting_user=reviewer_a, approve=False, notes="请再联系其家属")
    assert case.status == CaseStatus.OPEN and case.suspended_on is None
    with pytest.raises(ValidationError):
        services.case_decide(case=case, acting_user=reviewer_a, approve=True, notes="")


def test_a_second_proposal_after_a_rejection_asks_the_committee_again(flag, secretary_a1, reviewer_a):
    talk(flag, secretary_a1)
    services.flag_propose_lapse(flag=flag, acting_user=secretary_a1, reason="经教育仍不改正")
    services.flag_decide_lapse(flag=flag, acting_user=reviewer_a, approve=False, notes="请继续教育")
    services.flag_propose_lapse(flag=flag, acting_user=secretary_a1, reason="一个月后仍未改正")
    assert Notification.objects.filter(kind=NotificationKind.APPROVAL_NEEDED, recipient=reviewer_a).count() == 2


def test_no_removal_once_the_member_was_restored(case, secretary_a1, reviewer_a):
    """恢复党籍 ends the removal path: a restored member cannot be proposed for removal on the old case."""
    from members.membership import membership_propose, membership_decide
    services.case_propose_suspension(case=case, acting_user=secretary_a1, reason="多次联系未果")
    services.case_decide(case=case, acting_user=reviewer_a, approve=True, notes="同意", document_number="文1")
    decision = membership_propose(member=case.member, kind=DecisionKind.RESTORE, acting_user=secretary_a1,
                                  reason="已主动联系并说明情况")
    membership_decide(decision=decision, acting_user=reviewer_a, approve=True, decided_on=shanghai_today(),
                      document_number="文2")
    LostContactCase.objects.filter(pk=case.pk).update(suspended_on=shanghai_today() - relativedelta(years=2))
    case.refresh_from_db()
    with pytest.raises(ValidationError, match="已恢复党籍"):
        services.case_propose_removal(case=case, acting_user=secretary_a1, reason="x")
