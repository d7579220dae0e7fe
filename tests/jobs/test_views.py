"""Pages of flags and cases, from every side: anonymous, wrong role, other subtree, right user."""
from datetime import date

import pytest
from django.urls import reverse

from jobs.choices import CaseStatus, FlagStatus, InactivityCondition as C
from jobs.models import InactivityFlag, LostContactCase
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def flag(make_member):
    return InactivityFlag.objects.create(member=make_member(), condition=C.DUES, flagged_on=date(2026, 11, 1),
                                         last_record_on=date(2026, 3, 1))


@pytest.fixture
def case(make_member):
    return LostContactCase.objects.create(member=make_member(), opened_on=date(2026, 11, 1))


@pytest.mark.parametrize("name", ["jobs:flag_list", "jobs:case_list"])
def test_lists_need_login_and_permission(client, tree, name):
    response = client.get(reverse(name))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(UserFactory(organization=tree.county, role="roster_staff"))
    assert client.get(reverse(name)).status_code == 403


def test_flag_list_is_scoped(client, flag, secretary_a1, secretary_b1, reviewer_a):
    client.force_login(secretary_a1)
    assert flag.member.name in client.get(reverse("jobs:flag_list")).content.decode()
    client.force_login(reviewer_a)
    assert flag.member.name in client.get(reverse("jobs:flag_list")).content.decode()
    client.force_login(secretary_b1)
    body = client.get(reverse("jobs:flag_list")).content.decode()
    assert flag.member.name not in body


@pytest.mark.parametrize("kind", ["flag", "case"])
def test_other_subtree_gets_404(client, flag, case, secretary_b1, kind):
    obj = flag if kind == "flag" else case
    client.force_login(secretary_b1)
    assert client.get(obj.get_absolute_url()).status_code == 404
    response = client.post(obj.get_absolute_url(), {"action": "talk" if kind == "flag" else "propose",
                                                    "talk-talk_on": "2026-11-02", "talk-talk_notes": "x",
                                                    "propose-proposal_reason": "x"})
    assert response.status_code == 404
    obj.refresh_from_db()
    assert obj.status in (FlagStatus.FLAGGED, CaseStatus.OPEN)


def test_talk_through_the_page(client, flag, secretary_a1):
    client.force_login(secretary_a1)
    page = client.get(flag.get_absolute_url()).content.decode()
    assert "登记谈话教育" in page and "提出按自行脱党处理的意见" not in page
    response = client.post(flag.get_absolute_url(), {"action": "talk", "talk-talk_on": "2026-11-02",
                                                     "talk-talk_notes": "谈心谈话"})
    assert response.status_code == 302
    flag.refresh_from_db()
    assert flag.status == FlagStatus.TALK_HELD


def test_bad_input_is_shown_next_to_the_field(client, flag, secretary_a1):
    client.force_login(secretary_a1)
    response = client.post(flag.get_absolute_url(), {"action": "talk", "talk-talk_on": "2099-01-01",
                                                     "talk-talk_notes": "谈心谈话"})
    assert response.status_code == 200 and "日期不能晚于今天" in response.content.decode()
    response = client.post(flag.get_absolute_url(), {"action": "talk", "talk-talk_on": "", "talk-talk_notes": ""})
    assert response.status_code == 200
    flag.refresh_from_db()
    assert flag.status == FlagStatus.FLAGGED


def test_a_step_not_allowed_now_is_refused(client, flag, secretary_a1):
    client.force_login(secretary_a1)
    response = client.post(flag.get_absolute_url(), {"action": "propose", "propose-proposal_reason": "x"})
    assert response.status_code == 200 and "当前状态下不能执行该操作" in response.content.decode()
    flag.refresh_from_db()
    assert flag.status == FlagStatus.FLAGGED


def test_a_secretary_cannot_approve(client, flag, secretary_a1):
    InactivityFlag.objects.filter(pk=flag.pk).update(status=FlagStatus.LAPSE_PROPOSED)
    client.force_login(secretary_a1)
    response = client.post(flag.get_absolute_url(), {"action": "decide", "decide-decision": "approve"})
    assert response.status_code == 403


def test_the_committee_approves_through_the_page(client, case, reviewer_a, secretary_a1):
    LostContactCase.objects.filter(pk=case.pk).update(status=CaseStatus.SUSPENSION_PROPOSED, proposed_by=secretary_a1)
    client.force_login(reviewer_a)
    assert "审批" in client.get(case.get_absolute_url()).content.decode()
    response = client.post(case.get_absolute_url(), {"action": "decide", "decide-decision": "approve",
                                                     "decide-decision_notes": "同意",
                                                     "decide-document_number": "镇党委〔2026〕7号"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENDED


def test_member_page_shows_the_flag(client, flag, secretary_a1):
    client.force_login(secretary_a1)
    body = client.get(reverse("members:detail", args=[flag.member_id])).content.decode()
    assert "不活跃与失联提示" in body and "连续6个月未交纳党费" in body


@pytest.mark.parametrize("count", [3, 30])
def test_flag_list_query_count_is_constant(client, make_member, county_admin, count, django_assert_max_num_queries):
    for _ in range(count):
        InactivityFlag.objects.create(member=make_member(), condition=C.DUES, flagged_on=date(2026, 11, 1))
    client.force_login(county_admin)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("jobs:flag_list") + "?state=all&condition=dues").status_code == 200


def test_member_detail_query_count_with_panel(client, flag, secretary_a1, django_assert_max_num_queries):
    client.force_login(secretary_a1)
    # two more than before for the 党籍与转正 panel (its decisions and probation letters), three for the
    # 双向共管与双向评议 panel, one for the member's own link panel and one for the menu's count of
    # members' reports waiting (portal), one for the 困难帮扶 panel
    with django_assert_max_num_queries(26):
        assert client.get(reverse("members:detail", args=[flag.member_id])).status_code == 200
