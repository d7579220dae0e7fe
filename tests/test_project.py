"""Project-wide checks: migrations in sync, deploy settings, demo data."""
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.core.management import call_command

from accounts.models import User
from members.choices import MobilityStatus
from members.models import Member
from organizations.models import Organization


@pytest.mark.django_db
def test_no_missing_migrations():
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)


def _manage(*args, **env):
    # Start from the real environment, less what the test settings put into it.
    dropped = {"DJANGO_SETTINGS_MODULE", "SECURE_SSL_REDIRECT", "SECRET_KEY", "DEBUG", "DATABASE_URL",
               "DJANGO_ALLOW_ASYNC_UNSAFE"}
    full_env = {k: v for k, v in os.environ.items() if k not in dropped}
    full_env.update(env)
    return subprocess.run([sys.executable, "manage.py", *args], cwd=settings.BASE_DIR, env=full_env,
                          capture_output=True, text=True, timeout=120)


def test_deploy_check_is_clean_in_production():
    result = _manage("check", "--deploy", "--fail-level", "WARNING",
                     DEBUG="0", SECRET_KEY="x" * 20 + "a-real-long-random-production-secret-key-9f8e7d",
                     DATABASE_URL="postgres://app@127.0.0.1/app", ALLOWED_HOSTS="ldgl.example.gov.cn")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_secret_key():
    result = _manage("check", DEBUG="0", SECRET_KEY="", DATABASE_URL="postgres://app@127.0.0.1/app")
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_refuses_to_start_without_database_url(tmp_path):
    env = {"DEBUG": "0", "SECRET_KEY": "y" * 60}
    full_env = {k: v for k, v in os.environ.items()
                if k not in ("DJANGO_SETTINGS_MODULE", "DATABASE_URL", "SECURE_SSL_REDIRECT")}
    full_env.update(env)
    result = subprocess.run([sys.executable, "-c", "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='config.settings'; django.setup()"],
                            cwd=settings.BASE_DIR, env=full_env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "DATABASE_URL" in result.stderr


@pytest.mark.django_db
def test_seed_demo_is_realistic_and_idempotent():
    call_command("seed_demo", members=300, password="pw-demo-123", verbosity=0)
    counts = (Organization.objects.count(), Member.objects.count(), User.objects.count())
    call_command("seed_demo", members=300, password="pw-demo-123", verbosity=0)
    assert (Organization.objects.count(), Member.objects.count(), User.objects.count()) == counts
    assert counts[0] >= 35 and counts[1] == 300
    away = Member.objects.filter(mobility_status=MobilityStatus.OUTFLOW).count()
    assert 0.35 < away / 300 < 0.55
    assert {"上海市", "北京市", "沈阳市", "大连市", "青岛市", "首尔"} <= set(
        Member.objects.values_list("destination_city", flat=True))
    for member in Member.objects.all()[:100]:
        member.full_clean()  # valid ID numbers, consistent with birth date and gender
    for username in ["county", "committee", "secretary", "staff"]:
        assert User.objects.get(username=username).check_password("pw-demo-123")
    secretary = User.objects.get(username="secretary")
    committee = User.objects.get(username="committee")
    assert secretary.organization.is_within(committee.organization)


def _env_example() -> dict[str, str]:
    lines = (settings.BASE_DIR / "deploy" / ".env.example").read_text(encoding="utf-8").splitlines()
    return dict(line.split("=", 1) for line in lines if line and not line.startswith("#"))


def test_deploy_check_is_clean_with_the_env_example():
    example = _env_example()
    result = _manage("check", "--deploy", "--fail-level", "WARNING", **example)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_the_env_example_explains_every_setting_read_from_the_environment():
    import re

    source = (settings.BASE_DIR / "config" / "settings.py").read_text(encoding="utf-8")
    read = set(re.findall(r'env(?:\.\w+)?\("([A-Z_]+)"', source)) - {"DJANGO_ENV"}
    text = (settings.BASE_DIR / "deploy" / ".env.example").read_text(encoding="utf-8")
    documented = set(re.findall(r"^#? ?([A-Z_]+)=", text, flags=re.MULTILINE))
    assert read <= documented, f"not in deploy/.env.example: {sorted(read - documented)}"


def test_nginx_accepts_imports_up_to_the_import_limit():
    import re

    conf = (settings.BASE_DIR / "deploy" / "nginx" / "mobile-party.conf").read_text(encoding="utf-8")
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", conf).group(1))
    limit = int(_env_example()["ROSTER_IMPORT_MAX_BYTES"])
    assert limit <= megabytes * 1024 * 1024 <= limit + 2 * 1024 * 1024


def test_development_mode_runs_without_secrets_and_without_debug():
    result = _manage("shell", "-c", "from django.conf import settings; print(settings.DEBUG, settings.DATABASES['default']['ENGINE'])",
                     DJANGO_ENV="dev")
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["False", "django.db.backends.sqlite3"]
