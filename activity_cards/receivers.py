"""What the card app does for the transfers app, which cannot import it."""
from activity_cards.choices import CardStatus
from activity_cards.models import ActivityCard
from activity_cards.services import cards_take_back_when_away_ends
from transfers.documents import IssuedDocument


def take_back_card_when_outflow_ends(sender, *, member, acting_user, on, reason, registration=None, **kwargs):
    """Hands ``transfers.signals.outflow_ended`` to the card service (the rule lives there).

    A receiver, because ``transfers`` may not import ``activity_cards``; it is
    sent inside the transfers service's transaction, so a refusal undoes the return.
    """
    cards_take_back_when_away_ends(member=member, acting_user=acting_user, on=on, reason=reason,
                                   registration=registration)


def card_for_claim(member, number: str) -> IssuedDocument | None:
    """A host checking the card an arriving member shows: a valid card of theirs with that number."""
    card = ActivityCard.objects.valid().filter(member=member, number=number).first()
    return card and IssuedDocument(card.check_code)


def valid_card_holders():
    """Members holding a valid card: a roster's away member among them is registered as a card holder
    (``transfers.migrated``)."""
    return ActivityCard.objects.filter(status=CardStatus.VALID).values("member_id")
