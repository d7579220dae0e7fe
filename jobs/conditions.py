"""Which members meet a condition on ``today``: querysets, evaluated by the database.

The inactivity rule (seeds 3 and 4, 《党员教育管理工作条例》): without good
reason, 6 consecutive months of no organizational life, or no dues, or no
assigned work. Precisely, with ``cutoff = today - 6 months`` (see
``jobs.windows``):

* organizational life — no attendance dated in ``(cutoff, today]``;
* dues — counted in whole months (``members.dues``): the six calendar
  months before the current one are all unpaid, i.e. 党费缴至 (the end of
  the unbroken paid run from the start of dues) is at least 7 months back
  and no payment covers a later month: paid through May,
  flagged from 1 December (June–November unpaid); a payment for October
  after a gap ends the run of six;
* assigned work — work assigned on or before ``cutoff`` is still not done,
  and nothing was completed in ``(cutoff, today]``;
* a valid reason (leave, illness, exemption) interrupts the run like an
  activity does: a member is not flagged while any excuse that has started
  reaches past ``cutoff``. So the 6 months must be consecutive *and*
  uncovered; an excuse over part of the window restarts the count at its
  end (excused to 31 March → flaggable from 1 October at the earliest);
* the system knows nothing from before a member's record was registered:
  a member with no record at all is counted from the day of registration.

Lost contact (失联): no successful contact in ``(cutoff, today]`` and at
least one failed attempt after the last successful contact (or after
registration when there was none).

Between two days the answer changes only for members whose records changed
(the triggers of ``jobs.changes``) or who cross a date edge of these rules:
``crossing_members`` names the latter, rule by rule.
"""
from datetime import date

from dateutil.relativedelta import relativedelta
from django.db.models import DateField, Exists, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce, Greatest, NullIf

from jobs.choices import InactivityCondition
from jobs.windows import end_of_day, first_of_month, months_before
from members.models import ContactAttempt, DuesPayment, ExcusedAbsence, Member, OrganizationalLife, WorkAssignment

INACTIVITY_MONTHS = 6
LOST_CONTACT_MONTHS = 6
#: Stands for "no date" inside GREATEST (SQLite's MAX() returns NULL if any argument is NULL).
NO_DATE = date(1, 1, 1)


def _no_date():
    return Value(NO_DATE, output_field=DateField())


def _excused_past(cutoff: date, today: date) -> Exists:
    return Exists(ExcusedAbsence.objects.filter(member=OuterRef("pk"), starts_on__lte=today, ends_on__gt=cutoff))


def _registered_by(cutoff: date) -> Q:
    return Q(created_at__lt=end_of_day(cutoff))


def _open_work(today: date):
    return WorkAssignment.objects.filter(member=OuterRef("pk")).filter(
        Q(completed_on__isnull=True) | Q(completed_on__gt=today))


def inactive_members(condition: str, today: date):
    """Members meeting ``condition`` on ``today`` (one query, no annotations)."""
    cutoff = months_before(today, INACTIVITY_MONTHS)
    members = Member.objects.in_registry().filter(~_excused_past(cutoff, today))
    if condition == InactivityCondition.ORGANIZATIONAL_LIFE:
        recent = OrganizationalLife.objects.filter(member=OuterRef("pk"), attended_on__gt=cutoff, attended_on__lte=today)
        return members.filter(_registered_by(cutoff), ~Exists(recent))
    if condition == InactivityCondition.DUES:
        latest_unflagged_month = dues_threshold(today)
        covered_later = DuesPayment.objects.filter(member=OuterRef("pk"), last_month__gt=latest_unflagged_month)
        return members.filter(
            Q(dues_paid_through__lte=latest_unflagged_month)
            | (Q(dues_paid_through__isnull=True) & _registered_by(cutoff)),
            ~Exists(covered_later),
        )
    if condition == InactivityCondition.ASSIGNED_WORK:
        done_recently = WorkAssignment.objects.filter(member=OuterRef("pk"), completed_on__gt=cutoff,
                                                      completed_on__lte=today)
        return members.filter(Exists(_open_work(today).filter(assigned_on__lte=cutoff)), ~Exists(done_recently))
    raise ValueError(condition)


def dues_threshold(today: date) -> date:
    """The latest paid-through month (its 1st) followed by 6 whole unpaid months before ``today``'s month."""
    return first_of_month(today) - relativedelta(months=INACTIVITY_MONTHS + 1)


def last_record_expression(condition: str, today: date):
    """What ``InactivityFlag.last_record_on`` shows for ``condition`` (an expression over members)."""
    if condition == InactivityCondition.ORGANIZATIONAL_LIFE:
        return Subquery(OrganizationalLife.objects.filter(member=OuterRef("pk"), attended_on__lte=today)
                        .order_by("-attended_on").values("attended_on")[:1], output_field=DateField())
    if condition == InactivityCondition.DUES:
        latest_payment = Subquery(DuesPayment.objects.filter(member=OuterRef("pk")).order_by("-last_month")
                                  .values("last_month")[:1], output_field=DateField())
        return NullIf(Greatest(Coalesce("dues_paid_through", _no_date()), Coalesce(latest_payment, _no_date()),
                               output_field=DateField()), _no_date())
    if condition == InactivityCondition.ASSIGNED_WORK:
        return Subquery(_open_work(today).filter(assigned_on__lte=today).order_by("assigned_on")
                        .values("assigned_on")[:1], output_field=DateField())
    raise ValueError(condition)


def last_reached_expression(today: date):
    return Subquery(ContactAttempt.objects.filter(member=OuterRef("pk"), reached=True, contacted_on__lte=today)
                    .order_by("-contacted_on").values("contacted_on")[:1], output_field=DateField())


def lost_contact_members(today: date):
    """Members unreachable for 6 months despite attempts, annotated with ``last_reached_on``."""
    cutoff = months_before(today, LOST_CONTACT_MONTHS)
    reached_recently = ContactAttempt.objects.filter(member=OuterRef("pk"), reached=True, contacted_on__gt=cutoff,
                                                     contacted_on__lte=today)
    failed_since = ContactAttempt.objects.filter(
        member=OuterRef("pk"), reached=False, contacted_on__lte=today,
        contacted_on__gt=Coalesce(OuterRef("last_reached_on"), _no_date()))
    return (Member.objects.in_registry().annotate(last_reached_on=last_reached_expression(today))
            .filter(~Exists(reached_recently))
            .filter(Q(last_reached_on__isnull=False) | _registered_by(cutoff))
            .filter(Exists(failed_since)))


def between(field: str, after: date, until: date) -> Q:
    """``field`` in ``(after, until]``."""
    return Q(**{f"{field}__gt": after, f"{field}__lte": until})


def registered_between(after: date, until: date) -> Q:
    """Registered between the ends of the two days: ``_registered_by`` turns true in ``(after, until]``."""
    return Q(created_at__gte=end_of_day(after), created_at__lt=end_of_day(until))


def crossing_members(since: date, today: date) -> list:
    """Members whose answer to a rule above may change between ``since`` and ``today`` with no record written.

    Querysets of member ids, one per table. A record leaves a window when its
    date passes the cutoff (``(cutoff(since), cutoff(today)]``), a record dated
    ahead comes into force (``(since, today]``), an excuse starts or stops
    reaching past the cutoff, a registration becomes 6 months old, and on a
    new month the dues threshold moves past some paid-through months and payments.
    """
    cutoff_before, cutoff = months_before(since, INACTIVITY_MONTHS), months_before(today, INACTIVITY_MONTHS)
    contact_before, contact_cutoff = months_before(since, LOST_CONTACT_MONTHS), months_before(today, LOST_CONTACT_MONTHS)
    leaving, arriving = (cutoff_before, cutoff), (since, today)
    crossing = [
        OrganizationalLife.objects.filter(between("attended_on", *leaving) | between("attended_on", *arriving)),
        ContactAttempt.objects.filter(between("contacted_on", contact_before, contact_cutoff)
                                      | between("contacted_on", *arriving)),
        WorkAssignment.objects.filter(between("assigned_on", *leaving) | between("completed_on", *leaving)
                                      | between("completed_on", *arriving)),
        ExcusedAbsence.objects.filter(between("starts_on", *arriving) | between("ends_on", *leaving)),
    ]
    crossing = [records.values("member_id") for records in crossing]
    registered = registered_between(min(cutoff_before, contact_before), max(cutoff, contact_cutoff))
    crossing.append(Member.objects.filter(registered).values("pk"))
    threshold_before, threshold = dues_threshold(since), dues_threshold(today)
    if threshold != threshold_before:
        crossing += [Member.objects.filter(between("dues_paid_through", threshold_before, threshold)).values("pk"),
                     DuesPayment.objects.filter(between("last_month", threshold_before, threshold)).values("member_id")]
    return crossing
