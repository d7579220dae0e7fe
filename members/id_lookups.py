"""The log of ID-number lookups and the per-user hourly limit shared by every door that makes them.

ID numbers are unique across the system, so refusing a number held by a
member outside the user's tree tells the user that it is held somewhere.
That cannot be avoided; what this module does is keep it small and visible:
every such lookup is logged (who, when, organization, masked number, door,
outcome), and all doors — 新增党员, 修改党员, 名册导入, 流入登记 — draw on one
allowance of ``ID_LOOKUPS_PER_HOUR`` per user, so switching doors does not
multiply it.

Two ways of drawing on it:

- ``id_lookup_open``/``id_lookup_close`` (流入登记): every attempt is
  logged before it and given its outcome after it; those that met a member
  held elsewhere (refused, or a claim made) are counted;
- ``id_lookups_take`` (新增、修改、导入): only numbers held outside the user's
  tree are lookups; the whole request is one check, all or nothing. Once the
  allowance is used up, the request is refused whatever its numbers are: a
  refusal only for numbers held elsewhere would itself be the answer.

The user's row is locked while the last hour is counted, so a burst of
parallel requests is counted too. Each check commits on its own, so a refused
attempt stays in the log.
"""
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members.choices import IdLookupOutcome
from members.masking import mask_id_number
from members.models import IdNumberLookup

#: Only lookups that meet a member held outside the user's tree use up the allowance, as on the other
#: doors: linking a member whose origin named the user's organization reveals nothing, a new record
#: says no more than 新增党员 does, and a form error comes before the lookup. A refusal for the limit
#: is not counted again, so the lockout ends an hour after the last counted lookup.
NOT_COUNTED = (IdLookupOutcome.LINKED, IdLookupOutcome.CREATED, IdLookupOutcome.INVALID,
               IdLookupOutcome.RATE_LIMITED)

#: The one answer when an ID number is held by a member outside the user's tree, wherever that is.
HELD_OUTSIDE_REFUSAL = gettext_lazy(
    "该身份证号码不能在本组织新建党员。如该党员由其他党组织流入，请通过“流入登记”办理。")


class IdLookupLimitReached(ValidationError):
    """The user has used up the hour's ID-number lookups (shared by all doors)."""

    def __init__(self, limit: int):
        super().__init__(
            _("您在一小时内按身份证号码查询（新增党员、名册导入、流入登记合计）已达 %(n)s 次上限，本次未办理。"
              "请一小时后再试；确有大量党员需要办理的，请联系县委组织部。") % {"n": limit},
            code="rate_limited")


def _used_locked(user) -> int:
    """The user's counted lookups of the last hour; call inside a transaction (locks the user's row)."""
    get_user_model().objects.select_for_update().filter(pk=user.pk).first()
    return (IdNumberLookup.objects.filter(user=user, at__gte=timezone.now() - timedelta(hours=1))
            .exclude(outcome__in=NOT_COUNTED).count())


def _row(user, path: str, id_number: str, outcome: str, **document) -> IdNumberLookup:
    return IdNumberLookup(user=user, organization_id=user.organization_id, path=path,
                          id_number_masked=mask_id_number(id_number) if id_number else "", outcome=outcome,
                          **document)


def id_lookup_open(*, acting_user, path: str, id_number: str, document_kind: str = "",
                   document_number: str = "") -> IdNumberLookup:
    """Log one lookup before it is made; refuse it (logged as such) when the hour's allowance is used up."""
    limit = settings.ID_LOOKUPS_PER_HOUR
    with transaction.atomic():
        used = _used_locked(acting_user)
        lookup = _row(acting_user, path, id_number,
                      IdLookupOutcome.RATE_LIMITED if used >= limit else IdLookupOutcome.PENDING,
                      document_kind=document_kind, document_number=document_number.strip()[:32])
        lookup.save()
    if lookup.outcome == IdLookupOutcome.RATE_LIMITED:
        raise IdLookupLimitReached(limit)
    return lookup


def id_lookup_close(lookup: IdNumberLookup, outcome: str) -> None:
    IdNumberLookup.objects.filter(pk=lookup.pk).update(outcome=outcome)


def id_lookups_take(*, acting_user, path: str, held_outside: Sequence[str]) -> None:
    """Log the numbers ``held_outside`` the user's tree as refused lookups, or refuse the whole request.

    Refused when the allowance is already used up (whatever the numbers), or
    when ``held_outside`` needs more than is left; in the second case those
    lookups are counted all the same (the file was matched), so that a file
    refused for its size cannot be used to probe for free.
    """
    limit = settings.ID_LOOKUPS_PER_HOUR
    with transaction.atomic():
        used = _used_locked(acting_user)
        if used >= limit:
            outcome = IdLookupOutcome.RATE_LIMITED
        elif used + len(held_outside) > limit:
            outcome = IdLookupOutcome.OVER_LIMIT
        else:
            outcome = IdLookupOutcome.REFUSED
        numbers = list(held_outside) or ([""] if outcome == IdLookupOutcome.RATE_LIMITED else [])
        IdNumberLookup.objects.bulk_create([_row(acting_user, path, number, outcome) for number in numbers])
    if outcome != IdLookupOutcome.REFUSED:
        raise IdLookupLimitReached(limit)

