"""What the card app does for the transfers app, which cannot import it."""
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from activity_cards.choices import CardStatus
from activity_cards.models import ActivityCard
from activity_cards.services import card_take_back
from transfers.documents import IssuedDocument


def take_back_card_when_outflow_ends(sender, *, member, acting_user, on, reason, registration=None, **kwargs):
    """On return or transfer the card is taken back (收回), in the same transaction.

    On a return the origin checks the card and hears the member's report (回来后，
    原党组织要查验活动证，听取汇报): for a card holder these are dated facts on
    the return registration, and a return without them is refused.
    """
    cards = list(ActivityCard.objects.filter(member=member, status=CardStatus.VALID))
    if cards and registration is not None:
        missing = {field: message for field, message in (
            ("card_checked_on", _("党员持有活动证，请填写查验活动证的日期。")),
            ("card_taken_back_on", _("党员持有活动证，请填写收回活动证的日期。")),
            ("report_heard_on", _("党员持有活动证，请填写听取其外出期间情况汇报的日期。")),
        ) if getattr(registration, field) is None}
        if missing:
            raise ValidationError(missing)
    for card in cards:
        card_take_back(card=card, acting_user=acting_user, on=on, reason=str(reason))


def card_for_claim(member, number: str) -> IssuedDocument | None:
    """A host checking the card an arriving member shows: a valid card of theirs with that number."""
    card = ActivityCard.objects.valid().filter(member=member, number=number).first()
    return card and IssuedDocument(card.check_code)
