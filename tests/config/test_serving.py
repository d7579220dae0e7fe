"""Serving: protected files in both modes, Chinese error pages with DEBUG off, static storage."""
from urllib.parse import quote

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db.models.fields.files import FieldFile
from django.urls import reverse

from config.protected_files import protected_file_response
from members.models import RosterExport
from tests.factories import MemberFactory

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _stored_file(name="exports/测试.xlsx", content=b"PK-xlsx-bytes"):
    saved = default_storage.save(name, ContentFile(content))
    return FieldFile(None, RosterExport._meta.get_field("file"), saved)


def test_without_accel_redirect_django_streams_the_file(settings, db):
    settings.MEDIA_ACCEL_REDIRECT = False
    stored = _stored_file()
    response = protected_file_response(stored, content_type=XLSX, filename="名册.xlsx")
    assert b"".join(response.streaming_content) == b"PK-xlsx-bytes"
    assert "X-Accel-Redirect" not in response
    assert response["Content-Type"] == XLSX
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "no-store"


def test_with_accel_redirect_nginx_sends_the_file_from_its_internal_location(settings, db):
    settings.MEDIA_ACCEL_REDIRECT = True
    settings.MEDIA_ACCEL_PREFIX = "/protected/"
    stored = _stored_file()
    response = protected_file_response(stored, content_type="image/jpeg", filename="22.jpg", inline=True)
    assert response["X-Accel-Redirect"] == "/protected/" + quote(stored.name)
    assert response.content == b""
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline;")
    assert response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "no-store"


def test_a_file_made_on_the_fly_is_always_streamed(settings):
    settings.MEDIA_ACCEL_REDIRECT = True
    from io import BytesIO

    response = protected_file_response(BytesIO(b"abc"), content_type=XLSX, filename="模板.xlsx")
    assert "X-Accel-Redirect" not in response and b"".join(response.streaming_content) == b"abc"


def test_another_branchs_member_gets_the_chinese_404_with_debug_off(client, secretary_a1, tree, settings):
    settings.DEBUG = False
    other = MemberFactory(organization=tree.branch_b1)
    client.force_login(secretary_a1)
    response = client.get(reverse("members:detail", args=[other.pk]))
    assert response.status_code == 404
    assert "404.html" in [t.name for t in response.templates]
    body = response.content.decode()
    assert "页面不存在" in body and "不在您所在党组织的管理范围内" in body
    assert "URLconf" not in body and "Page not found" not in body


def test_production_static_storage_is_hashed_and_compressed():
    from config import settings as real

    backend = real.STORAGES["staticfiles"]["BACKEND"]
    assert not real.DEV_MODE and backend == "whitenoise.storage.CompressedManifestStaticFilesStorage"
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in real.MIDDLEWARE


def test_a_forbidden_page_and_a_server_error_are_in_chinese_with_debug_off(client, secretary_a1, rf, settings):
    from django.views.defaults import server_error

    settings.DEBUG = False
    client.force_login(secretary_a1)
    forbidden = client.get(reverse("jobs:schedule_runs"))
    assert forbidden.status_code == 403 and "没有权限" in forbidden.content.decode()
    error = server_error(rf.get("/"))
    assert error.status_code == 500 and "系统出现错误" in error.content.decode()
