"""The daily deadline scan: a list of rules, each one INSERT … SELECT of notifications.

A rule is a function ``(today) -> DeadlineRule`` naming a queryset of members
and the period key that makes its reminder unique (one per member per
period). The rules for documents (activity cards, introduction letters) are
in ``jobs.document_deadlines``; ``jobs.reminders.deadline_rules`` joins them.

A reminder is only ever added, so between two runs in the same period a rule
can newly select only members whose records changed (``jobs.changes``) or who
crossed one of its date edges; ``crossing(since)`` names the latter. When the
period changes (a new month, week or year) the rule selects everyone again.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.db.models import CharField, Exists, F, OuterRef, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils.translation import gettext as _

from jobs.choices import CaseStatus
from jobs.conditions import last_reached_expression
from jobs.models import LostContactCase
from jobs.recipients import branch_secretaries_filter, committee_member_login_filter
from jobs.conditions import between, registered_between
from jobs.windows import end_of_day, first_of_month, months_before
from members import facts
from members.choices import MembershipStatus, MembershipType, MobilityStatus
from members.dues_ledger import month_label_expression
from members.models import ContactAttempt, Member, ThoughtReport
from notifications.choices import NotificationKind
from notifications.services import member_subject, notifications_insert
from transfers.choices import Handling
from transfers.models import Outflow
from transfers.rules import ABROAD_CONTACT_MONTHS, RETIRED_ELSEWHERE_MONTHS

PROBATION_NOTICE_DAYS = 30
AWAY_SILENCE_MONTHS = 12
GRADUATE_SILENCE_MONTHS = 6
GRADUATE_HOLD_YEARS = 2
REMOVAL_AFTER_YEARS = 2


@dataclass(frozen=True)
class DeadlineRule:
    kind: str
    members: object  # a Member queryset
    period: object  # an expression over it: the reminder is sent once per member and period
    title: str
    body: object = Value("")
    #: ``crossing(since)``: querysets of the ids of members who may enter the rule in ``(since, today]`` by date.
    crossing: Callable[[date], list] = field(default=lambda since: [])
    #: also tell the branch committee member in charge of the member (支委包干), when they have a login
    to_committee_member: bool = False


def _members_with(q: Q) -> list:
    return [Member.objects.filter(q).values("pk")]


def month_key(today: date):
    return Value(today.strftime("%Y-%m"))


def _date_key(field: str):
    return Cast(field, CharField())


def probation_ending(today: date) -> DeadlineRule:
    return DeadlineRule(
        kind=NotificationKind.PROBATION_ENDING,
        members=Member.objects.in_registry().filter(membership_type=MembershipType.PROBATIONARY,
                                      probation_end_date__gte=today,
                                      probation_end_date__lte=today + timedelta(days=PROBATION_NOTICE_DAYS)),
        period=_date_key("probation_end_date"),
        title=_("预备期即将期满"),
        crossing=lambda since: _members_with(between("probation_end_date", since + timedelta(days=PROBATION_NOTICE_DAYS),
                                                      today + timedelta(days=PROBATION_NOTICE_DAYS))),
        body=Concat(Value(_("预备期满日期：")), _date_key("probation_end_date"),
                    Value(_("。请督促本人提出转正申请，按程序讨论其转正。")), output_field=CharField()),
    )


def week_key(today: date):
    """The ISO week (2026-W49): a reminder that repeats every week until the matter is decided."""
    year, week, _weekday = today.isocalendar()
    return Value(f"{year}-W{week:02d}")


def probation_overdue(today: date) -> DeadlineRule:
    """预备期满应及时讨论其转正: past the end date with no decision, a reminder every week until decided.

    A decision (按期转正, 延长预备期 with a later end date, 取消预备党员资格) takes
    the member out of this rule by itself; a proposal still before the committee does not.
    """
    return DeadlineRule(
        kind=NotificationKind.PROBATION_OVERDUE,
        members=Member.objects.in_registry().filter(membership_status=MembershipStatus.ACTIVE,
                                                    membership_type=MembershipType.PROBATIONARY,
                                                    probation_end_date__lt=today),
        period=week_key(today),
        title=_("预备期已满，尚未作出转正决定"),
        crossing=lambda since: _members_with(Q(probation_end_date__gte=since, probation_end_date__lt=today)),
        body=Concat(Value(_("预备期满日期：")), _date_key("probation_end_date"),
                    Value(_("。请召开支部党员大会讨论按期转正、延长预备期或取消预备党员资格，报党(工)委审批。")),
                    output_field=CharField()),
    )


def _away_and_silent(today: date, months: int):
    """Away (outflow) with no successful contact and no thought report for ``months``."""
    cutoff = months_before(today, months)
    heard = ThoughtReport.objects.filter(member=OuterRef("pk"), received_on__gt=cutoff, received_on__lte=today)
    return (Member.objects.in_registry().filter(mobility_status=MobilityStatus.OUTFLOW,
                                               created_at__lt=end_of_day(cutoff))
            .filter(Q(departure_date__isnull=True) | Q(departure_date__lte=cutoff))
            .annotate(last_reached_on=last_reached_expression(today))
            .filter(Q(last_reached_on__isnull=True) | Q(last_reached_on__lte=cutoff))
            .filter(~Exists(heard)))


def _silence_crossing(today: date, months: int):
    """Who may turn silent between ``since`` and ``today``: records and registrations passing the cutoff."""
    def crossing(since: date) -> list:
        cutoff_before, cutoff = months_before(since, months), months_before(today, months)
        return [*_members_with(registered_between(cutoff_before, cutoff)
                               | between("departure_date", cutoff_before, cutoff)),
                ContactAttempt.objects.filter(between("contacted_on", cutoff_before, cutoff), reached=True)
                .values("member_id"),
                ThoughtReport.objects.filter(between("received_on", cutoff_before, cutoff)).values("member_id")]
    return crossing


def away_without_contact(today: date) -> DeadlineRule:
    """Members away report at least once a year (members abroad: see ``abroad_without_contact``)."""
    return DeadlineRule(
        kind=NotificationKind.AWAY_NO_CONTACT,
        members=_away_and_silent(today, AWAY_SILENCE_MONTHS).filter(graduated_on__isnull=True,
                                                                    destination_country=""),
        period=month_key(today),
        title=_("外出党员12个月无联系、无思想汇报"),
        crossing=_silence_crossing(today, AWAY_SILENCE_MONTHS),
        body=Value(_("请联系本人并登记联系记录，督促其向支部报告。")),
        to_committee_member=True,
    )


def graduate_without_contact(today: date) -> DeadlineRule:
    """Graduates whose relationship stays at the school report at least every half year."""
    return DeadlineRule(
        kind=NotificationKind.GRADUATE_NO_CONTACT,
        members=_away_and_silent(today, GRADUATE_SILENCE_MONTHS).filter(graduated_on__isnull=False),
        period=month_key(today),
        title=_("暂留学校的毕业生6个月无联系、无思想汇报"),
        crossing=_silence_crossing(today, GRADUATE_SILENCE_MONTHS),
        body=Value(_("毕业生党员至少每半年向党组织报告一次，请联系本人并登记。")),
    )


def abroad_without_contact(today: date) -> DeadlineRule:
    """Members abroad are contacted at least every 6 months (seed 4 §三, the 2024 rules)."""
    return DeadlineRule(
        kind=NotificationKind.ABROAD_NO_CONTACT,
        members=_away_and_silent(today, ABROAD_CONTACT_MONTHS).exclude(destination_country=""),
        period=month_key(today),
        title=_("出国（境）党员6个月无联系、无思想汇报"),
        crossing=_silence_crossing(today, ABROAD_CONTACT_MONTHS),
        body=Value(_("出国（境）党员至少每6个月联系一次，请联系本人并登记联系记录。")),
    )


def graduate_hold_expired(today: date) -> DeadlineRule:
    """A graduate's relationship may stay at the school for at most 2 years."""
    return DeadlineRule(
        kind=NotificationKind.GRADUATE_HOLD_EXPIRED,
        members=Member.objects.in_registry().filter(graduated_on__lte=today - relativedelta(years=GRADUATE_HOLD_YEARS)),
        period=month_key(today),
        title=_("毕业生组织关系在学校保留已满2年"),
        crossing=lambda since: _members_with(between("graduated_on", since - relativedelta(years=GRADUATE_HOLD_YEARS),
                                                      today - relativedelta(years=GRADUATE_HOLD_YEARS))),
        body=Value(_("应督促其将组织关系转到工作单位或居住地党组织。")),
    )


def retiree_living_elsewhere(today: date) -> DeadlineRule:
    """A retiree away (not abroad) for over a year whose relationship is not being transferred: once a year.

    Seed 4 §五: "异地居住的离退休党员，其党员组织关系应转移到接受居住地的党组织". Members
    registered before the rule, or whose outflow chose another handling, get
    the recommendation here; an outflow with handling 转移组织关系 still open
    means the transfer is under way.
    """
    transferring = Outflow.objects.open().filter(member=OuterRef("pk"), handling=Handling.TRANSFER)
    return DeadlineRule(
        kind=NotificationKind.RETIREE_ELSEWHERE,
        members=(Member.objects.in_registry().retirees()
                 .filter(mobility_status=MobilityStatus.OUTFLOW, destination_country="",
                         departure_date__lt=today - relativedelta(months=RETIRED_ELSEWHERE_MONTHS))
                 .filter(~Exists(transferring))),
        period=Value(str(today.year)),
        title=_("离退休党员异地居住已超过1年"),
        crossing=lambda since: _members_with(
            Q(departure_date__gte=since - relativedelta(months=RETIRED_ELSEWHERE_MONTHS),
              departure_date__lt=today - relativedelta(months=RETIRED_ELSEWHERE_MONTHS))),
        body=Value(_("按规定，异地居住的离退休党员组织关系应转移到居住地党组织，请联系本人办理组织关系转移。")),
    )


def dues_in_arrears(today: date) -> DeadlineRule:
    """A month up to last month is unpaid (this month's dues may still be paid during the month).

    ``dues_paid_through`` is the end of the unbroken paid run (``members.dues``),
    so it is before last month exactly when some owed month is unpaid.
    """
    last_month = first_of_month(today) - relativedelta(months=1)
    return DeadlineRule(
        kind=NotificationKind.DUES_ARREARS,
        members=Member.objects.in_registry().filter(dues_paid_through__lt=last_month),
        period=month_key(today),
        title=_("党费欠缴"),
        body=Concat(Value(_("党费缴至：")), month_label_expression("dues_paid_through"), output_field=CharField()),
    )


def incomplete_six_facts(today: date) -> DeadlineRule:
    return DeadlineRule(
        kind=NotificationKind.INCOMPLETE_FACTS,
        members=Member.objects.in_registry().filter(facts.incomplete_q()),
        period=month_key(today),
        title=_("六个掌握信息不全"),
        body=Value(_("请补全党员档案中缺少的信息。")),
    )


def removal_due(today: date) -> DeadlineRule:
    """Suspended (停止党籍) for 2 years with still no successful contact: the branch may propose removal."""
    since = today - relativedelta(years=REMOVAL_AFTER_YEARS)
    reached_since = ContactAttempt.objects.filter(member=OuterRef("member"), reached=True,
                                                  contacted_on__gt=OuterRef("suspended_on"))
    cases = LostContactCase.objects.open().filter(member=OuterRef("pk"), status=CaseStatus.SUSPENDED,
                                                  suspended_on__lte=since).filter(~Exists(reached_since))
    return DeadlineRule(
        kind=NotificationKind.REMOVAL_DUE,
        members=Member.objects.in_registry().filter(Exists(cases), membership_status=MembershipStatus.SUSPENDED),
        period=month_key(today),
        title=_("停止党籍已满2年"),
        crossing=lambda last: [LostContactCase.objects.filter(
            between("suspended_on", last - relativedelta(years=REMOVAL_AFTER_YEARS), since)).values("member_id")],
        body=Value(_("仍未恢复联系的，支部可提出除名意见报党(工)委审批。")),
    )


MEMBER_DEADLINE_RULES: list[Callable[[date], DeadlineRule]] = [
    probation_ending,
    probation_overdue,
    away_without_contact,
    abroad_without_contact,
    graduate_without_contact,
    graduate_hold_expired,
    retiree_living_elsewhere,
    dues_in_arrears,
    incomplete_six_facts,
    removal_due,
]


def deadline_notify(rule: DeadlineRule, members) -> int:
    """One INSERT … SELECT: a reminder to every branch secretary of each of ``members`` (the rule's, or fewer).

    A rule marked ``to_committee_member`` makes a second one, to the login of
    the committee member in charge (``jobs.recipients.committee_member_login_filter``);
    a secretary who is that committee member gets it once.
    """
    sent = _notify(rule, members.filter(**branch_secretaries_filter("organization__users")),
                   F("organization__users__id"))
    if rule.to_committee_member:
        include, exclude = committee_member_login_filter()
        sent += _notify(rule, members.filter(**include).exclude(**exclude),
                        F("committee_member__organization__users__id"))
    return sent


def _notify(rule: DeadlineRule, members, recipient) -> int:
    return notifications_insert(
        queryset=members,
        recipient=recipient,
        kind=rule.kind,
        subject_key=member_subject("pk"),
        period=rule.period,
        title=Concat(Value(rule.title + "："), F("name"), output_field=CharField()),
        body=rule.body,
        member=F("pk"),
    )


