"""The card is taken back when the member's time away ends (return or transfer)."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from activity_cards.choices import CardStatus
from activity_cards.models import ActivityCard
from transfers import services as transfers
from tests.transfers.helpers import register
from transfers.models import Outflow

pytestmark = pytest.mark.django_db


CHECKED = {"card_checked_on": date(2026, 11, 20), "card_taken_back_on": date(2026, 11, 21),
           "report_heard_on": date(2026, 11, 22)}


def test_return_takes_the_card_back_on_its_recorded_date(card, member, secretary_a1):
    """活动证通知: 党员外出回来后，原党组织要查验《流动党员活动证》，听取党员汇报外出期间的工作和思想情况.
    The card belongs to its outflow: the return registered on that outflow takes it back."""
    outflow = card.outflow
    registration = transfers.return_register(outflow=outflow, acting_user=secretary_a1,
                                             returned_on=date(2026, 11, 20), **CHECKED)
    card.refresh_from_db()
    assert card.status == CardStatus.RETURNED
    assert card.closed_on == date(2026, 11, 21)
    assert (registration.card_checked_on, registration.card_taken_back_on, registration.report_heard_on) == (
        date(2026, 11, 20), date(2026, 11, 21), date(2026, 11, 22))


@pytest.mark.parametrize("missing", ["card_checked_on", "card_taken_back_on", "report_heard_on"])
def test_a_card_holder_s_return_needs_every_dated_check(card, member, secretary_a1, missing):
    """For a card holder, checking and taking back the card and hearing the report are facts with dates."""
    outflow = card.outflow
    with pytest.raises(ValidationError) as refused:
        transfers.return_register(outflow=outflow, acting_user=secretary_a1, returned_on=date(2026, 11, 20),
                                  **{**CHECKED, missing: None})
    assert list(refused.value.message_dict) == [missing]
    card.refresh_from_db()
    assert card.status == CardStatus.VALID


def test_a_check_before_the_return_is_refused(card, member, secretary_a1):
    outflow = card.outflow
    with pytest.raises(ValidationError, match="不能早于返回日期"):
        transfers.return_register(outflow=outflow, acting_user=secretary_a1, returned_on=date(2026, 11, 20),
                                  **{**CHECKED, "card_checked_on": date(2026, 11, 19)})


def test_transfer_out_of_the_system_takes_back_a_card_that_has_no_outflow(card, member, secretary_a1, reviewer_a):
    """A card issued before cards followed outflows (no outflow of its own) is still taken back when the
    relationship is transferred out of the system: 转移组织关系的，收回活动证."""
    ActivityCard.objects.filter(pk=card.pk).update(outflow=None)
    Outflow.objects.filter(pk=card.outflow_id).delete()
    outflow = register(member, secretary_a1, departure_date=date(2026, 3, 1), talk_date=date(2026, 2, 20))
    transfers.outflow_approve(outflow=outflow, acting_user=reviewer_a)
    letter = outflow.introduction_letter
    letter.refresh_from_db()
    transfers.letter_mark_receipt_returned(letter=letter, acting_user=secretary_a1, received_on=letter.issued_on)
    card.refresh_from_db()
    assert (card.status, card.closed_on) == (CardStatus.RETURNED, letter.issued_on)


def test_no_card_no_problem(member, secretary_a1):
    outflow = register(member, secretary_a1, departure_date=date(2026, 3, 1), talk_date=date(2026, 2, 20))
    transfers.return_register(outflow=outflow, acting_user=secretary_a1, returned_on=date(2026, 11, 20))
