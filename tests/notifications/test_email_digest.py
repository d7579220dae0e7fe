"""One e-mail a day per recipient, built by streaming and marked sent recipient by recipient."""
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from notifications.models import EmailDigest, Notification
from notifications.services import DIGEST_ITEMS, notifications_send_email
from tests.notifications.test_notifications import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def addressed(secretary_a1, secretary_b1):
    for user, address in ((secretary_a1, "a1@example.invalid"), (secretary_b1, "b1@example.invalid")):
        user.email = address
        user.save()
    return secretary_a1, secretary_b1


def test_one_digest_per_recipient_lists_the_first_items_and_counts_the_rest(addressed, settings, monkeypatch):
    a1, b1 = addressed
    monkeypatch.setattr("notifications.services.DIGEST_CHUNK", 7)  # several round trips per recipient
    monkeypatch.setattr("notifications.services.MARK_BATCH", 1)  # one UPDATE per recipient
    for i in range(DIGEST_ITEMS + 5):
        notify(a1, period=f"p{i:03d}")
    notify(b1)
    assert notifications_send_email() == 2
    by_address = {message.to[0]: message for message in mail.outbox}
    digest = by_address["a1@example.invalid"]
    assert f"{DIGEST_ITEMS + 5}条新提醒" in digest.subject
    assert digest.body.count("提醒p") == DIGEST_ITEMS and "另有5条提醒" in digest.body
    assert "另有" not in by_address["b1@example.invalid"].body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert set(EmailDigest.objects.values_list("recipient", "notifications")) == {(a1.pk, DIGEST_ITEMS + 5), (b1.pk, 1)}


def test_running_twice_a_day_sends_nothing_twice_and_later_notifications_wait_a_day(addressed, monkeypatch):
    a1, _b1 = addressed
    notify(a1)
    assert notifications_send_email() == 1
    assert notifications_send_email() == 0
    notify(a1, period="2026-12")  # created after today's digest
    assert notifications_send_email() == 0 and len(mail.outbox) == 1
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 1
    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr("notifications.services.timezone.now", lambda: tomorrow)
    assert notifications_send_email() == 1 and "提醒2026-12" in mail.outbox[1].body
    assert notifications_send_email() == 0


def test_query_count_grows_with_recipients_not_with_notifications(addressed, django_assert_max_num_queries):
    a1, b1 = addressed
    for i in range(30):
        notify(a1, period=f"p{i}")
        notify(b1, period=f"p{i}")
    with django_assert_max_num_queries(2):  # the streamed read, one UPDATE for up to MARK_BATCH recipients
        assert notifications_send_email() == 2
