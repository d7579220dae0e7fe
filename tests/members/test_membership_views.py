"""Pages of the membership lifecycle: permission matrix, the branch proposes, the committee decides, the letter."""
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from members import membership
from members.choices import DecisionKind, DecisionStatus, MembershipStatus, MembershipType
from members.models import MembershipDecision
from tests.factories import AwayMemberFactory, MemberFactory

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


@pytest.fixture
def member(tree):
    return MemberFactory(organization=tree.branch_a1)


@pytest.fixture
def away_probationary(tree):
    return AwayMemberFactory(organization=tree.branch_a1, membership_type=MembershipType.PROBATIONARY,
                             probation_end_date=TODAY + timedelta(days=20))


@pytest.mark.parametrize("who, status", [
    (None, 302), ("reviewer_a", 403), ("secretary_b1", 404), ("secretary_a1", 200),
])
def test_propose_page_permissions(client, request, member, who, status):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("members:membership_propose", args=[member.pk])).status_code == status


@pytest.mark.parametrize("who, status", [
    (None, 302), ("secretary_a1", 403), ("reviewer_a", 200),
])
def test_decide_page_permissions(client, request, member, secretary_a1, who, status):
    decision = membership.membership_propose(member=member, kind=DecisionKind.SUSPEND, acting_user=secretary_a1,
                                             reason="失联6个月以上")
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(reverse("members:membership_decide", args=[decision.pk])).status_code == status


def test_another_town_s_reviewer_gets_404(client, tree, secretary_b1):
    from accounts.roles import Role
    from tests.factories import UserFactory
    member_b = MemberFactory(organization=tree.branch_b1)
    decision = membership.membership_propose(member=member_b, kind=DecisionKind.SUSPEND, acting_user=secretary_b1,
                                             reason="x")
    client.force_login(UserFactory(organization=tree.town_a, role=Role.COMMITTEE_REVIEWER))
    assert client.get(reverse("members:membership_decide", args=[decision.pk])).status_code == 404


def test_propose_then_decide_through_the_pages(client, member, secretary_a1, reviewer_a):
    client.force_login(secretary_a1)
    page = client.get(member.get_absolute_url()).content.decode()
    assert "党籍与转正" in page and "提出党籍处理或转正意见" in page
    response = client.post(reverse("members:membership_propose", args=[member.pk]),
                           {"kind": "suspend", "reason": "多次联系未果"})
    assert response.status_code == 302
    decision = MembershipDecision.objects.get()
    client.force_login(reviewer_a)
    assert "审批" in client.get(member.get_absolute_url()).content.decode()
    url = reverse("members:membership_decide", args=[decision.pk])
    response = client.post(url, {"decision": "approve", "decided_on": TODAY.isoformat()})
    assert response.status_code == 200
    assert "请填写决定文书编号" in response.content.decode()
    response = client.post(url, {"decision": "approve", "decided_on": TODAY.isoformat(),
                                 "document_number": "镇党委〔2026〕4号"})
    assert response.status_code == 302
    member.refresh_from_db()
    assert member.membership_status == MembershipStatus.SUSPENDED
    assert MembershipDecision.objects.get().status == DecisionStatus.APPROVED


def test_the_list_shows_former_members_only_through_the_filter(client, tree, member, reviewer_a, secretary_a1):
    membership.membership_status_change(member=member, kind=DecisionKind.LAPSE, acting_user=reviewer_a,
                                        proposed_by=secretary_a1, decided_on=TODAY,
                                        document_number="镇党委〔2026〕5号")
    here = MemberFactory(organization=tree.branch_a1)
    client.force_login(secretary_a1)
    assert list(client.get(reverse("members:list")).context["page_obj"]) == [here]
    response = client.get(reverse("members:list"), {"membership_status": "lapsed"})
    assert list(response.context["page_obj"]) == [member]


def test_the_opinion_letter_is_generated_printed_and_answered(client, away_probationary, secretary_a1,
                                                              secretary_b1):
    client.force_login(secretary_a1)
    assert "发转正征求意见函" in client.get(away_probationary.get_absolute_url()).content.decode()
    response = client.post(reverse("members:probation_opinion_request", args=[away_probationary.pk]), {})
    letter = away_probationary.probation_opinion_requests.get()
    assert response.status_code == 302 and response.url == letter.get_absolute_url()
    page = client.get(letter.get_absolute_url()).content.decode()
    assert "关于征求预备党员转正意见的函" in page and letter.number in page and away_probationary.host_unit in page
    response = client.post(reverse("members:probation_opinion_answer", args=[letter.pk]),
                           {"answered_on": TODAY.isoformat(), "answer": "同意按期转正"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.is_answered
    client.force_login(secretary_b1)
    assert client.get(letter.get_absolute_url()).status_code == 404


def test_member_page_queries_do_not_grow_with_decisions(client, member, secretary_a1, reviewer_a,
                                                       django_assert_max_num_queries):
    for n in range(3):
        membership.membership_status_change(member=member, kind=DecisionKind.SUSPEND, acting_user=reviewer_a,
                                            proposed_by=secretary_a1, decided_on=TODAY, document_number=f"文{n}")
        membership.membership_status_change(member=member, kind=DecisionKind.RESTORE, acting_user=reviewer_a,
                                            proposed_by=secretary_a1, decided_on=TODAY, document_number=f"复{n}")
    client.force_login(secretary_a1)
    with django_assert_max_num_queries(26):  # as tests/members/test_views.py counts them
        assert client.get(member.get_absolute_url()).status_code == 200
