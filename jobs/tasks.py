"""Thin Celery tasks: each calls one service with Shanghai's today (or the given ISO date)."""
from datetime import date

from celery import shared_task
from django.utils import timezone

from jobs.reminders import REMINDERS
from jobs.scans import inactivity_scan
from jobs.windows import shanghai_today
from members.file_retention import roster_files_expire
from notifications.services import notifications_email_pending
from notifications.tasks import send_email


def _day(today: str | None) -> date:
    return date.fromisoformat(today) if today else shanghai_today()


def _retry_pending_email() -> None:
    """The job mails what it created at once; if the mail server refused, retry later with backoff."""
    if notifications_email_pending():
        send_email.delay()


@shared_task(name="jobs.scan_inactivity")
def scan_inactivity(today: str | None = None) -> list[str]:
    lines = inactivity_scan(today=_day(today)).lines()
    _retry_pending_email()
    return lines


@shared_task(name="jobs.send_reminders")
def send_reminders(which: str, today: str | None = None) -> list[str]:
    lines = REMINDERS[which](today=_day(today)).lines()
    _retry_pending_email()
    return lines


@shared_task(name="jobs.remove_expired_files")
def remove_expired_files() -> list[str]:
    return roster_files_expire(now=timezone.now()).lines()
