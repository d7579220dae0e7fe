"""The activity card follows the outflow.

Seed 3 (the card notice): "《流动党员活动证》由基层党委负责发放。发放时，要登记造冊，详细登记持证外出党员的
姓名、所在支部、发证时间、外出原因、外出地点、外出时间等情况" — the reason, place and time are those the
outflow registered. "《流动党员活动证》一般应贴本人近期免冠一寸照片……特殊情况未贴照片的，应与本人的居民身份证
同时使用。"

Issue 11: "A card is issued from an approved outflow whose handling is 发放活动证 …; an approved
outflow with that handling and no card after 30 days is a reminder to the issuing committee; a
card cannot be issued to a member at home."
"""
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from accounts.roles import Role
from activity_cards.choices import PhotoKind
from activity_cards.services import card_issue
from jobs.document_deadlines import card_not_issued_notify
from jobs.windows import SHANGHAI
from members.choices import MobilityStatus
from members.models import Member
from notifications.choices import NotificationKind
from notifications.models import Notification
from tests.activity_cards.conftest import card_outflow, png_upload
from tests.factories import AwayMemberFactory, UserFactory
from tests.transfers.helpers import register
from transfers.choices import Handling, StepAction
from transfers.models import OutflowStep

pytestmark = pytest.mark.django_db


def test_the_card_copies_purpose_destination_and_departure_from_the_outflow(member, reviewer_a):
    outflow = card_outflow(member, destination="上海市浦东新区人民路1号", departure_date=date(2026, 3, 5),
                           expected_months=5, reason="建筑工人")
    card = card_issue(outflow=outflow, acting_user=reviewer_a, issued_on=date(2026, 3, 6), photo=png_upload())
    assert (card.outflow, card.purpose, card.departure_date, card.expected_months) == (
        outflow, outflow.purpose, date(2026, 3, 5), 5)
    assert "上海市浦东新区人民路1号" in card.destination and card.reason == "建筑工人"


@pytest.mark.parametrize("case, message", [
    ("not_approved", "已批准"),
    ("other_handling", "发放流动党员活动证"),
    ("at_home", "在家"),
])
def test_a_card_needs_an_approved_card_outflow_and_a_member_away(tree, member, secretary_a1, reviewer_a, case,
                                                                message):
    if case == "not_approved":
        outflow = register(member, secretary_a1, handling=Handling.ACTIVITY_CARD, override_reason="暂不能转")
    elif case == "other_handling":
        outflow = register(member, secretary_a1)  # a transfer
        from transfers.services import outflow_approve
        outflow_approve(outflow=outflow, acting_user=reviewer_a)
    else:
        outflow = card_outflow(member)
        Member.objects.filter(pk=member.pk).update(mobility_status=MobilityStatus.AT_HOME)
    with pytest.raises(ValidationError, match=message):
        card_issue(outflow=outflow, acting_user=reviewer_a, issued_on=date(2026, 3, 1), photo=png_upload())


def test_an_id_card_copy_may_stand_in_for_the_photo_and_the_print_page_says_so(client, member, reviewer_a):
    card = card_issue(outflow=card_outflow(member), acting_user=reviewer_a, issued_on=date(2026, 3, 1),
                      photo=png_upload(), photo_kind=PhotoKind.ID_CARD_COPY)
    client.force_login(reviewer_a)
    page = client.get(reverse("activity_cards:print", args=[card.pk])).content.decode()
    assert "居民身份证复印件" in page and "同时使用" in page
    photo_card = card_issue(outflow=card_outflow(AwayMemberFactory(organization=member.organization)),
                            acting_user=reviewer_a, issued_on=date(2026, 3, 1), photo=png_upload())
    page = client.get(reverse("activity_cards:print", args=[photo_card.pk])).content.decode()
    assert "居民身份证复印件" not in page


def test_the_approved_outflow_page_offers_the_card_to_whoever_may_issue(client, member, reviewer_a, secretary_a1):
    outflow = card_outflow(member)
    url = reverse("activity_cards:issue", args=[outflow.pk])
    client.force_login(reviewer_a)
    assert url in client.get(outflow.get_absolute_url()).content.decode()
    client.force_login(secretary_a1)  # a branch does not issue cards
    assert url not in client.get(outflow.get_absolute_url()).content.decode()
    card_issue(outflow=outflow, acting_user=reviewer_a, issued_on=date(2026, 3, 1), photo=png_upload())
    client.force_login(reviewer_a)
    assert url not in client.get(outflow.get_absolute_url()).content.decode()  # issued already


def _approved_on(outflow, day):
    OutflowStep.objects.filter(outflow=outflow, action=StepAction.APPROVED).update(
        at=datetime(day.year, day.month, day.day, 10, 0, tzinfo=SHANGHAI))


@pytest.mark.parametrize("days_after, due", [(30, False), (31, True)])
def test_no_card_30_days_after_approval_reminds_the_committee(tree, member, reviewer_a, secretary_a1, days_after,
                                                              due):
    outflow = card_outflow(member)
    _approved_on(outflow, date(2026, 10, 1))
    reviewer_b = UserFactory(organization=tree.town_b, role=Role.COMMITTEE_REVIEWER)
    today = date(2026, 10, 1) + timedelta(days=days_after)
    assert (card_not_issued_notify(today) > 0) == due
    reminded = set(Notification.objects.filter(kind=NotificationKind.CARD_NOT_ISSUED)
                   .values_list("recipient_id", flat=True))
    assert (reviewer_a.pk in reminded) == due
    assert reviewer_b.pk not in reminded and secretary_a1.pk not in reminded


def test_the_card_reminder_is_sent_once_a_month_and_stops_with_the_card(member, reviewer_a,
                                                                      django_assert_max_num_queries):
    outflow = card_outflow(member)
    _approved_on(outflow, date(2026, 9, 1))
    with django_assert_max_num_queries(4):
        first = card_not_issued_notify(date(2026, 10, 15))
    assert first >= 1
    assert card_not_issued_notify(date(2026, 10, 16)) == 0  # idempotent within the month
    card_issue(outflow=outflow, acting_user=reviewer_a, issued_on=date(2026, 10, 20), photo=png_upload())
    assert card_not_issued_notify(date(2026, 11, 15)) == 0


def test_a_member_who_holds_a_valid_card_is_awaiting_none(member, reviewer_a, client):
    """One definition of an outflow awaiting its card (``outflows_awaiting_card``) for the outflow page's
    button and the 30-day reminder: a member who already holds a valid card - here one issued before cards
    followed outflows - is awaiting none; once that card is revoked, the reminder comes again."""
    from activity_cards.models import ActivityCard
    from activity_cards.services import card_take_back

    outflow = card_outflow(member)
    _approved_on(outflow, date(2026, 9, 1))
    old = card_issue(outflow=outflow, acting_user=reviewer_a, issued_on=date(2026, 3, 1), photo=png_upload())
    ActivityCard.objects.filter(pk=old.pk).update(outflow=None)
    client.force_login(reviewer_a)
    button = reverse("activity_cards:issue", args=[outflow.pk])
    assert button not in client.get(outflow.get_absolute_url()).content.decode()
    assert card_not_issued_notify(date(2026, 10, 15)) == 0
    card_take_back(card=old, acting_user=reviewer_a, on=date(2026, 10, 20), reason="遗失，注销", status="revoked")
    assert card_not_issued_notify(date(2026, 11, 15)) >= 1
    assert button in client.get(outflow.get_absolute_url()).content.decode()
