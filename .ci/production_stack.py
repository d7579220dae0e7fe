"""Acceptance: the production stack, started the documented way, works in a browser.

Like docs/deploy.md: a throw-away PostgreSQL database, ``migrate``,
``collectstatic``, the first county admin by ``create_county_admin``, then
gunicorn with ``DEBUG=0``, a Celery worker on the queues named in
deploy/systemd/mobile-party-worker.service, and beat. A county of more than
ROSTER_EXPORT_SYNC_LIMIT members is seeded in bulk. Chromium logs in, opens
the member list and a member, exports the whole roster as a background job
and downloads it through the protected view; the static files' cache headers
and /health/ are checked over HTTP. Everything started is stopped, and the
database dropped, even when a step fails.

Needs DATABASE_URL (PostgreSQL), REDIS_URL and Debian's chromium
(CHROMIUM_PATH or ``chromium`` on PATH). Exits non-zero on failure.
"""
import os
import re
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import ExitStack
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import psycopg2
from openpyxl import load_workbook

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
MEMBERS = 5200
ADMIN, PASSWORD = "county-admin", "Stack-check-2026-pw"
BROWSER_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--disable-quic", "--no-first-run", "--disable-component-update", "--disable-sync"]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def worker_queues() -> str:
    """The queues the documented worker unit consumes (its ``-Q`` argument)."""
    unit = (ROOT / "deploy" / "systemd" / "mobile-party-worker.service").read_text(encoding="utf-8")
    commands = "\n".join(line for line in unit.splitlines() if not line.startswith("#"))
    return re.search(r"-Q\s+(\S+)", commands).group(1)


class Stack:
    def __init__(self, stack: ExitStack, workdir: Path, env: dict):
        self.stack, self.workdir, self.env, self.processes = stack, workdir, env, []
        stack.callback(self.stop_all)

    def manage(self, *args):
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=self.env, check=True,
                       stdout=subprocess.DEVNULL, timeout=600)

    def start(self, name: str, command: list[str]):
        log = open(self.workdir / f"{name}.log", "wb")
        self.stack.callback(log.close)
        print(f"   start {name}: {shlex.join(command)}", flush=True)
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
                                   start_new_session=True)
        self.processes.append((name, process))
        return process

    def stop_all(self):
        for name, process in reversed(self.processes):
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for name, process in reversed(self.processes):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            print(f"   stopped {name}", flush=True)

    def log_tails(self):
        for name, _process in self.processes:
            text = (self.workdir / f"{name}.log").read_text(encoding="utf-8", errors="replace")
            print(f"--- {name} (last lines)\n" + "\n".join(text.splitlines()[-25:]), file=sys.stderr)


def throwaway_database(stack: ExitStack, database_url: str) -> str:
    parts = urlsplit(database_url)
    name = f"{parts.path.lstrip('/') or 'postgres'}_stack_{os.getpid()}"
    admin = psycopg2.connect(urlunsplit(parts._replace(path="/postgres")))
    admin.autocommit = True

    def drop():
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()

    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{name}"')
    stack.callback(drop)
    return urlunsplit(parts._replace(path=f"/{name}"))


def wait_until(condition, what: str, seconds: float = 60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise AssertionError(f"timed out waiting for {what}")


def http_get(url: str, **headers):
    request = urllib.request.Request(url, headers=headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read()


def drive_browser(base: str, workdir: Path):
    from playwright.sync_api import sync_playwright

    chromium = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=BROWSER_ARGS)
        try:
            context = browser.new_context(locale="zh-CN", base_url=base, accept_downloads=True)
            context.set_default_timeout(30_000)
            page = context.new_page()
            page.goto("/accounts/login/")
            page.fill("input[name=username]", ADMIN)
            page.fill("input[name=password]", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_url(lambda url: "/accounts/login/" not in url)

            page.goto("/members/")
            assert "党员名册" in page.title(), page.title()
            page.locator("table a[href^='/members/']").first.click()
            page.wait_for_url(re.compile(r"/members/\d+/$"))
            print("   member list and a member: open", flush=True)

            page.goto("/members/")
            page.click("text=导出Excel")
            page.wait_for_url(re.compile(r"/members/export/"))
            download_link = page.locator("#export-download")
            download_link.wait_for(state="visible", timeout=90_000)
            with page.expect_download(timeout=60_000) as download_info:
                download_link.click()
            download = download_info.value
            target = workdir / "roster.xlsx"
            download.save_as(target)
            rows = sum(1 for _row in load_workbook(target, read_only=True).worksheets[0].iter_rows())
            assert rows > MEMBERS, f"the downloaded roster has {rows} rows"
            print(f"   export of {MEMBERS} members downloaded through the protected view ({rows} rows)", flush=True)
            stylesheet = page.locator("link[rel=stylesheet]").first.get_attribute("href")
        finally:
            browser.close()
    return stylesheet


def check_static_and_health(base: str, stylesheet: str):
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), f"static name is not hashed: {stylesheet}"
    status, headers, _body = http_get(base + stylesheet, **{"Accept-Encoding": "gzip"})
    cache = headers.get("Cache-Control", "")
    assert status == 200 and "immutable" in cache, (status, cache)
    assert int(re.search(r"max-age=(\d+)", cache).group(1)) >= 365 * 24 * 3600, cache
    assert headers.get("Content-Encoding") == "gzip", headers
    print(f"   static {stylesheet}: {cache}, gzip", flush=True)
    status, headers, body = http_get(base + "/health/")
    assert (status, body) == (200, b"ok"), (status, body)
    assert headers.get("Cache-Control") == "no-store"
    print("   /health/: ok", flush=True)


def main() -> int:
    database_url, redis_url = os.environ.get("DATABASE_URL", ""), os.environ.get("REDIS_URL", "")
    if not database_url.startswith("postgres") or not redis_url.startswith("redis://"):
        print("production stack: set DATABASE_URL (PostgreSQL) and REDIS_URL", file=sys.stderr)
        return 2
    started = time.monotonic()
    with ExitStack() as stack:
        workdir = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="production-stack-")))
        port = free_port()
        env = {key: value for key, value in os.environ.items()
               if key not in ("DJANGO_ENV", "DEBUG", "DJANGO_SETTINGS_MODULE", "CELERY_TASK_ALWAYS_EAGER")}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings", DEBUG="0", SECRET_KEY=secrets.token_urlsafe(50),
            DATABASE_URL=throwaway_database(stack, database_url), REDIS_URL=redis_url,
            ALLOWED_HOSTS="localhost,127.0.0.1", CSRF_TRUSTED_ORIGINS=f"http://localhost:{port}",
            # plain HTTP on the loopback interface; nginx terminates TLS in production
            SECURE_SSL_REDIRECT="0",
            STATIC_ROOT=str(workdir / "static"), MEDIA_ROOT=str(workdir / "media"),
            MEDIA_ACCEL_REDIRECT="0", HEALTH_MIN_FREE_DISK_MB="64", COUNTY_ADMIN_PASSWORD=PASSWORD,
        )
        run = Stack(stack, workdir, env)
        try:
            print("   migrate, collectstatic, seed, create_county_admin", flush=True)
            run.manage("migrate", "--noinput")
            run.manage("collectstatic", "--noinput")
            run.manage("seed_demo", "--members", str(MEMBERS), f"--password={secrets.token_urlsafe(12)}")  # a token may start with "-"
            run.manage("create_county_admin", "--organization-name", county_name(env), "--username", ADMIN)

            run.start("gunicorn", [str(BIN / "gunicorn"), "config.wsgi:application", "--bind", f"127.0.0.1:{port}",
                                   "--workers", "2", "--timeout", "120", "--access-logfile", "-"])
            run.start("worker", [str(BIN / "celery"), "-A", "config", "worker", "-Q", worker_queues(),
                                 "--concurrency", "1", "--hostname", f"stack-{port}@%h", "--loglevel", "INFO",
                                 "--without-gossip", "--without-mingle"])
            run.start("beat", [str(BIN / "celery"), "-A", "config", "beat", "--loglevel", "INFO",
                               "--schedule", str(workdir / "celerybeat-schedule")])
            base = f"http://localhost:{port}"
            wait_until(lambda: http_get(base + "/accounts/login/")[0] == 200, "gunicorn")
            wait_until(lambda: http_get(base + "/health/")[2] == b"ok", "a healthy stack (worker answering)")

            stylesheet = drive_browser(base, workdir)
            check_static_and_health(base, stylesheet)
            for name, process in run.processes:
                assert process.poll() is None, f"{name} exited early"
        except BaseException:
            run.log_tails()
            raise
    print(f"production stack: ok in {time.monotonic() - started:.0f} s", flush=True)
    return 0


def county_name(env: dict) -> str:
    """The demo county's name (create_county_admin attaches to the existing root by its name)."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c",
         "from organizations.models import Organization; print(Organization.objects.get_root_nodes().get().name)"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True, timeout=120)
    return result.stdout.strip().splitlines()[-1]


if __name__ == "__main__":
    sys.exit(main())
