"""With requirements.txt alone, a large roster export goes through the broker to a worker and is written.

CI runs this in a virtualenv holding only the runtime requirements, so that a
module imported in production but installed only by requirements-dev.txt
(as ``packaging`` was, which kombu's Redis transport imports) fails here
instead of on the first export above ROSTER_EXPORT_SYNC_LIMIT rows.

Needs DATABASE_URL (PostgreSQL; a throw-away database is created beside it)
and REDIS_URL. Exits non-zero when the export does not finish.
"""
import os
import sys
import time
from pathlib import Path
from tempfile import TemporaryDirectory

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings_test")
os.environ["ROSTER_EXPORT_SYNC_LIMIT"] = "5"
SEED_MEMBERS = 20

import django  # noqa: E402

django.setup()

from celery.contrib.testing.worker import start_worker  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.urls import reverse  # noqa: E402

from accounts.models import User  # noqa: E402
from config.celery import app  # noqa: E402
from members.models import RosterExport  # noqa: E402


def run_export() -> RosterExport:
    call_command("seed_demo", members=SEED_MEMBERS, password="runtime-check-1", verbosity=0)
    client = Client()
    client.force_login(User.objects.get(username="county"))
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=30):
        response = client.get(reverse("members:export"))
        assert response.status_code == 302, f"export answered {response.status_code}, expected a queued job"
        job = RosterExport.objects.get()
        for _ in range(600):
            job.refresh_from_db()
            if job.status in (RosterExport.Status.DONE, RosterExport.Status.FAILED):
                break
            time.sleep(0.1)
    assert job.status == RosterExport.Status.DONE, f"export job ended {job.status}: {job.error}"
    assert job.done_rows > settings.ROSTER_EXPORT_SYNC_LIMIT and job.file, "the export wrote no file"
    return job


def _mirror_replica() -> None:
    """settings_test's ``replica`` mirrors the test database; create_test_db alone does not point it there."""
    if "replica" in connections.settings:
        connections.settings["replica"]["NAME"] = connection.settings_dict["NAME"]
        connections["replica"].close()


def _end_other_sessions() -> None:
    """The worker thread's connections (the replica's too) outlive it; the database cannot be dropped under them."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                       "WHERE datname = current_database() AND pid <> pg_backend_pid()")
    connections.close_all()


def main() -> None:
    if connection.vendor != "postgresql" or not settings.CELERY_BROKER_URL.startswith("redis://"):
        sys.exit("runtime check: set DATABASE_URL (PostgreSQL) and REDIS_URL")
    setup_test_environment()
    connection.settings_dict["TEST"]["NAME"] = f"{connection.settings_dict['NAME']}_runtime_check"
    with TemporaryDirectory() as media:
        settings.MEDIA_ROOT = media
        original_name = connection.creation.create_test_db(verbosity=0, autoclobber=True)
        _mirror_replica()
        try:
            job = run_export()
        finally:
            _end_other_sessions()
            connection.creation.destroy_test_db(original_name, verbosity=0)
    print(f"runtime check: a queued export of {job.done_rows} rows ran in a worker with requirements.txt alone")


if __name__ == "__main__":
    main()
