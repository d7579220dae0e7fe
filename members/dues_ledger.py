"""Reading the rule of ``members.dues`` from the database, set-based.

The pure functions in ``members.dues`` say which months a member owes and
what 党费缴至 is (``dues.paid_through``, the one definition); this module feeds
them the payments (one query for any number of members).
``Member.dues_paid_through`` stores that answer as of now - written only
here, by the dues services and the roster import - for the lists, filters,
the arrears list, the inactivity condition and the roster column to read; an
introduction letter takes it (``paid_through_by_member``) on the day it is
issued; the quarterly figures ask ``paid_through_rows`` as of the
quarter's end, so a payment made after the quarter does not change them.
"""
from collections import defaultdict
from collections.abc import Iterable
from datetime import date

from django.db.models import BooleanField, CharField, Exists, OuterRef, QuerySet, Value
from django.db.models.functions import Cast, Concat, ExtractMonth, ExtractYear

from members import dues
from members.models import DuesPayment, Member


def spans_by_member(member_ids, as_of: date | None = None) -> dict[int, list[dues.Span]]:
    """Every payment's months of the given members (ids, or a queryset of them), paid by ``as_of`` if given.

    One query.
    """
    spans = defaultdict(list)
    payments = DuesPayment.objects.filter(
        member_id__in=member_ids if isinstance(member_ids, QuerySet) else list(member_ids))
    if as_of is not None:
        payments = payments.filter(paid_on__lte=as_of)
    for member_id, first, last in payments.values_list("member_id", "first_month", "last_month"):
        spans[member_id].append((first, last))
    return spans


def unpaid_months_by_member(members: Iterable[Member], today: date) -> dict[int, list[date] | None]:
    """The unpaid owed months of each member on ``today`` (one query for all of them)."""
    members = list(members)
    spans = spans_by_member(member.pk for member in members)
    return {member.pk: dues.unpaid_months(start_month=member.dues_start_month, spans=spans[member.pk], today=today)
            for member in members}


def paid_after(day: date) -> Exists:
    """Over members: whether any payment was made after ``day`` (else their stored 党费缴至 held on ``day``)."""
    return Exists(DuesPayment.objects.filter(member=OuterRef("pk"), paid_on__gt=day))


def paid_through_rows(members: QuerySet, *fields: str, as_of: date | None = None) -> list[tuple]:
    """``(pk, 党费缴至, *fields)`` of each member: from every payment (``as_of`` None), or from those paid by ``as_of``.

    Two queries. As of a past day only members who paid something after it
    are worked out again from their payments; for the others nothing has
    changed since, and their stored 党费缴至 is the answer.
    """
    members = members.order_by()
    if as_of is None:
        members = members.annotate(recompute=Value(True, output_field=BooleanField()))
    else:
        members = members.annotate(recompute=paid_after(as_of))
    rows = list(members.values_list("pk", "dues_start_month", "dues_paid_through", "recompute", *fields))
    spans = spans_by_member(members.filter(recompute=True).values("pk"), as_of=as_of)
    return [(pk, dues.paid_through(start_month=start, spans=spans[pk]) if again else stored, *rest)
            for pk, start, stored, again, *rest in rows]


def paid_through_by_member(members: QuerySet, *, as_of: date | None = None) -> dict[int, date | None]:
    """``{pk: 党费缴至}`` (see ``paid_through_rows``)."""
    return {pk: paid_through for pk, paid_through in paid_through_rows(members, as_of=as_of)}


def refreshed_paid_through(member: Member) -> date | None:
    """党费缴至 of ``member`` (its start of dues as it is in memory, being saved) from all its payments (one query)."""
    return dues.paid_through(start_month=member.dues_start_month, spans=spans_by_member([member.pk])[member.pk])


def month_label_expression(field: str):
    """SQL for ``dues.month_label`` of a date column that is not NULL: 2026年10月."""
    return Concat(Cast(ExtractYear(field), CharField()), Value("年"), Cast(ExtractMonth(field), CharField()),
                  Value("月"), output_field=CharField())
