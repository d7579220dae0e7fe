from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from activity_cards import services
from activity_cards.choices import CardStatus
from activity_cards.models import ActivityCard, CardVerification
from members.models import DuesPayment, OrganizationalLife
from tests.activity_cards.conftest import (
    ISSUE_FIELDS,
    card_outflow,
    issue_card,
    oversize_png_upload,
    png_upload,
    text_as_png_upload,
)
from tests.factories import AwayMemberFactory

pytestmark = pytest.mark.django_db

CARD_PAGES = ["detail", "print", "photo", "verify", "replace", "take_back"]
ENTRY_KINDS = ["life", "dues", "location", "remark"]


def _url(name, card, kind=None):
    if name == "entry":
        return reverse("activity_cards:entry", args=[card.pk, kind])
    return reverse(f"activity_cards:{name}", args=[card.pk])


def _issue_post(**overrides):
    data = {"issued_on": ISSUE_FIELDS["issued_on"].isoformat(), "photo_kind": "photo", "photo": png_upload()}
    data.update(overrides)
    return data


# --- permission matrix ------------------------------------------------------------

@pytest.mark.parametrize("name", CARD_PAGES)
def test_anonymous_is_sent_to_login(client, card, name):
    response = client.get(_url(name, card))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


@pytest.mark.parametrize("name", CARD_PAGES + ["entry"])
def test_third_organization_gets_404_for_every_card_page(client, card, secretary_c1, reviewer_c, name):
    client.force_login(reviewer_c)  # holds every card permission, but not over this card
    assert client.get(_url(name, card, "life")).status_code == 404
    client.force_login(secretary_c1)  # lacks the committee's permissions: 403 before any lookup
    assert client.get(_url(name, card, "life")).status_code == (403 if name == "replace" else 404)


@pytest.mark.parametrize("kind", ENTRY_KINDS)
def test_third_organization_cannot_write_on_the_card(client, card, secretary_c1, kind):
    client.force_login(secretary_c1)
    response = client.post(_url("entry", card, kind), {
        "attended_on": "2026-04-01", "kind": "party_class", "content": "党课", "first_month": "2026-03",
        "last_month": "2026-03", "amount": "10", "paid_on": "2026-03-02", "paid_where": "丙镇",
        "place": "某地", "contacted_on": "2026-04-01", "noted_on": "2026-04-01"})
    assert response.status_code == 404
    assert not OrganizationalLife.objects.exists() and not DuesPayment.objects.exists()
    assert card.events.count() == 1


def test_third_organization_cannot_take_back_or_verify(client, card, reviewer_c):
    client.force_login(reviewer_c)
    assert client.post(_url("take_back", card), {"status": "revoked", "on": "2026-10-01", "reason": "x"}).status_code == 404
    assert client.post(_url("verify", card), {"verified_on": "2026-10-01", "result": "passed"}).status_code == 404
    card.refresh_from_db()
    assert card.status == CardStatus.VALID and not CardVerification.objects.exists()


def test_third_organization_cannot_issue_for_the_member(client, member, reviewer_c):
    client.force_login(reviewer_c)
    url = reverse("activity_cards:issue", args=[card_outflow(member).pk])
    assert client.post(url, _issue_post()).status_code == 404
    assert not ActivityCard.objects.exists()


def test_branch_secretary_may_not_issue(client, member, secretary_a1):
    client.force_login(secretary_a1)
    assert client.get(reverse("activity_cards:issue", args=[card_outflow(member).pk])).status_code == 403


@pytest.mark.parametrize("name", CARD_PAGES)
def test_origin_gets_every_page(client, card, reviewer_a, name):
    client.force_login(reviewer_a)
    assert client.get(_url(name, card)).status_code == 200


@pytest.mark.parametrize("kind", ENTRY_KINDS)
def test_host_gets_the_entry_forms(client, card, secretary_b1, kind):
    client.force_login(secretary_b1)
    assert client.get(_url("entry", card, kind)).status_code == 200


def test_host_cannot_verify(client, card, secretary_b1):
    client.force_login(secretary_b1)
    assert client.post(_url("verify", card), {"verified_on": "2026-10-01", "result": "passed"}).status_code == 403
    assert not CardVerification.objects.exists()


# --- issuing through the page ---------------------------------------------------------

def test_committee_issues_a_card_with_a_photo(client, member, reviewer_a):
    client.force_login(reviewer_a)
    response = client.post(reverse("activity_cards:issue", args=[card_outflow(member).pk]), _issue_post())
    card = ActivityCard.objects.get()
    assert response.status_code == 302 and response.url == card.get_absolute_url()
    photo = client.get(_url("photo", card))
    assert photo.status_code == 200 and b"".join(photo.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize("make_upload, message", [
    (text_as_png_upload, "不是有效的图片"),
    (oversize_png_upload, "照片文件过大"),
])
def test_bad_photo_shows_the_error_next_to_the_field(client, member, reviewer_a, make_upload, message):
    client.force_login(reviewer_a)
    response = client.post(reverse("activity_cards:issue", args=[card_outflow(member).pk]),
                           _issue_post(photo=make_upload()))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "照片" in str(response.context["form"].errors["photo"][0]) or message in response.context["form"].errors["photo"][0]
    assert not ActivityCard.objects.exists()


def test_second_valid_card_is_refused_on_the_page(client, card, reviewer_a):
    client.force_login(reviewer_a)
    response = client.post(reverse("activity_cards:issue", args=[card.outflow_id]), _issue_post())
    assert response.status_code == 200
    assert "已有一张有效的活动证" in response.content.decode()
    assert ActivityCard.objects.count() == 1


def test_the_issue_page_shows_the_outflow_facts_instead_of_asking_again(client, member, reviewer_a):
    outflow = card_outflow(member, destination="上海市人民路1号")
    client.force_login(reviewer_a)
    response = client.get(reverse("activity_cards:issue", args=[outflow.pk]))
    page = response.content.decode()
    assert "上海市人民路1号" in page and "取自已批准的外出登记" in page
    assert set(response.context["form"].fields) == {"issued_on", "photo_kind", "photo"}


def test_verification_before_issue_is_refused_on_the_page(client, card, secretary_a1):
    client.force_login(secretary_a1)
    response = client.post(_url("verify", card), {"verified_on": "2026-01-01", "result": "passed"})
    assert response.status_code == 200
    assert "不能早于发证日期" in response.context["form"].errors["verified_on"][0]
    assert not CardVerification.objects.exists()


def test_replace_and_take_back_through_the_pages(client, card, reviewer_a):
    client.force_login(reviewer_a)
    response = client.post(_url("replace", card), {"replaced_on": "2026-11-01", "reason": ""})
    new = ActivityCard.objects.get(status=CardStatus.VALID)
    assert response.status_code == 302 and response.url == new.get_absolute_url()
    detail = client.get(_url("detail", new)).content.decode()
    assert card.number in detail  # the history is kept and linked
    response = client.post(_url("take_back", new), {"status": "returned", "on": "2026-11-10", "reason": "返回原籍"})
    new.refresh_from_db()
    assert response.status_code == 302 and new.status == CardStatus.RETURNED


def test_host_records_dues_on_the_card(client, card, secretary_b1):
    client.force_login(secretary_b1)
    response = client.post(_url("entry", card, "dues"), {
        "first_month": "2026-03", "last_month": "2026-04", "amount": "20", "paid_on": "2026-03-10",
        "paid_where": "乙一村党支部", "receipt_number": "R-9"})
    assert response.status_code == 302
    page = client.get(_url("detail", card)).content.decode()
    assert "R-9" in page and "不享有表决权、选举权和被选举权" in page


def test_host_records_a_back_payment_beyond_six_months_only_with_a_reason(client, card, secretary_b1):
    """中组发〔2008〕3号: back-payment up to 6 months at once; beyond it, issue 11 asks a written reason and a mark."""
    client.force_login(secretary_b1)
    data = {"first_month": "2026-03", "last_month": "2026-03", "amount": "10", "paid_on": "2026-10-10",
            "paid_where": "乙一村党支部"}  # October: March is the 7th month back
    response = client.post(_url("entry", card, "dues"), data)
    assert response.status_code == 200
    assert "须写明理由" in response.content.decode()
    response = client.post(_url("entry", card, "dues"), {**data, "back_payment_reason": "原支部2026年10月8日同意补交"})
    assert response.status_code == 302
    page = client.get(_url("detail", card)).content.decode()
    assert "超过6个月补交" in page and "2026年3月" in page


def test_origin_does_not_get_the_host_notice_but_the_printed_card_carries_it(client, card, reviewer_a):
    client.force_login(reviewer_a)
    assert "no-vote" not in client.get(_url("detail", card)).content.decode()
    printed = client.get(_url("print", card)).content.decode()
    assert "不享有表决权、选举权和被选举权" in printed and "card-print.css" in printed


def test_entry_with_bad_dates_shows_the_error(client, card, secretary_b1):
    client.force_login(secretary_b1)
    response = client.post(_url("entry", card, "location"), {
        "place": "上海", "contacted_on": "2026-05-01", "left_on": "2026-04-01"})
    assert response.status_code == 200
    assert "离开日期不能早于取得联系日期" in response.content.decode()


def test_unknown_entry_kind_is_404(client, card, secretary_b1):
    client.force_login(secretary_b1)
    assert client.get(_url("entry", card, "nonsense")).status_code == 404


# --- lists --------------------------------------------------------------------------

def test_upper_organization_lists_cards_filed_with_it(client, card, county_admin, reviewer_a):
    client.force_login(county_admin)
    response = client.get(reverse("activity_cards:list"), {"filed": "1"})
    assert [c.pk for c in response.context["page_obj"]] == [card.pk]
    client.force_login(reviewer_a)
    assert not list(client.get(reverse("activity_cards:list"), {"filed": "1"}).context["page_obj"])


def test_third_organization_lists_no_cards(client, card, reviewer_c):
    client.force_login(reviewer_c)
    assert card.number not in client.get(reverse("activity_cards:list")).content.decode()
    assert card.number not in client.get(reverse("activity_cards:due")).content.decode()


def _cards(tree, reviewer_a, n):
    for _ in range(n):
        issue_card(member=AwayMemberFactory(organization=tree.branch_a1, host_organization=tree.branch_b1),
                   acting_user=reviewer_a, photo=png_upload(), **{**ISSUE_FIELDS, "issued_on": date(2025, 6, 1)})


@pytest.mark.parametrize("url_name", ["activity_cards:list", "activity_cards:due"])
def test_card_lists_run_constant_queries(client, tree, reviewer_a, county_admin, django_assert_max_num_queries,
                                         url_name):
    _cards(tree, reviewer_a, 3)
    client.force_login(county_admin)
    with django_assert_max_num_queries(8) as few:
        assert client.get(reverse(url_name)).status_code == 200
    _cards(tree, reviewer_a, 9)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse(url_name))
    assert len(response.context["page_obj"]) == 12


def test_card_detail_runs_constant_queries(client, card, secretary_a1, secretary_b1, django_assert_max_num_queries):
    client.force_login(secretary_a1)
    with django_assert_max_num_queries(14) as few:
        client.get(_url("detail", card))
    for day in range(1, 6):
        services.card_life_add(card=card, acting_user=secretary_b1, attended_on=date(2026, 4, day),
                               kind="party_class", content="党课")
        services.card_remark_add(card=card, acting_user=secretary_b1, kind="good_deed", noted_on=date(2026, 4, day),
                                 content="好事")
    for name in ("detail", "print"):
        with django_assert_max_num_queries(len(few.captured_queries)):
            assert client.get(_url(name, card)).status_code == 200


def test_member_page_shows_the_card_panel_with_constant_queries(client, card, secretary_b1, reviewer_a,
                                                                 django_assert_max_num_queries):
    client.force_login(reviewer_a)
    page = client.get(reverse("members:detail", args=[card.member_id])).content.decode()
    assert card.number in page and "流动党员活动证与活动记录" in page
    assert reverse("activity_cards:issue", args=[card.outflow_id]) not in page  # already has a valid card
    with django_assert_max_num_queries(26) as few:  # as tests/members/test_views.py counts them
        client.get(reverse("members:detail", args=[card.member_id]))
    services.card_life_add(card=card, acting_user=secretary_b1, attended_on=date(2026, 4, 1),
                           kind="party_class", content="党课")
    services.card_dues_add(card=card, acting_user=secretary_b1, first_month=date(2026, 3, 1),
                           last_month=date(2026, 3, 1), amount=Decimal("5"), paid_on=date(2026, 3, 2),
                           paid_where="乙一村党支部")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("members:detail", args=[card.member_id]))


def test_member_page_offers_issue_to_the_committee_only(client, member, reviewer_a, secretary_a1):
    url = reverse("activity_cards:issue", args=[card_outflow(member).pk])
    client.force_login(reviewer_a)
    assert url in client.get(reverse("members:detail", args=[member.pk])).content.decode()
    client.force_login(secretary_a1)
    assert url not in client.get(reverse("members:detail", args=[member.pk])).content.decode()


# --- dues arrears list ----------------------------------------------------------------

def test_arrears_list_per_branch(client, tree, reviewer_a, secretary_b1, django_assert_max_num_queries):
    late = AwayMemberFactory(organization=tree.branch_a1, name="欠费甲", dues_paid_through=date(2026, 1, 1))
    AwayMemberFactory(organization=tree.branch_a1, name="按时乙", dues_paid_through=date(2026, 12, 1))
    other_branch = AwayMemberFactory(organization=tree.branch_a2, name="欠费丙", dues_paid_through=None)
    elsewhere = AwayMemberFactory(organization=tree.branch_b1, name="外镇丁", dues_paid_through=date(2025, 1, 1))
    client.force_login(reviewer_a)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("members:dues_arrears"))
    names = [m.name for m, _owed in response.context["rows"]]
    assert set(names) == {late.name, other_branch.name}
    response = client.get(reverse("members:dues_arrears"), {"branch": tree.branch_a1.pk})
    assert [m.name for m, _owed in response.context["rows"]] == [late.name]
    response = client.get(reverse("members:dues_arrears"), {"branch": tree.branch_b1.pk})  # not in the tree
    assert elsewhere.name not in response.content.decode()
