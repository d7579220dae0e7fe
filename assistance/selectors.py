"""Reads of help records, scoped to the user; a fixed number of queries each."""
from datetime import date, timedelta

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from assistance.models import HelpRequest

#: The dashboard's age bands of open requests, in days since they were opened: (key, label, from, to).
AGE_BANDS = (
    ("under_7", _("7天以内"), 0, 6),
    ("7_to_30", _("7—30天"), 7, 30),
    ("over_30", _("30天以上"), 31, None),
)


def open_help_request_count(user) -> int:
    """How many help requests are open about the members the user sees (for the dashboard's 待我处理)."""
    return HelpRequest.objects.visible_to(user).open().count()


def open_requests_by_age(user, today: date) -> dict[str, int]:
    """Open requests the user sees, by how long they have been open (``AGE_BANDS``; one query)."""
    aggregates = {}
    for key, _label, first, last in AGE_BANDS:
        band = Q(opened_on__lte=today - timedelta(days=first))
        if last is not None:
            band &= Q(opened_on__gte=today - timedelta(days=last))
        aggregates[key] = Count("id", filter=band)
    return HelpRequest.objects.visible_to(user).open().aggregate(**aggregates)


def member_help_requests(member) -> list[HelpRequest]:
    """A member's requests, newest first, each with how many steps of help it had (one query)."""
    return list(HelpRequest.objects.filter(member=member).annotate(action_count=Count("actions")))
