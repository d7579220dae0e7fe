"""Excel rosters (issue 7): export of 100,000 members and import of 10,000 rows.

Export: time and peak memory next to the baseline, plain openpyxl write-only
writing the same rows from ``values_list``, measured in the same run.
Targets: export ≤ 1.5× the baseline's time; peak memory under 200 MB and not
growing with the rows (compared with an export of a tenth of the rows).
Import: rows per second including validation (dry run + write); target
≥ 2,000 rows/s; shown next to merely reading the same file with openpyxl.

Set BENCH_EXPORT_ROWS / BENCH_IMPORT_ROWS for a quicker run.

With ``BENCH_DATABASE`` naming a database that holds a province built by
``benchmarks.province``, only the exports are measured, on that province: a
county's roster (about 12,000 members at 1,000,000), its city's (about
100,000) and the whole province's, each by a roster staff member of that
organization; the import is left out (it would add members to the kept database).

    BENCH_DATABASE=bench_province_1m python -m benchmarks roster
"""
import os
import sys
import tempfile
from datetime import date, timedelta
from pathlib import Path

from benchmarks import harness, province

EXPORT_ROWS = int(os.environ.get("BENCH_EXPORT_ROWS", 100_000))
IMPORT_ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", 10_000))
TOWNS, BRANCHES_PER_TOWN = 10, 10
MODULE = "benchmarks.bench_roster"
TIME_RATIO_TARGET, MEMORY_TARGET_MB, IMPORT_RATE_TARGET = 1.5, 200, 2000


# --- data ---------------------------------------------------------------------------------------

def _build_data():
    from django.db import connection

    from accounts.models import User
    from accounts.roles import Role
    from members.choices import Education, Gender, MembershipType, MobilityStatus
    from members.demo import PersonGenerator
    from members.models import Member
    from organizations.choices import OrganizationKind
    from organizations.models import Organization

    county = Organization.objects.add_root(create_kwargs=dict(
        name="基准县委", code="B0", kind=OrganizationKind.COUNTY_COMMITTEE))
    towns, branches = [], []
    for t in range(TOWNS):
        town = Organization.objects.add_child(county, create_kwargs=dict(
            name=f"基准{t}镇党委", code=f"B{t:02d}", kind=OrganizationKind.TOWN_COMMITTEE))
        towns.append(town)
        for b in range(BRANCHES_PER_TOWN):
            branches.append(Organization.objects.add_child(town, create_kwargs=dict(
                name=f"基准{t}镇{b}村党支部", code=f"B{t:02d}{b:02d}", kind=OrganizationKind.BRANCH)))
    people = PersonGenerator(seed=2026)
    rng, batch = people.rng, []
    for index in range(EXPORT_ROWS):
        male = rng.random() < 0.6
        birth = people.birth_date()
        province, city, address = people.destination()
        occupation, trade = people.occupation()
        batch.append(Member(
            name=people.name(male), gender=Gender.MALE if male else Gender.FEMALE, birth_date=birth,
            id_number=people.id_number(birth, male), education=rng.choice(Education.values),
            joined_date=birth + timedelta(days=365 * 25), membership_type=MembershipType.FULL,
            organization=branches[index * len(branches) // EXPORT_ROWS], mobility_status=MobilityStatus.OUTFLOW,
            departure_date=date(2026, 1, 1) - timedelta(days=rng.randrange(1000)), expected_months=12,
            occupation=occupation, trade=trade, destination_province=province, destination_city=city,
            destination_address=address, host_unit=f"{city}某公司", phone=people.phone(),
            other_contact=f"微信 wx{index:06d}", dues_paid_through=date(2026, 10, 1),
            dues_start_month=date(2026, 11, 1), dues_paid_where="本支部",
        ))
        if len(batch) == 5000:
            Member.objects.bulk_create(batch)
            batch = []
    Member.objects.bulk_create(batch)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # as autovacuum would after a load: the planner needs statistics
    staff = User.objects.create(username="bench-staff", organization=county, role=Role.ROSTER_STAFF)
    admin = User.objects.create(username="bench-admin", organization=county, role=Role.DEPARTMENT_ADMIN)
    return staff, admin, towns, branches


def _write_new_rows_file(path: Path, branches) -> None:
    """IMPORT_ROWS new members, in the import template's layout."""
    from openpyxl import Workbook

    from members.demo import PersonGenerator
    from members.roster_schema import IMPORT_COLUMNS

    people = PersonGenerator(seed=7007, region_code="330102")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名册")
    sheet.append(["导入基准"])
    sheet.append([str(column.header) for column in IMPORT_COLUMNS])
    for index in range(IMPORT_ROWS):
        male = people.rng.random() < 0.6
        birth = people.birth_date()
        province, city, address = people.destination()
        sheet.append([
            people.name(male), "男" if male else "女", people.id_number(birth, male), birth, "高中",
            birth + timedelta(days=365 * 25), "正式党员", None, branches[index % len(branches)].code, "外出（流出）",
            date(2025, 6, 1), 12, "建筑工人", "建筑业", "", province, city, address, f"{city}某公司", people.phone(),
            "", date(2026, 10, 1), "本支部",
        ])
    workbook.save(path)


def _write_update_file(path: Path, *, admin, town) -> int:
    """The export of one town's members with every member's occupation changed."""
    from openpyxl import Workbook, load_workbook

    from members.roster_export import export_for_user

    with tempfile.TemporaryFile() as exported:
        count, _filters = export_for_user(exported, user=admin, query=f"organization={town.pk}")
        exported.seek(0)
        source = load_workbook(exported, read_only=True)
        rows = source.worksheets[0].iter_rows(values_only=True)
        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet("名册")
        sheet.append(next(rows))
        headers = next(rows)
        sheet.append(headers)
        occupation = headers.index("从事职业")
        for row in rows:
            row = list(row)
            row[occupation] = "果农"
            sheet.append(row)
        workbook.save(path)
        source.close()
    return count


# --- the figures ----------------------------------------------------------------------------------

def run() -> None:
    with harness.bench_database():
        built = province.existing()
        if built:
            _run_province(built)
        else:
            _run()


def _run_province(built) -> None:
    from accounts.models import User
    from accounts.roles import Role
    from organizations.models import Organization

    county = Organization.objects.get(pk=built.county_id)
    print(f"  使用已生成的省（{built.members:,} 名党员）", flush=True)
    peaks = []
    for label, organization in (("county", county), ("city", county.get_parent()), ("province", county.get_root())):
        staff, _created = User.objects.update_or_create(
            username=f"bench-staff-{label}", defaults={"organization": organization, "role": Role.ROSTER_STAFF})
        # Alternating runs, best of two each, so neither side pays for a cold cache.
        runs = [(harness.run_child(MODULE, "baseline", str(staff.pk), ""),
                 harness.run_child(MODULE, "export", str(staff.pk), "")) for _ in range(2)]
        baseline, export = _best(run[0] for run in runs), _best(run[1] for run in runs)
        print(f"\n导出{organization.name}的名册 {export['rows']:,} 行（组织员，脱敏；两次取快者）", flush=True)
        _report_export(baseline, export)
        peaks.append(export["peak_rss_mb"])
    harness.report("export peak RSS growth from county to province", peaks[-1] - peaks[0], "MB",
                   target="flat (< 20 MB)", ok=peaks[-1] - peaks[0] < 20)


def _run() -> None:
    from members.models import Member

    print(f"生成 {EXPORT_ROWS} 名党员 …", flush=True)
    staff, admin, towns, branches = _build_data()
    assert Member.objects.count() == EXPORT_ROWS
    module = MODULE
    everyone, one_town = "", f"organization={towns[0].pk}"

    _warm_up()
    # Best of two alternating runs each, so neither side pays for a cold cache.
    baseline = _best(harness.run_child(module, "baseline", str(staff.pk), everyone) for _ in range(2))
    export = _best(harness.run_child(module, "export", str(staff.pk), everyone) for _ in range(2))
    small = harness.run_child(module, "export", str(staff.pk), one_town)
    print(f"\n导出 {export['rows']} 行（组织员，脱敏；两次取快者）；另导出一个镇 {small['rows']} 行比较内存")
    _report_export(baseline, export)
    harness.report(f"export peak RSS, {small['rows']} rows", small["peak_rss_mb"], "MB")
    harness.report("export peak RSS growth from 1/10 to all rows", export["peak_rss_mb"] - small["peak_rss_mb"], "MB",
                   target="flat (< 20 MB)", ok=export["peak_rss_mb"] - small["peak_rss_mb"] < 20)

    with tempfile.TemporaryDirectory() as folder:
        new_file, update_file = Path(folder) / "new.xlsx", Path(folder) / "update.xlsx"
        _write_new_rows_file(new_file, branches)
        update_rows = _write_update_file(update_file, admin=admin, town=towns[1])
        read_new = harness.run_child(module, "read", str(new_file))
        created = harness.run_child(module, "import", str(admin.pk), str(new_file))
        read_update = harness.run_child(module, "read", str(update_file))
        updated = harness.run_child(module, "import", str(admin.pk), str(update_file))
    assert created["counts"]["new"] == IMPORT_ROWS, created["counts"]
    assert updated["counts"]["update"] == update_rows, updated["counts"]
    print(f"\n导入 {IMPORT_ROWS} 行新党员；再导入 {update_rows} 行修改（每行改一列）")
    for label, result, read in (("import new", created, read_new), ("import updates", updated, read_update)):
        rate = result["rows"] / result["seconds"]
        harness.report(f"{label}: rows per second (dry run + write)", rate, "rows/s",
                       baseline=result["rows"] / read["seconds"], baseline_label="only reading the file",
                       target=f"≥ {IMPORT_RATE_TARGET}", ok=rate >= IMPORT_RATE_TARGET)
        harness.report(f"{label}: dry run (read + validate)", result["plan_seconds"], "s")
        harness.report(f"{label}: write (one transaction)", result["write_seconds"], "s")
        harness.report(f"{label}: peak RSS (process)", result["peak_rss_mb"], "MB",
                       target=f"< {MEMORY_TARGET_MB} MB", ok=result["peak_rss_mb"] < MEMORY_TARGET_MB)


def _report_export(baseline: dict, export: dict) -> None:
    rows = export["rows"]
    ratio = export["seconds"] / baseline["seconds"]
    harness.report("export time", export["seconds"], "s", baseline=baseline["seconds"],
                   baseline_label="openpyxl write-only from values_list", target=f"≤ {TIME_RATIO_TARGET}×",
                   ok=ratio <= TIME_RATIO_TARGET)
    harness.report("export rows per second", rows / export["seconds"], "rows/s",
                   baseline=rows / baseline["seconds"])
    harness.report(f"export peak RSS, {rows} rows", export["peak_rss_mb"], "MB", baseline=baseline["peak_rss_mb"],
                   target=f"< {MEMORY_TARGET_MB} MB", ok=export["peak_rss_mb"] < MEMORY_TARGET_MB)
    harness.report("process RSS before exporting (Django loaded)", export["rss_before_mb"], "MB")


def _best(results) -> dict:
    return min(results, key=lambda result: result["seconds"])


def _warm_up() -> None:
    """Read every member row once so the database's cache is warm for both sides."""
    from members.models import Member
    from members.roster_schema import COLUMNS

    for _values in Member.objects.values_list(*[c.source for c in COLUMNS]).iterator(chunk_size=5000):
        pass


# --- child processes: one measurement each ------------------------------------------------------------

def _child(mode: str, *args: str) -> dict:
    import time

    from django.db import transaction
    from openpyxl import Workbook, load_workbook

    from accounts.models import User
    from members import services
    from members.roster_export import export_for_user, roster_queryset
    from members.roster_import import build_plan
    from members.roster_schema import COLUMNS

    result: dict = {"mode": mode}
    if mode in ("baseline", "export"):
        user = User.objects.get(pk=int(args[0]))
        query = args[1] if len(args) > 1 else ""
        with tempfile.TemporaryFile() as output, harness.measured(result):
            if mode == "export":
                result["rows"], _filters = export_for_user(output, user=user, query=query)
            else:
                queryset, _cleaned = roster_queryset(user=user, query=query)
                workbook = Workbook(write_only=True)
                sheet = workbook.create_sheet("baseline")
                rows = 0
                for values in queryset.values_list(*[c.source for c in COLUMNS]).iterator(chunk_size=2000):
                    sheet.append(values)
                    rows += 1
                workbook.save(output)
                result["rows"] = rows
    elif mode == "read":
        with harness.measured(result):
            workbook = load_workbook(args[0], read_only=True)
            result["rows"] = sum(1 for _row in workbook.worksheets[0].iter_rows(values_only=True)) - 2
            workbook.close()
    elif mode == "import":
        from django.core.files import File

        user = User.objects.get(pk=int(args[0]))
        with open(args[1], "rb") as handle, harness.measured(result):
            start = time.perf_counter()
            plan = build_plan(File(handle, name=Path(args[1]).name), user=user)
            result["plan_seconds"] = time.perf_counter() - start
            if plan.has_errors:
                raise SystemExit(f"unexpected errors: {plan.errors[:5]}")
            start = time.perf_counter()
            with transaction.atomic():
                services.member_import(acting_user=user, creates=plan.creates, updates=plan.updates)
            result["write_seconds"] = time.perf_counter() - start
            result["rows"], result["counts"] = len(plan.rows), plan.counts()
    return result


if __name__ == "__main__":
    harness.django_setup()
    harness.print_child_result(_child(*sys.argv[1:]))
