"""Reading the rule of ``members.dues`` from the database, set-based.

The pure functions in ``members.dues`` say which months a member owes and
what 党费缴至 is; this module feeds them the payments (one query for any
number of members) and keeps ``Member.dues_paid_through`` - the
denormalized 党费缴至 that lists, filters, letters, exports and figures
read - equal to their answer.
"""
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import CharField, Value
from django.db.models.functions import Cast, Concat, ExtractMonth, ExtractYear

from members import dues
from members.models import DuesPayment, Member


def spans_by_member(member_ids: Iterable[int]) -> dict[int, list[dues.Span]]:
    """Every payment's months of the given members (one query)."""
    spans = defaultdict(list)
    rows = DuesPayment.objects.filter(member_id__in=list(member_ids)).values_list("member_id", "first_month", "last_month")
    for member_id, first, last in rows:
        spans[member_id].append((first, last))
    return spans


def unpaid_months_by_member(members: Iterable[Member], today: date) -> dict[int, list[date] | None]:
    """The unpaid owed months of each member on ``today`` (one query for all of them)."""
    members = list(members)
    spans = spans_by_member(member.pk for member in members)
    return {member.pk: dues.unpaid_months(start_month=member.dues_start_month, spans=spans[member.pk], today=today)
            for member in members}


def refreshed_paid_through(member: Member) -> date | None:
    """党费缴至 of ``member`` recomputed from its payments and start of dues (one query)."""
    return dues.paid_through(start_month=member.dues_start_month, spans=spans_by_member([member.pk])[member.pk])


def month_label_expression(field: str):
    """SQL for ``dues.month_label`` of a date column that is not NULL: 2026年10月."""
    return Concat(Cast(ExtractYear(field), CharField()), Value("年"), Cast(ExtractMonth(field), CharField()),
                  Value("月"), output_field=CharField())
