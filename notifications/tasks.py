"""E-mail delivery as a Celery task that retries with exponential backoff while the mail server fails."""
import smtplib

from celery import shared_task

from notifications.services import notifications_send_email


@shared_task(name="notifications.send_email", autoretry_for=(smtplib.SMTPException, OSError),
             retry_backoff=60, retry_backoff_max=60 * 60, retry_jitter=True, max_retries=8)
def send_email() -> int:
    return notifications_send_email(raise_errors=True)
