"""Tell the person who must act next in an outflow's approval, and clear the notice once they have acted.

``transfers`` and ``activity_cards`` cannot import notifications: they send
``outflow_stepped`` and ``card_issued`` and these receivers turn each step
into a notice in the bell (and the day's e-mail). Each notice is keyed by the
outflow and the step that asked for it, so it is sent once; the step that
answers it marks it read for everyone it was sent to.
"""
from django.urls import reverse
from django.utils.translation import gettext as _

from jobs.recipients import committee_reviewers_above
from notifications.choices import NotificationKind
from notifications.services import notifications_clear, notifications_create
from transfers.choices import Handling, StepAction

WAITING_FOR_COMMITTEE = (NotificationKind.APPROVAL_NEEDED,)
WAITING_FOR_BRANCH = (NotificationKind.WORK_RETURNED,)


def outflow_subject(outflow_id: int) -> str:
    return f"outflow:{outflow_id}"


def notify_outflow_step(sender, *, step, **kwargs):
    outflow = step.outflow
    member = outflow.member
    subject = outflow_subject(outflow.pk)
    if step.action in (StepAction.SUBMITTED, StepAction.RESUBMITTED):
        notifications_clear(subject_key=subject, kinds=WAITING_FOR_BRANCH)
        notifications_create(
            recipients=committee_reviewers_above(outflow.origin_organization), kind=NotificationKind.APPROVAL_NEEDED,
            subject_key=subject, period=f"step-{step.pk}", member=member, link=outflow.get_absolute_url(),
            title=_("待审批：%(member)s的外出登记") % {"member": member.name},
            body=_("%(branch)s报送，请审批通过或写明理由退回。") % {"branch": outflow.origin_organization.name})
    elif step.action in (StepAction.APPROVED, StepAction.RETURNED):
        notifications_clear(subject_key=subject, kinds=WAITING_FOR_COMMITTEE)
        sender_step = (outflow.steps.filter(action__in=(StepAction.SUBMITTED, StepAction.RESUBMITTED))
                       .select_related("actor").order_by("-at", "-id").first())
        approved = step.action == StepAction.APPROVED
        notifications_create(
            recipients=[sender_step.actor] if sender_step else [],
            kind=NotificationKind.WORK_APPROVED if approved else NotificationKind.WORK_RETURNED,
            subject_key=subject, period=f"step-{step.pk}", member=member, link=outflow.get_absolute_url(),
            title=(_("已审批通过：%(member)s的外出登记") if approved else _("被退回修改：%(member)s的外出登记"))
            % {"member": member.name},
            body=step.reason)
        if approved and outflow.handling == Handling.ACTIVITY_CARD:
            notifications_create(
                recipients=committee_reviewers_above(outflow.origin_organization), kind=NotificationKind.CARD_TO_ISSUE,
                subject_key=subject, period=f"step-{step.pk}", member=member,
                link=reverse("activity_cards:issue", args=[outflow.pk]),
                title=_("待发放活动证：%(member)s") % {"member": member.name},
                body=_("外出登记已批准发放流动党员活动证，请上传照片后发证。"))


def clear_card_to_issue(sender, *, card, **kwargs):
    if card.outflow_id:
        notifications_clear(subject_key=outflow_subject(card.outflow_id), kinds=(NotificationKind.CARD_TO_ISSUE,))
