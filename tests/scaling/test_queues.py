"""Exports and imports on the ``exports`` queue, scans and reminders on ``jobs``; time limits; e-mail retried."""
import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend

from config.celery import app
from notifications.choices import NotificationKind
from notifications.models import Notification
from notifications.services import notifications_create
from notifications.tasks import send_email

ROUTES = [
    ("members.tasks.roster_export_run", "exports"),
    ("jobs.scan_inactivity", "jobs"),
    ("jobs.send_reminders", "jobs"),
    ("jobs.remove_expired_files", "jobs"),
    ("notifications.send_email", "jobs"),
]


@pytest.mark.parametrize(("task", "queue"), ROUTES)
def test_each_task_goes_to_its_queue_and_has_time_limits(task, queue):
    app.loader.import_default_modules()
    assert app.amqp.router.route({}, task)["queue"].name == queue
    limits = app.tasks[task]
    assert 0 < limits.soft_time_limit < limits.time_limit


def test_a_worker_started_without_queue_options_consumes_both_queues():
    assert {"exports", "jobs"} <= {queue.name for queue in app.conf.task_queues}


class FlakyBackend(EmailBackend):
    """The mail server refuses the first ``failures`` connections."""
    failures = 0

    def send_messages(self, messages):
        if FlakyBackend.failures:
            FlakyBackend.failures -= 1
            raise smtplib.SMTPServerDisconnected("connection closed")
        return super().send_messages(messages)


@pytest.mark.django_db
def test_email_is_retried_with_backoff_until_the_mail_server_answers(secretary_a1, settings):
    settings.EMAIL_BACKEND = "tests.scaling.test_queues.FlakyBackend"
    secretary_a1.email = "a1@example.invalid"
    secretary_a1.save()
    notifications_create(recipients=[secretary_a1], kind=NotificationKind.MONTHLY_COLLECTION,
                         subject_key="x", period="2026-11", title="提醒")
    FlakyBackend.failures = 2
    result = send_email.apply()  # run here; an eager retry runs again at once instead of after its countdown
    assert result.get() == 1 and FlakyBackend.failures == 0
    assert len(mail.outbox) == 1 and Notification.objects.get().emailed_at is not None
    assert send_email.retry_backoff and send_email.max_retries >= 5
