"""A temporary branch's leader records help for a member on a phone (390×844)."""
import pytest
from django.utils import timezone

from accounts.roles import Role
from assistance.choices import HelpStatus
from assistance.models import HelpRequest
from members.models import ContactAttempt
from tests.conftest import browser_login
from tests.factories import AwayMemberFactory, OrganizationFactory, UserFactory
from organizations.choices import OrganizationKind

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_leader_records_a_help_request_and_a_visit_on_a_phone(chromium, live_server, tree, artifacts_dir):
    branch = OrganizationFactory(parent=tree.town_a, name="甲一村驻上海临时党支部", kind=OrganizationKind.TEMPORARY_BRANCH)
    UserFactory(username="linshi", organization=branch, role=Role.TEMPORARY_BRANCH_LEADER)
    member = AwayMemberFactory(organization=tree.branch_a1, host_organization=branch, name="朴成浩")
    context = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, base_url=live_server.url,
                                   is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    browser_login(page, "linshi")
    page.goto(member.get_absolute_url())
    page.click("text=登记困难帮扶")
    page.select_option("select[name=kind]", "wages_owed")
    page.fill("textarea[name=text]", "工地拖欠3个月工资，约1.2万元")
    page.select_option("select[name=source]", "member")
    page.click("button:has-text('保存')")
    page.wait_for_selector("text=困难帮扶已登记。")
    # the page fits the phone: nothing wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.select_option("#action-form select[name=kind]", "visit")
    page.fill("#action-form input[name=done_by]", "负责人 朴某")
    page.fill("#action-form textarea[name=what_done]", "到工地了解情况，陪同找项目负责人协商")
    page.click("button:has-text('保存帮扶记录')")
    page.wait_for_selector("text=帮扶记录已保存。")
    page.fill("#resolve-form textarea[name=outcome]", "工资已全部追回")
    page.click("#resolve-form button:has-text('已解决')")
    page.wait_for_selector("text=已标记为解决。")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts_dir / "help_on_a_phone.png"), full_page=True)
    request = HelpRequest.objects.get(member=member)
    assert request.status == HelpStatus.SOLVED and request.solved_on == timezone.localdate()
    assert request.recorded_by == branch and request.actions.get().contact == ContactAttempt.objects.get()
    context.close()
