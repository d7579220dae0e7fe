"""Reminders of joint management (双向共管) and the yearly two-way evaluation (双向评议).

Set-based like the rest of the deadline scan: each is a fixed number of
INSERT … SELECT statements, unique per recipient, kind, subject and period,
so the scan run twice reminds nothing twice. The reminder goes to the
secretaries and committee reviewers of the organization that has to act: the
host records an agreement's exchange when it is in the system (otherwise the
origin committee), and gives its opinion on the members it hosts.
"""
from datetime import date, timedelta

from django.db.models import CharField, Count, Exists, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.translation import gettext as _

from accounts.roles import Role
from cooperation.choices import ExchangeInterval
from cooperation.models import Agreement, Exchange, TwoWayEvaluation
from cooperation.rules import (
    EVALUATION_REMINDER_MONTH,
    EXPIRY_NOTICE_DAYS,
    exchange_due,
    last_closed_period,
    period_end,
    period_label,
)
from members.models import Member
from notifications.choices import NotificationKind
from notifications.services import notifications_insert
from organizations.models import Organization

#: Who acts for an organization in these matters.
ACTING_ROLES = (Role.BRANCH_SECRETARY, Role.COMMITTEE_REVIEWER)
#: Statements the three functions run at most (the scan's query count is pinned in the tests).
STATEMENTS = 2 * len(ExchangeInterval) + 2 + 1


def _users_of(prefix: str) -> dict:
    return {f"{prefix}__users__is_active": True, f"{prefix}__users__role__in": ACTING_ROLES}


def _agreement_subject():
    return Concat(Value("agreement:"), Cast("pk", CharField()), output_field=CharField())


def _agreement_link():
    return Concat(Value("/cooperation/"), Cast("pk", CharField()), Value("/"), output_field=CharField())


def _to_sides(agreements, *, kind: str, period, title: str, sides: tuple[str, ...]) -> int:
    """One INSERT … SELECT per side (``host_organization``/``origin_organization``) whose users are told."""
    sent = 0
    for side in sides:
        other = (F("origin_organization__name") if side == "host_organization"
                 else Coalesce(F("host_organization__name"), F("host_name")))
        sent += notifications_insert(
            queryset=agreements.filter(**_users_of(side)),
            recipient=F(f"{side}__users__id"), kind=kind, subject_key=_agreement_subject(), period=period,
            title=Concat(Value(title), other, output_field=CharField()),
            organization=F(f"{side}_id"), link=_agreement_link())
    return sent


def exchange_overdue_notify(today: date) -> int:
    """The last closed period's exchange not recorded by its due date: once per agreement and period."""
    sent = 0
    for interval in ExchangeInterval:
        start = last_closed_period(today, interval)
        if today <= exchange_due(start, interval):
            continue
        recorded = Exchange.objects.filter(agreement=OuterRef("pk"), period_start=start)
        covering = Agreement.members.through.objects.filter(agreement=OuterRef("pk"))
        due = (Agreement.objects.filter(exchange_interval=interval, starts_on__lte=period_end(start, interval),
                                        ends_on__gte=start)
               .filter(Exists(covering), ~Exists(recorded)))
        title = _("%(period)s双向共管信息互通逾期未登记：") % {"period": period_label(start, interval)}
        period = Value(f"exchange-{start.isoformat()}")
        sent += _to_sides(due.filter(host_organization__isnull=False), kind=NotificationKind.AGREEMENT_EXCHANGE_OVERDUE,
                          period=period, title=title, sides=("host_organization",))
        sent += _to_sides(due.filter(host_organization__isnull=True), kind=NotificationKind.AGREEMENT_EXCHANGE_OVERDUE,
                          period=period, title=title, sides=("origin_organization",))
    return sent


def agreement_expiring_notify(today: date) -> int:
    """An agreement ending within 30 days: both sides told once per end date (a renewed term tells again)."""
    expiring = Agreement.objects.filter(ends_on__gte=today, ends_on__lte=today + timedelta(days=EXPIRY_NOTICE_DAYS))
    period = Concat(Value("expiry-"), Cast("ends_on", CharField()), output_field=CharField())
    title = _("双向共管协议即将到期，请续签或终止：")
    return (_to_sides(expiring, kind=NotificationKind.AGREEMENT_EXPIRING, period=period, title=title,
                      sides=("origin_organization",))
            + _to_sides(expiring.filter(host_organization__isnull=False), kind=NotificationKind.AGREEMENT_EXPIRING,
                        period=period, title=title, sides=("host_organization",)))


def host_opinion_missing_notify(today: date) -> int:
    """In the fourth quarter, each host with hosted members lacking this year's opinion: once a month.

    One reminder per host organization with the number missing, not one per
    member: a host of thirty members gets one line, not thirty.
    """
    if today.month < EVALUATION_REMINDER_MONTH:
        return 0
    given = TwoWayEvaluation.objects.filter(member=OuterRef("pk"), year=today.year).exclude(host_grade="")
    missing = (Member.objects.in_registry().filter(host_organization=OuterRef("pk"))
               .exclude(organization=OuterRef("pk")).filter(~Exists(given))
               .order_by().values("host_organization").annotate(n=Count("pk")).values("n"))
    hosts = (Organization.objects.open().annotate(missing=Subquery(missing)).filter(missing__gt=0)
             .filter(users__is_active=True, users__role__in=ACTING_ROLES))
    return notifications_insert(
        queryset=hosts, recipient=F("users__id"), kind=NotificationKind.HOST_OPINION_MISSING,
        subject_key=Concat(Value("organization:"), Cast("pk", CharField()), output_field=CharField()),
        period=Value(today.strftime("%Y-%m")),
        title=Concat(Value(_("%(year)d年度双向评议：") % {"year": today.year}), Cast("missing", CharField()),
                     Value(_("名在本组织的外地党员尚未填写流入地党组织意见")), output_field=CharField()),
        body=Value(_("请在党员页面“双向共管与双向评议”中填写其在流入地的表现和评议等次。")),
        organization=F("pk"))


COOPERATION_NOTICES = (
    (NotificationKind.AGREEMENT_EXCHANGE_OVERDUE, exchange_overdue_notify),
    (NotificationKind.AGREEMENT_EXPIRING, agreement_expiring_notify),
    (NotificationKind.HOST_OPINION_MISSING, host_opinion_missing_notify),
)
