"""Saving a record through a service: validated, with who changed it and why in its history."""


def save_with_history(record, *, acting_user, reason: str):
    """``full_clean`` then save, naming ``acting_user`` and ``reason`` in the django-simple-history row."""
    record.full_clean()
    record._history_user = acting_user
    record._change_reason = reason
    record.save()
    return record
