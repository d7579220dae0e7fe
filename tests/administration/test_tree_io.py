"""Importing the organization tree from Excel: dry run, row errors in Chinese, all or nothing, round trip."""
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from administration.excel import read_workbook, run_import
from administration.tree_io import HEADERS, OrganizationResource
from organizations.choices import OrganizationKind
from organizations.models import Organization

pytestmark = pytest.mark.django_db


def xlsx(rows, headers=HEADERS) -> SimpleUploadedFile:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile("党组织.xlsx", buffer.getvalue())


def rehearse(user, rows, *, dry_run=True):
    dataset = read_workbook(xlsx(rows), HEADERS)
    return run_import(OrganizationResource(user=user), dataset, dry_run=dry_run)


NEW_TOWN = [
    ["丙镇党委", "党委", "测试县委", "C", 220524101],
    ["丙一村党支部", "党支部", "丙镇党委", "C1", "220524101001"],
    ["丙镇临时党支部", "临时党支部", "C", "C2", ""],
    ["丙镇机关党总支", "党总支", "C", "C3", ""],
]


def test_dry_run_writes_nothing_and_reports_each_row(tree, county_admin):
    before = Organization.objects.count()
    report = rehearse(county_admin, NEW_TOWN)
    assert report.ok, report.rows
    assert report.counts == {"new": 4, "update": 0, "skip": 0, "error": 0}
    assert [row.number for row in report.rows] == [2, 3, 4, 5]
    assert Organization.objects.count() == before


def test_write_builds_the_tree_with_parents_by_name_or_code(tree, county_admin):
    assert rehearse(county_admin, NEW_TOWN, dry_run=False).ok
    town = Organization.objects.get(code="C")
    assert town.kind == OrganizationKind.TOWN_COMMITTEE and town.division_code == "220524101"
    assert town.is_within(tree.county)
    children = {o.code: o for o in Organization.objects.get_children(town)}
    assert set(children) == {"C1", "C2", "C3"}
    assert children["C2"].kind == OrganizationKind.TEMPORARY_BRANCH
    assert children["C1"].history.first().history_user == county_admin


def test_row_errors_in_chinese_and_nothing_written(tree, county_admin):
    rows = [
        ["丙镇党委", "党委", "测试县委", "C", ""],
        ["坏类别", "村委会", "C", "C1", ""],
        ["找不到上级", "党支部", "不存在的镇", "C2", ""],
        ["重复代码", "党支部", "C", tree.branch_b1.code, ""],
        ["", "党支部", "C", "C4", "12"],
        ["越级", "党支部", tree.branch_a1.code, "C5", ""],
        ["错区划", "党支部", "C", "C6", "990000"],
    ]
    report = rehearse(county_admin, rows, dry_run=False)
    assert not report.ok
    errors = {row.number: " ".join(f"{c}：{m}" for c, m in row.errors) for row in report.rows if row.errors}
    assert "类别“村委会”无法识别" in errors[3]
    assert "找不到上级党组织“不存在的镇”" in errors[4]
    assert "请到“党组织管理”页面使用“移动”" in errors[5]  # an existing code under another parent
    assert "此字段不能为空" not in errors[3]
    assert "行政区划代码" in errors[6] and "名称" in errors[6]
    assert "之下不能设立" in errors[7]
    assert "行政区划代码 990000 的前6位不是已载入的省、市或区县代码" in errors[8]
    assert not Organization.objects.filter(code__in=["C", "C1", "C2", "C4", "C5", "C6"]).exists()


def test_a_parent_outside_the_subtree_is_not_found(tree):
    from accounts.roles import Role
    from tests.factories import UserFactory

    town_admin = UserFactory(organization=tree.town_b, role=Role.DEPARTMENT_ADMIN)
    report = rehearse(town_admin, [["偷建", "党支部", tree.town_a.code, "Z1", ""],
                                   ["偷改", "党支部", tree.town_b.code, tree.branch_a1.code, ""]])
    errors = [m for row in report.rows for _c, m in row.errors]
    assert any("找不到上级党组织" in m for m in errors)
    assert any("已被其他单位" in m for m in errors)


def test_round_trip_export_then_import_changes_nothing(tree, county_admin):
    rehearse(county_admin, NEW_TOWN, dry_run=False)
    exported = OrganizationResource(user=county_admin).export()
    assert exported.headers == HEADERS
    content = exported.export("xlsx")
    sheet = load_workbook(io.BytesIO(content)).active
    assert [c.value for c in sheet[1]] == HEADERS
    dataset = read_workbook(SimpleUploadedFile("x.xlsx", content), HEADERS)
    report = run_import(OrganizationResource(user=county_admin), dataset, dry_run=False)
    assert report.ok, [r.errors for r in report.rows if r.errors]
    assert report.counts["skip"] == Organization.objects.count() and report.counts["new"] == 0


def test_renaming_by_import_and_parent_change_refused(tree, county_admin):
    report = rehearse(county_admin, [["甲一村党支部（新）", "党支部", tree.town_a.code, tree.branch_a1.code, ""],
                                     ["甲二村党支部", "党支部", tree.town_b.code, tree.branch_a2.code, ""]],
                      dry_run=False)
    assert any("移动" in m for row in report.rows for _c, m in row.errors)
    report = rehearse(county_admin, [["甲一村党支部（新）", "党支部", tree.town_a.code, tree.branch_a1.code, ""]],
                      dry_run=False)
    assert report.ok and report.counts["update"] == 1
    assert Organization.objects.get(pk=tree.branch_a1.pk).name == "甲一村党支部（新）"


def test_a_file_that_is_not_a_workbook_or_lacks_a_column(tree):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="无法读取"):
        read_workbook(SimpleUploadedFile("x.xlsx", b"not excel"), HEADERS)
    with pytest.raises(ValidationError, match="缺少列：行政区划代码"):
        read_workbook(xlsx([["a", "党支部", "b", "c"]], headers=HEADERS[:4]), HEADERS)


def test_a_file_that_unpacks_beyond_the_limit_is_refused_before_it_is_read(tree, settings):
    """The same guarded reader as the roster import: a small upload that expands hugely is not parsed."""
    from django.core.exceptions import ValidationError

    upload = xlsx([["甲三村党支部", "党支部", tree.town_a.code, "X" * 2000, ""]])
    settings.ROSTER_IMPORT_MAX_UNPACKED_BYTES = 1000
    with pytest.raises(ValidationError, match="无法读取"):
        read_workbook(upload, HEADERS)
