"""The membership lifecycle in the browser: the branch proposes, the committee decides with its document.

Issue 11: "Every change of status goes through one service that checks who may decide it (branch
proposes, committee decides), records the decision document's number and date, and writes history."
党章第七条: 预备期可以延长，但不能超过一年 (once); seed 4 §二(七): 经流出地党支部党员大会讨论，并报上级
组织批准，可对其作出延长预备期的处理或取消其预备党员资格.
"""
from datetime import timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accounts.roles import Role
from members.choices import DecisionStatus, MembershipStatus, MembershipType
from members.models import Member, MembershipDecision
from tests.conftest import browser_login
from tests.factories import MemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def users(tree):
    UserFactory(username="zhishu", organization=tree.branch_a1, role=Role.BRANCH_SECRETARY)
    UserFactory(username="dangwei", organization=tree.town_a, role=Role.COMMITTEE_REVIEWER)


def _propose(page, member, kind, reason, **fields):
    page.goto(member.get_absolute_url())
    page.click("a:has-text('提出党籍处理或转正意见')")
    page.select_option("select[name=kind]", kind)
    page.fill("textarea[name=reason]", reason)
    for name, value in fields.items():
        page.fill(f"input[name={name}]", value)
    page.click("button:has-text('提交')")


def _decide(page, member, number, on):
    page.goto(member.get_absolute_url())
    page.click("a.btn:has-text('审批')")
    page.check("input[name=decision][value=approve]")
    page.fill("input[name=decided_on]", on.isoformat())
    page.fill("input[name=document_number]", number)
    page.click("button:has-text('提交')")
    page.locator(".message").filter(has_text="已审批").wait_for()


def test_a_status_change_is_proposed_by_the_branch_and_decided_by_the_committee(page, tree, users, artifacts_dir):
    member = MemberFactory(organization=tree.branch_a1, name="朴成浩")
    today = timezone.localdate()
    browser_login(page, "zhishu")
    _propose(page, member, "suspend", "失去联系6个月以上，多次联系未果")
    page.locator(".message").filter(has_text="已报党(工)委审批").wait_for()
    page.context.clear_cookies()
    browser_login(page, "dangwei")
    page.goto(member.get_absolute_url())
    page.click("a.btn:has-text('审批')")
    page.check("input[name=decision][value=approve]")
    page.fill("input[name=decided_on]", today.isoformat())
    page.click("button:has-text('提交')")
    page.locator(".field-error .error").filter(has_text="请填写决定文书编号").wait_for()
    page.fill("input[name=document_number]", "镇党委〔2026〕12号")
    page.click("button:has-text('提交')")
    page.locator(".message").filter(has_text="已审批").wait_for()
    panel = page.content()
    assert "停止党籍" in panel and "镇党委〔2026〕12号" in panel
    page.screenshot(path=str(artifacts_dir / "membership_decided.png"), full_page=True)
    member.refresh_from_db()
    assert (member.membership_status, member.membership_status_since) == (MembershipStatus.SUSPENDED, today)


def test_probation_is_extended_once_and_refused_a_second_time(page, tree, users, artifacts_dir):
    today = timezone.localdate()
    member = MemberFactory(organization=tree.branch_a1, name="崔美兰", membership_type=MembershipType.PROBATIONARY,
                           probation_end_date=today - timedelta(days=1))
    extended_to = member.probation_end_date + relativedelta(months=6)
    browser_login(page, "zhishu")
    _propose(page, member, "extend_probation", "支部党员大会讨论，延长预备期六个月",
             meeting_on=today.isoformat(), new_probation_end_date=extended_to.isoformat())
    page.locator(".message").filter(has_text="已报党(工)委审批").wait_for()
    page.context.clear_cookies()
    browser_login(page, "dangwei")
    _decide(page, member, "镇党委〔2026〕13号", today)
    member.refresh_from_db()
    assert (member.probation_end_date, member.membership_type) == (extended_to, MembershipType.PROBATIONARY)
    page.context.clear_cookies()
    browser_login(page, "zhishu")
    _propose(page, member, "extend_probation", "再次延长", meeting_on=today.isoformat(),
             new_probation_end_date=(extended_to + relativedelta(months=3)).isoformat())
    page.locator("body").filter(has_text="预备期只能延长一次").wait_for()
    page.screenshot(path=str(artifacts_dir / "probation_second_extension_refused.png"), full_page=True)
    assert MembershipDecision.objects.filter(member=member, status=DecisionStatus.PROPOSED).count() == 0
    assert Member.objects.get(pk=member.pk).probation_end_date == extended_to
