"""Thin Celery tasks: each calls one service with Shanghai's today (or the given ISO date)."""
from datetime import date

from celery import shared_task

from jobs.reminders import REMINDERS
from jobs.scans import inactivity_scan
from jobs.windows import shanghai_today


def _day(today: str | None) -> date:
    return date.fromisoformat(today) if today else shanghai_today()


@shared_task(name="jobs.scan_inactivity")
def scan_inactivity(today: str | None = None) -> list[str]:
    return inactivity_scan(today=_day(today)).lines()


@shared_task(name="jobs.send_reminders")
def send_reminders(which: str, today: str | None = None) -> list[str]:
    return REMINDERS[which](today=_day(today)).lines()
