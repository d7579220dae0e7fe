from datetime import date

import pytest
from openpyxl import Workbook

from members import services
from members.models import Member, RosterExport
from members.roster_schema import IMPORT_COLUMNS
from organizations.validators import id_check_char
from tests.conftest import browser_login
from tests.factories import AwayMemberFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _roster_file(tmp_path, organization):
    first17 = "11010519900307001"
    values = {
        "姓名": "导入党员", "性别": "男", "身份证号码": first17 + id_check_char(first17), "出生日期": date(1990, 3, 7),
        "学历": "高中", "入党时间": date(2015, 7, 1), "党员类别": "正式党员", "党组织代码": organization.code,
        "流动状态": "在家", "手机号码": "13812345678", "党费缴至": date(2026, 10, 1),
    }
    workbook = Workbook()
    sheet = workbook.active
    headers = [str(column.header) for column in IMPORT_COLUMNS]
    sheet.append(headers)
    sheet.append([values.get(header) for header in headers])
    path = tmp_path / "名册.xlsx"
    workbook.save(path)
    return path


def test_secretary_imports_a_roster_after_a_dry_run(page, tree, tmp_path, artifacts_dir):
    UserFactory(username="zhishu", organization=tree.branch_a1)
    browser_login(page, "zhishu")
    page.click("text=党员名册")
    page.click("text=导入Excel")
    page.set_input_files("input[name=file]", str(_roster_file(tmp_path, tree.branch_a1)))
    page.click("button:has-text('上传并预演')")
    assert "新增 1" in page.locator("#preview").inner_text()
    assert not Member.objects.exists()
    page.screenshot(path=str(artifacts_dir / "roster_import_preview.png"), full_page=True)
    page.click("button:has-text('确认导入')")
    page.wait_for_url("**/members/")
    assert "导入完成" in page.content()
    assert Member.objects.get().name == "导入党员"


def test_bad_file_shows_the_message_next_to_the_field(page, tree, tmp_path):
    UserFactory(username="zhishu", organization=tree.branch_a1)
    bad = tmp_path / "名册.xlsx"
    bad.write_bytes(b"this is not a workbook")
    browser_login(page, "zhishu")
    page.goto("/members/import/")
    page.set_input_files("input[name=file]", str(bad))
    page.click("button:has-text('上传并预演')")
    assert "已损坏" in page.locator(".field-error .error").inner_text()


def test_export_progress_page_shows_the_download_link_when_ready(page, tree, artifacts_dir):
    user = UserFactory(username="zhishu", organization=tree.branch_a1)
    AwayMemberFactory.create_batch(3, organization=tree.branch_a1)
    job = RosterExport.objects.create(user=user, query="", total_rows=3)
    browser_login(page, "zhishu")
    page.goto(job.get_absolute_url())
    assert page.locator("#export-download").is_hidden()
    services.roster_export_build(job_id=job.pk)
    page.locator("#export-download").wait_for(state="visible")
    assert page.locator("#export-progress").get_attribute("value") == "100"
    page.screenshot(path=str(artifacts_dir / "roster_export_progress.png"), full_page=True)
    with page.expect_download() as download:
        page.click("#export-download")
    assert download.value.suggested_filename.endswith(".xlsx")
