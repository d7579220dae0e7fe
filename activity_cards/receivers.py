"""What the card app does for the transfers app, which cannot import it."""
from activity_cards.choices import CardStatus
from activity_cards.models import ActivityCard
from activity_cards.services import card_take_back
from transfers.documents import IssuedDocument


def take_back_card_when_outflow_ends(sender, *, member, acting_user, on, reason, **kwargs):
    """On return or transfer the card is taken back (收回), in the same transaction."""
    for card in ActivityCard.objects.filter(member=member, status=CardStatus.VALID):
        card_take_back(card=card, acting_user=acting_user, on=on, reason=str(reason))


def card_for_claim(member, number: str) -> IssuedDocument | None:
    """A host checking the card an arriving member shows: a valid card of theirs with that number."""
    card = ActivityCard.objects.valid().filter(member=member, number=number).first()
    return card and IssuedDocument(card.check_code)
