"""Events of the transfers app that apps higher in the stack act on.

``transfers`` cannot import ``activity_cards``; when a member comes home or
their relationship moves, the card app listens here and takes the card back
through its own service. Sent inside the service's transaction, so a failing
receiver undoes the whole step.
"""
from django.dispatch import Signal

#: The member's time away ended: ``member``, ``acting_user``, ``on`` (date), ``reason`` (text).
outflow_ended = Signal()
