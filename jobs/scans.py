"""The daily scans: open and clear inactivity flags and lost-contact cases.

A fixed number of statements whatever the number of members: per condition
one UPDATE (clear) and one INSERT … SELECT (open), then one INSERT … SELECT
of notifications and the e-mail delivery.
"""
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Case, CharField, DateTimeField, Exists, F, OuterRef, Q, Value, When
from django.db.models.functions import Cast, Concat
from django.utils import timezone
from django.utils.translation import gettext as _

from jobs.choices import (
    AUTO_CLEARABLE_FLAG_STATUSES,
    AUTO_CLOSABLE_CASE_STATUSES,
    CaseStatus,
    FlagStatus,
    InactivityCondition,
)
from jobs.conditions import inactive_members, last_record_expression, lost_contact_members
from jobs.models import InactivityFlag, LostContactCase
from jobs.recipients import branch_secretaries_filter
from notifications.bulk import insert_select
from notifications.choices import NotificationKind
from notifications.services import member_subject, notifications_insert, notifications_send_email


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
    for condition in InactivityCondition:
        inactive = inactive_members(condition, today)
        result.cleared[condition.value] = (
            InactivityFlag.objects.open()
            .filter(condition=condition, status__in=AUTO_CLEARABLE_FLAG_STATUSES)
            .exclude(member__in=inactive.values("pk"))
            .update(cleared_on=today)
        )
        already_open = InactivityFlag.objects.open().filter(member=OuterRef("pk"), condition=condition)
        result.opened[condition.value] = insert_select(InactivityFlag, inactive.filter(~Exists(already_open)), {
            "member": F("pk"),
            "condition": Value(condition.value),
            "last_record_on": last_record_expression(condition, today),
            "flagged_on": Value(today),
            "status": Value(FlagStatus.FLAGGED.value),
            **_text_defaults("talk_notes", "resolution_notes", "proposal_reason", "decision_notes"),
        })
    result.cleared["lost_contact"], result.opened["lost_contact"] = _lost_contact_scan(today)
    result.notified = _notify_new_flags_and_cases()
    result.emails = notifications_send_email()
    return result


def _lost_contact_scan(today: date) -> tuple[int, int]:
    lost = lost_contact_members(today)
    cleared = (LostContactCase.objects.open().filter(status__in=AUTO_CLOSABLE_CASE_STATUSES)
               .exclude(member__in=lost.values("pk")).update(cleared_on=today))
    already_open = LostContactCase.objects.open().filter(member=OuterRef("pk"))
    opened = insert_select(LostContactCase, lost.filter(~Exists(already_open)), {
        "member": F("pk"),
        "last_reached_on": F("last_reached_on"),
        "opened_on": Value(today),
        "status": Value(CaseStatus.OPEN.value),
        **_text_defaults("proposal_reason", "decision_notes"),
    })
    return cleared, opened


def _condition_label():
    return Case(*[When(Q(condition=c.value), then=Value(str(c.label))) for c in InactivityCondition],
                output_field=CharField())


def _notify_new_flags_and_cases() -> int:
    """Tell the branch secretaries about each open flag or case once (period = ``flag-<id>``/``case-<id>``)."""
    recipients = branch_secretaries_filter("member__organization__users")
    flags = InactivityFlag.objects.open().filter(status=FlagStatus.FLAGGED, **recipients)
    count = notifications_insert(
        queryset=flags,
        recipient=F("member__organization__users__id"),
        kind=NotificationKind.INACTIVITY_FLAG,
        subject_key=member_subject("member_id"),
        period=Concat(Value("flag-"), Cast("pk", CharField()), output_field=CharField()),
        title=Concat(Value(_("不活跃提示：")), F("member__name"), output_field=CharField()),
        body=Concat(F("member__name"), Value("："), _condition_label(), Value(_("。请支部了解情况并开展谈话教育。")),
                    output_field=CharField()),
        member=F("member_id"),
    )
    cases = LostContactCase.objects.open().filter(status=CaseStatus.OPEN, **recipients)
    count += notifications_insert(
        queryset=cases,
        recipient=F("member__organization__users__id"),
        kind=NotificationKind.LOST_CONTACT,
        subject_key=member_subject("member_id"),
        period=Concat(Value("case-"), Cast("pk", CharField()), output_field=CharField()),
        title=Concat(Value(_("失联提示：")), F("member__name"), output_field=CharField()),
        body=Value(_("6个月以上未能联系上，请继续联系并记录；确属失联的，支部可提出停止党籍意见。")),
        member=F("member_id"),
    )
    return count
