"""The daily scans: open and clear inactivity flags and lost-contact cases.

A fixed number of statements whatever the number of members: per condition
one UPDATE (clear) and one INSERT … SELECT (open), then one INSERT … SELECT
of notifications and the e-mail delivery. Each day's run examines only the
members whose records changed or who cross a date edge since the last run
(``jobs.changes``); the first run examines all.
"""
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import CharField, Count, DateTimeField, F, Value
from django.db.models.functions import Cast, Concat
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.changes import Run, run_add_crossing, run_finish, run_start
from jobs.choices import (
    AUTO_CLEARABLE_FLAG_STATUSES,
    AUTO_CLOSABLE_CASE_STATUSES,
    CaseStatus,
    FlagStatus,
    InactivityCondition,
    IncrementalJob,
)
from jobs.conditions import crossing_members, inactive_members, last_record_expression, lost_contact_members
from jobs.models import InactivityFlag, LostContactCase
from jobs.recipients import branch_secretaries_filter
from notifications.bulk import insert_select
from notifications.choices import NotificationKind
from notifications.services import notifications_insert, notifications_send_email, organization_subject


@dataclass
class ScanResult:
    today: date
    opened: dict = field(default_factory=dict)
    cleared: dict = field(default_factory=dict)
    notified: int = 0
    emails: int = 0

    def lines(self) -> list[str]:
        lines = [f"{label}：新增 {self.opened.get(key, 0)}，消除 {self.cleared.get(key, 0)}"
                 for key, label in self.labels()]
        lines.append(f"站内提醒 {self.notified} 条，邮件 {self.emails} 封")
        return lines

    def labels(self):
        return [(c.value, c.label) for c in InactivityCondition] + [("lost_contact", _("失联"))]


def _text_defaults(*names):
    return {name: Value("") for name in names} | {"updated_at": Value(timezone.now(), output_field=DateTimeField())}


@transaction.atomic
def inactivity_scan(*, today: date) -> ScanResult:
    """Open a flag for each member newly meeting a condition, clear flags whose condition ended."""
    result = ScanResult(today=today)
    run = run_start(IncrementalJob.INACTIVITY_SCAN, today)
    if run.incremental:
        run_add_crossing(run, crossing_members(run.since, today))
    for condition in InactivityCondition:
        inactive = run.restrict(inactive_members(condition, today))
        result.cleared[condition.value] = (
            run.restrict(InactivityFlag.objects.open(), member="member")
            .filter(condition=condition, status__in=AUTO_CLEARABLE_FLAG_STATUSES)
            .exclude(member__in=inactive.values("pk"))
            .update(cleared_on=today)
        )
        # Members whose flag is already open are skipped by the unique index
        # (ON CONFLICT DO NOTHING). A NOT EXISTS here would make PostgreSQL
        # rescan the flags it is inserting, once per row.
        result.opened[condition.value] = insert_select(InactivityFlag, inactive, {
            "member": F("pk"),
            "condition": Value(condition.value),
            "last_record_on": last_record_expression(condition, today),
            "flagged_on": Value(today),
            "status": Value(FlagStatus.FLAGGED.value),
            **_text_defaults("talk_notes", "resolution_notes", "proposal_reason", "decision_notes"),
        })
    result.cleared["lost_contact"], result.opened["lost_contact"] = _lost_contact_scan(run)
    run_finish(run)
    result.notified = _notify_new_flags_and_cases(today)
    result.emails = notifications_send_email()
    return result


def _lost_contact_scan(run: Run) -> tuple[int, int]:
    today = run.today
    lost = run.restrict(lost_contact_members(today))
    cleared = (run.restrict(LostContactCase.objects.open(), member="member")
               .filter(status__in=AUTO_CLOSABLE_CASE_STATUSES)
               .exclude(member__in=lost.values("pk")).update(cleared_on=today))
    opened = insert_select(LostContactCase, lost, {
        "member": F("pk"),
        "last_reached_on": F("last_reached_on"),
        "opened_on": Value(today),
        "status": Value(CaseStatus.OPEN.value),
        **_text_defaults("proposal_reason", "decision_notes"),
    })
    return cleared, opened


def _notify_new_flags_and_cases(today: date) -> int:
    """One digest a day per branch secretary: how many flags and cases were opened in the branch today.

    A reminder per flag would bury a secretary (and cost a row and an e-mail
    line per member); the digest links to the list where each one is handled.
    """
    recipients = branch_secretaries_filter("member__organization__users")
    secretary = "member__organization__users__id"
    count = 0
    for model, kind, title, link in (
        (InactivityFlag, NotificationKind.INACTIVITY_FLAG, _("本支部新增不活跃提示 %s 条"), "jobs:flag_list"),
        (LostContactCase, NotificationKind.LOST_CONTACT, _("本支部新增失联党员 %s 名"), "jobs:case_list"),
    ):
        opened_date = "flagged_on" if model is InactivityFlag else "opened_on"
        per_branch = (model.objects.filter(**{opened_date: today}, **recipients)
                      .values(secretary, "member__organization_id").annotate(opened=Count("pk")))
        before, after = title.split("%s")
        count += notifications_insert(
            queryset=per_branch,
            recipient=F(secretary),
            kind=kind,
            subject_key=organization_subject("member__organization_id"),
            period=Value(today.isoformat()),
            title=Concat(Value(before), Cast(Count("pk"), CharField()), Value(after), output_field=CharField()),
            body=Value(_("请到“不活跃提示”“失联党员”页面逐一了解情况、谈话教育并登记。系统不会自动改变党籍。")),
            organization=F("member__organization_id"),
            link=reverse(link),
        )
    return count
