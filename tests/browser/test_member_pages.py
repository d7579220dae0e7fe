import pytest

from tests.conftest import browser_login
from tests.factories import AwayMemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_logs_in_finds_a_member_and_sees_missing_facts(page, tree, artifacts_dir):
    UserFactory(username="zhishu", organization=tree.branch_a1)
    AwayMemberFactory(organization=tree.branch_a1, name="金明哲", destination_address="")
    AwayMemberFactory(organization=tree.branch_b1, name="外镇党员")
    browser_login(page, "zhishu")
    page.click("text=党员名册")
    page.fill("input[name=q]", "金明")
    page.click("button:has-text('查询')")
    assert page.locator("tbody tr").count() == 1
    assert "外镇党员" not in page.content()
    page.click("text=金明哲")
    assert page.locator(".alert-warning").inner_text().find("流入地址") >= 0
    page.screenshot(path=str(artifacts_dir / "member_detail.png"), full_page=True)
