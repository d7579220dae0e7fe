"""Writing, reading and mailing notifications."""
import logging
import smtplib
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core import mail
from django.core.mail import EmailMessage
from django.db import connections, router
from django.db.models import BigIntegerField, CharField, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from notifications.bulk import insert_select
from notifications.models import EmailDigest, Notification

logger = logging.getLogger(__name__)


def member_subject(member_field: str = "pk"):
    """``member:<id>`` for the member at ``member_field`` of the selecting queryset."""
    return Concat(Value("member:"), Cast(member_field, CharField()), output_field=CharField())


def organization_subject(organization_field: str):
    return Concat(Value("organization:"), Cast(organization_field, CharField()), output_field=CharField())


# A typed NULL: PostgreSQL would take a bare NULL in a sub-select for text.
_NULL_ID = Cast(Value(None), BigIntegerField())


def notifications_insert(*, queryset, recipient, kind: str, subject_key, period, title, body=None,
                         member=None, organization=None, link="") -> int:
    """Create notifications set-based from ``queryset`` (one row each), skipping those already sent.

    Every argument after ``queryset`` is an expression over that queryset (``link`` may also be plain text,
    the same for every row).
    """
    return insert_select(Notification, queryset, {
        "recipient": recipient,
        "kind": Value(kind),
        "subject_key": subject_key,
        "period": period,
        "title": title,
        "body": Value("") if body is None else body,
        "link": link if hasattr(link, "resolve_expression") else Value(link),
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


def notifications_clear(*, subject_key: str, kinds) -> int:
    """The thing was acted on: mark its notifications of ``kinds`` read for everyone who had them."""
    return (Notification.objects.filter(subject_key=subject_key, kind__in=list(kinds)).unread()
            .update(read_at=timezone.now()))


#: A digest lists this many notifications in full and counts the rest (memory stays flat).
DIGEST_ITEMS = 50
#: Rows read from the database per round trip while digests are built.
DIGEST_CHUNK = 2000
#: Recipients whose rows are marked mailed by one UPDATE.
MARK_BATCH = 200


def _pending_email(day):
    """Notifications not mailed yet, except to recipients who have had their e-mail of ``day``."""
    digested = EmailDigest.objects.filter(day=day).values("recipient_id")
    return Notification.objects.filter(emailed_at__isnull=True).exclude(recipient_id__in=digested)


def notifications_email_pending() -> bool:
    return _pending_email(timezone.localdate()).exclude(recipient__email="").exists()


@dataclass
class _Digest:
    recipient_id: int
    address: str
    count: int = 0
    items: list = field(default_factory=list)

    def add(self, title: str, body: str) -> None:
        self.count += 1
        if len(self.items) < DIGEST_ITEMS:
            self.items.append(f"{title}\n{body}".strip())

    def message(self, connection) -> EmailMessage:
        subject = _("流动党员管理系统：您有%(count)d条新提醒") % {"count": self.count}
        text = "\n\n".join(self.items)
        if self.count > len(self.items):
            text += "\n\n" + _("……另有%(more)d条提醒，请登录系统查看。") % {"more": self.count - len(self.items)}
        return EmailMessage(subject, text, settings.DEFAULT_FROM_EMAIL, [self.address], connection=connection)


def _digests(rows) -> Iterator[_Digest]:
    """Rows ``(recipient_id, address, title, body)`` ordered by recipient, one digest per recipient."""
    digest = None
    for recipient_id, address, title, body in rows:
        if digest is None or digest.recipient_id != recipient_id:
            if digest is not None:
                yield digest
            digest = _Digest(recipient_id, address)
        digest.add(title, body)
    if digest is not None:
        yield digest


def notifications_send_email(*, raise_errors: bool = False) -> int:
    """Mail each recipient one digest a day of the notifications not mailed yet; returns messages sent.

    The notifications are streamed in recipient order (a server-side cursor
    read in chunks), so memory does not grow with their number; the rows of
    every ``MARK_BATCH`` recipients handled (mailed, or without an address:
    nothing to send) are marked by one UPDATE that also records each one's
    ``EmailDigest`` of the day. Notifications created after a recipient's
    digest wait for the next day's. A mail server that fails leaves the rest
    pending; with ``raise_errors`` the error is raised too (the Celery task
    retries with backoff).
    """
    started = timezone.now()
    day = timezone.localdate(started)
    pending = (_pending_email(day).filter(created_at__lte=started).order_by("recipient_id", "id")
               .values_list("recipient_id", "recipient__email", "title", "body"))
    sent, handled = 0, []
    connection = mail.get_connection()
    try:
        with connection:
            for digest in _digests(pending.iterator(chunk_size=DIGEST_CHUNK)):
                if digest.address:
                    digest.message(connection).send()
                    sent += 1
                handled.append((digest.recipient_id, digest.count if digest.address else 0))
                if len(handled) == MARK_BATCH:
                    _mark_mailed(handled, day=day, started=started)
                    handled = []
    except (smtplib.SMTPException, OSError):
        # The mail server is down: keep the rest pending for the next run
        # rather than undo the job that created them.
        logger.exception("e-mail delivery failed after %d message(s); the rest stay pending", sent)
        if raise_errors:
            _mark_mailed(handled, day=day, started=started)
            raise
    _mark_mailed(handled, day=day, started=started)
    return sent


def _mark_mailed(handled: list[tuple[int, int]], *, day, started) -> None:
    """Mark these recipients' rows mailed and record their digests of ``day`` (one statement on PostgreSQL).

    The UPDATE in the WITH clause runs to completion although nothing reads it.
    """
    if not handled:
        return
    recipients = [recipient_id for recipient_id, _count in handled]
    mailed = [(recipient_id, count) for recipient_id, count in handled if count]
    using = router.db_for_write(Notification)
    if connections[using].vendor != "postgresql":
        Notification.objects.filter(recipient_id__in=recipients, emailed_at__isnull=True,
                                    created_at__lte=started).update(emailed_at=started)
        EmailDigest.objects.bulk_create([EmailDigest(recipient_id=r, day=day, notifications=n, sent_at=started)
                                         for r, n in mailed], ignore_conflicts=True)
        return
    with connections[using].cursor() as cursor:
        cursor.execute(
            "WITH marked AS (UPDATE notifications_notification SET emailed_at = %s"
            "  WHERE recipient_id = ANY(%s) AND emailed_at IS NULL AND created_at <= %s)"
            " INSERT INTO notifications_emaildigest (recipient_id, day, notifications, sent_at)"
            " SELECT r, %s, n, %s FROM unnest(%s::bigint[], %s::int[]) AS d(r, n)"
            " ON CONFLICT (recipient_id, day) DO NOTHING",
            [started, recipients, started, day, started, [r for r, _n in mailed], [n for _r, n in mailed]])


def notification_mark_read(*, notification: Notification, acting_user) -> Notification:
    if notification.recipient_id != acting_user.pk:
        raise PermissionDenied(_("只能处理自己的提醒。"))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


def notifications_mark_all_read(*, acting_user) -> int:
    return Notification.objects.visible_to(acting_user).unread().update(read_at=timezone.now())

