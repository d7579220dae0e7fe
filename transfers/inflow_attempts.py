"""The log of inflow registrations that look an ID number up, and the per-user limit on them.

Each attempt is written in its own transaction before the lookup and given
its outcome after it, so a refused or failed attempt stays in the log and a
burst of parallel requests is counted (the user's row is locked while the
attempts of the last hour are counted). Linking a member whose origin named
the user's organization reveals nothing to an outsider and is not counted.
"""
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from members.masking import mask_id_number
from transfers.choices import InflowAttemptOutcome
from transfers.models import InflowAttempt

NOT_COUNTED = (InflowAttemptOutcome.LINKED, InflowAttemptOutcome.RATE_LIMITED)


def inflow_attempt_open(*, acting_user, id_number: str, document_kind: str, document_number: str) -> InflowAttempt:
    """Log the attempt; refuse it (logged as such) when the user has used up the hour's lookups."""
    limit = settings.INFLOW_LOOKUPS_PER_HOUR
    with transaction.atomic():
        get_user_model().objects.select_for_update().filter(pk=acting_user.pk).first()
        used = (InflowAttempt.objects.filter(user=acting_user, at__gte=timezone.now() - timedelta(hours=1))
                .exclude(outcome__in=NOT_COUNTED).count())
        attempt = InflowAttempt.objects.create(
            user=acting_user, organization_id=acting_user.organization_id, id_number_masked=mask_id_number(id_number),
            document_kind=document_kind, document_number=document_number.strip()[:32],
            outcome=InflowAttemptOutcome.RATE_LIMITED if used >= limit else InflowAttemptOutcome.PENDING)
    if attempt.outcome == InflowAttemptOutcome.RATE_LIMITED:
        raise ValidationError(_("您在一小时内按身份证号码办理流入登记已达 %(n)s 次，本次未办理。请一小时后再试；"
                                "确有大量党员需要登记的，请联系县委组织部。") % {"n": limit}, code="rate_limited")
    return attempt


def inflow_attempt_close(attempt: InflowAttempt, outcome: str) -> None:
    InflowAttempt.objects.filter(pk=attempt.pk).update(outcome=outcome)
