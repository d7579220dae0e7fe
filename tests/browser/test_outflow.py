from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from members.models import Member
from tests.conftest import browser_login
from transfers.models import IntroductionLetter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_registers_a_transfer_and_opens_the_letter(page, artifacts_dir):
    call_command("seed_demo", members=80, password="pass-12345-word", stdout=open("/dev/null", "w"))
    member = Member.objects.filter(organization__users__username="secretary").order_by("id").first()
    browser_login(page, "secretary")
    page.goto(member.get_absolute_url())
    page.click(".panel-actions a:has-text('外出登记')")
    today = timezone.localdate()
    page.fill("input[name=talk_date]", today.isoformat())
    page.fill("input[name=talk_by]", "百草沟村党支部书记")
    page.fill("input[name=departure_date]", (today + timedelta(days=7)).isoformat())
    page.select_option("select[name=purpose]", "work")
    page.fill("input[name=expected_months]", "8")
    page.fill("input.place-search", "sh")  # the picker finds 上海市 by its initials
    page.get_by_role("button", name="上海市", exact=True).click()
    page.fill("input[name=destination_address]", "上海市浦东新区张江路100号")
    page.fill("input[name=host_unit]", "上海某电子厂")
    page.check("input[name=fixed_place]")
    page.check("input[name=can_transfer]")
    page.check("input[name=unit_has_party_org]")
    page.select_option("select[name=destination_unit_kind]", "non_public_enterprise")
    page.select_option("select[name=former_occupation]", "farmer")
    page.fill("input[name=occupation]", "工厂操作工")
    page.select_option("select[name=trade]", "manufacturing")
    label = page.locator("#recommendation-label")
    label.filter(has_text="转移组织关系").wait_for()
    page.locator("#recommendation-destination").filter(has_text="上海某电子厂党组织").wait_for()
    page.screenshot(path=str(artifacts_dir / "outflow_form.png"), full_page=True)
    page.click("button:has-text('确认并报送审批')")
    page.wait_for_url("**/transfers/letters/**")
    letter = IntroductionLetter.objects.get(outflow__member=member)
    assert page.locator("h1").first.inner_text().startswith("中国共产党党员组织关系介绍信")
    assert letter.number in page.content()
    assert "上海某电子厂党组织" in page.locator("#letter").inner_text()
    page.screenshot(path=str(artifacts_dir / "introduction_letter.png"), full_page=True)


def test_committee_approves_and_the_member_page_shows_the_timeline(page, tree, artifacts_dir):
    from accounts.roles import Role
    from tests.factories import MemberFactory, UserFactory
    from tests.transfers.helpers import register

    secretary = UserFactory(username="zhishu", organization=tree.branch_a1, role=Role.BRANCH_SECRETARY)
    UserFactory(username="dangwei", organization=tree.town_a, role=Role.COMMITTEE_REVIEWER)
    member = MemberFactory(organization=tree.branch_a1, name="金明哲")
    outflow = register(member, secretary)
    browser_login(page, "dangwei")
    page.goto(outflow.get_absolute_url())
    page.click("button:has-text('审批通过')")
    dialog = page.locator("dialog[open]")
    assert "审批通过金明哲的外出登记" in dialog.inner_text()  # an important action asks first
    dialog.locator("button:has-text('取消')").click()
    assert page.locator("dialog[open]").count() == 0 and outflow.steps.count() == 1  # nothing sent
    page.click("button:has-text('审批通过')")
    page.click("dialog[open] [data-confirm-ok]")
    page.locator(".message").filter(has_text="已审批通过").wait_for()
    page.screenshot(path=str(artifacts_dir / "outflow_detail.png"), full_page=True)
    page.goto(member.get_absolute_url())
    timeline = page.locator("ol.timeline", has_text="党(工)委审批通过").inner_text()  # the outflow's, not the help records'
    assert "党(工)委审批通过" in timeline and "开具组织关系介绍信" in timeline
    page.screenshot(path=str(artifacts_dir / "member_timeline.png"), full_page=True)
