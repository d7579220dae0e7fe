"""Writing, reading and mailing notifications."""
import logging
import smtplib
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import send_mass_mail
from django.db.models import BigIntegerField, CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.bulk import insert_select
from notifications.models import Notification

logger = logging.getLogger(__name__)


def member_subject(member_field: str = "pk"):
    """``member:<id>`` for the member at ``member_field`` of the selecting queryset."""
    return Concat(Value("member:"), Cast(member_field, CharField()), output_field=CharField())


def organization_subject(organization_field: str):
    return Concat(Value("organization:"), Cast(organization_field, CharField()), output_field=CharField())


# A typed NULL: PostgreSQL would take a bare NULL in a sub-select for text.
_NULL_ID = Cast(Value(None), BigIntegerField())


def notifications_insert(*, queryset, recipient, kind: str, subject_key, period, title, body=None,
                         member=None, organization=None, link: str = "") -> int:
    """Create notifications set-based from ``queryset`` (one row each), skipping those already sent.

    Every argument after ``queryset`` is an expression over that queryset.
    """
    return insert_select(Notification, queryset, {
        "recipient": recipient,
        "kind": Value(kind),
        "subject_key": subject_key,
        "period": period,
        "title": title,
        "body": Value("") if body is None else body,
        "link": Value(link),
        "member": _NULL_ID if member is None else member,
        "organization": _NULL_ID if organization is None else organization,
        "created_at": Value(timezone.now()),
    })


def notifications_create(*, recipients, kind: str, subject_key: str, period: str, title: str, body: str = "",
                         member=None, organization=None, link: str = "") -> int:
    """Notify a few named users (e.g. the reviewers of one proposal); duplicates are skipped."""
    now = timezone.now()
    rows = [Notification(recipient=user, kind=kind, subject_key=subject_key, period=period, title=title, body=body,
                         member=member, organization=organization, link=link, created_at=now)
            for user in recipients]
    return len(Notification.objects.bulk_create(rows, ignore_conflicts=True))


def _pending_email():
    return Notification.objects.filter(emailed_at__isnull=True).exclude(recipient__email="")


def notifications_email_pending() -> bool:
    return _pending_email().exists()


def notifications_send_email(*, raise_errors: bool = False) -> int:
    """Mail every notification not mailed yet, one message per recipient; returns messages sent.

    Two queries whatever the number of notifications: one read, one update.
    A mail server that fails leaves them pending; with ``raise_errors`` the
    error is raised too (the Celery task retries with backoff).
    """
    started = timezone.now()
    pending = (_pending_email().filter(created_at__lte=started).order_by("recipient_id", "id")
               .values_list("recipient__email", "title", "body"))
    by_address = defaultdict(list)
    for address, title, body in pending:
        by_address[address].append((title, body))
    messages = []
    for address, items in by_address.items():
        subject = _("流动党员管理系统：您有%(count)d条新提醒") % {"count": len(items)}
        text = "\n\n".join(f"{title}\n{body}".strip() for title, body in items)
        messages.append((subject, text, settings.DEFAULT_FROM_EMAIL, [address]))
    try:
        sent = send_mass_mail(messages, fail_silently=False) if messages else 0
    except (smtplib.SMTPException, OSError):
        # The mail server is down: keep the notifications pending for the
        # next run rather than undo the job that created them.
        logger.exception("e-mail delivery failed; %d message(s) stay pending", len(messages))
        if raise_errors:
            raise
        return 0
    Notification.objects.filter(emailed_at__isnull=True, created_at__lte=started).update(emailed_at=started)
    return sent


def notification_mark_read(*, notification: Notification, acting_user) -> Notification:
    if notification.recipient_id != acting_user.pk:
        raise PermissionDenied(_("只能处理自己的提醒。"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, acting_user) -> int:
    return Notification.objects.visible_to(acting_user).unread().update(read_at=timezone.now())

