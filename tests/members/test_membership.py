"""The one service every change of standing goes through (members/membership.py).

Quoted rules: seed 4 §二(七) 预备党员在流动过程中 …… 未转出党员组织关系的，由流出地党组织负责其转正，
讨论转正前应书面征求流入地党组织的意见。延期提出转正申请的，经流出地党支部党员大会讨论，并报上级组织批准，
可对其作出延长预备期的处理或取消其预备党员资格。 2019 党员教育管理工作条例: 失去联系6个月以上的 ……
停止党籍；停止党籍后两年内确实无法取得联系的，予以除名；恢复党籍由党支部大会讨论，上级党委批准。
党章第七条: 预备期可以延长，但不能超过一年 (once).
"""
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from members import membership
from members.choices import DecisionKind as K, DecisionStatus, MembershipStatus as S, MembershipType
from members.models import Member, MembershipDecision
from tests.factories import AwayMemberFactory, MemberFactory, MobileMemberFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def decide(member, kind, user, *, on=TODAY, number="镇党委〔2026〕1号", **extra):
    return membership.membership_status_change(member=member, kind=kind, acting_user=user, decided_on=on,
                                               document_number=number, **extra)


def propose_and_decide(member, kind, secretary, reviewer, *, on=TODAY, **proposal):
    proposal.setdefault("reason", "支部党员大会讨论通过")
    decision = membership.membership_propose(member=member, kind=kind, acting_user=secretary, **proposal)
    return membership.membership_decide(decision=decision, acting_user=reviewer, approve=True, decided_on=on,
                                        document_number="镇党委〔2026〕8号")


@pytest.fixture
def probationary(tree):
    return MemberFactory(organization=tree.branch_a1, membership_type=MembershipType.PROBATIONARY,
                         probation_end_date=TODAY - timedelta(days=1))


# --- who decides --------------------------------------------------------------------------

def test_the_branch_proposes_and_the_committee_decides_with_its_document(tree, secretary_a1, reviewer_a):
    member = MemberFactory(organization=tree.branch_a1)
    decision = membership.membership_propose(member=member, kind=K.SUSPEND, acting_user=secretary_a1,
                                             reason="失去联系6个月以上")
    member.refresh_from_db()
    assert decision.status == DecisionStatus.PROPOSED and member.membership_status == S.ACTIVE  # nothing by itself
    with pytest.raises(PermissionDenied):
        membership.membership_decide(decision=decision, acting_user=secretary_a1, approve=True, decided_on=TODAY,
                                     document_number="x")
    with pytest.raises(ValidationError) as refused:
        membership.membership_decide(decision=decision, acting_user=reviewer_a, approve=True, decided_on=TODAY)
    assert "document_number" in refused.value.message_dict
    membership.membership_decide(decision=decision, acting_user=reviewer_a, approve=True, decided_on=TODAY,
                                 document_number="镇党委〔2026〕2号")
    member.refresh_from_db()
    assert (member.membership_status, member.membership_status_since) == (S.SUSPENDED, TODAY)
    assert member.history.latest().history_user == reviewer_a
    assert "镇党委〔2026〕2号" in member.history.latest().history_change_reason


def test_the_proposer_cannot_decide(tree, secretary_a1):
    """Separation of duties, whatever the proposer's role."""
    from accounts.roles import Role
    from tests.factories import UserFactory
    member = MemberFactory(organization=tree.branch_a1)
    both = UserFactory(organization=tree.town_a, role=Role.DEPARTMENT_ADMIN)
    decision = membership.membership_propose(member=member, kind=K.LAPSE, acting_user=both, reason="x")
    with pytest.raises(ValidationError, match="不能审批本人"):
        membership.membership_decide(decision=decision, acting_user=both, approve=True, decided_on=TODAY,
                                     document_number="x")


def test_another_subtree_cannot_propose_or_decide(tree, secretary_b1, secretary_a1, reviewer_a):
    member = MemberFactory(organization=tree.branch_b1)
    with pytest.raises(PermissionDenied):
        membership.membership_propose(member=member, kind=K.SUSPEND, acting_user=secretary_a1, reason="x")
    decision = membership.membership_propose(member=member, kind=K.SUSPEND, acting_user=secretary_b1, reason="x")
    with pytest.raises(PermissionDenied):
        membership.membership_decide(decision=decision, acting_user=reviewer_a, approve=True, decided_on=TODAY,
                                     document_number="x")


def test_a_return_needs_a_reason_and_changes_nothing(tree, secretary_a1, reviewer_a):
    member = MemberFactory(organization=tree.branch_a1)
    decision = membership.membership_propose(member=member, kind=K.LAPSE, acting_user=secretary_a1, reason="x")
    with pytest.raises(ValidationError):
        membership.membership_decide(decision=decision, acting_user=reviewer_a, approve=False)
    membership.membership_decide(decision=decision, acting_user=reviewer_a, approve=False, notes="请继续教育")
    member.refresh_from_db()
    assert member.membership_status == S.ACTIVE
    assert MembershipDecision.objects.get().status == DecisionStatus.RETURNED


def test_a_committee_decision_needs_the_branch_s_proposal(tree, reviewer_a):
    member = MemberFactory(organization=tree.branch_a1)
    with pytest.raises(ValidationError, match="须由党支部提出意见"):
        decide(member, K.SUSPEND, reviewer_a)
    member.refresh_from_db()
    assert member.membership_status == S.ACTIVE and not MembershipDecision.objects.exists()


def test_a_decision_cannot_be_dated_in_the_future(tree, secretary_a1, reviewer_a):
    member = MemberFactory(organization=tree.branch_a1)
    with pytest.raises(ValidationError, match="不能晚于今天"):
        decide(member, K.SUSPEND, reviewer_a, on=TODAY + timedelta(days=1), proposed_by=secretary_a1)


# --- former members leave every count, kept for history -----------------------------------

@pytest.mark.parametrize("kind, status", [(K.LAPSE, S.LAPSED), (K.REMOVE, S.REMOVED)])
def test_lapsed_or_removed_members_leave_the_registry(tree, secretary_a1, reviewer_a, kind, status):
    member = MemberFactory(organization=tree.branch_a1)
    decide(member, kind, reviewer_a, proposed_by=secretary_a1)
    member.refresh_from_db()
    assert member.membership_status == status
    assert Member.objects.filter(pk=member.pk).exists()
    assert not Member.objects.in_registry().filter(pk=member.pk).exists()


def test_a_death_is_recorded_by_the_branch(tree, secretary_a1):
    member = MemberFactory(organization=tree.branch_a1)
    decide(member, K.DECEASED, secretary_a1, number="死亡证明 No.123")
    member.refresh_from_db()
    assert member.membership_status == S.DECEASED


# --- 恢复党籍 -----------------------------------------------------------------------------------

@pytest.mark.parametrize("suspended_days_ago, restored", [
    (365, True),
    ((TODAY - (TODAY - relativedelta(years=2))).days, True),       # the last day of the two years
    ((TODAY - (TODAY - relativedelta(years=2))).days + 1, False),  # one day late: only removal is left
])
def test_a_suspended_member_is_restored_within_two_years(tree, secretary_a1, reviewer_a, suspended_days_ago,
                                                         restored):
    member = MemberFactory(organization=tree.branch_a1)
    decide(member, K.SUSPEND, reviewer_a, on=TODAY - timedelta(days=suspended_days_ago), proposed_by=secretary_a1)
    member.refresh_from_db()
    if restored:
        propose_and_decide(member, K.RESTORE, secretary_a1, reviewer_a)
        member.refresh_from_db()
        assert (member.membership_status, member.membership_status_since) == (S.ACTIVE, TODAY)
        assert list(member.membership_decisions.approved().order_by("id").values_list("kind", flat=True)) == [
            K.SUSPEND, K.RESTORE]
    else:
        with pytest.raises(ValidationError, match="超过2年"):
            membership.membership_propose(member=member, kind=K.RESTORE, acting_user=secretary_a1, reason="已联系上")
        member.refresh_from_db()
        assert member.membership_status == S.SUSPENDED


# --- probation ----------------------------------------------------------------------------

def test_probation_extended_once_and_refused_a_second_time(probationary, secretary_a1, reviewer_a):
    old_end = probationary.probation_end_date
    propose_and_decide(probationary, K.EXTEND_PROBATION, secretary_a1, reviewer_a, meeting_on=TODAY,
                       new_probation_end_date=old_end + relativedelta(months=6))
    probationary.refresh_from_db()
    assert probationary.probation_end_date == old_end + relativedelta(months=6)
    assert probationary.membership_type == MembershipType.PROBATIONARY
    with pytest.raises(ValidationError) as refused:
        membership.membership_propose(member=probationary, kind=K.EXTEND_PROBATION, acting_user=secretary_a1,
                                      reason="再次延长", meeting_on=TODAY,
                                      new_probation_end_date=old_end + relativedelta(months=9))
    assert "只能延长一次" in str(refused.value)


@pytest.mark.parametrize("months, days, allowed", [(12, 0, True), (12, 1, False)])
def test_extension_over_one_year_is_refused(probationary, secretary_a1, months, days, allowed):
    new_end = probationary.probation_end_date + relativedelta(months=months) + timedelta(days=days)
    call = lambda: membership.membership_propose(  # noqa: E731
        member=probationary, kind=K.EXTEND_PROBATION, acting_user=secretary_a1, reason="x", meeting_on=TODAY,
        new_probation_end_date=new_end)
    if allowed:
        call()
    else:
        with pytest.raises(ValidationError, match="不能超过一年"):
            call()


def test_probation_decisions_need_the_branch_meeting(probationary, secretary_a1):
    with pytest.raises(ValidationError) as refused:
        membership.membership_propose(member=probationary, kind=K.FULL_MEMBERSHIP, acting_user=secretary_a1,
                                      reason="表现良好")
    assert "meeting_on" in refused.value.message_dict


def test_full_membership_at_home(probationary, secretary_a1, reviewer_a):
    propose_and_decide(probationary, K.FULL_MEMBERSHIP, secretary_a1, reviewer_a, meeting_on=TODAY)
    probationary.refresh_from_db()
    assert (probationary.membership_type, probationary.probation_end_date) == (MembershipType.FULL, None)


def test_cancelled_probation_leaves_the_registry(probationary, secretary_a1, reviewer_a):
    propose_and_decide(probationary, K.CANCEL_PROBATION, secretary_a1, reviewer_a, meeting_on=TODAY)
    probationary.refresh_from_db()
    assert probationary.membership_status == S.PROBATION_CANCELLED
    assert not Member.objects.in_registry().filter(pk=probationary.pk).exists()


def test_away_full_membership_needs_the_host_s_written_opinion(tree, secretary_a1, reviewer_a):
    member = AwayMemberFactory(organization=tree.branch_a1, membership_type=MembershipType.PROBATIONARY,
                               probation_end_date=TODAY + timedelta(days=30))
    with pytest.raises(ValidationError, match="书面征求流入地党组织的意见"):
        membership.membership_propose(member=member, kind=K.FULL_MEMBERSHIP, acting_user=secretary_a1,
                                      reason="表现良好", meeting_on=TODAY)
    letter = membership.probation_opinion_request(member=member, acting_user=secretary_a1)
    assert letter.host_organization_name == member.host_unit and letter.number.startswith(f"ZZYJ{TODAY:%Y}")
    with pytest.raises(ValidationError, match="未回复"):
        membership.probation_opinion_request(member=member, acting_user=secretary_a1)
    with pytest.raises(ValidationError):
        membership.probation_opinion_answer(request=letter, acting_user=secretary_a1, answered_on=TODAY, answer=" ")
    membership.probation_opinion_answer(request=letter, acting_user=secretary_a1, answered_on=TODAY,
                                        answer="该同志在我处表现良好，同意按期转正")
    propose_and_decide(member, K.FULL_MEMBERSHIP, secretary_a1, reviewer_a, meeting_on=TODAY)
    member.refresh_from_db()
    assert member.membership_type == MembershipType.FULL


@pytest.mark.parametrize("days_before_end, allowed", [(60, True), (61, False)])
def test_the_opinion_letter_is_sent_from_60_days_before_the_end(tree, secretary_a1, days_before_end, allowed):
    member = AwayMemberFactory(organization=tree.branch_a1, membership_type=MembershipType.PROBATIONARY,
                               probation_end_date=TODAY + timedelta(days=days_before_end))
    if allowed:
        membership.probation_opinion_request(member=member, acting_user=secretary_a1)
    else:
        with pytest.raises(ValidationError, match="起才能发征求意见函"):
            membership.probation_opinion_request(member=member, acting_user=secretary_a1)


# --- decision documents -------------------------------------------------------------------

@pytest.mark.parametrize("number", ["文号待补", "系统升级前已决定（文号待补录）"])
def test_a_placeholder_is_not_a_document_number(tree, secretary_a1, reviewer_a, number):
    """"Every change of status … records the decision document's number and date" (issue 11)."""
    member = MemberFactory(organization=tree.branch_a1)
    decision = membership.membership_propose(member=member, kind=K.SUSPEND, acting_user=secretary_a1,
                                             reason="失去联系6个月以上")
    with pytest.raises(ValidationError, match="实际文号"):
        membership.membership_decide(decision=decision, acting_user=reviewer_a, approve=True, decided_on=TODAY,
                                     document_number=number)


def test_a_decision_migrated_without_its_document_is_completed_by_the_committee(client, tree, secretary_a1,
                                                                                reviewer_a):
    """The data migration gives a decision taken before the system kept documents the placeholder; the
    committee records the real number and date; the standing does not change; the history says so."""
    from members.rules import PENDING_DOCUMENT

    member = MemberFactory(organization=tree.branch_a1, membership_status=S.LAPSED, membership_status_since=TODAY)
    decision = MembershipDecision.objects.create(
        member=member, kind=K.LAPSE, status=DecisionStatus.APPROVED, organization=tree.branch_a1,
        proposed_on=TODAY, decided_on=TODAY, document_number=PENDING_DOCUMENT)
    assert decision.document_pending
    client.force_login(reviewer_a)
    page = client.get(member.get_absolute_url()).content.decode()
    assert "文号待补录" in page and f"/members/membership/{decision.pk}/document/" in page
    with pytest.raises(PermissionDenied):
        membership.membership_document_record(decision=decision, acting_user=secretary_a1,
                                              document_number="镇党委〔2025〕3号", decided_on=TODAY)
    decided = TODAY - timedelta(days=400)
    response = client.post(f"/members/membership/{decision.pk}/document/",
                           {"document_number": "镇党委〔2025〕3号", "decided_on": decided.isoformat()})
    assert response.status_code == 302
    decision.refresh_from_db()
    member.refresh_from_db()
    assert (decision.document_number, decision.decided_on, decision.document_pending) == (
        "镇党委〔2025〕3号", decided, False)
    assert member.membership_status == S.LAPSED
    assert "补录" in member.history.first().history_change_reason
    with pytest.raises(ValidationError, match="无需补录"):
        membership.membership_document_record(decision=decision, acting_user=reviewer_a,
                                              document_number="镇党委〔2025〕4号", decided_on=TODAY)


def test_the_migration_s_placeholder_is_the_one_the_committee_completes():
    import importlib

    from members.rules import PENDING_DOCUMENT

    migration = importlib.import_module("jobs.migrations.0003_membership_status_from_existing_records")
    assert migration.LEGACY_DOCUMENT == PENDING_DOCUMENT


@pytest.mark.parametrize("status", [S.LAPSED, S.REMOVED, S.PROBATION_CANCELLED, S.TRANSFERRED_OUT, S.DECEASED])
def test_former_members_are_out_of_counts_reminders_scans_arrears_and_the_default_list(client, tree, secretary_a1,
                                                                                      status):
    """Issue 11: "Members who are no longer in the organization are kept for history but are excluded from
    counts, reminders, inactivity scans, arrears and the default list (a filter shows them)." A suspended member
    is still held (停止党籍 may be restored or end in removal) and stays in all of them."""
    from jobs.choices import InactivityCondition
    from jobs.conditions import inactive_members
    from jobs.deadlines import dues_in_arrears, incomplete_six_facts
    from reports.periods import Quarter
    from reports.statistics import branch_statistics, reporting_units

    long_ago = TODAY - relativedelta(years=2)
    former = MobileMemberFactory(organization=tree.branch_a1, dues_paid_through=long_ago.replace(day=1), phone="",
                                 membership_status=status, membership_status_since=TODAY)
    suspended = MobileMemberFactory(organization=tree.branch_a1, dues_paid_through=long_ago.replace(day=1), phone="",
                                  membership_status=S.SUSPENDED, membership_status_since=TODAY)
    Member.objects.filter(pk__in=[former.pk, suspended.pk]).update(created_at=timezone.now() - relativedelta(years=2))
    readers = {
        "arrears reminder": dues_in_arrears(TODAY).members,
        "six facts reminder": incomplete_six_facts(TODAY).members,
        "inactivity scan": inactive_members(InactivityCondition.DUES, TODAY),
    }
    for name, members in readers.items():
        found = set(members.values_list("pk", flat=True))
        assert former.pk not in found and suspended.pk in found, name
    figures = branch_statistics(reporting_units(tree.branch_a1), Quarter.containing(TODAY))[tree.branch_a1.pk]
    assert (figures["members_total"], figures["outflow"]) == (1, 1)
    before = branch_statistics(reporting_units(tree.branch_a1), Quarter.containing(TODAY).previous())
    assert before[tree.branch_a1.pk]["outflow"] == 2  # held by the organization until this quarter
    client.force_login(secretary_a1)
    listed = client.get("/members/").context["object_list"]
    assert [m.pk for m in listed] == [suspended.pk]
    assert former.pk in [m.pk for m in client.get(f"/members/?membership_status={status}").context["object_list"]]
