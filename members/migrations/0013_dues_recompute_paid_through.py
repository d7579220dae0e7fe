"""Convert existing dues records to months kept one by one (issue 11).

Before, 党费缴至 was whatever was typed in the member form or the import,
moved forward to the last month of any later payment - jumping over gaps.
Now it is the end of the unbroken paid run from the start of dues
(``members.dues``). For each member, without losing or changing a payment:

* 党费缴至 on record that no payment covers (typed from a paper ledger) is an
  opening balance: the start of dues becomes the month after it, so the
  months before it stay settled (no debt is invented) and 党费缴至 keeps its
  value unless later payments continue the run;
* otherwise the start of dues stays empty (= the earliest month any payment
  covers) and 党费缴至 is recomputed: months between payments that no payment
  covers - hidden until now by the jump - show as owed, as they are;
* a member with neither keeps both empty (nothing recorded).

Backwards, 党费缴至 becomes the old value again: the later of the start of
dues minus one month and the last month of any payment.
"""
from collections import defaultdict

from django.db import migrations

BATCH = 2000


def _shift(month, n):
    index = month.year * 12 + month.month - 1 + n
    return month.replace(year=index // 12, month=index % 12 + 1, day=1)


def _months(first, last):
    month = first
    while month <= last:
        yield month
        month = _shift(month, 1)


def _spans(DuesPayment, member_ids):
    spans = defaultdict(list)
    for member_id, first, last in DuesPayment.objects.filter(member_id__in=member_ids).values_list(
            "member_id", "first_month", "last_month"):
        spans[member_id].append((first, last))
    return spans


def _batches(Member):
    # unordered: SQLite refuses ORDER BY (the model's default ordering) inside a UNION
    ids = list(Member.objects.order_by().filter(dues_paid_through__isnull=False).values_list("pk", flat=True).union(
        Member.objects.order_by().filter(duespayment__isnull=False).values_list("pk", flat=True)))
    ids.sort()
    for start in range(0, len(ids), BATCH):
        yield list(Member.objects.filter(pk__in=ids[start:start + BATCH]).only("pk", "dues_paid_through",
                                                                                "dues_start_month"))


def forwards(apps, schema_editor):
    Member, DuesPayment = apps.get_model("members", "Member"), apps.get_model("members", "DuesPayment")
    for members in _batches(Member):
        spans = _spans(DuesPayment, [m.pk for m in members])
        for member in members:
            covered = {month for first, last in spans[member.pk] for month in _months(first, last)}
            typed = member.dues_paid_through
            if typed is not None and typed.replace(day=1) not in covered:
                member.dues_start_month = _shift(typed, 1)
            start = member.dues_start_month or min(covered, default=None)
            if start is None:
                member.dues_paid_through = None
                continue
            month = start
            while month in covered:
                month = _shift(month, 1)
            member.dues_paid_through = _shift(month, -1)
        Member.objects.bulk_update(members, ["dues_start_month", "dues_paid_through"])


def backwards(apps, schema_editor):
    Member, DuesPayment = apps.get_model("members", "Member"), apps.get_model("members", "DuesPayment")
    for members in _batches(Member):
        spans = _spans(DuesPayment, [m.pk for m in members])
        for member in members:
            candidates = [last for _first, last in spans[member.pk]]
            if member.dues_start_month:
                candidates.append(_shift(member.dues_start_month, -1))
            member.dues_paid_through = max(candidates, default=None)
        Member.objects.bulk_update(members, ["dues_paid_through"])


class Migration(migrations.Migration):

    dependencies = [("members", "0012_dues_kept_month_by_month")]

    operations = [migrations.RunPython(forwards, backwards)]
