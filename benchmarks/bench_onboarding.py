"""A county's first morning (issue 13): its organization tree and its logins imported from Excel.

A county of 20 towns with 15 branches each (321 rows), then one login per branch (300 rows), each
rehearsed (dry run) and written, through the pages' code with the production password hashers. Target:
each step well inside the web server's 120-second timeout (deploy/systemd), say under 30 s.
"""
import io
import time

from benchmarks import harness

TOWNS, BRANCHES_PER_TOWN, TARGET_SECONDS = 20, 15, 30
PRODUCTION_HASHERS = ["django.contrib.auth.hashers.PBKDF2PasswordHasher", "accounts.passwords.InitialPasswordHasher"]


def _upload(headers, rows):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("x.xlsx", buffer.getvalue())


def _timed(resource_class, user, upload, required):
    from administration.excel import read_workbook, run_import

    dataset = read_workbook(upload, required)
    started = time.perf_counter()
    report = run_import(resource_class(user=user), dataset, dry_run=True)
    dry = time.perf_counter() - started
    assert report.ok, [row.errors for row in report.rows if row.errors][:3]
    started = time.perf_counter()
    report = run_import(resource_class(user=user), dataset, dry_run=False)
    assert report.ok
    return dry, time.perf_counter() - started


def run() -> None:
    with harness.bench_database():
        from django.test import override_settings

        from accounts.models import User
        from accounts.roles import Role
        from administration import account_io, tree_io
        from organizations.choices import OrganizationKind
        from organizations.models import Organization

        county = Organization.objects.add_root(create_kwargs=dict(
            name="基准县委", code="K0", kind=OrganizationKind.COUNTY_COMMITTEE))
        admin = User.objects.create(username="bench-admin", organization=county, role=Role.DEPARTMENT_ADMIN)
        rows = []
        for t in range(TOWNS):
            rows.append([f"第{t}镇党委", "党委", "K0", f"K{t:02d}", f"2205241{t:02d}"])
            rows += [[f"第{t}镇{b}村党支部", "党支部", f"K{t:02d}", f"K{t:02d}{b:02d}", ""]
                     for b in range(BRANCHES_PER_TOWN)]
        dry, write = _timed(tree_io.OrganizationResource, admin, _upload(tree_io.HEADERS, rows), tree_io.HEADERS)
        harness.report(f"tree import, {len(rows)} rows: dry run", dry, "s", target=f"< {TARGET_SECONDS} s",
                       ok=dry < TARGET_SECONDS)
        harness.report(f"tree import, {len(rows)} rows: write", write, "s", target=f"< {TARGET_SECONDS} s",
                       ok=write < TARGET_SECONDS)
        branches = Organization.objects.filter(kind=OrganizationKind.BRANCH).values_list("code", flat=True)
        accounts = [[f"书记{i}", f"138{i:08d}", code, "党支部书记", ""] for i, code in enumerate(branches)]
        with override_settings(PASSWORD_HASHERS=PRODUCTION_HASHERS):
            dry, write = _timed(account_io.AccountResource, admin, _upload(account_io.HEADERS, accounts),
                                account_io.REQUIRED)
        harness.report(f"account import, {len(accounts)} rows: dry run", dry, "s", target=f"< {TARGET_SECONDS} s",
                       ok=dry < TARGET_SECONDS)
        harness.report(f"account import, {len(accounts)} rows: write", write, "s", target=f"< {TARGET_SECONDS} s",
                       ok=write < TARGET_SECONDS)
