import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from notifications.choices import NotificationKind
from notifications.models import Notification
from notifications.services import notifications_create, notifications_send_email

pytestmark = pytest.mark.django_db


def notify(user, period="2026-11", **kwargs):
    return notifications_create(recipients=[user], kind=NotificationKind.MONTHLY_COLLECTION,
                                subject_key=f"organization:{user.organization_id}", period=period,
                                title=f"提醒{period}", organization=user.organization, **kwargs)


def test_unique_per_recipient_kind_subject_and_period(secretary_a1):
    assert notify(secretary_a1) == 1
    notify(secretary_a1)
    assert Notification.objects.count() == 1
    notify(secretary_a1, period="2026-12")
    assert Notification.objects.count() == 2


def test_bell_shows_the_unread_count(client, secretary_a1, secretary_b1):
    notify(secretary_a1)
    notify(secretary_a1, period="2026-12")
    notify(secretary_b1)
    client.force_login(secretary_a1)
    body = client.get(reverse("dashboard")).content.decode()
    assert '<span class="bell-count" aria-label="未读">2</span>' in body


def test_list_shows_only_ones_own(client, secretary_a1, secretary_b1):
    notify(secretary_a1, period="2026-11")
    notify(secretary_b1, period="2026-10")
    client.force_login(secretary_a1)
    body = client.get(reverse("notifications:list")).content.decode()
    assert "提醒2026-11" in body and "提醒2026-10" not in body


def test_mark_read_and_all_read(client, secretary_a1):
    notify(secretary_a1, period="2026-11")
    notify(secretary_a1, period="2026-12")
    first = Notification.objects.get(period="2026-11")
    client.force_login(secretary_a1)
    response = client.post(reverse("notifications:read", args=[first.pk]), {"next": "https://evil.example/"})
    assert response.status_code == 302 and response["Location"] == reverse("notifications:list")
    first.refresh_from_db()
    assert first.is_read
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.unread().exists()


def test_someone_elses_notification_is_404(client, secretary_a1, secretary_b1):
    notify(secretary_a1)
    client.force_login(secretary_b1)
    response = client.post(reverse("notifications:read", args=[Notification.objects.get().pk]))
    assert response.status_code == 404
    assert Notification.objects.get().read_at is None


def test_anonymous_goes_to_login(client):
    assert "/accounts/login/" in client.get(reverse("notifications:list"))["Location"]


def test_email_once_per_recipient_and_never_twice(secretary_a1, secretary_b1):
    secretary_a1.email = "a1@example.invalid"
    secretary_a1.save()
    notify(secretary_a1, period="2026-11")
    notify(secretary_a1, period="2026-12")
    notify(secretary_b1)  # no address: nothing to send, but not retried forever
    assert notifications_send_email() == 1
    assert mail.outbox[0].to == ["a1@example.invalid"] and "2条新提醒" in mail.outbox[0].subject
    assert notifications_send_email() == 0
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()


@pytest.mark.parametrize("count", [3, 40])
def test_list_query_count(client, secretary_a1, count, django_assert_max_num_queries):
    for i in range(count):
        notify(secretary_a1, period=f"p{i}")
    client.force_login(secretary_a1)
    with django_assert_max_num_queries(7):  # +1: the menu's count of members' reports waiting (portal)
        assert client.get(reverse("notifications:list")).status_code == 200


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("smtp down")


def test_a_mail_outage_keeps_notifications_pending(secretary_a1, settings, monkeypatch):
    secretary_a1.email = "a1@example.invalid"
    secretary_a1.save()
    notify(secretary_a1)
    monkeypatch.setattr("django.core.mail.get_connection", lambda *a, **k: BrokenBackend())
    assert notifications_send_email() == 0
    assert Notification.objects.get().emailed_at is None
    monkeypatch.undo()
    assert notifications_send_email() == 1
