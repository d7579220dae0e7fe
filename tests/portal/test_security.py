"""The member's page against someone who is not the member: tokens, locks, photos, uploads, stored XSS."""
import time

import pytest
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from portal import session
from portal.models import PortalLink, Submission
from portal.services import notice_publish, submission_send
from tests.activity_cards.conftest import oversize_png_upload, text_as_png_upload
from tests.factories import AwayMemberFactory
from tests.portal.conftest import answer, png_upload
from portal.links import portal_link_issue

pytestmark = pytest.mark.django_db

XSS = '<script>alert(1)</script><img src=x onerror=alert(2)>'


@pytest.fixture
def other(tree, secretary_a1):
    member = AwayMemberFactory(organization=tree.branch_a1, name="朴成浩")
    return portal_link_issue(member=member, acting_user=secretary_a1)


def test_another_members_answer_does_not_open_a_link(link, other):
    client = Client()
    response = client.post(f"/m/{link.token}/", answer(other.member))
    assert response.status_code == 200 and "不对" in response.content.decode()
    assert session.COOKIE_NAME not in client.cookies or not client.cookies[session.COOKIE_NAME].value


def test_a_session_opens_only_its_own_link(member_client, link, other):
    response = member_client.get(f"/m/{other.token}/home/")
    assert response.status_code == 302 and response["Location"] == f"/m/{other.token}/"
    assert "朴成浩" not in member_client.get(f"/m/{other.token}/", follow=True).content.decode()


@pytest.mark.parametrize("token", ["guess", "A" * 43, "%00", "x.y~z!"])
def test_guessed_tokens_get_a_plain_refusal(token, link):
    response = Client().get(f"/m/{token}/")
    assert response.status_code == 404 and "链接无效" in response.content.decode()


def test_locked_link_is_refused_with_a_clear_page(link, away):
    client = Client()
    wrong = {**answer(away), "birth_date": "1900-01-01"}
    for _ in range(5):
        response = client.post(f"/m/{link.token}/", wrong)
    assert response.status_code == 403 and "锁定1小时" in response.content.decode()
    response = client.post(f"/m/{link.token}/", answer(away))
    assert response.status_code == 403 and "锁定" in response.content.decode()


def test_revoked_and_returned_links_are_refused_and_end_the_session(member_client, link, away, secretary_a1):
    portal_link_issue(member=away, acting_user=secretary_a1)  # reissue: the old one is revoked
    response = member_client.get(f"/m/{link.token}/home/")
    assert response.status_code == 404 and "已经停用" in response.content.decode()


def test_an_expired_or_forged_session_is_refused(link, monkeypatch):
    client = Client()
    real = time.time
    monkeypatch.setattr(time, "time", lambda: real() - session.SESSION_SECONDS - 5)
    old = signing.dumps({"link": link.pk, "token": link.token[:8]}, salt="portal.session")
    monkeypatch.setattr(time, "time", real)
    client.cookies[session.COOKIE_NAME] = old
    assert client.get(f"/m/{link.token}/home/").status_code == 302
    client.cookies[session.COOKIE_NAME] = signing.dumps({"link": link.pk, "token": link.token[:8]}, salt="other")
    assert client.get(f"/m/{link.token}/home/").status_code == 302


def test_another_members_photo_is_not_served(member_client, link, other, secretary_b1):
    theirs = submission_send(link=other, kind=Submission.Kind.THOUGHT, data={"text": "x"}, photos=[png_upload()])
    photo = theirs.photos.get()
    assert member_client.get(f"/m/{link.token}/photos/{photo.pk}/").status_code == 404
    assert Client().get(f"/portal/photos/{photo.pk}/").status_code == 302  # no staff login
    outsider = Client()
    outsider.force_login(secretary_b1)
    assert outsider.get(f"/portal/photos/{photo.pk}/").status_code == 404
    assert Client().get("/" + photo.image.url.lstrip("/")).status_code == 404


@pytest.mark.parametrize("upload", [oversize_png_upload, text_as_png_upload,
                                    lambda: SimpleUploadedFile("page.html", b"<html>x</html>", "text/html")])
def test_oversize_and_non_image_uploads_are_refused(member_client, link, upload):
    response = member_client.post(f"/m/{link.token}/thought/", {"text": "汇报", "photos": [upload()]})
    assert response.status_code == 200 and "已发送" not in response.content.decode()
    assert not Submission.objects.exists()


def test_six_photos_are_refused(member_client, link):
    response = member_client.post(f"/m/{link.token}/thought/",
                                  {"text": "汇报", "photos": [png_upload() for _ in range(6)]})
    assert "最多上传5张照片" in response.content.decode()


FORMS = {
    "details": {"destination_division_id": "320500", "destination_address": XSS,
                "host_unit": XSS[:100], "phone": "13800138000"},
    "thought": {"text": XSS},
    "life": {"attended_on": "2026-01-05", "life_kind": "theme_day", "host": XSS[:80], "topic": XSS[:100]},
    "dues": {"first_month": "2026-11", "last_month": "2026-11", "amount": "20", "paid_on": "2026-11-20",
             "paid_where": XSS[:100], "receipt_number": XSS[:50]},
    "help": {"help_kind": "job", "text": XSS},
}


@pytest.mark.parametrize("form", FORMS)
def test_stored_xss_in_every_text_field_is_escaped(form, member_client, link, secretary_a1):
    response = member_client.post(f"/m/{link.token}/{form}/", FORMS[form])
    assert response.status_code == 200 and "已发送" in response.content.decode(), response.content.decode()[:3000]
    staff = Client()
    staff.force_login(secretary_a1)
    for page in (staff.get("/portal/inbox/"), member_client.get(f"/m/{link.token}/home/")):
        assert page.status_code == 200
        assert "<script>alert" not in page.content.decode() and "<img src=x" not in page.content.decode()
    submission = Submission.objects.get()
    staff.post(f"/portal/inbox/{submission.pk}/decline/", {"reason": XSS})
    assert "<script>alert" not in member_client.get(f"/m/{link.token}/home/").content.decode()


def test_notice_xss_is_escaped(member_client, link, secretary_a1):
    notice = notice_publish(acting_user=secretary_a1, title=XSS[:100], body=XSS)
    for url in (f"/m/{link.token}/home/", f"/m/{link.token}/notices/{notice.pk}/"):
        page = member_client.get(url).content.decode()
        assert "<script>alert" not in page and "&lt;script&gt;" in page
    staff = Client()
    staff.force_login(secretary_a1)
    assert "<script>alert" not in staff.get("/portal/notices/").content.decode()


def test_no_link_for_a_member_held_elsewhere(secretary_b1, away):
    staff = Client()
    staff.force_login(secretary_b1)
    assert staff.post(f"/portal/members/{away.pk}/link/").status_code == 404
    assert not PortalLink.objects.filter(member=away).exists()
