"""/health/ for the load balancer and monitoring.

Anonymous callers get only ``ok`` (200) or ``fail`` (503); a staff login (the
organization department's administrator) also sees which check failed.
"""
import shutil
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.http import HttpResponse, JsonResponse
from django.views import View

from config.celery import app as celery_app


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return "ok"


def check_redis() -> str:
    if not settings.REDIS_URL:
        return "ok"  # development: no Redis configured
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2, socket_connect_timeout=2).ping()
    return "ok"


def check_celery() -> str:
    replies = celery_app.control.ping(timeout=settings.HEALTH_CELERY_TIMEOUT)
    if not replies:
        raise RuntimeError("no Celery worker answered")
    return f"{len(replies)} worker(s)"


def check_disk() -> str:
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    free_mb = shutil.disk_usage(media).free // (1024 * 1024)
    if free_mb < settings.HEALTH_MIN_FREE_DISK_MB:
        raise RuntimeError(f"{free_mb} MB free, below {settings.HEALTH_MIN_FREE_DISK_MB} MB")
    return f"{free_mb} MB free"


def check_migrations() -> str:
    executor = MigrationExecutor(connection)
    unapplied = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if unapplied:
        raise RuntimeError(f"{len(unapplied)} unapplied migration(s)")
    return "ok"


CHECKS = {"database": check_database, "redis": check_redis, "celery": check_celery,
          "disk": check_disk, "migrations": check_migrations}


def run_checks() -> dict[str, tuple[bool, str]]:
    results = {}
    for name, check in CHECKS.items():
        try:
            results[name] = (True, check())
        except Exception as error:  # a health check reports every failure, whatever it is
            results[name] = (False, f"{type(error).__name__}: {error}")
    return results


class HealthView(View):
    def get(self, request):
        results = run_checks()
        healthy = all(ok for ok, _detail in results.values())
        status = 200 if healthy else 503
        response = (JsonResponse({"status": "ok" if healthy else "fail",
                                  "checks": {name: {"ok": ok, "detail": detail} for name, (ok, detail) in results.items()}},
                                 status=status)
                    if request.user.is_authenticated and request.user.is_staff
                    else HttpResponse("ok" if healthy else "fail", content_type="text/plain; charset=utf-8", status=status))
        response["Cache-Control"] = "no-store"
        return response
