"""A province's tree and ``BENCH_MEMBERS`` members, built inside PostgreSQL (set-based, no ORM saves).

1 province → 10 cities → 100 counties → 10 towns each → 12 branches each
(12,000 branches, about 83 members each at 1,000,000 members, spread
unevenly by a hash of the member's number; the first branch is a large one
with one member in 500), two organizational-life rows per
member, a liaison for each member away, hosted members (``host_organization``,
in another county), outflow registrations for the members away and back,
inflow registrations for the members hosted, activity cards for a quarter of
the outflows, notifications for the branch secretaries and inactivity flags,
in proportions like the demo county's. Every branch has a secretary, every
town and county an admin.

Reused by the benchmarks that need a province (``bench_list_pages``), and by ``bench_pages``,
``bench_roster`` and ``bench_rollup`` when ``BENCH_DATABASE`` names a database that already holds one. The
data are deterministic (a hash of the row number, not ``random()``), so two
builds of the same size give the same rows.

    BENCH_MEMBERS=100000 python -m benchmarks list_pages
"""
import os
import time
from dataclasses import dataclass

from benchmarks.harness import insert_select

CITIES, COUNTIES_PER_CITY, TOWNS_PER_COUNTY, BRANCHES_PER_TOWN = 10, 10, 10, 12
LIFE_PER_MEMBER = 2
#: One member in this many belongs to the first branch (a large enterprise or community branch: 2,000 members
#: at 1,000,000), so that its secretary's list has deep pages.
BIG_BRANCH_SHARE = 500
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文朴"
GIVEN = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月"


def size() -> int:
    return int(os.environ.get("BENCH_MEMBERS", "1000000"))


@dataclass(frozen=True)
class Province:
    """Ids a benchmark needs: one branch, its town and county, and their users."""

    members: int
    branch_id: int
    county_id: int
    secretary: str = "secretary0"
    county_admin: str = "county0"


def _path(*steps: str) -> str:
    return " || ".join(f"lpad(({step})::text, 4, '0')" for step in steps)


def build(members: int | None = None, *, log=print) -> Province:
    """Build the tree and its rows in the current (empty, migrated) database; ANALYZE afterwards."""
    from django.db import connection, transaction

    from members.pinyin import fill_name_search_keys

    members = members or size()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:  # all or nothing: a kept database is never half built
        # Generated rows need no change tracking (``jobs.changes``, ``reports.aggregates``): the figures are
        # rebuilt and the first job run is a full recount. With the triggers a million members take an hour.
        cursor.execute("SET LOCAL session_replication_role = replica")
        for label, sql in _statements(members):
            step = time.perf_counter()
            cursor.execute(sql)
            log(f"    {label}: {time.perf_counter() - step:6.1f} 秒", flush=True)
        step = time.perf_counter()
        fill_name_search_keys(cursor)  # the pinyin columns the generated names need (the model derives them on save)
        log(f"    姓名拼音: {time.perf_counter() - step:6.1f} 秒", flush=True)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    log(f"  生成数据（{members:,} 名党员）: {time.perf_counter() - started:6.1f} 秒", flush=True)
    return province()


def province() -> Province:
    """The benchmark's ids in an already built database."""
    from accounts.models import User
    from members.models import Member

    secretary = User.objects.get(username="secretary0")
    county = User.objects.get(username="county0")
    return Province(members=Member.objects.count(), branch_id=secretary.organization_id,
                    county_id=county.organization_id)


def existing() -> Province | None:
    """The province already built in the kept database (``BENCH_DATABASE``), or None (then build your own data)."""
    from members.models import Member

    if not os.environ.get("BENCH_DATABASE") or not Member.objects.exists():
        return None
    return province()


def _statements(members: int):
    branches = CITIES * COUNTIES_PER_CITY * TOWNS_PER_COUNTY * BRANCHES_PER_TOWN
    towns = branches // BRANCHES_PER_TOWN
    counties = towns // TOWNS_PER_COUNTY
    # Organizations: ids are chosen so that a branch's town, county and city follow from arithmetic.
    yield "党组织树", insert_select(
        "organizations_organization",
        "id, path, depth, numchild, name, code, kind, secretary_name, secretary_phone, address, division_code",
        f"""
        SELECT 1, '0001', 1, {CITIES}, '基准省委', 'P', 'county_committee', '', '', '', ''
        UNION ALL
        SELECT 10 + c, '0001' || {_path('c + 1')}, 2, {COUNTIES_PER_CITY}, '基准市' || c || '委', 'C' || c,
               'county_committee', '', '', '', ''
        FROM generate_series(0, {CITIES - 1}) c
        UNION ALL
        SELECT 1000 + k, '0001' || {_path('k / ' + str(COUNTIES_PER_CITY) + ' + 1', 'k % ' + str(COUNTIES_PER_CITY) + ' + 1')},
               3, {TOWNS_PER_COUNTY}, '基准县' || k || '委', 'K' || k, 'county_committee', '', '', '', ''
        FROM generate_series(0, {counties - 1}) k
        UNION ALL
        SELECT 10000 + t, '0001' || {_path(f't / {TOWNS_PER_COUNTY * COUNTIES_PER_CITY} + 1',
                                            f't / {TOWNS_PER_COUNTY} % {COUNTIES_PER_CITY} + 1',
                                            f't % {TOWNS_PER_COUNTY} + 1')},
               4, {BRANCHES_PER_TOWN}, '基准镇' || t || '党委', 'T' || t, 'town_committee', '', '', '', ''
        FROM generate_series(0, {towns - 1}) t
        UNION ALL
        SELECT 100000 + b, '0001' || {_path(f'b / {BRANCHES_PER_TOWN * TOWNS_PER_COUNTY * COUNTIES_PER_CITY} + 1',
                                             f'b / {BRANCHES_PER_TOWN * TOWNS_PER_COUNTY} % {COUNTIES_PER_CITY} + 1',
                                             f'b / {BRANCHES_PER_TOWN} % {TOWNS_PER_COUNTY} + 1',
                                             f'b % {BRANCHES_PER_TOWN} + 1')},
               5, 0, '基准村' || b || '党支部', 'B' || b, 'branch', '', '', '', ''
        FROM generate_series(0, {branches - 1}) b""")
    yield "用户", insert_select(
        "accounts_user",
        "password, is_superuser, username, first_name, last_name, email, is_staff, is_active, date_joined, "
        "role, phone, organization_id, must_change_password",
        f"""
        SELECT '!', false, 'secretary' || b, '', '', 'secretary' || b || '@example.invalid', false, true, now(),
               'branch_secretary', '', 100000 + b, false
        FROM generate_series(0, {branches - 1}) b
        UNION ALL
        SELECT '!', false, 'county' || k, '', '', '', false, true, now(), 'department_admin', '', 1000 + k, false
        FROM generate_series(0, {counties - 1}) k
        UNION ALL
        SELECT '!', false, 'town' || t, '', '', '', false, true, now(), 'committee_reviewer', '', 10000 + t, false
        FROM generate_series(0, {towns - 1}) t""")
    # h: a well-mixed hash of the row number, so branches, names and statuses do not follow the id.
    surnames, given = len(SURNAMES), len(GIVEN)
    yield "党员", insert_select(
        "members_member",
        "name, gender, birth_date, id_number, education, joined_date, membership_type, membership_status, "
        "organization_id, host_organization_id, mobility_status, departure_date, expected_months, occupation, "
        "trade, destination_country, destination_province, destination_city, destination_address, host_unit, "
        "phone, other_contact, dues_paid_through, dues_paid_where, version, created_at, updated_at, "
        "dues_bracket, former_occupation, destination_unit_kind, name_pinyin, name_initials",
        f"""
        SELECT substr('{SURNAMES}', (1 + h % {surnames})::int, 1) || substr('{GIVEN}', (1 + (h / 7) % {given})::int, 1)
                   || CASE WHEN h % 10 < 7 THEN substr('{GIVEN}', (1 + (h / 911) % {given})::int, 1) ELSE '' END,
               CASE WHEN h % 5 < 3 THEN 'male' ELSE 'female' END, DATE '1950-01-01' + (h % 19000),
               '22' || lpad(g::text, 15, '0') || 'X', 'high_school', DATE '2000-07-01' + (h % 9000),
               'full', CASE WHEN h % 50 = 0 THEN 'lapsed' ELSE 'active' END,
               CASE WHEN (h / 1000) % {BIG_BRANCH_SHARE} = 0 THEN 100000 ELSE 100000 + (h / 13) % {branches} END,
               CASE WHEN status = 'inflow' THEN 100000 + (h / 13 + {branches} / 2) % {branches} END,
               status, CASE WHEN status <> 'at_home' THEN DATE '2024-01-01' + (h % 1000) END,
               CASE WHEN status <> 'at_home' THEN 12 END,
               CASE WHEN status <> 'at_home' THEN '建筑工人' ELSE '' END,
               CASE WHEN status <> 'at_home' THEN 'construction' ELSE '' END, '',
               CASE WHEN status <> 'at_home' THEN '上海市' ELSE '' END,
               CASE WHEN status <> 'at_home' THEN '上海市' ELSE '' END,
               CASE WHEN status <> 'at_home' THEN '人民路' || (h % 999) || '号' ELSE '' END, '',
               '13' || lpad((h % 1000000000)::text, 9, '0'), '',
               date_trunc('month', DATE '2026-11-01' - (h % 14) * INTERVAL '1 month')::date, '本支部', 1,
               TIMESTAMPTZ '2024-01-01 08:00+08', TIMESTAMPTZ '2026-12-01 08:00+08' - (h % 1000000) * INTERVAL '1 minute',
               '', '', '', '', ''
        FROM (SELECT g, h, CASE WHEN h % 100 < 40 THEN 'outflow' WHEN h % 100 < 45 THEN 'inflow'
                                WHEN h % 100 < 53 THEN 'returned' ELSE 'at_home' END AS status
              FROM (SELECT g, (hashint4(g) & 2147483647) AS h FROM generate_series(1, {members}) g) hashed) s""")
    # The branch's first member (by id) is the liaison of the members away; members are not their own liaison.
    yield "联系人", """
        UPDATE members_member m SET liaison_id = first.id
        FROM (SELECT organization_id, min(id) AS id FROM members_member GROUP BY organization_id) first
        WHERE m.organization_id = first.organization_id AND m.mobility_status = 'outflow' AND m.id <> first.id"""
    yield "组织生活", insert_select(
        "members_organizationallife",
        "member_id, recorded_by_id, created_by_id, created_at, attended_on, kind, content",
        f"""
        SELECT m.id, m.organization_id, 1, now(), DATE '2026-11-30' - ((m.id * 37 + k * 101) % 400)::int,
               'branch_meeting', '学习'
        FROM members_member m CROSS JOIN generate_series(1, {LIFE_PER_MEMBER}) k""")
    yield "外出登记", insert_select(
        "transfers_outflow",
        "status, talk_date, talk_by, talk_notes, departure_date, expected_months, purpose, fixed_place, "
        "can_transfer, returns_often, destination_country, destination_province, destination_city, "
        "destination_address, host_unit, unit_has_party_org, supervising_department, unit_locality, occupation, "
        "trade, phone, other_contact, recommended_handling, recommendation_reason, handling, override_reason, "
        "receiving_organization_name, letter_valid_days, created_at, created_by_id, liaison_id, member_id, "
        "origin_organization_id",
        """
        SELECT CASE WHEN m.mobility_status = 'returned' THEN 'closed' ELSE 'approved' END, m.departure_date,
               '支部书记', '', m.departure_date, 12, 'work', true, false, false, '', m.destination_province,
               m.destination_city, m.destination_address, '', false, '', '', m.occupation, m.trade, m.phone, '',
               handling, '-', handling, '',
               '', 30, m.departure_date + TIME '09:00', 1, m.liaison_id, m.id, m.organization_id
        FROM (SELECT *, CASE WHEN id % 4 = 0 THEN 'activity_card' ELSE 'certificate_letter' END AS handling
              FROM members_member WHERE mobility_status IN ('outflow', 'returned')) m""")
    yield "流入登记", insert_select(
        "transfers_inflow",
        "from_system, origin_organization_name, arrived_on, document_kind, document_number, document_verified, "
        "hidden_member, notes, created_at, created_by_id, host_organization_id, member_id",
        """
        SELECT false, '外省某村党支部', m.departure_date, 'none', '', false, m.id % 10 = 0, '',
               m.departure_date + TIME '09:00', 1, m.host_organization_id, m.id
        FROM members_member m WHERE m.host_organization_id IS NOT NULL""")
    yield "活动证", insert_select(
        "activity_cards_activitycard",
        "number, issued_on, purpose, reason, destination, departure_date, expected_months, "
        "recommended_handling, override_reason, photo, status, closed_reason, created_at, filed_with_id, "
        "issued_by_id, issued_by_user_id, member_id, check_code, outflow_id, photo_kind",
        f"""
        SELECT '22' || lpad(o.id::text, 14, '0'), o.departure_date, 'work', '外出务工', '上海市', o.departure_date,
               12, 'activity_card', '', 'card-photos/bench.png',
               CASE WHEN o.status = 'closed' THEN 'returned' ELSE 'valid' END, '', o.created_at,
               1000 + (o.origin_organization_id - 100000) / {BRANCHES_PER_TOWN * TOWNS_PER_COUNTY},
               10000 + (o.origin_organization_id - 100000) / {BRANCHES_PER_TOWN}, 1, o.member_id,
               lpad((o.id % 100000000)::text, 8, '0'), o.id, 'photo'
        FROM transfers_outflow o WHERE o.handling = 'activity_card'""")
    # Reminders to the branch's secretary about one member in two; a third of them read.
    yield "通知", insert_select(
        "notifications_notification",
        "kind, subject_key, period, title, body, link, created_at, read_at, emailed_at, member_id, "
        "organization_id, recipient_id",
        f"""
        SELECT 'inactivity_flag', 'member:' || m.id, '2026-11', m.name || ' 六个月未参加组织生活', '', '/members/' || m.id || '/',
               TIMESTAMPTZ '2026-11-01 08:00+08' + (m.id % 40000) * INTERVAL '1 minute',
               CASE WHEN m.id % 3 = 0 THEN TIMESTAMPTZ '2026-11-30 08:00+08' END, NULL::timestamptz, m.id, m.organization_id,
               u.id
        FROM members_member m JOIN accounts_user u ON u.organization_id = m.organization_id
                                                 AND u.role = 'branch_secretary'
        WHERE m.id % 2 = 0""")
    yield "不活跃提示", insert_select(
        "jobs_inactivityflag",
        "condition, last_record_on, flagged_on, status, talk_notes, resolution_notes, proposal_reason, "
        "decision_notes, updated_at, member_id",
        """
        SELECT 'life', DATE '2026-05-01', DATE '2026-11-01' + (m.id % 25)::int,
               'flagged', '', '', '', '', now(), m.id
        FROM members_member m WHERE m.id % 20 = 7""")
    yield "序列", """
        SELECT setval(pg_get_serial_sequence('organizations_organization', 'id'),
                      (SELECT max(id) FROM organizations_organization))"""
