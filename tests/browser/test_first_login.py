"""In a real browser: an account made by the county admin must set its own password before anything else."""
import re

import pytest

from accounts.models import User
from accounts.roles import Role
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_new_account_slip_then_forced_password_change(page, tree, county_admin, artifacts_dir):
    county_admin.username = "zuzhibu"
    county_admin.save()
    browser_login(page, "zuzhibu")
    page.click("text=账号管理")
    page.click("text=新建账号")
    page.fill("input[name=username]", "wangshuji")
    page.fill("input[name=full_name]", "王书记")
    page.fill("input[name=phone]", "13812345678")
    page.select_option("select[name=organization]", str(tree.branch_a1.pk))
    page.select_option("select[name=role]", Role.BRANCH_SECRETARY)
    page.click("button:has-text('确定')")
    password = page.locator(".slip-password").inner_text().strip()
    assert re.fullmatch(r"[A-Za-z0-9]{10}", password)
    page.screenshot(path=str(artifacts_dir / "account_slip.png"), full_page=True)
    page.reload()  # the slip cannot be reopened: reloading sends the form again, which is refused
    assert password not in page.content() and "已被使用" in page.content()
    page.goto("/county/accounts/")
    assert password not in page.content()

    page.context.clear_cookies()
    browser_login(page, "wangshuji", password)
    assert "/accounts/password/" in page.url
    assert "请先设置自己的新密码" in page.content()
    page.goto("/members/")
    assert "/accounts/password/" in page.url  # every page leads back here
    page.fill("input[name=old_password]", password)
    page.fill("input[name=new_password1]", "onlyletters")
    page.fill("input[name=new_password2]", "onlyletters")
    page.click("button:has-text('保存新密码')")
    assert "字母和数字" in page.locator(".field-error").first.inner_text()
    page.fill("input[name=old_password]", password)
    page.fill("input[name=new_password1]", "Cunzhishu2027")
    page.fill("input[name=new_password2]", "Cunzhishu2027")
    page.click("button:has-text('保存新密码')")
    page.wait_for_url("**/accounts/password/done/")
    page.goto("/members/")
    assert "/members/" in page.url and "/accounts/password/" not in page.url
    assert not User.objects.get(username="wangshuji").must_change_password
