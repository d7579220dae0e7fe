"""A task sent through the real Redis broker to a real worker changes the database."""
from datetime import date

import pytest
from celery.contrib.testing.worker import start_worker

from config.celery import app
from jobs.models import InactivityFlag
from jobs.tasks import scan_inactivity
from notifications.models import Notification


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_scan_runs_in_a_worker_through_redis(redis_url, make_member, records, secretary_a1, settings):
    assert app.conf.broker_url.startswith("redis://")
    member = make_member(dues_paid_through=date(2026, 1, 1))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        result = scan_inactivity.delay("2026-11-25")
        _wait_for(lambda: InactivityFlag.objects.filter(member=member).count() == 2)
    assert result.id
    assert Notification.objects.get(recipient=secretary_a1).title == "本支部新增不活跃提示 2 条"


def _wait_for(condition, attempts=300):
    import time

    for _ in range(attempts):
        if condition():
            return
        time.sleep(0.1)
    pytest.fail("the worker did not do the work")
