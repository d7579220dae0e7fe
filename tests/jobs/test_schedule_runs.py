"""Each scheduled job's last run, recorded by the worker and shown to the county admin with a warning when late."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from celery.contrib.testing.worker import start_worker
from celery.schedules import crontab
from django.urls import reverse
from django.utils import timezone

from config.celery import app
from jobs.models import ScheduledJobRun
from jobs.schedule_runs import last_due, schedule_lines

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.mark.parametrize("schedule, now, expected", [
    (crontab(minute=30, hour=2), datetime(2026, 12, 2, 3, 0), datetime(2026, 12, 2, 2, 30)),
    (crontab(minute=30, hour=2), datetime(2026, 12, 2, 2, 29), datetime(2026, 12, 1, 2, 30)),
    (crontab(minute=30, hour=2), datetime(2026, 12, 2, 2, 30), datetime(2026, 12, 2, 2, 30)),
    (crontab(minute=0, hour=8, day_of_month=1), datetime(2026, 12, 2, 9, 0), datetime(2026, 12, 1, 8, 0)),
    (crontab(minute=5, hour=8, day_of_month=1, month_of_year="1,4,7,10"), datetime(2026, 12, 2, 9, 0),
     datetime(2026, 10, 1, 8, 5)),
    (crontab(minute=0, hour=7, day_of_week=1), datetime(2026, 12, 2, 9, 0), datetime(2026, 11, 30, 7, 0)),
])
def test_last_due(schedule, now, expected):
    assert last_due(schedule, now.replace(tzinfo=SHANGHAI)) == expected.replace(tzinfo=SHANGHAI)


def _at(*args):
    return datetime(*args, tzinfo=SHANGHAI)


def test_a_job_is_late_when_it_has_not_finished_since_it_came_due(db, settings):
    settings.CELERY_BEAT_SCHEDULE = {
        "nightly": {"task": "jobs.scan_inactivity", "schedule": crontab(minute=30, hour=2)},
        "morning": {"task": "jobs.send_reminders", "schedule": crontab(minute=0, hour=7)},
        "failing": {"task": "jobs.send_reminders", "schedule": crontab(minute=0, hour=6)},
    }
    settings.SCHEDULE_GRACE_MINUTES = 60
    ScheduledJobRun.objects.create(name="nightly", last_started=_at(2026, 12, 2, 2, 30),
                                   last_finished=_at(2026, 12, 2, 2, 31), ok=True)
    ScheduledJobRun.objects.create(name="failing", last_started=_at(2026, 12, 2, 6, 0),
                                   last_finished=_at(2026, 12, 2, 6, 1), ok=False, error="boom")
    lines = {line.name: line for line in schedule_lines(now=_at(2026, 12, 2, 7, 30))}
    assert not lines["nightly"].late
    assert not lines["morning"].late  # due at 7:00, still within the hour's grace
    assert lines["failing"].late
    lines = {line.name: line for line in schedule_lines(now=_at(2026, 12, 2, 8, 30))}
    assert lines["morning"].late and lines["morning"].run is None


def test_the_county_admin_sees_the_schedule_and_a_warning(client, county_admin, secretary_a1,
                                                          django_assert_max_num_queries):
    client.force_login(county_admin)
    ScheduledJobRun.objects.create(name="daily-inactivity-scan", last_started=timezone.now(),
                                   last_finished=timezone.now(), ok=True)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("jobs:schedule_runs"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "daily-inactivity-scan" in body and "monthly-collection-reminder" in body
    assert "正常" in body and "未按时运行" in body  # never-run jobs that are due are late
    client.force_login(secretary_a1)
    assert client.get(reverse("jobs:schedule_runs")).status_code == 403


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_a_run_started_by_beat_is_recorded_by_the_worker(redis_url, settings):
    from jobs.tasks import scan_inactivity

    entry = settings.CELERY_BEAT_SCHEDULE["daily-inactivity-scan"]
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        scan_inactivity.delay("2026-11-25")  # by hand: not recorded
        scan_inactivity.apply_async(("2026-11-25",), **entry["options"])
        _wait_for(lambda: ScheduledJobRun.objects.filter(ok=True).exists())
    run = ScheduledJobRun.objects.get()
    assert run.name == "daily-inactivity-scan" and run.ok
    assert run.last_finished >= run.last_started > timezone.now() - timedelta(minutes=5)


def _wait_for(condition, attempts=300):
    import time

    for _ in range(attempts):
        if condition():
            return
        time.sleep(0.1)
    pytest.fail("the worker did not record the run")
