"""Importing logins from Excel: initial passwords only as hashes, errors in Chinese, round trip."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from accounts.roles import Role
from administration.account_io import HEADERS, REQUIRED, AccountResource
from administration.excel import read_workbook, run_import
from organizations.choices import OrganizationKind
from tests.administration.test_tree_io import xlsx
from tests.factories import OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def run(user, rows, *, dry_run=True, headers=HEADERS):
    resource = AccountResource(user=user)
    report = run_import(resource, read_workbook(xlsx(rows, headers=headers), REQUIRED), dry_run=dry_run)
    return report, resource


def test_accounts_are_created_with_initial_passwords_kept_only_as_hashes(tree, county_admin):
    rows = [["王书记", "138-1234-5678", "甲一村党支部", "党支部书记", ""],
            ["李委员", "13912345678", tree.town_a.code, "党(工)委审核人", "liweiyuan"]]
    report, resource = run(county_admin, rows)
    assert report.ok and report.counts["new"] == 2 and not User.objects.filter(first_name="王书记").exists()
    report, resource = run(county_admin, rows, dry_run=False)
    assert report.ok
    wang = User.objects.get(username="13812345678")
    assert wang.organization_id == tree.branch_a1.pk and wang.role == Role.BRANCH_SECRETARY
    assert wang.must_change_password and wang.phone == "13812345678"
    assert wang.history.get().history_user == county_admin
    passwords = dict((account.username, password) for account, password in resource.slips)
    assert set(passwords) == {"13812345678", "liweiyuan"}
    assert wang.check_password(passwords["13812345678"])
    assert passwords["13812345678"] not in wang.password


def test_a_file_without_the_account_column_uses_the_phone(tree, county_admin):
    report, resource = run(county_admin, [["王书记", "13812345678", "甲一村党支部", "党支部书记"]],
                           dry_run=False, headers=REQUIRED)
    assert report.ok and User.objects.filter(username="13812345678").exists()


def test_row_errors_in_chinese_and_nothing_written(tree, county_admin):
    UserFactory(username="taken", organization=tree.branch_b1)
    town_admin = UserFactory(organization=tree.town_a, role=Role.DEPARTMENT_ADMIN)
    rows = [["好人", "13812345678", "甲一村党支部", "党支部书记", ""],
            ["", "12345", "甲一村党支部", "党支部书记", "x1"],
            ["坏角色", "13812345679", "甲一村党支部", "县委书记", ""],
            ["越级", "13812345670", "乙一村党支部", "党支部书记", ""],
            ["抢号", "13812345671", "甲一村党支部", "党支部书记", "taken"],
            ["提权", "13812345672", "甲一村党支部", "组织部管理员", ""]]
    report, _resource = run(town_admin, rows, dry_run=False)
    errors = {row.number: " ".join(m for _c, m in row.errors) for row in report.rows if row.errors}
    assert set(errors) == {3, 4, 5, 6, 7}
    assert "请填写姓名" in errors[3] and "11位" in errors[3]
    assert "角色“县委书记”无法识别" in errors[4]
    assert "找不到党组织“乙一村党支部”" in errors[5]
    assert "已被其他单位使用" in errors[6]
    assert "无法识别" in errors[7]
    assert not User.objects.filter(first_name="好人").exists()


def test_round_trip_changes_nothing_and_sets_no_password(tree, county_admin, secretary_a1):
    exported = AccountResource(user=county_admin).export()
    assert exported.headers == HEADERS
    hashes = dict(User.objects.values_list("pk", "password"))
    resource = AccountResource(user=county_admin)
    content = exported.export("xlsx")
    report = run_import(resource, read_workbook(SimpleUploadedFile("a.xlsx", content), REQUIRED), dry_run=False)
    assert report.ok, [r.errors for r in report.rows if r.errors]
    assert report.counts == {"new": 0, "update": 0, "skip": 2, "error": 0} and resource.slips == []
    assert dict(User.objects.values_list("pk", "password")) == hashes


def test_an_existing_account_is_updated_not_reset(tree, county_admin, secretary_a1):
    report, resource = run(county_admin, [["新名字", "13700000000", tree.branch_a2.code, "党支部书记",
                                           secretary_a1.username]], dry_run=False)
    assert report.ok and report.counts["update"] == 1 and resource.slips == []
    secretary_a1.refresh_from_db()
    assert secretary_a1.organization_id == tree.branch_a2.pk and secretary_a1.check_password("pass-12345-word")


def test_a_temporary_branch_leader_only_at_a_temporary_branch(tree, county_admin):
    OrganizationFactory(parent=tree.town_a, name="驻上海临时党支部", kind=OrganizationKind.TEMPORARY_BRANCH)
    rows = [["负责人", "13812345678", "驻上海临时党支部", "临时党支部负责人", ""],
            ["错位", "13812345679", "甲一村党支部", "临时党支部负责人", ""]]
    report, _resource = run(county_admin, rows)
    errors = {row.number: " ".join(m for _c, m in row.errors) for row in report.rows if row.errors}
    assert set(errors) == {3} and "只能设在临时党支部" in errors[3]
