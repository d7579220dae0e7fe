"""What a process carries before it does anything: a worker that sends reminders must not load the large
tables only some pages need (pypinyin's phrase table alone is about 55 MB)."""
import os
import subprocess
import sys

from django.conf import settings

STARTUP = """
import sys
import django
django.setup()
from jobs.management.commands import send_reminders  # the daily job, imported as the worker does
print("loaded:" + ",".join(name for name in ("pypinyin", "zhconv") if name in sys.modules))
"""


def test_django_and_the_reminder_job_start_without_the_name_tables():
    result = subprocess.run([sys.executable, "-c", STARTUP], cwd=settings.BASE_DIR, capture_output=True, text=True,
                            check=True, env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings_test"})
    assert result.stdout.strip().splitlines()[-1] == "loaded:"
