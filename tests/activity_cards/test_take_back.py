"""The card is taken back when the member's time away ends (return or transfer)."""
from datetime import date

import pytest

from activity_cards.choices import CardStatus
from transfers import services as transfers
from tests.transfers.helpers import register

pytestmark = pytest.mark.django_db


def test_return_takes_the_card_back(card, member, secretary_a1):
    """The card belongs to its outflow: the return registered on that outflow takes it back."""
    transfers.return_register(outflow=card.outflow, acting_user=secretary_a1, returned_on=date(2026, 11, 20),
                              card_checked=True, report_heard=True)
    card.refresh_from_db()
    assert card.status == CardStatus.RETURNED


def test_no_card_no_problem(member, secretary_a1):
    outflow = register(member, secretary_a1, departure_date=date(2026, 3, 1), talk_date=date(2026, 2, 20))
    transfers.return_register(outflow=outflow, acting_user=secretary_a1, returned_on=date(2026, 11, 20))
