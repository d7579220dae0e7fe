"""The host records an agreement's exchange on a phone (390×844): the form fits, the answers are tappable."""
from datetime import date

import pytest

from accounts.roles import Role
from cooperation.models import Exchange
from cooperation.services import agreement_create, agreement_set_members
from organizations.choices import OrganizationKind
from tests.conftest import browser_login
from tests.factories import AwayMemberFactory, OrganizationFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_host_records_an_exchange_on_a_phone(chromium, live_server, tree, artifacts_dir):
    reviewer = UserFactory(organization=tree.town_a, role=Role.COMMITTEE_REVIEWER)
    host = OrganizationFactory(parent=tree.town_b, name="浦东园区党支部", kind=OrganizationKind.BRANCH)
    UserFactory(username="liuru", organization=host, role=Role.BRANCH_SECRETARY)
    members = [AwayMemberFactory(organization=tree.branch_a1, name=name, host_organization=host)
               for name in ("金明哲", "朴英姬")]
    agreement = agreement_create(
        acting_user=reviewer, origin_organization=tree.town_a, host_organization=host, host_place="上海市浦东新区",
        host_contact_person="周书记", host_contact_phone="02112345678", starts_on=date(2026, 1, 10),
        ends_on=date(2099, 1, 9), origin_duties="行中联系", host_duties="协助管理")
    agreement_set_members(agreement=agreement, members=members, acting_user=reviewer)

    context = chromium.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, base_url=live_server.url,
                                   is_mobile=True, has_touch=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    browser_login(page, "liuru")
    page.goto(agreement.get_absolute_url())
    page.click("text=登记信息互通")
    page.select_option("select[name=period]", "2026-01-01")
    page.fill("input[name=recorded_on]", "2026-04-03")
    first = page.locator("fieldset.exchange-member").filter(has_text="金明哲")
    first.get_by_label("参加组织生活").check()
    first.get_by_label("缴纳党费").check()
    first.locator("input[type=text]").fill("在园区党支部参加主题党日")
    # Nothing wider than the phone: the page does not scroll sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=str(artifacts_dir / "cooperation_exchange_phone.png"), full_page=True)
    page.click("button:has-text('保存')")
    page.wait_for_url(f"**{agreement.get_absolute_url()}")
    assert "在园区党支部参加主题党日" in page.content()
    entry = Exchange.objects.get().entries.get(member=members[0])
    assert entry.took_part_in_life and entry.paid_dues and not entry.met
    context.close()
