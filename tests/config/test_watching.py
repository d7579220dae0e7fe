"""Watching: the health endpoint, one-line logs with request/user/organization ids, Sentry scrubbing."""
import logging

import pytest
from celery.contrib.testing.worker import start_worker
from django.test.signals import template_rendered
from django.urls import reverse

from config.celery import app
from config.logging import OneLineFormatter, RequestContextFilter
from config.request_context import organization_id_var, request_id_var, user_id_var
from config.sentry import before_send

ID_NUMBER = "22240319900101123X"
PHONE = "13812345678"


def test_health_without_a_worker_tells_anonymous_callers_only_fail(client, db, settings):
    settings.HEALTH_CELERY_TIMEOUT = 0.2
    response = client.get(reverse("health"))
    assert response.status_code == 503 and response.content == b"fail"


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_health_is_ok_with_a_worker_and_details_need_staff(client, redis_url, county_admin, secretary_a1):
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        anonymous = client.get(reverse("health"))
        client.force_login(secretary_a1)
        secretary = client.get(reverse("health"))
        client.force_login(county_admin)
        staff = client.get(reverse("health"))
    assert (anonymous.status_code, anonymous.content) == (200, b"ok")
    assert secretary.content == b"ok"
    checks = staff.json()["checks"]
    assert staff.json()["status"] == "ok"
    assert set(checks) == {"database", "redis", "celery", "disk", "migrations"}
    assert all(check["ok"] for check in checks.values())


def test_health_fails_on_a_full_disk_and_says_why_to_staff(client, county_admin, settings):
    settings.HEALTH_MIN_FREE_DISK_MB = 10**12
    settings.HEALTH_CELERY_TIMEOUT = 0.2
    client.force_login(county_admin)
    response = client.get(reverse("health"))
    assert response.status_code == 503
    assert not response.json()["checks"]["disk"]["ok"] and "MB free" in response.json()["checks"]["disk"]["detail"]
    assert response.json()["checks"]["database"]["ok"]


def _line(message, *args, exc_info=None):
    record = logging.LogRecord("members", logging.WARNING, __file__, 1, message, args, exc_info)
    RequestContextFilter().filter(record)
    return OneLineFormatter().format(record)


def test_a_log_line_is_one_line_with_ids_and_no_personal_numbers():
    tokens = [request_id_var.set("req-1"), user_id_var.set("7"), organization_id_var.set("42")]
    try:
        raise ValueError(f"bad {ID_NUMBER}\nsecond line")
    except ValueError:
        import sys

        line = _line("member %s phone %s", ID_NUMBER, PHONE, exc_info=sys.exc_info())
    finally:
        for var, token in zip((request_id_var, user_id_var, organization_id_var), tokens):
            var.reset(token)
    assert "\n" not in line
    assert " level=WARNING logger=members request_id=req-1 user_id=7 org_id=42 msg=\"member " in line
    assert ID_NUMBER not in line and PHONE not in line
    assert "[身份证号已隐去]" in line and "[手机号已隐去]" in line and "ValueError" in line


def test_outside_a_request_the_ids_are_dashes():
    assert "request_id=- user_id=- org_id=-" in _line("scan done")


def test_requests_carry_a_request_id_and_the_users_ids_in_their_log_lines(client, secretary_a1):
    client.force_login(secretary_a1)
    seen = {}

    def record_context(sender, **kwargs):
        seen.update(request=request_id_var.get(), user=user_id_var.get(), org=organization_id_var.get())

    template_rendered.connect(record_context)
    try:
        response = client.get(reverse("dashboard"), headers={"X-Request-ID": "lb-abc123"})
    finally:
        template_rendered.disconnect(record_context)
    assert response["X-Request-ID"] == "lb-abc123"
    assert seen == {"request": "lb-abc123", "user": str(secretary_a1.pk), "org": str(secretary_a1.organization_id)}
    assert request_id_var.get() == "-"  # cleared when the response is closed
    assert client.get(reverse("dashboard"), headers={"X-Request-ID": "bad id with spaces"})["X-Request-ID"] != (
        "bad id with spaces")


def test_sentry_events_lose_personal_data():
    event = {
        "message": f"身份证 {ID_NUMBER}",
        "exception": {"values": [{"value": f"phone {PHONE}", "stacktrace": {"frames": [
            {"vars": {"id_number": f"'{ID_NUMBER}'", "phone": PHONE}}]}}]},
        "request": {"url": "https://x/members/", "data": {"id_number": ID_NUMBER}, "cookies": {"sessionid": "s"},
                    "query_string": f"q={PHONE}", "headers": {"Cookie": "sessionid=s", "User-Agent": "UA"}},
        "user": {"id": "7", "username": "张三", "email": "a@b.c", "ip_address": "1.2.3.4"},
    }
    scrubbed = before_send(event)
    text = repr(scrubbed)
    assert ID_NUMBER not in text and PHONE not in text and "sessionid" not in text and "张三" not in text
    assert scrubbed["user"] == {"id": "7"} and scrubbed["request"]["headers"] == {"User-Agent": "UA"}


def test_djangos_own_not_found_line_carries_the_request_id(client, secretary_a1, caplog):
    client.force_login(secretary_a1)
    caplog.handler.addFilter(RequestContextFilter())  # filled in when the line is written, as in LOGGING
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get("/nothing-here/", headers={"X-Request-ID": "lb-404"})
    record = next(r for r in caplog.records if r.name == "django.request")
    assert (record.request_id, record.user_id) == ("lb-404", str(secretary_a1.pk))
