from datetime import date

import pytest

from accounts.roles import Role
from activity_cards.models import ActivityCard
from tests.activity_cards.conftest import card_outflow, media_root, png_bytes  # noqa: F401  (autouse media_root)
from tests.conftest import browser_login
from tests.factories import AwayMemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_committee_issues_a_card_and_prints_it_with_the_photo(page, tree, artifacts_dir, tmp_path):
    UserFactory(username="dangwei", organization=tree.town_a, role=Role.COMMITTEE_REVIEWER)
    member = AwayMemberFactory(organization=tree.branch_a1, name="金明哲", host_organization=tree.branch_b1,
                               departure_date=date(2026, 3, 1), expected_months=5)
    outflow = card_outflow(member)  # registered by the branch and approved for a card
    photo = tmp_path / "photo.png"
    photo.write_bytes(png_bytes(size=(300, 400), color=(40, 90, 160)))

    browser_login(page, "dangwei")
    page.goto(f"/transfers/outflows/{outflow.pk}/")
    page.click("text=发放活动证")
    assert "上海市人民路1号" in page.inner_text("body")  # the outflow's destination, not typed again
    page.fill("input[name=issued_on]", "2026-03-01")
    fake = tmp_path / "fake.png"
    fake.write_text("不是图片", encoding="utf-8")
    page.set_input_files("input[name=photo]", str(fake))
    page.click("button:has-text('提交')")
    error = page.locator(".field-error .error")
    assert "不是有效的图片" in error.inner_text()
    page.screenshot(path=str(artifacts_dir / "activity_card_issue_error.png"), full_page=True)
    assert not ActivityCard.objects.exists()
    page.set_input_files("input[name=photo]", str(photo))
    page.click("button:has-text('提交')")
    page.wait_for_url(lambda url: "/cards/" in url and "/issue/" not in url)
    card = ActivityCard.objects.get(member=member)
    assert card.number in page.content()

    page.click("text=打印活动证")
    page.wait_for_url(f"**/cards/{card.pk}/print/")
    image = page.locator("#card-photo")
    image.wait_for()
    page.wait_for_function("document.getElementById('card-photo').complete")
    assert image.evaluate("img => img.naturalWidth") == 300
    text = page.inner_text("body")
    assert "流动党员活动证" in text and card.number in text and "金明哲" in text
    assert "不享有表决权、选举权和被选举权" in text
    page.screenshot(path=str(artifacts_dir / "activity_card_print.png"), full_page=True)
    page.emulate_media(media="print")
    page.pdf(path=str(artifacts_dir / "activity_card_print_a5.pdf"), prefer_css_page_size=True, print_background=True)
