import pytest
from django.core.management import call_command

from accounts.models import User
from reports.periods import Quarter
from reports.services import report_start, report_submit, report_update
from tests.conftest import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "pass-12345-word"


def test_committee_returns_a_report_and_the_secretary_sees_the_comment(page, chromium, live_server, artifacts_dir):
    call_command("seed_demo", members=60, password=PASSWORD, stdout=open("/dev/null", "w"))
    secretary = User.objects.get(username="secretary")
    branch = secretary.organization
    report = report_start(organization=branch, quarter=Quarter.last_completed(), acting_user=secretary)
    report = report_update(report=report, acting_user=secretary, work_done="电话联系外出党员8人", problems="有2人联系不上")
    report_submit(report=report, acting_user=secretary)

    browser_login(page, "committee", PASSWORD)
    page.click("nav.sidebar >> text=报告审核")
    row = page.locator(f"tr[data-org='{branch.name}']")
    assert "已提交" in row.inner_text()
    assert page.locator("tr.overdue").count() >= 1  # the other branches have not filed
    page.screenshot(path=str(artifacts_dir / "report_review.png"), full_page=True)
    row.locator("text=审核").click()
    page.fill("textarea[name=comment]", "请补充走访慰问的人次")
    page.click("button:has-text('退回修改')")
    page.click("dialog[open] [data-confirm-ok]")  # returning asks first
    page.wait_for_url("**/reports/review/**")
    assert "已退回" in page.locator(f"tr[data-org='{branch.name}']").inner_text()

    context = chromium.new_context(locale="zh-CN", base_url=live_server.url)
    secretary_page = context.new_page()
    browser_login(secretary_page, "secretary", PASSWORD)
    secretary_page.click("nav.sidebar >> text=季度报告")
    secretary_page.click(f"text={Quarter.last_completed().label}")
    assert "请补充走访慰问的人次" in secretary_page.locator(".review-comment").inner_text()
    secretary_page.click("text=修改并重新提交")
    assert "请补充走访慰问的人次" in secretary_page.locator(".review-comment").inner_text()
    secretary_page.screenshot(path=str(artifacts_dir / "report_returned.png"), full_page=True)
    context.close()
