"""Print pages as headless chromium prints them: letters on A4, the card on A5, the right number of pages."""
import io

import pytest

from accounts.roles import Role
from tests.activity_cards.conftest import ISSUE_FIELDS, issue_card, media_root, png_upload  # noqa: F401
from tests.conftest import browser_login
from tests.factories import AwayMemberFactory, MemberFactory, UserFactory
from tests.transfers.helpers import register
from transfers.choices import Handling
from transfers.services import outflow_approve

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MM = 72 / 25.4  # PDF points per millimetre
A4, A5 = (210, 297), (148, 210)


def _pages(page, url):
    from pypdf import PdfReader

    page.goto(url)
    reader = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    return [(round(float(p.mediabox.width) / MM), round(float(p.mediabox.height) / MM)) for p in reader.pages]


@pytest.fixture
def people(tree):
    secretary = UserFactory(username="zhishu", organization=tree.branch_a1, role=Role.BRANCH_SECRETARY)
    reviewer = UserFactory(username="dangwei", organization=tree.town_a, role=Role.COMMITTEE_REVIEWER)
    return secretary, reviewer


def test_the_three_part_letter_prints_on_one_a4_sheet(page, people, tree, artifacts_dir):
    secretary, reviewer = people
    outflow = register(MemberFactory(organization=tree.branch_a1, name="金明哲"), secretary)
    outflow_approve(outflow=outflow, acting_user=reviewer)
    browser_login(page, "zhishu")
    letter = outflow.introduction_letter
    assert _pages(page, letter.get_absolute_url()) == [A4]
    text = page.inner_text("#letter")
    assert text.count("有效期至") == 1 and f"（{letter.valid_days}天）" in text
    page.emulate_media(media="print")
    cuts = [box["y"] for box in (cut.bounding_box() for cut in page.locator(".print-parts > .document-cut").all())]
    sheet = page.locator(".print-sheet").bounding_box()
    # the stub and the receipt are cut off at about a third and two thirds of the sheet
    assert [round(3 * (y - sheet["y"]) / sheet["height"], 1) for y in cuts] == pytest.approx([1, 2], abs=0.15)


def test_the_certificate_letter_prints_on_one_a4_sheet(page, people, tree):
    secretary, reviewer = people
    outflow = register(MemberFactory(organization=tree.branch_a1), secretary, handling=Handling.CERTIFICATE_LETTER,
                       override_reason="外出时间短，不转移组织关系", receiving_organization_name="")
    outflow_approve(outflow=outflow, acting_user=reviewer)
    browser_login(page, "zhishu")
    assert _pages(page, outflow.certificate_letter.get_absolute_url()) == [A4]


def test_the_activity_card_prints_on_a5_one_sheet_a_page(page, people, tree):
    _secretary, reviewer = people
    member = AwayMemberFactory(organization=tree.branch_a1, host_organization=tree.branch_b1)
    card = issue_card(member=member, acting_user=reviewer, photo=png_upload(), **ISSUE_FIELDS)
    browser_login(page, "dangwei")
    page.goto(f"/cards/{card.pk}/print/")
    sheets = page.locator("article.sheet").count()
    assert _pages(page, f"/cards/{card.pk}/print/") == [A5] * sheets
