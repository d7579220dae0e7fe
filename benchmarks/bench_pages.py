"""Server time of the pages a county admin opens, over ``BENCH_MEMBERS`` members (default 100,000).

The county of bench_rollup, then each page fetched through Django's test
client (the whole request: middleware, queries, template) as the county's
department admin, median of 5 after a warm-up; baseline: the login page,
which reads nothing but the session.
"""
import os

from django.db import connection
from django.test import Client
from django.urls import reverse

from benchmarks import harness
from benchmarks.bench_rollup import _build, _timed

PAGES = [("党员名册（第1页）", "members:list"), ("首页（统计图）", "dashboard"), ("报告审核（全县汇总）", "reports:review")]


def run() -> None:
    with harness.bench_database():
        _measure(int(os.environ.get("BENCH_MEMBERS", "100000")))


def _measure(count: int) -> None:
    from accounts.models import User
    from reports.periods import Quarter

    _build(count, Quarter.last_completed())
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    client = Client()
    baseline = _timed(lambda: client.get(reverse("login")))
    client.force_login(User.objects.get(username="bench"))
    print(f"{count:,} 名党员，组织部管理员（全县）；每页中位数，基线为登录页")
    for label, name in PAGES:
        def fetch(name=name):
            response = client.get(reverse(name), secure=True)
            assert response.status_code == 200, (name, response.status_code)

        harness.report(f"  {label}", _timed(fetch) * 1000, "ms", baseline=baseline * 1000, baseline_label="登录页")
