"""Roster cell values as people write them: pure functions, no database.

Each parser takes a raw cell (text, number, date, Excel date cell, bool or
``None``) and returns the value the import writes, ``None`` (or ``""``) for
an empty cell, or raises ``CellValueError`` with what to do in Chinese.
Towns write the same fact many ways — 2019.03, 2019年3月, 201903; 13812345678
as 138-1234-5678 or +86 138 1234 5678; 是, 有 or √ — and all of them mean
one value here.
"""
import re
import unicodedata
from datetime import date, datetime

from django.db import models
from django.utils.translation import gettext as _

from members.choices import Education, Gender, MembershipType, MobilityStatus
from organizations.validators import id_birth_date, id_is_male


class CellValueError(ValueError):
    """The cell cannot be read; the message says why, in Chinese."""


class MonthOnly(date):
    """A date written only to the month (2019.03): the 1st of that month, marked as such.

    A birth date written so is completed from the ID number when the months agree.
    """


def normalize_text(value) -> str:
    """Full-width letters, digits and spaces folded (NFKC), surrounding space removed."""
    return unicodedata.normalize("NFKC", str(value)).strip()


def _plain(value) -> str:
    """A cell as text: whole numbers without ``.0``, dates as 2019-03-01."""
    if value is None or isinstance(value, bool):
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y-%m-%d")
    return normalize_text(value)


def parse_text(value) -> str:
    return _plain(value)


# --- dates -------------------------------------------------------------------------------------

#: 2019-03-01, 2019/3/1, 2019.3.1, 2019年3月1日, 2019-03, 2019.03, 2019年3月
SEPARATED_DATE = re.compile(r"^(\d{4})[-/.年](\d{1,2})(?:[-/.月](\d{1,2})日?|月)?$")
#: 20190301, 201903
COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})?$")


def parse_date(value) -> date | None:
    """A day, or a ``MonthOnly`` when only year and month are written; ``None`` for an empty cell."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    text = re.sub(r"\s", "", _plain(value))
    if not text:
        return None
    match = SEPARATED_DATE.match(text) or COMPACT_DATE.match(text)
    if match:
        year, month, day = int(match[1]), int(match[2]), match[3]
        try:
            return date(year, month, int(day)) if day else MonthOnly(year, month, 1)
        except ValueError:
            pass
    raise CellValueError(_("「%(value)s」不是有效日期，请填写如 2019-03-01、2019年3月 的日期。") % {"value": value})


def parse_month(value) -> date | None:
    """A month, kept as its 1st: any of the date forms, a day in it or the month alone."""
    try:
        day = parse_date(value)
    except CellValueError:
        raise CellValueError(_("「%(value)s」不是有效月份，请填写如 2026年10月 的月份。") % {"value": value}) from None
    return None if day is None else date(day.year, day.month, 1)


# --- numbers and codes --------------------------------------------------------------------------

def parse_integer(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise CellValueError(_("请填写整数。"))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    text = _plain(value)
    if not text:
        return None
    if text.isdigit():
        return int(text)
    raise CellValueError(_("「%(value)s」不是整数，请填写如 12 的整数。") % {"value": value})


def parse_id_number(value) -> str:
    """Spaces removed, a lowercase x made X; a number cell or a masked number is refused."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        raise CellValueError(_("身份证号码被存成了数字，末尾几位可能已丢失。请把该列设为“文本”格式后重新填写。"))
    text = re.sub(r"\s", "", _plain(value)).upper()
    if "*" in text:
        raise CellValueError(_("这是脱敏后的身份证号码（含 *），无法用于匹配。请填写完整号码，或使用可查看完整信息的账号导出名册。"))
    return text


#: what people put between the digits of a phone number
PHONE_NOISE = re.compile(r"[\s\-—–()（）]")
COUNTRY_CODE = re.compile(r"^(?:\+86|0086|86)(?=1\d{10}$)")


def parse_phone(value) -> str:
    """138-1234-5678, 138 1234 5678, +86 13812345678 → 13812345678 (anything else is left for validation)."""
    text = PHONE_NOISE.sub("", _plain(value))
    return COUNTRY_CODE.sub("", text)


# --- yes/no and choices ------------------------------------------------------------------------

YES = frozenset({"是", "有", "√", "✓", "✔", "☑", "Y", "YES", "TRUE", "1"})
NO = frozenset({"否", "无", "没有", "×", "✗", "✘", "N", "NO", "FALSE", "0"})


def parse_yes_no(value) -> bool | None:
    if isinstance(value, bool):
        return value
    text = _plain(value).upper()
    if not text:
        return None
    if text in YES:
        return True
    if text in NO:
        return False
    raise CellValueError(_("「%(value)s」请填写“是”或“否”（也可填 有/无、√）。") % {"value": value})


#: Other words people use for a choice, beside its label (and its stored value).
CHOICE_ALIASES: dict[type[models.TextChoices], dict[str, str]] = {
    Gender: {"男性": Gender.MALE, "女性": Gender.FEMALE},
    Education: {
        "博士": Education.POSTGRADUATE, "硕士": Education.POSTGRADUATE, "博士研究生": Education.POSTGRADUATE,
        "硕士研究生": Education.POSTGRADUATE, "本科": Education.UNDERGRADUATE, "大学": Education.UNDERGRADUATE,
        "大专": Education.JUNIOR_COLLEGE, "专科": Education.JUNIOR_COLLEGE, "高职": Education.JUNIOR_COLLEGE,
        "中技": Education.SECONDARY_VOCATIONAL, "技校": Education.SECONDARY_VOCATIONAL,
        "职高": Education.SECONDARY_VOCATIONAL, "中职": Education.SECONDARY_VOCATIONAL,
        "初中": Education.JUNIOR_HIGH_OR_BELOW, "小学": Education.JUNIOR_HIGH_OR_BELOW,
    },
    MembershipType: {"正式": MembershipType.FULL, "预备": MembershipType.PROBATIONARY},
    MobilityStatus: {"外出": MobilityStatus.OUTFLOW, "流出": MobilityStatus.OUTFLOW, "外出务工": MobilityStatus.OUTFLOW,
                     "已返回": MobilityStatus.RETURNED, "返回": MobilityStatus.RETURNED,
                     "已返乡": MobilityStatus.RETURNED},
}


def choice_words(choices: type[models.TextChoices]) -> dict[str, str]:
    """Every word read as one of ``choices``: labels, stored values and the aliases above."""
    words = {normalize_text(label): value for value, label in choices.choices}
    words.update((value, value) for value in choices.values)
    words.update((normalize_text(word), value) for word, value in CHOICE_ALIASES.get(choices, {}).items())
    return words


def parse_choice(value, words: dict[str, str], allowed: str) -> str:
    text = _plain(value)
    if not text:
        return ""
    try:
        return words[text]
    except KeyError:
        raise CellValueError(_("「%(value)s」不是可选的值，请填写：%(allowed)s。")
                             % {"value": text, "allowed": allowed}) from None


# --- what the ID number tells ------------------------------------------------------------------

def gender_from_id(id_number: str) -> str | None:
    """男 or 女 from the 17th digit of a well-formed 18-character number, else ``None``."""
    if len(id_number) != 18 or id_birth_date(id_number) is None or not id_number[16].isdigit():
        return None
    return Gender.MALE if id_is_male(id_number) else Gender.FEMALE


def birth_date_from_id(id_number: str, written: date | None) -> date | None:
    """The birth date: the one written, or the ID number's when none is written or only its month is."""
    from_id = id_birth_date(id_number) if len(id_number) == 18 else None
    if written is None:
        return from_id
    if isinstance(written, MonthOnly):
        if from_id and (from_id.year, from_id.month) == (written.year, written.month):
            return from_id
        return date(written.year, written.month, written.day)
    return written
