"""Who counts as a mobile member (流动党员, 外出党员) in the statistics, on a given day: the one definition.

Every report, chart, roster filter and export that counts members away
calls this module; none keeps a rule of its own.

The documents (``shared/seed``, restated in ``shared/domain.md``):

- 「流动党员是指组织关系没有转移、且连续6个月以上不能参加所在党支部组织生活的党员」
  (2019 《中国共产党党员教育管理工作条例》: the relationship was not
  transferred and the member cannot join the home branch's life for 6
  consecutive months or more);
- 「外出时间较短（6个月以内）或外出时间较长但暂时无法转移组织关系的，使用《流动党员活动证》」
  (the activity card is the document of the members away without a transfer);
- 「短期外出（6个月以内）参加会议、学习进修等，应开具党员证明信」 and
  「流动性较大，无固定地点，但可以经常返回原所在单位的党员，仍在原单位参加党的组织生活」
  (a certificate-letter trip and a member who stays in the home branch's
  life are not mobile members: they still take part in it);
- 出国、出境党员 are counted apart, as their own scope, never as a province.

So an outflow registration (外出登记) is *counted* on day D when

1. the committee approved it on or before D (an unapproved or returned
   registration is not counted: 未经党(工)委审批的不计入), and the member was
   still held by the organization on D (not lapsed, removed, transferred out
   or deceased by then);
2. the member had left by D and the outflow had not ended before D: no
   return registered (返回登记) and no relationship received by the receiver
   (组织关系转出) before D — closed on D itself still counts on D;
3. its handling is a long-term one: it holds an activity card
   (发放流动党员活动证), or it is abroad (出国（境）), or the relationship is
   not yet transferred (转移组织关系 not yet received, 成立临时党支部) and the
   member is away, or expected away, 6 months or more (the 6th month of
   expected absence counts; so does the day the 6th month since departure is
   complete);
4. never for 开具党员证明信 or 留在原支部过组织生活 (those approved trips are
   短期外出, shown in their own line, outside the table's totals).

Everything is read from the registrations' own dates (departure, approval
step, return, letter receipt), so the figures as of a past day do not move
when documents are registered later.
"""
from datetime import date, datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from members.choices import REGISTRY_STATUSES
from transfers.choices import Handling, OutflowStatus, StepAction
from transfers.models import Outflow, OutflowStep

#: Away (or expected away) this many months or more makes an outflow a long-term one.
LONG_TERM_MONTHS = 6
#: Handlings counted whatever the duration.
ALWAYS_COUNTED = (Handling.ACTIVITY_CARD, Handling.ABROAD)
#: Handlings counted when the absence is long-term (the relationship has not moved yet).
COUNTED_WHEN_LONG = (Handling.TRANSFER, Handling.TEMPORARY_BRANCH)
#: Handlings never counted: the member still takes part in the home branch's life (短期外出).
SHORT_TRIP_HANDLINGS = (Handling.CERTIFICATE_LETTER, Handling.STAY)
#: Statuses an approved outflow can have later.
APPROVED_STATUSES = (OutflowStatus.APPROVED, OutflowStatus.TRANSFERRED, OutflowStatus.CLOSED)


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time.min, tzinfo=timezone.get_current_timezone())


def approved_q(on: date) -> Q:
    """Approved by the committee on or before ``on`` (its approval step), and left by then."""
    approved = OutflowStep.objects.filter(outflow=OuterRef("pk"), action=StepAction.APPROVED, at__lt=_end_of(on))
    return Q(status__in=APPROVED_STATUSES, departure_date__lte=on) & Q(Exists(approved))


def held_q(on: date) -> Q:
    """The member was still held by the organization on ``on`` (在册 or 停止党籍; not yet lapsed, removed,
    transferred out or deceased by then: ``Member.objects.in_registry`` as of that day)."""
    return Q(member__membership_status__in=REGISTRY_STATUSES) | Q(member__membership_status_since__gt=on)


def under_way_q(on: date) -> Q:
    """Approved on or before ``on``, left by ``on``, not ended (returned, transferred) before ``on``."""
    return (approved_q(on) & held_q(on)
            & (Q(return_registration__isnull=True) | Q(return_registration__returned_on__gte=on))
            & (Q(introduction_letter__received_on__isnull=True) | Q(introduction_letter__received_on__gte=on)))


def long_term_q(on: date) -> Q:
    """The handling and duration that make an outflow count (rule 3 of the module's docstring)."""
    long = Q(expected_months__gte=LONG_TERM_MONTHS) | Q(departure_date__lte=on - relativedelta(months=LONG_TERM_MONTHS))
    return Q(handling__in=ALWAYS_COUNTED) | ~Q(destination_country="") | (Q(handling__in=COUNTED_WHEN_LONG) & long)


def counted_outflows(on: date) -> QuerySet:
    """The outflow registrations counted as mobile members on day ``on`` (at most one per member)."""
    return Outflow.objects.filter(under_way_q(on) & long_term_q(on) & ~Q(handling__in=SHORT_TRIP_HANDLINGS))


def counted_departures(on: date) -> QuerySet:
    """Outflows approved by ``on`` that count as mobile members, whether or not they have ended since.

    A quarter's new mobile members (本季度新外出) are those of them that left in the quarter.
    """
    return Outflow.objects.filter(approved_q(on) & long_term_q(on) & ~Q(handling__in=SHORT_TRIP_HANDLINGS))


def short_trips(on: date) -> QuerySet:
    """Approved trips under way on ``on`` that are not counted (短期外出): shown apart, outside the totals."""
    return Outflow.objects.filter(under_way_q(on)).exclude(pk__in=counted_outflows(on).values("pk"))


def counted_member_ids(on: date) -> QuerySet:
    """The ids of the members counted on ``on``, as a subquery (``Member.objects.filter(pk__in=…)``)."""
    return counted_outflows(on).values("member_id")


def short_trip_member_ids(on: date) -> QuerySet:
    """The ids of the members on a 短期外出 on ``on``, as a subquery."""
    return short_trips(on).values("member_id")


def is_counted(outflow: Outflow, on: date) -> bool:
    """Whether one outflow counts on ``on`` (one query; for a page that shows it)."""
    return counted_outflows(on).filter(pk=outflow.pk).exists()
