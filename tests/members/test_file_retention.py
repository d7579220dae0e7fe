"""Export files are deleted after EXPORT_FILE_RETENTION_DAYS, unconfirmed uploads after IMPORT_UPLOAD_RETENTION_DAYS."""
from datetime import timedelta

import pytest
from django.conf import settings as django_settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from members.file_retention import roster_files_expire
from members.models import PersonalDataAccess, RosterExport, RosterImport
from members.services import roster_export_log


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.EXPORT_FILE_RETENTION_DAYS = 7
    settings.IMPORT_UPLOAD_RETENTION_DAYS = 1


def _export(user, *, days_ago, status=RosterExport.Status.DONE):
    job = RosterExport.objects.create(user=user, status=status, total_rows=6000,
                                      finished_at=timezone.now() - timedelta(days=days_ago))
    job.file.save("x.xlsx", ContentFile(b"xlsx"))
    return job


def _upload(user, *, hours_ago, status=RosterImport.Status.PREVIEWED):
    stash = RosterImport.objects.create(user=user, original_name="名册.xlsx", status=status)
    stash.file.save("x.xlsx", ContentFile(b"xlsx"))
    RosterImport.objects.filter(pk=stash.pk).update(created_at=timezone.now() - timedelta(hours=hours_ago))
    return stash


def _expire(capture):
    with capture(execute=True):
        return roster_files_expire(now=timezone.now())


def test_old_files_go_recent_ones_and_the_records_of_who_exported_stay(
        secretary_a1, django_capture_on_commit_callbacks, caplog):
    old, recent, running = (_export(secretary_a1, days_ago=8), _export(secretary_a1, days_ago=6),
                            _export(secretary_a1, days_ago=30, status=RosterExport.Status.RUNNING))
    roster_export_log(acting_user=secretary_a1, filters={}, row_count=6000, job=old)
    abandoned, fresh = _upload(secretary_a1, hours_ago=25), _upload(secretary_a1, hours_ago=2)
    old_name, abandoned_name = old.file.name, abandoned.file.name

    with caplog.at_level("INFO", logger="members.file_retention"):
        result = _expire(django_capture_on_commit_callbacks)

    assert result.exports == [old_name] and result.uploads == [abandoned_name]
    assert not default_storage.exists(old_name) and not default_storage.exists(abandoned_name)
    for kept in (recent, running, fresh):
        assert default_storage.exists(kept.file.name)
    old.refresh_from_db()
    abandoned.refresh_from_db()
    assert (old.status, old.file.name, old.total_rows) == (RosterExport.Status.EXPIRED, "", 6000)
    assert (abandoned.status, abandoned.file.name) == (RosterImport.Status.DISCARDED, "")
    assert PersonalDataAccess.objects.filter(user=secretary_a1, action=PersonalDataAccess.Action.EXPORT).count() == 1
    assert old_name in caplog.text and abandoned_name in caplog.text


def test_a_second_run_finds_nothing_and_a_file_already_gone_is_no_error(
        secretary_a1, django_capture_on_commit_callbacks):
    job = _export(secretary_a1, days_ago=10)
    default_storage.delete(job.file.name)
    assert len(_expire(django_capture_on_commit_callbacks).exports) == 1
    again = _expire(django_capture_on_commit_callbacks)
    assert again.exports == [] and again.uploads == []


def test_set_based_whatever_the_number_of_files(secretary_a1, django_capture_on_commit_callbacks,
                                                django_assert_max_num_queries):
    for _i in range(20):
        _export(secretary_a1, days_ago=9)
        _upload(secretary_a1, hours_ago=48)
    with django_assert_max_num_queries(8):
        result = _expire(django_capture_on_commit_callbacks)
    assert (len(result.exports), len(result.uploads)) == (20, 20)


def test_downloading_an_expired_export_says_so_in_chinese(client, secretary_a1, django_capture_on_commit_callbacks):
    job = _export(secretary_a1, days_ago=8)
    _expire(django_capture_on_commit_callbacks)
    client.force_login(secretary_a1)
    response = client.get(reverse("members:export_download", args=[job.token]), follow=True)
    assert response.status_code == 200
    page = response.content.decode()
    assert "该名册文件已过期" in page and "已过期" in page and "文件已删除" in page
    status = client.get(reverse("members:export_status", args=[job.token])).json()
    assert (status["status"], status["status_label"], status["download_url"]) == ("expired", "已过期", "")


def test_the_job_is_scheduled_daily_on_the_jobs_queue():
    from config.celery import app
    from jobs.tasks import remove_expired_files

    assert any(entry["task"] == "jobs.remove_expired_files" for entry in django_settings.CELERY_BEAT_SCHEDULE.values())
    assert app.amqp.router.route({}, remove_expired_files.name)["queue"].name == "jobs"
