"""Who counts as a mobile member is decided above this app, in ``transfers.mobile_members``.

``members`` sits below ``transfers`` and may not import it, so ``transfers``
registers its answer here from ``TransfersConfig.ready``. The member list's
统计口径 filter (and the roster export, which reads the same filter) asks
through this module, so pages, exports and the statistics count the same people.
"""
from collections.abc import Callable
from datetime import date

from django.db.models import QuerySet

#: ``{"counted": on -> member ids counted on that day, "short_trips": on -> member ids on a 短期外出}``
_answers: dict[str, Callable[[date], QuerySet]] = {}


def register_mobile_member_definition(*, counted: Callable[[date], QuerySet],
                                      short_trips: Callable[[date], QuerySet]) -> None:
    _answers.update(counted=counted, short_trips=short_trips)


def member_ids(which: str, on: date) -> QuerySet:
    """The ids (a subquery) of the members ``which`` (``counted`` or ``short_trips``) on day ``on``."""
    return _answers[which](on)
