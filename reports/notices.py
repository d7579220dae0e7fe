"""Tell the person who must act next on a quarterly report, and clear the notice once they have acted.

A submitted report waits for the committees above the branch; a returned or
approved one goes back to whoever submitted it. Keyed by the report and the
event that asked, so each notice is sent once.
"""
from django.utils.translation import gettext as _

from jobs.recipients import committee_reviewers_above
from notifications.choices import NotificationKind
from notifications.services import notifications_clear, notifications_create
from reports.models import ReportEvent

SUBMITTING = (ReportEvent.Action.SUBMIT, ReportEvent.Action.RESUBMIT)


def report_subject(report_id: int) -> str:
    return f"report:{report_id}"


def report_event_notify(event: ReportEvent) -> None:
    report = event.report
    subject = report_subject(report.pk)
    names = {"report": str(report), "branch": report.organization.name}
    if event.action in SUBMITTING:
        notifications_clear(subject_key=subject, kinds=(NotificationKind.WORK_RETURNED,))
        notifications_create(
            recipients=committee_reviewers_above(report.organization), kind=NotificationKind.APPROVAL_NEEDED,
            subject_key=subject, period=f"event-{event.pk}", organization=report.organization,
            link=report.get_absolute_url(), title=_("待审核：%(report)s") % names,
            body=_("%(branch)s已提交，请审核通过或填写意见退回。") % names)
    elif event.action in (ReportEvent.Action.APPROVE, ReportEvent.Action.RETURN):
        notifications_clear(subject_key=subject, kinds=(NotificationKind.APPROVAL_NEEDED,))
        submitted = report.events.filter(action__in=SUBMITTING).select_related("actor").order_by("-at", "-id").first()
        approved = event.action == ReportEvent.Action.APPROVE
        notifications_create(
            recipients=[submitted.actor] if submitted else [],
            kind=NotificationKind.WORK_APPROVED if approved else NotificationKind.WORK_RETURNED,
            subject_key=subject, period=f"event-{event.pk}", organization=report.organization,
            link=report.get_absolute_url(),
            title=(_("已审核通过：%(report)s") if approved else _("被退回修改：%(report)s")) % names,
            body=event.comment)
