"""Recording, from a view, that a response shows members' full personal data.

Every page that prints a full ID number or phone calls ``record_shown`` with
the members it shows; nothing is recorded for a masked role, whose pages show
none. The record names the page by its URL name.
"""
from members import services
from members.masking import can_see_personal_data


def record_shown(request, members, *, action: str, detail: dict | None = None) -> None:
    """Log (in one insert) that ``members`` were shown in full to the request's user."""
    if not can_see_personal_data(request.user):
        return
    match = request.resolver_match
    services.personal_data_access_log_many(
        acting_user=request.user, action=action, page=match.view_name if match else request.path[:100],
        members=members, detail=detail)
