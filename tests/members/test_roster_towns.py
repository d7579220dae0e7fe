"""Issue 13: rosters as towns keep them, imported through the real pages.

The workbooks are built the way real ones look: a merged title row, a
填报单位 line, other header names, every value style, a spacer row, a totals
row and a notes line, one sheet per branch.
"""
import io
from datetime import date, datetime

import pytest
from django.urls import reverse
from openpyxl import Workbook

from members.choices import Education, Gender, MembershipType, MobilityStatus
from members.id_lookups import HELD_OUTSIDE_REFUSAL
from members.masking import mask_id_number
from members.models import Member, RosterColumnChoice, RosterImport
from organizations.choices import OrganizationKind
from tests.factories import AwayMemberFactory, OrganizationFactory, UserFactory
from tests.members.test_roster_import import _id, _upload

ZHANG = _id("33010219900307001")     # a man born 1990-03-07
LI = _id("33010219850512002")        # a woman born 1985-05-12
WANG = _id("33010219781120003")      # a man born 1978-11-20
ZHAO = _id("33010219950101004")      # a woman born 1995-01-01
QIAN = _id("33010220000229005")      # a man born 2000-02-29

SHEET_A1_HEADERS = ["序号", "姓名", "公民身份号码", "出生年月", "文化程度", "入党时间", "党员类别", "所在党支部",
                    "是否外出", "外出时间", "外出地点", "从事职业", "联系电话", "党费交至", "备注"]
SHEET_A2_HEADERS = ["序号", "姓名", "性别", "身份证号", "出生日期", "学历", "入党日期", "是否预备党员", "预备期满日期",
                    "流动状态", "流入地", "手机号码", "党费缴至"]


def _spaced(id_number):
    return f"{id_number[:6]} {id_number[6:14]} {id_number[14:]}"


def _town_workbook(tree) -> bytes:
    workbook = Workbook()
    a1 = workbook.active
    a1.title = "甲一村"
    a1.append(["甲镇流动党员花名册（2026年第四季度）"])
    a1.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(SHEET_A1_HEADERS))
    a1.append(["填报单位：甲镇党委（盖章）", None, None, None, None, None, None, None, None, "填报日期：2026年12月1日"])
    a1.append(SHEET_A1_HEADERS)
    a1.append([1, "张三", ZHANG.lower(), "1990.03", "大专", "2012/7/1", "正式党员", tree.branch_a1.name, "是",
               "2019年3月", "浙江省杭州市西湖区文三路1号", "电工", "138-1234-5678", "2026.10", "常联系"])
    a1.append([2, "李四", _spaced(LI), datetime(1985, 5, 12), "本科", "201903", "正式", tree.branch_a1.name, "√",
               datetime(2024, 2, 1), "上海浦东", "会计", "+86 139 1234 5678", "2026年9月", None])
    a1.append([3])  # a numbered spacer line, nothing else in it
    a1.append([4, "王五", WANG, "1978年11月", "高中", "2001.07.01", "正式党员", tree.branch_a1.name, "否", None, None,
               "农民", "13712345678", 202610, None])
    a1.append(["合计", "共3人"])
    a1.append(["填表人：赵会计", None, None, "审核人：钱书记"])
    a2 = workbook.create_sheet("甲二村")
    a2.append(["甲二村党支部流动党员登记表"])
    a2.merge_cells("A1:M1")
    a2.append(["填报单位：甲二村党支部"])
    a2.append(SHEET_A2_HEADERS)
    a2.append([1, "赵敏", "女", ZHAO, "1995-01-01", "硕士研究生", "2020-06-30", "否", None, "外出（流出）",
               "广东省深圳市南山区", "135 1234 5678", "2026-10"])
    a2.append([2, "钱进", "男", QIAN, "2000/2/29", "中专", "2026.06.01", "是", "2027-06-01", "外出",
               "江苏苏州", "136-1234-5678", None])
    a2.append([None])
    a2.append(["总计：2人"])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


@pytest.fixture
def town_staff(tree):
    from accounts.roles import Role
    return UserFactory(organization=tree.town_a, role=Role.DEPARTMENT_ADMIN)  # the town's 组织委员


def test_a_town_roster_imports_with_zero_errors_and_the_expected_members(client, town_staff, tree):
    client.force_login(town_staff)
    response = _upload(client, _town_workbook(tree), name="甲镇花名册.xlsx")
    assert response.status_code == 200, (response.status_code, response.context.get("errors"), response.context.get("form") and response.context["form"].errors)
    plan = response.context["plan"]
    assert plan.errors == [] and plan.counts() == {"new": 5, "update": 0, "unchanged": 0, "error": 0}
    assert plan.sheets == ["甲一村", "甲二村"]
    assert [(row.sheet, row.row, row.name) for row in plan.rows] == [
        ("甲一村", 4, "张三"), ("甲一村", 5, "李四"), ("甲一村", 7, "王五"), ("甲二村", 4, "赵敏"), ("甲二村", 5, "钱进")]
    assert [(s.sheet, s.rows, s.reason) for s in plan.skipped] == [
        ("甲一村", "6", "空行"), ("甲一村", "8–9", "合计、备注等表尾"), ("甲二村", "6–7", "合计、备注等表尾")]
    content = response.content.decode()
    assert "跳过的行" in content and "甲二村" in content
    assert not Member.objects.exists()

    stash = RosterImport.objects.get(user=town_staff)
    response = client.post(reverse("members:import_confirm", args=[stash.token]))
    assert response.status_code == 302
    members = {m.name: m for m in Member.objects.select_related("organization")}
    zhang, li, wang, zhao, qian = (members[n] for n in ("张三", "李四", "王五", "赵敏", "钱进"))
    # 张三: lowercase x, birth month completed from the ID number, gender from the ID number, phone with dashes
    assert zhang.id_number == ZHANG.upper() and zhang.birth_date == date(1990, 3, 7) and zhang.gender == Gender.MALE
    assert (zhang.education, zhang.joined_date) == (Education.JUNIOR_COLLEGE, date(2012, 7, 1))
    assert (zhang.organization, zhang.mobility_status) == (tree.branch_a1, MobilityStatus.OUTFLOW)
    assert (zhang.departure_date, zhang.destination_address) == (date(2019, 3, 1), "浙江省杭州市西湖区文三路1号")
    assert zhang.phone == "13812345678" and zhang.dues_start_month == date(2026, 11, 1)
    # 李四: spaces in the ID number, an Excel date, 201903, √, +86
    assert (li.id_number, li.gender, li.birth_date) == (LI, Gender.FEMALE, date(1985, 5, 12))
    assert (li.joined_date, li.membership_type, li.mobility_status) == (date(2019, 3, 1), MembershipType.FULL,
                                                                      MobilityStatus.OUTFLOW)
    assert (li.departure_date, li.phone, li.dues_start_month) == (date(2024, 2, 1), "13912345678", date(2026, 10, 1))
    # 王五: 否 → at home; 党费交至 typed as the number 202610
    assert (wang.mobility_status, wang.birth_date, wang.dues_start_month) == (
        MobilityStatus.AT_HOME, date(1978, 11, 20), date(2026, 11, 1))
    # the second sheet has no branch column: its title 甲二村 names 甲二村党支部
    assert (zhao.organization, zhao.gender, zhao.education) == (tree.branch_a2, Gender.FEMALE, Education.POSTGRADUATE)
    assert (zhao.membership_type, zhao.destination_address, zhao.phone) == (
        MembershipType.FULL, "广东省深圳市南山区", "13512345678")
    assert (qian.membership_type, qian.probation_end_date, qian.birth_date) == (
        MembershipType.PROBATIONARY, date(2027, 6, 1), date(2000, 2, 29))
    assert qian.dues_start_month is None and qian.mobility_status == MobilityStatus.OUTFLOW


# --- the mapping step --------------------------------------------------------------------------

ODD_HEADERS = ["编号", "同志姓名", "证件号", "性别", "出生日期", "学历", "入党时间", "党员类别", "所在党支部", "流动状态",
               "务工城市", "手机"]


def _odd_roster(tree, id_number, name="孙立") -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["甲一村流动党员名单"])
    sheet.append(ODD_HEADERS)
    sheet.append([1, name, id_number, None, None, "高中", "2015-07-01", "正式党员", tree.branch_a1.name, "外出",
                  "宁波", "13812345678"])
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _answers(mapping, chosen):
    return {f"column_{index}": chosen.get(column.header, column.target)
            for index, column in enumerate(mapping.columns)}


def test_unrecognised_columns_stop_at_the_mapping_step_and_the_choice_is_remembered(client, secretary_a1, tree):
    client.force_login(secretary_a1)
    response = _upload(client, _odd_roster(tree, ZHANG))
    assert response.status_code == 200
    mapping = response.context["mapping"]
    uncertain = {column.header: column.samples for column in mapping.columns if not column.target}
    # a sample of each column's values beside it, personal data masked
    assert uncertain == {"同志姓名": ["孙立"], "证件号": [mask_id_number(ZHANG)], "务工城市": ["宁波"]}
    assert "确认各列对应的信息项" in response.content.decode() and "待确认" in response.content.decode()
    stash = RosterImport.objects.get(user=secretary_a1)
    assert not Member.objects.exists()

    url = reverse("members:import_mapping", args=[stash.token])
    # An answer missing, or two columns for one field: the step is shown again with the errors.
    response = client.post(url, _answers(mapping, {"同志姓名": "name", "证件号": "name"}))
    assert response.status_code == 200 and "每项信息只能对应一列" in response.content.decode()
    response = client.post(url, {**_answers(mapping, {"同志姓名": "name", "证件号": "id_number"}), "column_0": ""})
    assert response.status_code == 200 and "请为这一列选择" in response.content.decode()
    assert not RosterColumnChoice.objects.exists()

    answers = _answers(mapping, {"同志姓名": "name", "证件号": "id_number", "务工城市": "destination_city"})
    response = client.post(url, answers)
    assert response.status_code == 200, response.context.get("errors")
    assert response.context["plan"].counts()["new"] == 1
    assert dict(RosterColumnChoice.objects.filter(organization=tree.branch_a1).values_list("header", "target")) == {
        "同志姓名": "name", "证件号": "id_number", "务工城市": "destination_city"}
    response = client.post(reverse("members:import_confirm", args=[stash.token]))
    assert response.status_code == 302
    member = Member.objects.get()
    # 宁波 is read into its code and written back by its name (places.parser)
    assert (member.name, member.id_number, member.destination_division_id, member.destination_city) == (
        "孙立", ZHANG, "330200", "宁波市")

    # Next quarter's file with the same columns goes straight to the dry run, for anyone of the branch.
    client.force_login(UserFactory(organization=tree.branch_a1))
    response = _upload(client, _odd_roster(tree, LI, name="李四"))
    assert response.status_code == 200, response.context.get("errors") or response.context.get("mapping")
    assert "mapping" not in response.context
    assert response.context["plan"].counts()["new"] == 1


def test_the_mapping_step_belongs_to_its_uploader(client, secretary_a1, tree):
    client.force_login(secretary_a1)
    mapping = _upload(client, _odd_roster(tree, ZHANG)).context["mapping"]
    stash = RosterImport.objects.get()
    client.force_login(UserFactory(organization=tree.branch_a1))
    response = client.post(reverse("members:import_mapping", args=[stash.token]), _answers(mapping, {}))
    assert response.status_code == 404
    assert not RosterColumnChoice.objects.exists()


def test_two_columns_for_the_phone_ask_which_is_which(client, secretary_a1, tree):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["姓名", "身份证号码", "联系电话", "手机号码"])
    sheet.append(["孙立", ZHANG, "0574-88888888", "13812345678"])
    output = io.BytesIO()
    workbook.save(output)
    client.force_login(secretary_a1)
    mapping = _upload(client, output.getvalue()).context["mapping"]
    assert {column.header: column.target for column in mapping.columns} == {
        "姓名": "name", "身份证号码": "id_number", "联系电话": "", "手机号码": ""}
    assert mapping.columns[3].samples == ["138****5678"]  # personal data masked in the samples


# --- branches by name, conflicts, the neutral answer -----------------------------------------------

def _simple(rows, headers=("姓名", "身份证号码", "学历", "入党时间", "党员类别", "所在党支部", "流动状态")) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(list(headers))
    for row in rows:
        sheet.append(list(row))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _row(name, id_number, branch):
    return [name, id_number, "高中", "2015-07-01", "正式党员", branch, "外出"]


def test_a_member_of_another_branch_is_a_conflict_naming_both_never_a_move(client, town_staff, tree):
    member = AwayMemberFactory(organization=tree.branch_a1, name="张伟")
    client.force_login(town_staff)
    response = _upload(client, _simple([_row("张伟", member.id_number, "甲二村党支部")]))
    assert response.status_code == 200
    [row] = response.context["plan"].rows
    assert row.conflict
    [error] = row.errors
    assert "甲镇党委 › 甲一村党支部" in error.message and "甲镇党委 › 甲二村党支部" in error.message
    assert "冲突" in response.content.decode()
    member.refresh_from_db()
    assert member.organization == tree.branch_a1


def test_outside_the_users_tree_the_neutral_answer_stays(client, secretary_a1, tree):
    member = AwayMemberFactory(organization=tree.branch_a2)
    client.force_login(secretary_a1)
    response = _upload(client, _simple([_row("某人", member.id_number, "甲一村党支部")]))
    [row] = response.context["plan"].rows
    assert not row.conflict and [e.message for e in row.errors] == [str(HELD_OUTSIDE_REFUSAL)]
    assert "甲二村" not in response.content.decode()


def test_a_branch_name_twice_in_the_tree_is_a_row_error_naming_the_candidates(client, tree):
    from accounts.roles import Role
    OrganizationFactory(parent=tree.town_a, name="新村党支部", code="A9", kind=OrganizationKind.BRANCH)
    OrganizationFactory(parent=tree.town_b, name="新村党支部", code="B9", kind=OrganizationKind.BRANCH)
    client.force_login(UserFactory(organization=tree.county, role=Role.DEPARTMENT_ADMIN))
    response = _upload(client, _simple([_row("孙立", ZHANG, "新村党支部"), _row("李四", LI, "乙一村")]))
    plan = response.context["plan"]
    [error] = plan.rows[0].errors
    assert (error.column, error.row) == ("所在党支部", 2)
    assert "甲镇党委 › 新村党支部（代码 A9）" in error.message and "乙镇党委 › 新村党支部（代码 B9）" in error.message
    assert plan.rows[1].errors == []  # 乙一村 → 乙一村党支部, the only one


def test_merged_cells_below_the_header_are_still_refused(client, secretary_a1, tree):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["名册"])
    sheet.merge_cells("A1:G1")
    sheet.append(["姓名", "身份证号码", "学历", "入党时间", "党员类别", "所在党支部", "流动状态"])
    sheet.append(_row("孙立", ZHANG, "甲一村党支部"))
    sheet.append(_row("李四", LI, "甲一村党支部"))
    sheet.merge_cells("F3:F4")
    output = io.BytesIO()
    workbook.save(output)
    client.force_login(secretary_a1)
    response = _upload(client, output.getvalue())
    assert response.status_code == 200
    assert "表头以下含有合并单元格（F3:F4）" in response.context["form"].errors["file"][0]


def test_a_totals_row_with_a_formula_is_skipped_not_refused(client, secretary_a1, tree):
    content = _simple([_row("孙立", ZHANG, "甲一村党支部"), ["合计", "=COUNTA(A2:A2)"]])
    client.force_login(secretary_a1)
    response = _upload(client, content)
    assert response.status_code == 200
    assert response.context["plan"].counts()["new"] == 1
