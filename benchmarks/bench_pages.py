"""Server time of the heavy pages over ``BENCH_MEMBERS`` members (default 100,000; 1,000,000 for issue 15).

The county of bench_rollup (5 towns × 20 branches), topped up to two
organizational-life rows per member over the last 400 days (2,000,000 at
1,000,000 members, as in issue 15); then each page fetched through Django's
test client (the whole request: middleware, queries, template), median of 5
after a warm-up, as the county's department admin, a town's reviewer and a
branch secretary. Baseline: the login page, which reads nothing but the session.

The dashboard and the review page read the stored per-organization figures
(``reports.aggregates``): they are measured after ``refresh_figures`` (the
steady state: the refresh job runs every 5 minutes) and once more right after
a write in one branch (that branch's figures computed live).

    BENCH_MEMBERS=1000000 python -m benchmarks pages

With ``BENCH_DATABASE`` naming a database that holds a province built by
``benchmarks.province`` (for instance the one ``list_pages`` keeps), the
pages are measured on that province instead: its county ``county0``, the
town and branch of ``secretary0`` (the large branch, about 2,000 members at
1,000,000), without building the county above.

    BENCH_DATABASE=bench_province_1m python -m benchmarks pages
"""
import io
import os
import time

from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from benchmarks import harness, province
from benchmarks.bench_rollup import _build, _timed

#: (label, URL name, user, target in ms or None)
PAGES = [
    ("党员名册（第1页），全县", "members:list", "bench", None),
    ("首页（统计图），全县", "dashboard", "bench", 300),
    ("报告审核（全县汇总）", "reports:review", "bench", 300),
    ("报告审核（一个镇）", "reports:review", "bench-town", 300),
    ("首页（统计图），支部书记", "dashboard", "bench-branch", 100),
]


def run() -> None:
    with harness.bench_database():
        built = province.existing()
        if built:
            print(f"  使用已生成的省（{built.members:,} 名党员）", flush=True)
            _measure(built.members, _province_users(built))
        else:
            count = int(os.environ.get("BENCH_MEMBERS", "100000"))
            _measure(count, _build_county(count))


def _build_county(count: int):
    """bench_rollup's county with two life rows per member and its users; return the measured branch."""
    from accounts.models import User
    from accounts.roles import Role
    from organizations.models import Organization
    from reports.periods import Quarter

    started = time.perf_counter()
    county = _build(count, Quarter.last_completed())
    _life_rows_to_two_per_member()
    town = Organization.objects.filter(depth=county.depth + 1).order_by("path").first()
    branch = Organization.objects.filter(path__startswith=town.path, depth=town.depth + 1).order_by("path").first()
    User.objects.create(username="bench-town", organization=town, role=Role.COMMITTEE_REVIEWER)
    User.objects.create(username="bench-branch", organization=branch, role=Role.BRANCH_SECRETARY)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    print(f"{count:,} 名党员，数据生成 {time.perf_counter() - started:.0f} 秒", flush=True)
    return branch


def _province_users(built):
    """The page users of PAGES in the province's county, town and branch (kept across runs); return the branch."""
    from accounts.models import User
    from accounts.roles import Role
    from organizations.models import Organization

    branch = Organization.objects.get(pk=built.branch_id)
    town = branch.get_parent()
    for username, organization, role in (("bench", Organization.objects.get(pk=built.county_id), Role.DEPARTMENT_ADMIN),
                                         ("bench-town", town, Role.COMMITTEE_REVIEWER),
                                         ("bench-branch", branch, Role.BRANCH_SECRETARY)):
        User.objects.update_or_create(username=username, defaults={"organization": organization, "role": role})
    return branch


def _measure(count: int, branch) -> None:
    from accounts.models import User

    refresh_started = time.perf_counter()
    call_command("refresh_figures", "--rebuild")
    print(f"  refresh_figures --rebuild（全部重算）: {time.perf_counter() - refresh_started:.2f} 秒", flush=True)
    client = Client()
    baseline = _timed(lambda: client.get(reverse("login")))
    print(f"{count:,} 名党员；每页中位数，基线为登录页")
    for label, name, username, target in PAGES:
        client.force_login(User.objects.get(username=username))

        def fetch(name=name):
            response = client.get(reverse(name), secure=True)
            assert response.status_code == 200, (name, response.status_code)

        seconds = _timed(fetch)
        harness.report(f"  {label}", seconds * 1000, "ms", baseline=baseline * 1000, baseline_label="登录页",
                       target=f"≤ {target} ms" if target else "", ok=seconds * 1000 <= target if target else None)
        if target:
            _after_one_write(branch, fetch, label)
    started = time.perf_counter()
    call_command("refresh_figures")
    print(f"  refresh_figures（只重算变化的党组织）: {time.perf_counter() - started:.2f} 秒")


def _after_one_write(branch, fetch, label: str) -> None:
    """The same page right after a write in one branch: that branch's figures are computed live."""
    from members.models import Member

    member = Member.objects.filter(organization=branch).order_by("pk").first()
    Member.objects.filter(pk=member.pk).update(phone=member.phone)  # any write makes the branch's figures stale
    started = time.perf_counter()
    fetch()
    print(f"    同上，一个支部刚有修改（该支部实时计算）: {(time.perf_counter() - started) * 1000:8.1f} ms", flush=True)
    call_command("refresh_figures", stdout=io.StringIO())


def _life_rows_to_two_per_member() -> None:
    """Organizational life for every member, two rows each over the last 400 days (set-based)."""
    from members.models import OrganizationalLife

    if connection.vendor != "postgresql":
        return
    missing = 2 * _count("members_member") - OrganizationalLife.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(harness.insert_select(
            "members_organizationallife",
            "member_id, recorded_by_id, created_by_id, created_at, attended_on, kind, content",
            """
            SELECT m.id, m.organization_id, (SELECT MIN(id) FROM accounts_user), now(),
                CURRENT_DATE - ((m.id * 37 + k * 101) %% 400)::int, 'branch_meeting', '学习'
            FROM members_member m CROSS JOIN generate_series(1, 2) AS k
            ORDER BY m.id, k LIMIT %s"""), [max(missing, 0)])


def _count(table: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {table}")
        return cursor.fetchone()[0]
