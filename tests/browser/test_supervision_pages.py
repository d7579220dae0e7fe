from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from jobs.models import InactivityFlag
from jobs.scans import inactivity_scan
from members.models import Member
from tests.conftest import browser_login
from tests.factories import AwayMemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_secretary_follows_the_bell_to_a_flag_and_records_the_talk(page, tree, artifacts_dir):
    UserFactory(username="zhishu", organization=tree.branch_a1)
    member = AwayMemberFactory(organization=tree.branch_a1, name="金明哲", dues_paid_through=date(2030, 1, 1))
    Member.objects.filter(pk=member.pk).update(created_at=datetime(2020, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai")))
    inactivity_scan(today=date(2026, 11, 25))
    browser_login(page, "zhishu")
    assert page.locator(".bell-count").inner_text() == "1"
    page.click(".bell")
    page.click("button:has-text('标为已读')")
    assert page.locator(".bell-count").count() == 0
    page.click("nav.sidebar >> text=不活跃提示")
    page.click("text=金明哲")
    page.fill("input[name='talk-talk_on']", "2026-11-20")
    page.fill("textarea[name='talk-talk_notes']", "谈心谈话，本人表示下月起按时参加组织生活。")
    page.click("button:has-text('提交') >> nth=0")
    page.wait_for_selector("text=已登记谈话教育。")
    page.screenshot(path=str(artifacts_dir / "flag_detail.png"), full_page=True)
    assert InactivityFlag.objects.get(member=member).talk_on == date(2026, 11, 20)
