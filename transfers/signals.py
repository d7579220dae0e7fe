"""Events of the transfers app that apps higher in the stack act on.

``transfers`` cannot import ``activity_cards``; when a member comes home or
their relationship moves, the card app listens here and takes the card back
through its own service; when a host claims a member, the reminders app
tells the origin; each step of an outflow's approval tells the person who
must act next. Sent inside the service's transaction, so a failing
receiver undoes the whole step.
"""
from django.dispatch import Signal

#: A host proved a document of the member and asks the origin to confirm: ``claim`` (a ``MemberClaim``).
member_claimed = Signal()

#: The member's time away ended: ``member``, ``acting_user``, ``on`` (date), ``reason`` (text), and on a
#: return ``registration`` (the ``ReturnRegistration``, whose check dates a receiver may require).
outflow_ended = Signal()

#: A step of an outflow's workflow was recorded: ``step`` (an ``OutflowStep``; its outflow, action and actor).
outflow_stepped = Signal()
