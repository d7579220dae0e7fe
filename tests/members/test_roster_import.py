import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from members.id_lookups import HELD_OUTSIDE_REFUSAL
from members.models import Member, RosterImport
from members.services import dues_payment_add
from members.roster_schema import IMPORT_COLUMNS
from organizations.validators import id_check_char
from tests.factories import AwayMemberFactory, UserFactory

def _id(first17):
    return first17 + id_check_char(first17)


NEW_ID = _id("11010519900307001")         # a man born 1990-03-07
SECOND_ID = _id("11010519850101001")      # a man born 1985-01-01
THIRD_ID = _id("11010519700101001")       # a man born 1970-01-01
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS = [str(column.header) for column in IMPORT_COLUMNS]


def _valid_row(org, **overrides):
    row = {
        "姓名": "新党员", "性别": "男", "身份证号码": NEW_ID, "出生日期": date(1990, 3, 7),
        "学历": "大学本科", "入党时间": date(2015, 7, 1), "党员类别": "正式党员", "预备期满日期": None,
        "党组织代码": org.code, "流动状态": "外出（流出）", "外出时间": date(2026, 2, 1), "预计外出时长（月）": 12,
        "从事职业": "软件工程师", "所在行业": "信息传输、软件和信息技术服务业", "流入地省份": "上海市",
        "流入地城市": "上海市", "流入地详细地址": "上海市人民路1号", "流入单位": "某公司",
        "手机号码": "13812345678", "其他联系方式": "", "党费起算月份": date(2026, 11, 1), "党费缴纳地": "本支部",
    }
    row.update(overrides)
    return row


def _xlsx(rows, headers=HEADERS, title=True, build=None):
    workbook = Workbook()
    sheet = workbook.active
    if title:
        sheet.append(["测试名册"])
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(header) for header in headers] if isinstance(row, dict) else row)
    if build:
        build(sheet)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _upload(client, content, name="名册.xlsx"):
    return client.post(reverse("members:import"), {"file": SimpleUploadedFile(name, content, XLSX)})


def _snapshot():
    return sorted(Member.objects.values_list("id", "id_number", "name", "occupation", "version", "organization_id"))


@pytest.fixture
def member_a1(tree):
    return AwayMemberFactory(organization=tree.branch_a1, name="张伟")


@pytest.fixture
def member_b1(tree):
    return AwayMemberFactory(organization=tree.branch_b1, name="乙镇党员")


# --- permissions -----------------------------------------------------------------------------

def test_anonymous_is_sent_to_login(client):
    for name in ("members:import", "members:import_template"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_reviewer_may_not_import(client, reviewer_a):
    client.force_login(reviewer_a)
    assert client.get(reverse("members:import")).status_code == 403
    assert client.get(reverse("members:import_template")).status_code == 403


def test_template_has_the_import_headers_and_the_users_organization_codes(client, secretary_a1, tree):
    client.force_login(secretary_a1)
    response = client.get(reverse("members:import_template"))
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    headers = [str(cell.value).rstrip("*") for cell in workbook.worksheets[0][2]]
    assert headers == HEADERS
    codes = [row[0] for row in workbook.worksheets[1].iter_rows(min_row=2, values_only=True)]
    assert codes == [tree.branch_a1.code]


# --- a good file: dry run, then confirm ---------------------------------------------------------

def test_dry_run_writes_nothing_and_confirm_writes_all_rows(client, secretary_a1, member_a1, tree):
    client.force_login(secretary_a1)
    rows = [_valid_row(tree.branch_a1), _valid_row(tree.branch_a1, 姓名="张伟", 身份证号码=member_a1.id_number,
                                                   出生日期=member_a1.birth_date, 性别=member_a1.get_gender_display(),
                                                   入党时间=member_a1.joined_date, 学历="高中",
                                                   从事职业="厨师", 手机号码=member_a1.phone)]
    before = _snapshot()
    response = _upload(client, _xlsx(rows))
    assert response.status_code == 200
    content = response.content.decode()
    assert "新增 1" in content and "更新 1" in content
    assert _snapshot() == before
    stash = RosterImport.objects.get(user=secretary_a1)
    assert stash.preview["counts"] == {"new": 1, "update": 1, "unchanged": 0, "error": 0}

    response = client.post(reverse("members:import_confirm", args=[stash.token]))
    assert response.status_code == 302
    assert Member.objects.count() == 2
    created = Member.objects.get(id_number=NEW_ID)
    assert created.organization == tree.branch_a1 and created.trade == "it"
    assert created.history.get().history_user == secretary_a1
    member_a1.refresh_from_db()
    assert member_a1.occupation == "厨师" and member_a1.version == 2
    assert member_a1.history.first().history_user == secretary_a1
    stash.refresh_from_db()
    assert stash.status == RosterImport.Status.APPLIED and not stash.file


def test_start_of_dues_is_imported_and_paid_through_follows_the_payments(client, secretary_a1, member_a1, tree):
    """Issue 11: 党费缴至 is the last month of the unbroken run from the start, never typed: the import takes the
    start of dues (as a date cell or written 2026年6月) and 党费缴至 follows from it and the payments."""
    for first, last in ((date(2026, 6, 1), date(2026, 6, 1)), (date(2026, 7, 1), date(2026, 8, 1))):
        Member.objects.filter(pk=member_a1.pk).update(dues_start_month=None)
        member_a1.refresh_from_db()
        dues_payment_add(member=member_a1, acting_user=secretary_a1, first_month=first, last_month=last,
                         amount=Decimal("1"), paid_on=last, paid_where="本支部")
    member_a1.refresh_from_db()
    client.force_login(secretary_a1)
    rows = [_valid_row(tree.branch_a1, 党费起算月份="2026年3月"),
            _valid_row(tree.branch_a1, 姓名="张伟", 身份证号码=member_a1.id_number, 出生日期=member_a1.birth_date,
                       性别=member_a1.get_gender_display(), 入党时间=member_a1.joined_date, 学历="高中",
                       从事职业=member_a1.occupation, 手机号码=member_a1.phone, 党费起算月份="2026年6月",
                       党费缴纳地=member_a1.dues_paid_where)]
    _upload(client, _xlsx(rows))
    stash = RosterImport.objects.get(user=secretary_a1)
    assert stash.preview["counts"] == {"new": 1, "update": 1, "unchanged": 0, "error": 0}
    client.post(reverse("members:import_confirm", args=[stash.token]))
    created = Member.objects.get(id_number=NEW_ID)
    assert (created.dues_start_month, created.dues_paid_through) == (date(2026, 3, 1), date(2026, 2, 1))
    member_a1.refresh_from_db()
    assert (member_a1.dues_start_month, member_a1.dues_paid_through) == (date(2026, 6, 1), date(2026, 8, 1))


def test_confirm_is_only_for_the_uploader(client, secretary_a1, tree):
    client.force_login(secretary_a1)
    _upload(client, _xlsx([_valid_row(tree.branch_a1)]))
    stash = RosterImport.objects.get()
    client.force_login(UserFactory(organization=tree.branch_a1))
    assert client.post(reverse("members:import_confirm", args=[stash.token])).status_code == 404
    assert not Member.objects.exists()


def test_confirm_refuses_when_a_member_changed_after_the_dry_run(client, secretary_a1, member_a1, tree):
    client.force_login(secretary_a1)
    row = _valid_row(tree.branch_a1, 姓名="张伟", 身份证号码=member_a1.id_number, 出生日期=member_a1.birth_date,
                     性别=member_a1.get_gender_display(), 入党时间=member_a1.joined_date, 从事职业="厨师")
    _upload(client, _xlsx([row]))
    Member.objects.filter(pk=member_a1.pk).update(version=5, occupation="司机")
    response = client.post(reverse("members:import_confirm", args=[RosterImport.objects.get().token]), follow=True)
    assert "已有变化" in response.content.decode()
    member_a1.refresh_from_db()
    assert member_a1.occupation == "司机"


def test_round_trip_export_edit_one_cell_import_updates_exactly_that_member(client, secretary_a1, tree):
    members = AwayMemberFactory.create_batch(4, organization=tree.branch_a1)
    client.force_login(secretary_a1)
    exported = load_workbook(io.BytesIO(b"".join(client.get(reverse("members:export")).streaming_content)))
    sheet = exported.worksheets[0]
    headers = [cell.value for cell in sheet[2]]
    target_row = next(row for row in sheet.iter_rows(min_row=3) if row[headers.index("身份证号码")].value == members[2].id_number)
    target_row[headers.index("从事职业")].value = "果农"
    edited = io.BytesIO()
    exported.save(edited)
    before = {m.pk: (m.version, m.updated_at) for m in Member.objects.all()}

    response = _upload(client, edited.getvalue())
    assert response.status_code == 200
    stash = RosterImport.objects.get()
    assert stash.preview["counts"] == {"new": 0, "update": 1, "unchanged": 3, "error": 0}
    assert "从事职业" in response.content.decode()
    client.post(reverse("members:import_confirm", args=[stash.token]))

    after = {m.pk: (m.version, m.updated_at) for m in Member.objects.all()}
    changed = [pk for pk in before if before[pk] != after[pk]]
    assert changed == [members[2].pk]
    members[2].refresh_from_db()
    assert members[2].occupation == "果农"


def test_unchanged_file_offers_nothing_to_confirm(client, secretary_a1, member_a1):
    client.force_login(secretary_a1)
    exported = b"".join(client.get(reverse("members:export")).streaming_content)
    response = _upload(client, exported)
    assert response.status_code == 200 and "无需导入" in response.content.decode()
    assert not RosterImport.objects.exists()


# --- row errors: each as row, column, Chinese message; nothing written ---------------------------

def test_row_errors_are_listed_by_row_and_column_and_nothing_is_written(client, secretary_a1, member_b1, tree):
    client.force_login(secretary_a1)
    rows = [
        _valid_row(tree.branch_a1),                                       # row 3: fine
        _valid_row(tree.branch_a1, 身份证号码=NEW_ID[:17] + ("1" if NEW_ID[17] != "1" else "2"),  # row 4: bad
                   学历="不详", 手机号码="1234"),                                                 # check digit and more
        _valid_row(tree.branch_a1, 身份证号码=_id("11010519800101001"), 出生日期="前年", 性别="男"),  # 5: bad date
        _valid_row(tree.branch_a1, 身份证号码=NEW_ID),       # row 6: duplicate of row 3
        _valid_row(tree.branch_b1, 身份证号码=THIRD_ID, 出生日期=date(1970, 1, 1)),  # 7: other subtree org
        _valid_row(tree.branch_a1, 身份证号码=member_b1.id_number),        # row 8: member of another subtree
        _valid_row(tree.branch_a1, 身份证号码=SECOND_ID, 出生日期=date(1985, 1, 1), 性别="男", 学历="肄业"),
    ]
    before = _snapshot()
    response = _upload(client, _xlsx(rows))
    assert response.status_code == 200
    content = response.content.decode()
    assert "本次不会写入任何数据" in content
    errors = {(e.row, e.column) for e in response.context["errors"]}
    assert {(4, "身份证号码"), (4, "学历"), (4, "手机号码")} <= errors  # every error of a row at once
    assert (5, "出生日期") in errors
    assert (6, "身份证号码") in errors
    assert (7, "党组织代码") in errors
    assert (8, "身份证号码") in errors
    assert (9, "学历") in errors
    assert not any(e.row == 3 for e in response.context["errors"])
    assert "与第3行的身份证号码重复" in content
    assert str(HELD_OUTSIDE_REFUSAL) in content  # another town's member: the neutral answer
    assert _snapshot() == before
    assert not RosterImport.objects.exists()


def test_masked_id_numbers_cannot_be_imported(client, secretary_a1, tree):
    client.force_login(secretary_a1)
    response = _upload(client, _xlsx([_valid_row(tree.branch_a1, 身份证号码="2****************9")]))
    assert response.status_code == 200
    assert "脱敏" in response.content.decode()


def test_cannot_update_a_member_of_another_subtree(client, secretary_a1, member_b1, tree):
    client.force_login(secretary_a1)
    row = _valid_row(tree.branch_a1, 姓名="改名", 身份证号码=member_b1.id_number, 出生日期=member_b1.birth_date,
                     性别=member_b1.get_gender_display())
    response = _upload(client, _xlsx([row]))
    assert response.status_code == 200
    member_b1.refresh_from_db()
    assert member_b1.name == "乙镇党员" and member_b1.organization == tree.branch_b1


# --- bad files: one clear message, nothing written ------------------------------------------------

def _merged(sheet):
    sheet.merge_cells("A3:B3")


def _formula(sheet):
    sheet["L3"] = "=10+2"


def _encrypted_file():
    """The start of an OLE compound file holding an encrypted OOXML package (what Excel writes)."""
    return (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 1000 + "EncryptionInfo".encode("utf-16-le")
            + b"\x00" * 50 + "EncryptedPackage".encode("utf-16-le") + b"\x00" * 2000)


def _truncated(tree):
    content = _xlsx([_valid_row(tree.branch_a1)])
    return content[: len(content) // 2]


def _zip_without_workbook():
    output = io.BytesIO()
    with zipfile.ZipFile(output, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return output.getvalue()


@pytest.mark.parametrize("case, expected", [
    ("csv", "只能导入 Excel 工作簿"),
    ("xls", "旧版 Excel"),
    ("encrypted", "打开密码"),
    ("corrupt", "已损坏"),
    ("truncated", "已损坏"),
    ("not_workbook", "不是 Excel 工作簿"),
    ("missing_headers", "缺少必填的列"),
    ("no_headers", "找不到表头"),
    ("merged", "合并单元格"),
    ("formula", "公式"),
    ("no_data", "没有党员数据"),
    ("oversize", "超过了"),
    ("too_many_rows", "请分成几个文件"),
])
def test_bad_files_get_a_clear_message_and_nothing_is_written(client, secretary_a1, member_a1, tree, settings,
                                                              case, expected):
    good = _valid_row(tree.branch_a1)
    second = _valid_row(tree.branch_a1, 身份证号码=SECOND_ID, 出生日期=date(1985, 1, 1))
    name = "名册.xlsx"
    if case == "csv":
        content, name = "姓名,身份证号码\n张三,11010519900307001X\n".encode(), "名册.csv"
    elif case == "xls":
        content, name = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2000, "名册.xls"
    elif case == "encrypted":
        content = _encrypted_file()
    elif case == "corrupt":
        content = b"PK\x03\x04" + b"garbage" * 100
    elif case == "truncated":
        content = _truncated(tree)
    elif case == "not_workbook":
        content = _zip_without_workbook()
    elif case == "missing_headers":
        content = _xlsx([[good["姓名"], good["身份证号码"]]], headers=["姓名", "身份证号码"])
    elif case == "no_headers":
        content = _xlsx([], headers=["随便写的"], build=lambda s: s.append(["张三", NEW_ID]))
    elif case == "merged":
        content = _xlsx([good], build=_merged)
    elif case == "formula":
        content = _xlsx([good], build=_formula)
    elif case == "no_data":
        content = _xlsx([[None] * 3])
    elif case == "oversize":
        settings.ROSTER_IMPORT_MAX_BYTES = 1000
        content = _xlsx([good])
    elif case == "too_many_rows":
        settings.ROSTER_IMPORT_MAX_ROWS = 1
        content = _xlsx([good, second])
    client.force_login(secretary_a1)
    before = _snapshot()
    response = _upload(client, content, name)
    assert response.status_code == 200
    errors = response.context["form"].errors["file"]
    assert expected in errors[0], errors
    assert _snapshot() == before
    assert not RosterImport.objects.exists()


def test_upload_without_a_file_is_a_form_error(client, secretary_a1):
    client.force_login(secretary_a1)
    response = client.post(reverse("members:import"), {})
    assert response.status_code == 200
    assert response.context["form"].errors["file"]


def test_numbers_typed_into_text_columns(client, secretary_a1, tree):
    """Excel turns typed ID numbers into numbers (losing digits); phones typed as numbers are fine."""
    client.force_login(secretary_a1)
    rows = [_valid_row(tree.branch_a1, 身份证号码=110105199003070017, 手机号码=13812345678)]
    response = _upload(client, _xlsx(rows))
    assert response.status_code == 200
    [error] = response.context["errors"]
    assert (error.row, error.column) == (3, "身份证号码") and "文本" in error.message
    response = _upload(client, _xlsx([_valid_row(tree.branch_a1, 手机号码=13812345678)]))
    assert response.status_code == 200
    assert RosterImport.objects.get().preview["counts"]["new"] == 1


def test_dry_run_is_set_based(client, secretary_a1, tree, django_assert_max_num_queries):
    members = AwayMemberFactory.create_batch(20, organization=tree.branch_a1)
    client.force_login(secretary_a1)
    exported = b"".join(client.get(reverse("members:export")).streaming_content)
    with django_assert_max_num_queries(14):  # the organization's remembered column choices and the menu's count (portal)
        response = _upload(client, exported)
    assert response.status_code == 200
    assert RosterImport.objects.count() == 0  # all 20 unchanged: nothing to confirm
    assert len(members) == 20


def test_destination_text_of_the_towns_is_read_into_codes_and_kept_when_unreadable(client, secretary_a1, tree):
    """The towns' Excel keeps its text columns: 浙江 / 杭洲 is read as 浙江省杭州市 (and written back so),
    韩国 / 首尔 as abroad; text the parser cannot place stays as written, for the county to fix."""
    client.force_login(secretary_a1)
    rows = [_valid_row(tree.branch_a1, 流入地省份="浙江", 流入地城市="杭洲"),
            _valid_row(tree.branch_a1, 身份证号码=SECOND_ID, 出生日期=date(1985, 1, 1), 流入地省份="",
                       流入地城市="首尔", **{"出国（境）国家（地区）": "韩国"}),
            _valid_row(tree.branch_a1, 身份证号码=THIRD_ID, 出生日期=date(1970, 1, 1), 流入地省份="",
                       流入地城市="外地工地")]
    assert _upload(client, _xlsx(rows)).status_code == 200
    stash = RosterImport.objects.get(user=secretary_a1)
    assert client.post(reverse("members:import_confirm", args=[stash.token])).status_code == 302
    hangzhou, seoul, unknown = (Member.objects.get(id_number=n) for n in (NEW_ID, SECOND_ID, THIRD_ID))
    assert (hangzhou.destination_division_id, hangzhou.destination_province, hangzhou.destination_city) == (
        "330100", "浙江省", "杭州市")
    assert (seoul.abroad_country_id, seoul.destination_country, seoul.destination_city) == ("KR", "韩国", "首尔")
    assert unknown.destination_division_id is None and unknown.destination_city == "外地工地"
