"""The scheduled reminders to branch secretaries, and the deadline scan, as services.

Each is a fixed number of INSERT … SELECT statements, unique per recipient,
kind, subject and period, followed by the e-mail delivery; running one twice
sends nothing the second time.
"""
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import F, Value
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from jobs.changes import run_add_crossing, run_finish, run_start
from jobs.choices import IncrementalJob
from jobs.cooperation_deadlines import COOPERATION_NOTICES
from jobs.deadlines import MEMBER_DEADLINE_RULES, deadline_notify
from jobs.document_deadlines import DOCUMENT_DEADLINE_RULES, card_not_issued_notify
from jobs.windows import Quarter
from notifications.choices import NotificationKind
from notifications.services import notifications_insert, notifications_send_email, organization_subject

QUARTERLY_DUE_SOON_DAYS = 5

#: Every rule of the daily deadline scan, one INSERT … SELECT each.
deadline_rules = [*MEMBER_DEADLINE_RULES, *DOCUMENT_DEADLINE_RULES]


@dataclass
class ReminderResult:
    today: date
    counts: dict = field(default_factory=dict)
    emails: int = 0

    def lines(self) -> list[str]:
        lines = [f"{label}：{count} 条" for label, count in self.counts.items()]
        lines.append(f"邮件 {self.emails} 封")
        return lines


def _branch_secretaries(roles=(Role.BRANCH_SECRETARY,)):
    # A closed branch's logins are disabled when it closes; its branch is checked too, should one be enabled.
    return User.objects.filter(role__in=roles, is_active=True, organization__isnull=False,
                               organization__closed_on__isnull=True)


def _to_secretaries(*, kind: str, period: str, title: str, body: str, roles=(Role.BRANCH_SECRETARY,)) -> int:
    return notifications_insert(
        queryset=_branch_secretaries(roles),
        recipient=F("pk"),
        kind=kind,
        subject_key=organization_subject("organization_id"),
        period=Value(period),
        title=Value(title),
        body=Value(body),
        organization=F("organization_id"),
    )


@transaction.atomic
def monthly_reminders_send(*, today: date) -> ReminderResult:
    """1st of the month: collect the mobile members' information for the month."""
    result = ReminderResult(today=today)
    label = _("%(year)d年%(month)d月") % {"year": today.year, "month": today.month}
    result.counts[_("月度信息收集提醒")] = _to_secretaries(
        kind=NotificationKind.MONTHLY_COLLECTION, period=today.strftime("%Y-%m"),
        title=_("%(label)s流动党员信息收集") % {"label": label},
        body=_("请核实本支部流动党员的去向、联系方式、组织生活和党费缴纳情况，并更新名册。"))
    result.emails = notifications_send_email()
    return result


@transaction.atomic
def quarterly_reminders_send(*, today: date) -> ReminderResult:
    """The report on the previous quarter: at the start of the quarter, and again 5 days before it is due.

    On other days nothing is sent; after the due date neither.
    """
    result = ReminderResult(today=today)
    quarter = Quarter.containing(today).previous
    due = quarter.report_due
    days_left = (due - today).days
    label = _("%(year)d年第%(number)d季度") % {"year": quarter.year, "number": quarter.number}
    if 0 <= days_left <= QUARTERLY_DUE_SOON_DAYS:
        kind, title = NotificationKind.QUARTERLY_DUE_SOON, _("%(label)s流动党员情况报告将于%(due)s截止")
    elif days_left > QUARTERLY_DUE_SOON_DAYS:
        kind, title = NotificationKind.QUARTERLY_REPORT, _("请报送%(label)s流动党员情况报告（%(due)s前）")
    else:
        result.counts[_("季度报告提醒")] = 0
        return result
    title = title % {"label": label, "due": due.strftime("%Y-%m-%d")}
    result.counts[_("季度报告提醒")] = _to_secretaries(
        kind=kind, period=quarter.key, title=title, roles=(Role.BRANCH_SECRETARY, Role.TEMPORARY_BRANCH_LEADER),
        body=_("请汇总本季度流动党员管理情况报上级党(工)委（临时党支部报流出地党支部和党(工)委）。"))
    result.emails = notifications_send_email()
    return result


@transaction.atomic
def deadline_reminders_send(*, today: date) -> ReminderResult:
    """The member rules look at the members that can have changed since the last run (``jobs.changes``).

    A rule still in the period of the last run (the same month, week or year)
    can only gain members whose records changed or who crossed one of its date
    edges; a rule in a new period, and the document rules, select over every member.
    """
    result = ReminderResult(today=today)
    run = run_start(IncrementalJob.DEADLINES, today)
    rules = []
    for make_rule in MEMBER_DEADLINE_RULES:
        rule = make_rule(today)
        rules.append((rule, run.incremental and make_rule(run.since).period == rule.period))
    run_add_crossing(run, [ids for rule, same_period in rules if same_period for ids in rule.crossing(run.since)])
    for rule, same_period in rules:
        members = run.restrict(rule.members) if same_period else rule.members
        result.counts[NotificationKind(rule.kind).label] = deadline_notify(rule, members)
    run_finish(run)
    for make_rule in DOCUMENT_DEADLINE_RULES:
        rule = make_rule(today)
        result.counts[NotificationKind(rule.kind).label] = deadline_notify(rule, rule.members)
    result.counts[NotificationKind.CARD_NOT_ISSUED.label] = card_not_issued_notify(today)
    for kind, notify in COOPERATION_NOTICES:
        result.counts[NotificationKind(kind).label] = notify(today)
    result.emails = notifications_send_email()
    return result


REMINDERS = {
    "monthly": monthly_reminders_send,
    "quarterly": quarterly_reminders_send,
    "deadlines": deadline_reminders_send,
}

