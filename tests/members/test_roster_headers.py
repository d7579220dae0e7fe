"""The header row and the other names of each column (members.roster_headers), row by row."""
import pytest

from members.roster_headers import (
    HEADER_ALIASES,
    IGNORE,
    TARGETS,
    alias_index,
    find_header,
    normalize_header,
    resolve_columns,
)
from members.xlsx_reader import SheetRow


@pytest.mark.parametrize("header, target", [
    ("公民身份号码", "id_number"), ("身份证号", "id_number"), ("身份证号码", "id_number"), ("身份证号码*", "id_number"),
    ("联系电话", "phone"), ("手机", "phone"), ("手机号码", "phone"),
    ("所在党支部", "organization__name"), ("党支部", "organization__name"), ("支部名称", "organization__name"),
    ("党组织代码", "organization__code"),
    ("党费交至", "dues_paid_through"), ("党费缴至", "dues_paid_through"),
    ("流入地", "destination_address"), ("外出地点", "destination_address"), ("流向地", "destination_address"),
    ("出生年月", "birth_date"), ("出生日期", "birth_date"),
    ("文化程度", "education"), ("入党日期", "joined_date"), ("是否预备党员", "is_probationary"),
    ("是否外出", "is_away"), ("预计外出时长(月)", "expected_months"), ("预计外出时长（月）", "expected_months"),
    (" 姓 名 ", "name"), ("姓名：", "name"), ("序号", IGNORE), ("备注", IGNORE), ("六个掌握", IGNORE),
])
def test_the_usual_names_of_each_column(header, target):
    assert alias_index()[normalize_header(header)] == target


def test_every_name_means_one_column_and_every_column_is_one_we_read():
    names = [normalize_header(name) for names in HEADER_ALIASES.values() for name in names]
    assert len(names) == len(set(names))
    assert set(HEADER_ALIASES) - {IGNORE} <= set(TARGETS)
    for target, others in HEADER_ALIASES.items():  # our own header is always one of the names
        if target != IGNORE:
            assert normalize_header(TARGETS[target].header) in {normalize_header(name) for name in others}


def test_a_remembered_choice_outranks_the_table_and_two_columns_for_one_field_are_uncertain():
    columns = resolve_columns(["姓名", "联系电话", "手机号码", "籍贯"], {"籍贯": IGNORE})
    assert [(c.header, c.target) for c in columns] == [
        ("姓名", "name"), ("联系电话", ""), ("手机号码", ""), ("籍贯", IGNORE)]
    columns = resolve_columns(["姓名", "联系电话", "手机号码"], {"联系电话": "other_contact"})
    assert [c.target for c in columns] == ["name", "other_contact", "phone"]


def _rows(*rows):
    return [SheetRow(number, list(values)) for number, values in enumerate(rows, start=1)]


def test_the_header_row_is_found_below_a_title_and_a_unit_line():
    rows = _rows(["甲镇流动党员花名册"], ["填报单位：甲镇党委", None, None, "填报日期：2026年12月1日"], [],
                 ["序号", "姓名", "公民身份号码", "联系电话"], [1, "张三", "110105199003070017", "13812345678"])
    assert find_header(rows, {}).number == 4


def test_a_header_of_unknown_names_is_still_found_for_the_mapping_step():
    rows = _rows(["花名册"], ["同志", "证件", "去向", "电话号"], ["张三", "110105199003070017", "上海", "138"])
    assert find_header(rows, {}).number == 2


def test_a_sheet_of_notes_or_codes_has_no_header():
    assert find_header(_rows(["填表说明"], ["1. 每名党员一行"]), {}) is None
    assert find_header(_rows(["党组织代码", "党组织名称"], ["A01", "一村党支部"]), {}) is None
