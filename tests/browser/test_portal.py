"""On a phone (390×844): the member opens the link, reports; the secretary accepts and declines; refused links.

Every request the member's page makes is recorded: none goes to a host other than ours.
"""
from urllib.parse import urlsplit

import pytest

from accounts.roles import Role
from members.choices import ContactChannel, MobilityStatus
from members.models import ContactAttempt, DuesPayment, Member
from portal.links import portal_link_issue
from portal.models import Submission
from tests.activity_cards.conftest import png_bytes
from tests.conftest import browser_login
from tests.factories import AwayMemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def phone(chromium, live_server):
    context = chromium.new_context(locale="zh-CN", viewport=PHONE, is_mobile=True, has_touch=True,
                                   base_url=live_server.url)
    context.set_default_timeout(15_000)
    hosts = set()
    context.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page = context.new_page()
    page.hosts = hosts
    yield page
    context.close()


def test_member_reports_from_a_phone_and_the_secretary_handles_it(phone, page, tree, artifacts_dir, tmp_path,
                                                                  live_server, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    secretary = UserFactory(username="shuji", first_name="李书记", organization=tree.branch_a1,
                            role=Role.BRANCH_SECRETARY)
    member = AwayMemberFactory(organization=tree.branch_a1, name="金明哲")
    link = portal_link_issue(member=member, acting_user=secretary)
    photo = tmp_path / "page1.png"
    photo.write_bytes(png_bytes(size=(600, 800), color=(240, 240, 230)))

    phone.goto(f"/m/{link.token}/")
    phone.fill("input[name=birth_date]", "1900-01-01")
    phone.fill("input[name=id_last4]", member.id_number[-4:])
    phone.click("button:has-text('进入')")
    assert "还可以试4次" in phone.inner_text("body")
    phone.fill("input[name=birth_date]", member.birth_date.isoformat())
    phone.fill("input[name=id_last4]", member.id_number[-4:])
    phone.click("button:has-text('进入')")
    phone.wait_for_url("**/home/")
    assert "金明哲同志，您好" in phone.inner_text("body") and member.id_number not in phone.content()
    assert phone.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    phone.screenshot(path=str(artifacts_dir / "portal_home_phone.png"), full_page=True)
    phone.set_viewport_size({"width": 360, "height": 740})  # a small phone: still one column, no sideways scroll
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
    phone.set_viewport_size(PHONE)

    phone.click("text=确认或更正")
    phone.select_option("select[name=destination_division_id]", "320500")  # 江苏省苏州市
    phone.click("button:has-text('发送给支部')")
    assert "已发送" in phone.inner_text("body")
    phone.click("text=返回我的页面")
    phone.click("text=交思想汇报")
    phone.fill("textarea[name=text]", "外出期间坚持学习，按时参加流入地组织生活。")
    phone.set_input_files("input[name=photos]", str(photo))
    phone.click("button:has-text('发送给支部')")
    assert "已发送" in phone.inner_text("body")
    phone.click("text=返回我的页面")
    phone.click("text=报告交纳党费")
    month = member.dues_start_month.strftime("%Y-%m")
    phone.fill("input[name=first_month]", month)
    phone.fill("input[name=last_month]", month)
    phone.fill("input[name=amount]", "20")
    phone.fill("input[name=paid_on]", member.dues_start_month.replace(day=20).isoformat())
    phone.fill("input[name=paid_where]", "上海某党支部")
    phone.fill("input[name=receipt_number]", "SH-0001")
    phone.click("button:has-text('发送给支部')")
    assert "已发送" in phone.inner_text("body")
    assert phone.hosts == {urlsplit(live_server.url).netloc}  # nothing from a third-party host

    browser_login(page, "shuji")
    page.goto("/portal/inbox/")
    assert "3" in page.inner_text(".menu-count")
    details = page.locator("article", has_text="现居住地和联系方式")
    assert "上海市 → 江苏省苏州市" in details.inner_text()
    details.get_by_role("button", name="采纳", exact=True).click()
    assert "已采纳" in page.inner_text(".messages")
    dues = page.locator("article", has_text="交纳党费")
    dues.locator("input[name=reason]").fill("收据编号与流入地登记不符，请核对")
    dues.locator("button:has-text('不采纳')").click()
    thought = page.locator("article", has_text="思想汇报")
    thought.locator("img.thumb").wait_for()
    page.screenshot(path=str(artifacts_dir / "portal_inbox.png"), full_page=True)

    member.refresh_from_db()
    assert member.destination_city == "苏州市"
    assert member.history.latest().history_change_reason == "党员本人报告，经李书记确认"
    assert not DuesPayment.objects.filter(member=member).exists()
    assert Submission.objects.get(kind=Submission.Kind.DUES).status == Submission.Status.DECLINED
    contact = ContactAttempt.objects.get(member=member)
    assert contact.channel == ContactChannel.SELF_REPORT and contact.reached
    page.goto(member.get_absolute_url())
    body = page.inner_text("body")
    assert "苏州市" in body and "党员本人报告" in body  # the record and its contact log

    phone.goto(f"/m/{link.token}/home/")
    assert "未采纳" in phone.inner_text("body") and "收据编号与流入地登记不符" in phone.inner_text("body")


def test_revoked_and_returned_members_links_are_refused_in_chinese(phone, tree):
    secretary = UserFactory(organization=tree.branch_a1, role=Role.BRANCH_SECRETARY)
    revoked = portal_link_issue(member=AwayMemberFactory(organization=tree.branch_a1), acting_user=secretary)
    portal_link_issue(member=revoked.member, acting_user=secretary)
    phone.goto(f"/m/{revoked.token}/")
    assert "这个链接已经停用" in phone.inner_text("body")
    returned = portal_link_issue(member=AwayMemberFactory(organization=tree.branch_a1), acting_user=secretary)
    Member.objects.filter(pk=returned.member_id).update(mobility_status=MobilityStatus.RETURNED)
    phone.goto(f"/m/{returned.token}/")
    assert "您已返回或组织关系已经转接" in phone.inner_text("body")
    phone.set_viewport_size({"width": 360, "height": 740})
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
