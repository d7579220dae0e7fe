"""The search box as secretaries type: a name (simplified or traditional), its pinyin or initials, or digits.

One function for every list that searches members (the member list and its
export, the outflow, inflow and card lists, the top bar's jump to a member):

- letters only → the start of the name's pinyin or initials (``members.pinyin``),
  each a prefix on its own index: 「zhangsan」「zhang」「zs」 find 张三;
- digits (an ID number may end with X) → for the roles that see personal data,
  the start or the end (「最后4到6位」) of the ID number or phone, each an
  index scan (migration ``members.0025_member_id_phone_search_indexes``): the end is the start of the
  reversed column; digits in the middle (a birth date) are not searched; for
  the other roles, only the characters they are shown (``members.masking``);
- anything else → the name, the query first turned to simplified characters
  (zhconv, the MediaWiki conversion tables), so 「蘇」 finds 苏.
"""
import zhconv
from django.db.models import Q, QuerySet
from django.db.models.functions import Reverse

from members.masking import can_see_personal_data, masked_id_number_sql, masked_phone_sql
from members.models import Member
from members.pinyin import is_pinyin_query


def is_id_query(value: str) -> bool:
    """Digits, possibly ending with an ID number's X (``2X``, ``X``), or masked text (``2****9``); ``zx`` is pinyin."""
    head = value[:-1] if value[-1] in "xX" else value
    return head.isdigit() or not head or "*" in value


def simplified(value: str) -> str:
    """The query in simplified characters (traditional ones converted; everything else kept)."""
    return zhconv.convert(value, "zh-cn")


def search_members(queryset: QuerySet, value: str, *, show_personal_data: bool) -> QuerySet:
    """``queryset`` (of members) narrowed to those matching ``value``; unchanged for an empty value."""
    value = value.replace("\x00", "").strip()
    if not value:
        return queryset
    if is_id_query(value):
        value = value.upper()
        if show_personal_data:
            reversed_digits = value[::-1]
            return queryset.alias(id_reversed=Reverse("id_number"), phone_reversed=Reverse("phone")).filter(
                Q(id_number__startswith=value) | Q(phone__startswith=value)
                | Q(id_reversed__startswith=reversed_digits) | Q(phone_reversed__startswith=reversed_digits))
        # Only the characters the user is shown can match, so probing hidden digits finds nothing.
        return queryset.alias(masked_id=masked_id_number_sql(), masked_phone=masked_phone_sql()).filter(
            Q(masked_id__contains=value) | Q(masked_phone__contains=value))
    typed = "".join(value.split()).lower()  # zhang san, ZS
    if is_pinyin_query(typed):
        # By the start of the name's pinyin or initials, each a prefix on its own index.
        return queryset.filter(Q(name_pinyin__startswith=typed) | Q(name_initials__startswith=typed))
    name = simplified(value)
    return queryset.filter(Q(name__contains=name) | Q(name__contains=value)) if name != value \
        else queryset.filter(name__contains=value)


def searched_members(request) -> QuerySet:
    """The members the user sees that match ``?q=`` (a subquery for the outflow, inflow and card lists)."""
    return search_members(Member.objects.visible_to(request.user), request.GET.get("q", ""),
                          show_personal_data=can_see_personal_data(request.user)).values("pk")
