"""Record each scheduled job's last run, and tell which ones are late.

Beat puts the schedule entry's name into the message headers (settings:
``schedule_entry``); the worker's task signals write ``ScheduledJobRun``. Tasks
started by hand carry no such header and are not recorded.
"""
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from celery.signals import task_failure, task_prerun, task_success
from django.conf import settings
from django.utils import timezone

from jobs.models import ScheduledJobRun

HEADER = "schedule_entry"


def _entry_name(task) -> str | None:
    request = getattr(task, "request", None)
    name = getattr(request, HEADER, None) or (getattr(request, "headers", None) or {}).get(HEADER)
    return name if name in settings.CELERY_BEAT_SCHEDULE else None


@task_prerun.connect
def _started(sender=None, task=None, **kwargs):
    if name := _entry_name(task or sender):
        ScheduledJobRun.objects.update_or_create(name=name, defaults={"last_started": timezone.now()})


@task_success.connect
def _succeeded(sender=None, **kwargs):
    if name := _entry_name(sender):
        ScheduledJobRun.objects.update_or_create(
            name=name, defaults={"last_finished": timezone.now(), "ok": True, "error": ""})


@task_failure.connect
def _failed(sender=None, exception=None, **kwargs):
    if name := _entry_name(sender):
        ScheduledJobRun.objects.update_or_create(
            name=name, defaults={"last_finished": timezone.now(), "ok": False, "error": repr(exception)[:500]})


@dataclass(frozen=True)
class ScheduleLine:
    name: str
    task: str
    schedule: str
    last_due: datetime
    run: ScheduledJobRun | None
    late: bool


def last_due(schedule, now: datetime) -> datetime:
    """The latest time at or before ``now`` at which the crontab fired, in the schedule's time zone."""
    local = timezone.localtime(now, ZoneInfo(settings.CELERY_TIMEZONE))
    for days_back in range(0, 400):
        day = (local - timedelta(days=days_back)).date()
        cron_weekday = (day.weekday() + 1) % 7  # crontab counts from Sunday = 0
        if (day.day not in schedule.day_of_month or day.month not in schedule.month_of_year
                or cron_weekday not in schedule.day_of_week):
            continue
        times = sorted((hour, minute) for hour in schedule.hour for minute in schedule.minute)
        if days_back == 0:
            times = [t for t in times if t <= (local.hour, local.minute)]
        if times:
            hour, minute = times[-1]
            return datetime.combine(day, time(hour, minute), tzinfo=local.tzinfo)
    raise ValueError(f"{schedule} has not fired in the last 400 days")


def schedule_lines(*, now: datetime | None = None) -> list[ScheduleLine]:
    """Every entry of CELERY_BEAT_SCHEDULE with its last run; late when it has not finished since it came due."""
    now = now or timezone.now()
    runs = {run.name: run for run in ScheduledJobRun.objects.all()}
    grace = timedelta(minutes=settings.SCHEDULE_GRACE_MINUTES)
    lines = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        due = last_due(entry["schedule"], now)
        run = runs.get(name)
        finished_since_due = run is not None and run.ok and run.last_finished is not None and run.last_finished >= due
        lines.append(ScheduleLine(name=name, task=entry["task"], schedule=str(entry["schedule"]), last_due=due,
                                  run=run, late=now - due > grace and not finished_since_due))
    return lines
