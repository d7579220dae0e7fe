"""Rows whose place is text that no code has been given yet (the migration could not read it)."""
from django.db.models import Q


def unmapped_q(*, texts: tuple[str, ...], division: str = "destination_division",
               country: str = "abroad_country") -> Q:
    """Some place text, and neither a division nor a country: listed for the county to fix by hand."""
    has_text = Q()
    for field in texts:
        has_text |= ~Q(**{field: ""})
    return Q(**{f"{division}__isnull": True, f"{country}__isnull": True}) & has_text
