import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.roles import Role
from members.models import PersonalDataAccess, RosterExport
from members.roster_columns import CURRENT_DOCUMENT, register_roster_column, unregister_roster_column
from members.roster_schema import COLUMNS
from tests.factories import AwayMemberFactory, MemberFactory, UserFactory

HEADERS = [str(column.header) for column in COLUMNS] + ["六个掌握", "当前证件", "不活跃提示", "最近一次双向评议"]


def _sheet(response):
    assert response.status_code == 200, response.content[:500]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return workbook.worksheets[0]


def _rows(sheet):
    return [list(row) for row in sheet.iter_rows(min_row=3, values_only=True)]


def _col(name):
    return HEADERS.index(name)


@pytest.fixture
def members_a1(tree):
    return [AwayMemberFactory(organization=tree.branch_a1, name="张伟"),
            MemberFactory(organization=tree.branch_a1, name="李娜", phone="")]


def test_export_has_title_chinese_headers_and_dates_as_dates(client, secretary_a1, members_a1, tree):
    client.force_login(secretary_a1)
    sheet = _sheet(client.get(reverse("members:export")))
    title = sheet.cell(row=1, column=1).value
    assert "甲一村党支部" in title and "流动党员登记册" in title and "导出日期" in title
    assert [cell.value for cell in sheet[2]] == HEADERS
    rows = _rows(sheet)
    assert len(rows) == 2
    zhang = next(row for row in rows if row[0] == "张伟")
    assert zhang[_col("性别")] in ("男", "女")
    assert zhang[_col("流动状态")] == "外出（流出）"
    assert zhang[_col("党组织代码")] == tree.branch_a1.code
    assert zhang[_col("所在党支部")] == "甲一村党支部"
    assert zhang[_col("外出时间")].date() == members_a1[0].departure_date
    assert sheet.cell(row=3, column=_col("出生日期") + 1).is_date
    assert zhang[_col("六个掌握")] == "完整"
    paid_through = sheet.cell(row=3 + rows.index(zhang), column=_col("党费缴至") + 1)
    assert paid_through.is_date and paid_through.value.date() == members_a1[0].dues_paid_through
    assert paid_through.number_format == 'yyyy"年"m"月"'  # issue 11: 2026年10月, a real date cell
    li = next(row for row in rows if row[0] == "李娜")
    assert li[_col("六个掌握")] == "缺：联系方式"


def test_secretary_sees_full_personal_data(client, secretary_a1, members_a1):
    client.force_login(secretary_a1)
    rows = _rows(_sheet(client.get(reverse("members:export"))))
    zhang = next(row for row in rows if row[0] == "张伟")
    assert zhang[_col("身份证号码")] == members_a1[0].id_number
    assert zhang[_col("手机号码")] == members_a1[0].phone


def test_roster_staff_gets_masked_personal_data(client, staff_user, members_a1):
    client.force_login(staff_user)
    rows = _rows(_sheet(client.get(reverse("members:export"))))
    zhang = next(row for row in rows if row[0] == "张伟")
    member = members_a1[0]
    assert zhang[_col("身份证号码")] == member.id_number[0] + "*" * 16 + member.id_number[-1]
    assert zhang[_col("手机号码")] == member.phone[:3] + "****" + member.phone[-4:]
    assert zhang[_col("出生日期")] == f"{member.birth_date.year}年"
    assert member.id_number not in str(rows) and member.phone not in str(rows)


def test_reviewer_may_not_export(client, reviewer_a, members_a1):
    client.force_login(reviewer_a)
    assert client.get(reverse("members:export")).status_code == 403


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("members:export"))
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_export_follows_the_lists_search_filters_and_sort(client, county_admin, tree):
    AwayMemberFactory(organization=tree.branch_a1, name="王一")
    AwayMemberFactory(organization=tree.branch_a2, name="王二")
    MemberFactory(organization=tree.branch_a1, name="王三")
    AwayMemberFactory(organization=tree.branch_b1, name="赵四")
    client.force_login(county_admin)
    url = reverse("members:export") + f"?q=王&organization={tree.town_a.pk}&mobility_status=outflow&sort=-name&page=2"
    names = [row[0] for row in _rows(_sheet(client.get(url)))]
    assert names == ["王二", "王一"]
    sheet = _sheet(client.get(reverse("members:export") + f"?organization={tree.town_a.pk}"))
    assert sheet.cell(row=1, column=1).value.startswith("甲镇党委")


def test_export_is_scoped_to_the_users_subtree(client, secretary_a1, tree):
    AwayMemberFactory(organization=tree.branch_b1, name="外镇党员")
    client.force_login(secretary_a1)
    assert _rows(_sheet(client.get(reverse("members:export")))) == []
    # another subtree's organization as a filter is invalid, not a way in
    response = client.get(reverse("members:export") + f"?organization={tree.branch_b1.pk}")
    assert response.status_code == 302


def test_cells_that_look_like_formulas_are_written_as_text(client, secretary_a1, tree):
    AwayMemberFactory(organization=tree.branch_a1, name="=HYPERLINK(\"http://x\")", occupation="+1+2",
                      host_unit="-3", destination_address="@SUM(A1)", dues_paid_where="=1+1")
    client.force_login(secretary_a1)
    sheet = _sheet(client.get(reverse("members:export")))
    values = {}
    for cell in sheet[3]:
        if isinstance(cell.value, str) and cell.value[:1] in "=+-@":
            assert cell.data_type == "s", cell.coordinate
            assert cell.quotePrefix
            values[HEADERS[cell.column - 1]] = cell.value
    assert values == {"姓名": "=HYPERLINK(\"http://x\")", "从事职业": "+1+2", "流入单位": "-3",
                      "流入地详细地址": "@SUM(A1)", "党费缴纳地": "=1+1"}


def test_every_export_is_logged_with_filters_and_row_count(client, staff_user, members_a1, tree):
    client.force_login(staff_user)
    _sheet(client.get(reverse("members:export") + "?mobility_status=outflow&q=张"))
    log = PersonalDataAccess.objects.get(action=PersonalDataAccess.Action.EXPORT)
    assert log.user == staff_user
    assert log.row_count == 1
    assert log.detail["filters"] == {"q": "张", "mobility_status": "outflow"}
    assert log.detail["masked"] is True
    assert log.at is not None


def test_registered_columns_fill_current_document(client, secretary_a1, members_a1, monkeypatch):
    from django.db.models import CharField, Value

    from members import roster_columns

    monkeypatch.setattr(roster_columns, "_annotators", {})  # the real registrations come back afterwards
    register_roster_column(CURRENT_DOCUMENT, lambda qs: qs.annotate(
        **{CURRENT_DOCUMENT.key: Value("活动证 No.1", output_field=CharField())}))
    client.force_login(secretary_a1)
    rows = _rows(_sheet(client.get(reverse("members:export"))))
    assert {row[_col("当前证件")] for row in rows} == {"活动证 No.1"}
    assert {row[_col("不活跃提示")] for row in rows} == {None}
    unregister_roster_column(CURRENT_DOCUMENT)
    rows = _rows(_sheet(client.get(reverse("members:export"))))
    assert {row[_col("当前证件")] for row in rows} == {None}


def test_export_runs_a_fixed_number_of_queries(client, secretary_a1, tree, django_assert_max_num_queries):
    AwayMemberFactory.create_batch(30, organization=tree.branch_a1)
    client.force_login(secretary_a1)
    with django_assert_max_num_queries(12):
        _sheet(client.get(reverse("members:export")))


# --- large exports: a Celery job with progress, downloadable only by its owner --------------

@pytest.fixture
def eager_celery(settings):
    from config.celery import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def test_large_export_runs_as_a_celery_job_with_progress_and_download(
        client, secretary_a1, tree, settings, eager_celery, django_capture_on_commit_callbacks, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    settings.ROSTER_EXPORT_SYNC_LIMIT = 3
    AwayMemberFactory.create_batch(5, organization=tree.branch_a1)
    client.force_login(secretary_a1)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.get(reverse("members:export") + "?mobility_status=outflow")
    job = RosterExport.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    page = client.get(response.url)
    assert page.status_code == 200 and "export-progress" in page.content.decode()
    status = client.get(reverse("members:export_status", args=[job.token])).json()
    assert status["status"] == "done" and status["percent"] == 100 and status["done_rows"] == 5
    sheet = _sheet(client.get(status["download_url"]))
    assert len(_rows(sheet)) == 5
    log = PersonalDataAccess.objects.get(action=PersonalDataAccess.Action.EXPORT)
    assert log.row_count == 5 and log.detail["filters"] == {"mobility_status": "outflow"}

    other = UserFactory(organization=tree.branch_a1, role=Role.BRANCH_SECRETARY)
    client.force_login(other)
    for name in ("members:export_progress", "members:export_status", "members:export_download"):
        assert client.get(reverse(name, args=[job.token])).status_code == 404


def test_a_member_abroad_has_the_country_in_the_roster(client, secretary_a1, tree):
    """Abroad is its own scope, never a province (domain.md): the roster shows the country where the province
    would stand, and the province stays empty."""
    AwayMemberFactory(organization=tree.branch_a1, name="王芳", destination_country="日本", destination_province="",
                      destination_city="东京")
    client.force_login(secretary_a1)
    row = _rows(_sheet(client.get(reverse("members:export"))))[0]
    assert (row[_col("出国（境）国家（地区）")], row[_col("流入地省份")], row[_col("流入地城市")]) == ("日本", None, "东京")
