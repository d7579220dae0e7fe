"""The member list (and the other lists) in a province of ``BENCH_MEMBERS`` members (default 1,000,000).

Each page is fetched through Django's test client (median of 5 after a
warm-up) as a branch secretary, a town committee and a county admin of the
province built by ``benchmarks.province``. Two figures per page:

- 名册SQL: the time of the statements the page runs against
  ``members_member`` (count, rows, names shown), next to the baseline, the
  bare indexed query for the same 50 rows (the scope as literal organization
  ids, the same filter and order, ``LIMIT 50 OFFSET n``), run in the same
  process; targets: ≤ 1.5× for the secretary and town pages, ≤ 3× for the
  county's page 1, its searches (name, ID digits, pinyin and its initials) and sorts;
- 整页: the whole request (middleware, session, every query, template), next
  to the login page, which reads nothing but the session.

Issue 12's figure: the search by pinyin initials, page 1 and a deep page, for
the county admin and for an admin of the whole province (every member), next
to the plain name-prefix query (the surname, ``name LIKE '王%'``, same scope
and page) as the baseline; target ≤ 1.5×.

    BENCH_MEMBERS=100000 python -m benchmarks list_pages
    BENCH_DATABASE=bench_province_1m python -m benchmarks list_pages   # build once, measure again later
"""
import statistics
import time
from contextlib import contextmanager

from benchmarks import harness, province

REPEATS = 5
LIMIT = 50
#: (column of members_member or expression, whether it needs the organization joined) per sort key.
SORT_SQL = {"name": "m.name", "organization": "o.path", "departure_date": "m.departure_date",
            "mobility_status": "m.mobility_status", "updated_at": "m.updated_at"}


def run() -> None:
    from django.db import connection

    if connection.vendor != "postgresql":
        print("跳过：需要 DATABASE_URL 指向 PostgreSQL。")
        return
    with harness.bench_database():
        from members.models import Member

        wanted = province.size()
        if Member.objects.exists():
            built = province.province()
            print(f"  使用已生成的数据（{built.members:,} 名党员）")
        else:
            built = province.build(wanted)
        _measure(built)


def _measure(built) -> None:
    from django.test import Client
    from django.urls import reverse

    from accounts.models import User
    from members.pinyin import name_search_keys
    from organizations.models import Organization

    client = Client()
    login = _median(lambda: client.get(reverse("login")))
    secretary = User.objects.get(username=built.secretary)
    town_user = User.objects.filter(organization__path=Organization.objects.get(pk=built.branch_id).path[:16]).get(
        role="committee_reviewer")
    county = User.objects.get(username=built.county_admin)
    print(f"{built.members:,} 名党员；每页中位数（{REPEATS} 次）；名册SQL 与基线（同一批50行的裸索引查询）比较，"
          f"整页与登录页（{login * 1000:.1f} ms）比较")
    for user, label, target in ((secretary, "支部书记", 1.5), (town_user, "乡镇党委", 1.5), (county, "县委组织部", 3)):
        scope = _scope_ids(user)
        rows = _scoped_count(scope, "")
        last = max(1, -(-rows // LIMIT))
        print(f"  {label}：{rows:,} 名（在册）, {last} 页")
        pages = sorted({1, max(1, last // 2), last})
        for page in pages:
            _case(client, user, f"{label} 第{page}页", {"page": page}, scope, target if page == 1 or target < 2 else 3)
    scope = _scope_ids(county)
    name = _a_name(scope)
    digits = "0000012"
    pinyin, initials = name_search_keys(name)
    for label, params in ((f"县 搜索姓名「{name}」", {"q": name}), (f"县 搜索身份证号数字「{digits}」", {"q": digits}),
                          (f"县 搜索拼音「{pinyin}」", {"q": pinyin}), (f"县 搜索拼音首字母「{initials}」", {"q": initials})):
        _case(client, county, label, params, scope, 3)
    province_admin = _province_admin()
    for user, who in ((county, "县"), (province_admin, "全省")):
        _initials_against_prefix(client, user, who, _scope_ids(user), name)
    for key in SORT_SQL:
        for sort in (key, f"-{key}"):
            _case(client, county, f"县 排序 {sort}", {"sort": sort}, scope, 3)
    for label, name in (("外出登记", "transfers:outflow_list"), ("流入登记", "transfers:inflow_list"),
                        ("活动证", "activity_cards:list"), ("不活跃提示", "jobs:flag_list"),
                        ("通知", "notifications:list")):
        for user, who in ((secretary, "支部书记"), (county, "县委组织部")):
            _whole_page(client, user, f"{who} {label} 第1页", reverse(name), login)


def _province_admin():
    """A department admin of the province's root: the scope is every member."""
    from accounts.models import User
    from accounts.roles import Role
    from organizations.models import Organization

    root = Organization.objects.get(depth=1)
    user, _created = User.objects.update_or_create(username="province0", defaults={
        "organization": root, "role": Role.DEPARTMENT_ADMIN})
    return user


def _initials_against_prefix(client, user, who, scope, name) -> None:
    """Search by pinyin initials (page 1 and a deep page) against the plain name-prefix query of the surname."""
    from members.pinyin import name_search_keys

    surname = name[0]
    _pinyin, initials = name_search_keys(name)
    rows, prefix_rows = _scoped_count(scope, initials), _scoped_count(scope, surname, prefix=True)
    deep = max(1, -(-min(rows, prefix_rows) // LIMIT) // 2)
    print(f"  {who}：拼音首字母「{initials}」{rows:,} 名，姓名前缀「{surname}」{prefix_rows:,} 名")
    for page in sorted({1, deep}):
        _case(client, user, f"{who} 拼音首字母「{initials}」第{page}页", {"q": initials, "page": page}, scope, 1.5,
              baseline_params={"q": surname, "page": page, "prefix": True}, baseline_label="姓名前缀裸查询")


def _case(client, user, label, params, scope, target, *, baseline_params=None, baseline_label="裸查询") -> None:
    from django.urls import reverse

    client.force_login(user)
    url = reverse("members:list")
    list_sql = []

    def fetch():
        with _member_sql_time() as spent:
            response = client.get(url, params, secure=True)
        assert response.status_code == 200, (label, response.status_code)
        list_sql.append(spent[0])

    whole = _median(fetch)
    sql = statistics.median(list_sql[1:])
    baseline = _median(lambda: _bare_query(scope, baseline_params or params))
    harness.report(f"  {label} 名册SQL", sql * 1000, "ms", baseline=baseline * 1000, baseline_label=baseline_label,
                   target=f"≤ {target}×", ok=sql <= target * baseline)
    harness.report(f"  {label} 整页", whole * 1000, "ms")


def _whole_page(client, user, label, url, login) -> None:
    client.force_login(user)

    def fetch():
        response = client.get(url, secure=True)
        assert response.status_code == 200, (label, response.status_code)

    harness.report(f"  {label} 整页", _median(fetch) * 1000, "ms", baseline=login * 1000, baseline_label="登录页")


@contextmanager
def _member_sql_time():
    """Seconds spent in statements that read members_member (the list's count, rows and names)."""
    from django.db import connection

    spent = [0.0]

    def timed(execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            if '"members_member"' in sql and not sql.startswith("INSERT"):
                spent[0] += time.perf_counter() - start

    with connection.execute_wrapper(timed):
        yield spent


def _median(function) -> float:
    function()
    times = []
    for _i in range(REPEATS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _scope_ids(user) -> list[int]:
    from organizations.models import Organization

    return list(Organization.objects.visible_to(user).values_list("pk", flat=True))


def _filters(q, prefix=False) -> tuple[str, list]:
    from members.pinyin import is_pinyin_query

    where, params = "m.membership_status IN ('active', 'suspended')", []
    if prefix:
        where += " AND m.name LIKE %s"
        params.append(f"{q}%")
    elif q.isdigit():
        where += " AND (m.id_number LIKE %s OR m.phone LIKE %s)"
        params += [f"%{q}%", f"%{q}%"]
    elif is_pinyin_query(q):
        where += " AND (m.name_pinyin LIKE %s OR m.name_initials LIKE %s)"
        params += [f"{q}%", f"{q}%"]
    elif q:
        where += " AND m.name LIKE %s"
        params.append(f"%{q}%")
    return where, params


def _scoped(scope, q, prefix=False) -> tuple[str, list]:
    """The scope as two indexed halves: members held in it, and members hosted in it but held elsewhere."""
    ids = "{" + ",".join(map(str, scope)) + "}"
    where, params = _filters(q, prefix)
    sql = f"""(SELECT m.* FROM members_member m WHERE m.organization_id = ANY(%s::bigint[]) AND {where}
               UNION ALL
               SELECT m.* FROM members_member m WHERE m.host_organization_id = ANY(%s::bigint[])
                 AND NOT m.organization_id = ANY(%s::bigint[]) AND {where})"""
    return sql, [ids, *params, ids, ids, *params]


def _scoped_count(scope, q, prefix=False) -> int:
    from django.db import connection

    sql, params = _scoped(scope, q, prefix)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {sql} m", params)
        return cursor.fetchone()[0]


def _bare_query(scope, params) -> None:
    """The same 50 rows by the plainest indexed query: literal scope ids, the same filter, order and offset."""
    from django.db import connection

    sql, values = _scoped(scope, params.get("q", ""), params.get("prefix", False))
    sort = params.get("sort", "")
    column = SORT_SQL.get(sort.lstrip("-"))
    direction = " DESC" if sort.startswith("-") else ""
    order = f"{column}{direction}, m.id{direction}" if column else "m.organization_id, m.name, m.id"
    offset = (int(params.get("page", 1)) - 1) * LIMIT
    with connection.cursor() as cursor:
        # MATERIALIZED: the scope is read by its two indexes and then sorted; left to itself the planner may
        # walk a whole sorted index instead (seconds), which would flatter the page.
        cursor.execute(f"""WITH m AS MATERIALIZED {sql}
                           SELECT m.*, o.name FROM m JOIN organizations_organization o ON o.id = m.organization_id
                           ORDER BY {order} LIMIT {LIMIT} OFFSET {offset}""", values)
        cursor.fetchall()


def _a_name(scope) -> str:
    """A two-character name fragment that occurs in the scope (a surname and a given character)."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT left(name, 2) FROM members_member WHERE organization_id = ANY(%s::bigint[]) "
                       "ORDER BY id LIMIT 1", ["{" + ",".join(map(str, scope)) + "}"])
        return cursor.fetchone()[0]
