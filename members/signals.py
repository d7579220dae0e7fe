"""Events of the members app that apps higher in the stack act on.

``members`` cannot import ``transfers``: when a roster import writes members,
the outflow app listens here and registers the outflow of each member the
roster marks away (``transfers.migrated``). Sent inside the import's
transaction, so a failing receiver undoes the whole import.
"""
from django.dispatch import Signal

#: A roster import wrote members: ``member_ids`` (created and updated), ``acting_user``.
roster_rows_imported = Signal()
