"""Validators shared by every app (phones, mainland ID numbers, the range of dates)."""
import re
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

MAINLAND_MOBILE = re.compile(r"^1[3-9]\d{9}$")
ID_NUMBER_SHAPE = re.compile(r"^\d{17}[\dX]$")
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK_CHARS = "10X98765432"
#: Every date the registry takes: wide enough for any member's birth and any plan, and far enough from
#: Python's last date (9999-12-31) that adding months or years (dues ahead, card renewal) cannot overflow.
EARLIEST_DATE, LATEST_DATE = date(1900, 1, 1), date(2100, 12, 31)


def validate_date_in_range(value):
    day = value.date() if isinstance(value, datetime) else value
    if day is not None and not EARLIEST_DATE <= day <= LATEST_DATE:
        raise ValidationError(
            _("日期超出范围，请填写%(first)d年至%(last)d年之间的日期。"), code="date_out_of_range",
            params={"first": EARLIEST_DATE.year, "last": LATEST_DATE.year},
        )


def validate_mainland_phone(value):
    if not MAINLAND_MOBILE.match(value or ""):
        raise ValidationError(
            _("请填写11位大陆手机号码，以1开头，例如 13812345678。"), code="invalid_phone"
        )


def id_check_char(first17: str) -> str:
    """GB 11643 check character for the first 17 digits."""
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS))
    return ID_CHECK_CHARS[total % 11]


def id_birth_date(id_number: str) -> date | None:
    try:
        return date(int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14]))
    except ValueError:
        return None


def id_is_male(id_number: str) -> bool:
    """The 17th digit is odd for men and even for women."""
    return int(id_number[16]) % 2 == 1


def validate_id_number(value):
    """An 18-character citizen ID number with a valid GB 11643 check digit."""
    value = (value or "").upper()
    if not ID_NUMBER_SHAPE.match(value):
        raise ValidationError(
            _("身份证号码应为18位：前17位为数字，最后一位为数字或X。"), code="id_shape"
        )
    if id_birth_date(value) is None:
        raise ValidationError(_("身份证号码中的出生日期（第7-14位）不是有效日期。"), code="id_birth")
    if id_check_char(value[:17]) != value[17]:
        raise ValidationError(_("身份证号码校验位不正确，请核对后重新填写。"), code="id_checksum")
