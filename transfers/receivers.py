"""What ``transfers`` does when apps below it report an event."""
from django.utils import timezone

from members.models import Member
from members.services import IMPORT_BATCH_SIZE
from transfers.migrated import register_migrated_outflows


def register_imported_away_members(sender, *, member_ids, acting_user, **kwargs):
    """Members a roster marks away get the approved outflow the paper roster stands for, in the import's
    transaction (``members.signals.roster_rows_imported``)."""
    today, now = timezone.localdate(), timezone.now()
    for start in range(0, len(member_ids), IMPORT_BATCH_SIZE):
        register_migrated_outflows(Member.objects.filter(pk__in=member_ids[start:start + IMPORT_BATCH_SIZE]),
                                   acting_user=acting_user, on=today, now=now)
