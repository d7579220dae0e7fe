"""Roster values as people write them (members.roster_values): pure functions, row by row."""
from datetime import date, datetime

import pytest

from members.choices import Education, Gender, MembershipType, MobilityStatus
from members.roster_values import (
    CellValueError,
    MonthOnly,
    birth_date_from_id,
    choice_words,
    gender_from_id,
    parse_choice,
    parse_date,
    parse_id_number,
    parse_integer,
    parse_month,
    parse_phone,
    parse_yes_no,
)

@pytest.mark.parametrize("raw, expected, month_only", [
    ("2019-03-01", date(2019, 3, 1), False),
    ("2019/3/1", date(2019, 3, 1), False),
    ("2019.3.1", date(2019, 3, 1), False),
    ("2019年3月1日", date(2019, 3, 1), False),
    ("20190301", date(2019, 3, 1), False),
    ("2019.03", date(2019, 3, 1), True),
    ("2019年3月", date(2019, 3, 1), True),
    ("2019-3", date(2019, 3, 1), True),
    ("201903", date(2019, 3, 1), True),
    (" ２０１９年３月 ", date(2019, 3, 1), True),      # full-width digits and spaces
    (201903, date(2019, 3, 1), True),                  # typed as a number
    (2019.03, date(2019, 3, 1), True),
    (20190301, date(2019, 3, 1), False),
    (datetime(2019, 3, 1, 0, 0), date(2019, 3, 1), False),  # an Excel date cell
    (date(2019, 3, 1), date(2019, 3, 1), False),
])
def test_dates_in_every_style(raw, expected, month_only):
    value = parse_date(raw)
    assert value == expected
    assert isinstance(value, MonthOnly) == month_only


@pytest.mark.parametrize("raw", [None, "", "  "])
def test_an_empty_date_is_none(raw):
    assert parse_date(raw) is None


@pytest.mark.parametrize("raw", ["前年", "2019-13-01", "2019.02.30", "19.3", "2019年13月"])
def test_impossible_dates_are_refused_in_chinese(raw):
    with pytest.raises(CellValueError, match="不是有效日期"):
        parse_date(raw)


@pytest.mark.parametrize("raw, expected", [
    ("2026年10月", date(2026, 10, 1)), ("2026.10", date(2026, 10, 1)), ("2026-10-15", date(2026, 10, 1)),
    (datetime(2026, 10, 31), date(2026, 10, 1)), ("", None),
])
def test_months(raw, expected):
    assert parse_month(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("12", 12), (12, 12), (12.0, 12), (" 12 ", 12), ("", None), (None, None),
])
def test_integers(raw, expected):
    assert parse_integer(raw) == expected


@pytest.mark.parametrize("raw", ["十二", 12.5, True])
def test_not_integers(raw):
    with pytest.raises(CellValueError):
        parse_integer(raw)


@pytest.mark.parametrize("raw, expected", [
    ("11010519900307001x", "11010519900307001X"),
    ("110105 19900307 001X", "11010519900307001X"),
    ("１１０１０５１９９００３０７００１ｘ", "11010519900307001X"),
    ("\u3000110105199003070017 ", "110105199003070017"),
    (None, ""),
])
def test_id_numbers_with_a_lowercase_x_or_spaces(raw, expected):
    assert parse_id_number(raw) == expected


@pytest.mark.parametrize("raw, message", [(110105199003070017, "数字"), ("110105********0017", "脱敏")])
def test_id_numbers_that_cannot_be_matched(raw, message):
    with pytest.raises(CellValueError, match=message):
        parse_id_number(raw)


@pytest.mark.parametrize("raw, expected", [
    ("138-1234-5678", "13812345678"), ("138 1234 5678", "13812345678"), ("+86 138 1234 5678", "13812345678"),
    ("+8613812345678", "13812345678"), ("0086-138-1234-5678", "13812345678"), ("(86)13812345678", "13812345678"),
    (13812345678, "13812345678"), (13812345678.0, "13812345678"), ("", ""), (None, ""),
    ("0571-8888888", "05718888888"),  # a landline stays as written (without dashes) for validation to refuse
])
def test_phones_with_dashes_spaces_or_country_code(raw, expected):
    assert parse_phone(raw) == expected


@pytest.mark.parametrize("raw, expected", [
    ("是", True), ("有", True), ("√", True), ("✓", True), ("Y", True), ("y", True), (True, True), (1, True),
    ("否", False), ("无", False), ("×", False), ("N", False), (False, False), (0, False),
    ("", None), (None, None),
])
def test_yes_and_no(raw, expected):
    assert parse_yes_no(raw) is expected


def test_yes_no_refuses_anything_else():
    with pytest.raises(CellValueError, match="是"):
        parse_yes_no("也许")


@pytest.mark.parametrize("choices, raw, expected", [
    (Gender, "男", Gender.MALE), (Gender, "女性", Gender.FEMALE), (Gender, "female", Gender.FEMALE),
    (Education, "本科", Education.UNDERGRADUATE), (Education, "大学本科", Education.UNDERGRADUATE),
    (Education, "大专", Education.JUNIOR_COLLEGE), (Education, "小学", Education.JUNIOR_HIGH_OR_BELOW),
    (Education, "硕士研究生", Education.POSTGRADUATE),
    (MembershipType, "预备", MembershipType.PROBATIONARY), (MembershipType, "正式党员", MembershipType.FULL),
    (MobilityStatus, "外出（流出）", MobilityStatus.OUTFLOW), (MobilityStatus, "外出(流出)", MobilityStatus.OUTFLOW),
    (MobilityStatus, "外出", MobilityStatus.OUTFLOW), (MobilityStatus, "在家", MobilityStatus.AT_HOME),
    (Education, "", ""),
])
def test_choices_by_label_value_or_the_usual_other_word(choices, raw, expected):
    assert parse_choice(raw, choice_words(choices), "…") == expected


def test_an_unknown_choice_lists_what_is_allowed():
    with pytest.raises(CellValueError, match="可选的值.*大学本科"):
        parse_choice("肄业", choice_words(Education), "大学本科、高中")


@pytest.mark.parametrize("id_number, expected", [
    ("110105199003070017", Gender.MALE), ("110105199003070025", Gender.FEMALE),
    ("1101051990030700", None), ("110105199013070017", None), ("", None),
])
def test_gender_from_the_id_number(id_number, expected):
    assert gender_from_id(id_number) == expected


@pytest.mark.parametrize("written, expected", [
    (None, date(1990, 3, 7)),                        # no birth date: the ID number's
    (MonthOnly(1990, 3, 1), date(1990, 3, 7)),       # written to the month: completed from the ID number
    (MonthOnly(1991, 3, 1), date(1991, 3, 1)),       # another month: left for validation to refuse
    (date(1990, 3, 7), date(1990, 3, 7)),
])
def test_birth_date_from_the_id_number(written, expected):
    value = birth_date_from_id("110105199003070017", written)
    assert value == expected and type(value) is date
