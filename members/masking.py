"""The one masking rule for personal data, for users who may not see it in full.

From everything a role without ``members.view_personal_data`` sees — pages,
exports, search answers, error messages — no ID number or phone may be
narrowed down to fewer than 1,000 candidates. Digits 7–14 of an ID number are
the birth date and digit 17 the gender, so a mask that keeps the region
prefix and the last four characters leaves only the three sequence digits
(about 50 candidates) once the birth date is shown. Hence:

- an ID number shows only its first and last character (``2****************9``);
- a phone shows its first three and last four digits (``138****5678``: 10,000
  candidates);
- the birth date shows only the year (the ID's date digits keep 365 choices);
- search matches ID numbers and phones only on these shown characters, by
  comparing the query with the masked text itself (``masked_id_number_sql``,
  ``masked_phone_sql`` build the same masks in SQL).
"""
from datetime import date

from django.db.models import F, Value
from django.db.models.functions import Concat, Left, Length, Repeat, Right
from django.utils.translation import gettext as _

PERSONAL_DATA_PERMISSION = "members.view_personal_data"

ID_SHOWN_HEAD, ID_SHOWN_TAIL = 1, 1
PHONE_SHOWN_HEAD, PHONE_SHOWN_TAIL = 3, 4


def _mask(value: str, head: int, tail: int) -> str:
    if not value:
        return ""
    if len(value) <= head + tail:
        return "*" * len(value)
    return value[:head] + "*" * (len(value) - head - tail) + value[-tail:]


def mask_id_number(value: str) -> str:
    """``222424199001017499`` → ``2****************9``."""
    return _mask(value, ID_SHOWN_HEAD, ID_SHOWN_TAIL)


def mask_phone(value: str) -> str:
    """``13812345678`` → ``138****5678``."""
    return _mask(value, PHONE_SHOWN_HEAD, PHONE_SHOWN_TAIL)


def masked_birth_date(value: date | None) -> str:
    """The birth date as a masked role sees it: the year only (``1990年``)."""
    return _("%(year)d年") % {"year": value.year} if value else ""


def _mask_sql(field: str, head: int, tail: int):
    # Valid ID numbers (18) and phones (11) are always longer than head + tail.
    return Concat(Left(F(field), head), Repeat(Value("*"), Length(F(field)) - head - tail), Right(F(field), tail))


def masked_id_number_sql(field: str = "id_number"):
    """``mask_id_number`` as a database expression, for searching on the shown characters only."""
    return _mask_sql(field, ID_SHOWN_HEAD, ID_SHOWN_TAIL)


def masked_phone_sql(field: str = "phone"):
    """``mask_phone`` as a database expression, for searching on the shown characters only."""
    return _mask_sql(field, PHONE_SHOWN_HEAD, PHONE_SHOWN_TAIL)


def can_see_personal_data(user) -> bool:
    return user.has_perm(PERSONAL_DATA_PERMISSION)
