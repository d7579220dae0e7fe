"""Events of the card app that apps higher in the stack act on (the reminders app clears its 待发放活动证)."""
from django.dispatch import Signal

#: A card was issued from an outflow: ``card`` (an ``ActivityCard``), sent inside the service's transaction.
card_issued = Signal()
