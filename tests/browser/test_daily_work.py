"""The daily work at a phone's size and a laptop's (issue: errors you can see, work that comes to you)."""
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.conftest import browser_login
from tests.factories import MemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 390, "height": 844}, "laptop": {"width": 1366, "height": 900}}


@pytest.fixture(params=sorted(SIZES))
def sized_page(request, chromium, live_server):
    context = chromium.new_context(locale="zh-CN", viewport=SIZES[request.param], base_url=live_server.url)
    context.set_default_timeout(15_000)
    page = context.new_page()
    page.size_name = request.param
    page.console_errors = []
    page.on("console", lambda message: message.type == "error" and page.console_errors.append(message.text))
    yield page
    context.close()


def _in_first_screen(page, selector):
    box = page.locator(selector).bounding_box()
    return box is not None and box["y"] >= 0 and box["y"] + min(box["height"], 40) <= page.viewport_size["height"]


def test_a_rejected_outflow_shows_every_problem_at_the_top_and_focuses_the_first(sized_page, tree, artifacts_dir):
    page = sized_page
    UserFactory(username="zhishu", organization=tree.branch_a1)
    member = MemberFactory(organization=tree.branch_a1, name="金明哲")
    browser_login(page, "zhishu")
    page.goto(f"/transfers/members/{member.pk}/outflow/")
    future = timezone.localdate() + timedelta(days=3)
    page.fill("input[name=talk_date]", future.isoformat())
    page.fill("input[name=talk_by]", "王支书")
    page.fill("input[name=departure_date]", (future + timedelta(days=7)).isoformat())
    page.select_option("select[name=purpose]", "work")
    page.fill("input[name=expected_months]", "0")
    page.fill("input.place-search", "sh")  # the picker finds 上海市 by its initials
    page.get_by_role("button", name="上海市", exact=True).click()
    page.fill("input[name=destination_address]", "上海市浦东新区张江路100号")
    page.select_option("select[name=destination_unit_kind]", "non_public_enterprise")
    page.select_option("select[name=former_occupation]", "farmer")
    page.fill("input[name=occupation]", "工厂操作工")
    page.select_option("select[name=trade]", "manufacturing")
    page.click("button:has-text('确认并报送审批')")
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    text = summary.inner_text()
    assert "行前谈话日期：该日期不能晚于今天。" in text and "不能小于 1" in text  # both in one round
    assert _in_first_screen(page, "[data-error-summary]")
    assert page.evaluate("document.activeElement.name") == "talk_date"
    page.screenshot(path=str(artifacts_dir / f"outflow_rejected_{page.size_name}.png"))
    page.click("[data-error-field=id_expected_months]")
    assert page.evaluate("document.activeElement.name") == "expected_months"
    assert page.console_errors == []  # a 200 answer, a favicon: nothing red in the console


def test_the_committee_finds_a_submitted_outflow_in_its_work(sized_page, tree, artifacts_dir):
    from accounts.roles import Role
    from tests.transfers.helpers import register

    page = sized_page
    secretary = UserFactory(username="zhishu", organization=tree.branch_a1, role=Role.BRANCH_SECRETARY)
    UserFactory(username="dangwei", organization=tree.town_a, role=Role.COMMITTEE_REVIEWER)
    outflow = register(MemberFactory(organization=tree.branch_a1, name="金明哲"), secretary)
    browser_login(page, "dangwei")
    page.goto("/")
    work = page.locator("[data-work=outflows_to_approve]")
    assert work.locator(".my-work-count").inner_text() == "1"
    assert _in_first_screen(page, "[data-work=outflows_to_approve]")
    page.screenshot(path=str(artifacts_dir / f"my_work_committee_{page.size_name}.png"))
    work.click()
    page.wait_for_url("**/outflows/?status=submitted")
    page.click("a:has-text('金明哲')")
    page.wait_for_url(f"**{outflow.get_absolute_url()}")
    page.goto("/notifications/")
    assert "待审批：金明哲的外出登记" in page.inner_text(".notification-list")


def test_the_member_list_is_cards_on_a_phone_with_the_pager_in_view(sized_page, tree, artifacts_dir, settings):
    from tests.factories import AwayMemberFactory

    page = sized_page
    UserFactory(username="zhishu", organization=tree.branch_a1)
    AwayMemberFactory.create_batch(settings.MEMBER_LIST_PAGE_SIZE + 5, organization=tree.branch_a1)
    browser_login(page, "zhishu")
    page.goto("/members/")
    first_row = page.locator("table.table-cards tbody tr").first
    phone = page.size_name == "phone"
    assert page.locator("table.table-cards thead").is_visible() is not phone
    assert (first_row.evaluate("row => getComputedStyle(row).display") == "flex") is phone
    assert _in_first_screen(page, ".pagination")  # the pager stays at the bottom of the screen
    # the page scrolls, nothing inside it does, and nothing is wider than the screen
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    if phone:
        wrap = page.locator(".table-wrap")
        assert wrap.evaluate("el => el.scrollHeight <= el.clientHeight")
        assert first_row.locator("td").nth(1).get_attribute("data-label") == "性别"
        page.mouse.wheel(0, 3000)
        assert _in_first_screen(page, ".pagination")
    page.screenshot(path=str(artifacts_dir / f"member_list_{page.size_name}.png"))
    # on a phone the filters after the search fold away, unless one of them is set
    more = page.locator("details[data-fold-on-phone]")
    assert more.evaluate("el => el.open") is not phone
    page.goto("/members/?mobility_status=outflow")
    assert more.evaluate("el => el.open")
    assert page.locator("details[data-fold-on-phone] select[name=mobility_status]").is_visible()
    if phone:
        assert more.locator("summary").inner_text() == "更多筛选（1）"
