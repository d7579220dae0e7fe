"""The people's side of the flags and cases: talks, proposals, committee decisions.

Every transition checks the current status and who acts; a refused one
raises ``ValidationError`` with the reason and changes nothing. An approved
lapse, suspension or removal changes the member's standing only through
``members.membership.membership_status_change``, with the committee's
decision document number.
"""
from datetime import date

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from jobs.choices import CaseStatus, FlagStatus
from jobs.deadlines import REMOVAL_AFTER_YEARS
from jobs.models import InactivityFlag, LostContactCase
from jobs.recipients import committee_reviewers_above
from jobs.windows import shanghai_today
from members.choices import DecisionKind, MembershipStatus
from members.membership import membership_status_change
from members.models import Member
from notifications.choices import NotificationKind
from notifications.services import notifications_create
from transfers.selectors import relationship_held_outside


def _check_scope(obj, acting_user, permission: str) -> None:
    if not acting_user.has_perm(permission):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    if not type(obj).objects.visible_to(acting_user).filter(pk=obj.pk).exists():
        raise PermissionDenied(_("只能处理本组织及下级组织的党员。"))


def _check_not_own_proposal(obj, acting_user) -> None:
    """Separation of duties: who proposed the lapse, suspension or removal does not decide it, whatever their role."""
    if obj.proposed_by_id == acting_user.pk:
        raise ValidationError(_("不能审批本人提出的处理意见，请由党(工)委的其他审核人审批。"))


def _require_status(obj, *allowed: str, message: str) -> None:
    if obj.status not in allowed:
        raise ValidationError(message)


def _require_open(obj) -> None:
    if not obj.is_open:
        raise ValidationError(_("该情形已消除，无需再处理。"))


def _save(obj, *fields: str):
    obj.full_clean()
    obj.save(update_fields=[*fields, "updated_at"])
    return obj


def _not_future(day: date, field: str) -> None:
    if day > shanghai_today():
        raise ValidationError({field: _("日期不能晚于今天。")})


def _ask_committee(obj, *, what: str) -> None:
    member = obj.member
    prefix = "flag" if isinstance(obj, InactivityFlag) else "case"
    notifications_create(
        recipients=committee_reviewers_above(member.organization), kind=NotificationKind.APPROVAL_NEEDED,
        subject_key=f"member:{member.pk}", period=f"{prefix}-{obj.pk}-{obj.status}-{int(obj.updated_at.timestamp() * 1_000_000)}",
        title=_("待审批：%(member)s%(what)s") % {"member": member.name, "what": what},
        body=obj.proposal_reason, member=member, link=obj.get_absolute_url())


# Inactivity flags ----------------------------------------------------------

#: The relationship decides who handles a lapse: the host only informs the holder outside the system.
OUTSIDE_HOLDER_NOTICE = _lazy(
    "该党员的组织关系在本系统外的“%(holder)s”，按自行脱党处理由该党组织决定。"
    "本组织记录其组织生活、党费和联系情况，请将有关情况告知该党组织。")


@transaction.atomic
def flag_record_talk(*, flag: InactivityFlag, acting_user, talk_on: date, notes: str) -> InactivityFlag:
    """The branch talked with the member (criticism and education)."""
    _check_scope(flag, acting_user, "jobs.change_inactivityflag")
    _require_open(flag)
    _require_status(flag, FlagStatus.FLAGGED, FlagStatus.TALK_HELD, message=_("只有待谈话或已谈话的提示可以登记谈话。"))
    _not_future(talk_on, "talk_on")
    if not notes.strip():
        raise ValidationError({"talk_notes": _("请填写谈话记录。")})
    flag.status, flag.talk_on, flag.talk_notes = FlagStatus.TALK_HELD, talk_on, notes.strip()
    return _save(flag, "status", "talk_on", "talk_notes")


@transaction.atomic
def flag_resolve(*, flag: InactivityFlag, acting_user, notes: str) -> InactivityFlag:
    """After the talk the member corrected (the flag still clears itself when the records show it)."""
    _check_scope(flag, acting_user, "jobs.change_inactivityflag")
    _require_open(flag)
    _require_status(flag, FlagStatus.TALK_HELD, message=_("须先登记谈话教育，才能登记已纠正。"))
    if not notes.strip():
        raise ValidationError({"resolution_notes": _("请填写纠正情况。")})
    flag.status, flag.resolution_notes = FlagStatus.RESOLVED, notes.strip()
    return _save(flag, "status", "resolution_notes")


@transaction.atomic
def flag_propose_lapse(*, flag: InactivityFlag, acting_user, reason: str) -> InactivityFlag:
    """The branch proposes handling the member as lapsed (自行脱党); the committee decides."""
    _check_scope(flag, acting_user, "jobs.change_inactivityflag")
    _require_open(flag)
    _require_status(flag, FlagStatus.TALK_HELD, message=_("须先进行批评教育（登记谈话），才能提出按自行脱党处理的意见。"))
    if holder := relationship_held_outside(flag.member):
        raise ValidationError(OUTSIDE_HOLDER_NOTICE % {"holder": holder})
    if not reason.strip():
        raise ValidationError({"proposal_reason": _("请填写处理意见。")})
    flag.status, flag.proposal_reason, flag.proposed_by = FlagStatus.LAPSE_PROPOSED, reason.strip(), acting_user
    _save(flag, "status", "proposal_reason", "proposed_by")
    _ask_committee(flag, what=_("按自行脱党处理"))
    return flag


@transaction.atomic
def flag_decide_lapse(*, flag: InactivityFlag, acting_user, approve: bool, notes: str,
                      document_number: str = "") -> InactivityFlag:
    """The committee approves the lapse (with its decision document), or sends the proposal back to the branch."""
    _check_scope(flag, acting_user, "jobs.decide_lapse")
    _require_status(flag, FlagStatus.LAPSE_PROPOSED, message=_("只有支部已提出意见的提示可以审批。"))
    _check_not_own_proposal(flag, acting_user)
    if not approve and not notes.strip():
        raise ValidationError({"decision_notes": _("退回时请填写理由。")})
    flag.status = FlagStatus.LAPSE_APPROVED if approve else FlagStatus.TALK_HELD
    flag.decided_by, flag.decided_on, flag.decision_notes = acting_user, shanghai_today(), notes.strip()
    if approve:
        membership_status_change(member=flag.member, kind=DecisionKind.LAPSE, acting_user=acting_user,
                                 proposed_by=flag.proposed_by, decided_on=flag.decided_on,
                                 document_number=document_number, reason=flag.proposal_reason, notes=notes)
    return _save(flag, "status", "decided_by", "decided_on", "decision_notes")


# Lost-contact cases ----------------------------------------------------------

@transaction.atomic
def case_propose_suspension(*, case: LostContactCase, acting_user, reason: str) -> LostContactCase:
    """The branch proposes suspending the member's rights (停止党籍); the committee decides."""
    _check_scope(case, acting_user, "jobs.change_lostcontactcase")
    _require_open(case)
    _require_status(case, CaseStatus.OPEN, message=_("只有失联待处理的可以提出停止党籍意见。"))
    if not reason.strip():
        raise ValidationError({"proposal_reason": _("请填写处理意见。")})
    case.status, case.proposal_reason, case.proposed_by = CaseStatus.SUSPENSION_PROPOSED, reason.strip(), acting_user
    _save(case, "status", "proposal_reason", "proposed_by")
    _ask_committee(case, what=_("停止党籍"))
    return case


@transaction.atomic
def case_propose_removal(*, case: LostContactCase, acting_user, reason: str) -> LostContactCase:
    """Two years after the suspension, still unreachable: the branch may propose removal (除名)."""
    _check_scope(case, acting_user, "jobs.change_lostcontactcase")
    _require_status(case, CaseStatus.SUSPENDED, message=_("只有已停止党籍的才能提出除名意见。"))
    if not Member.objects.filter(pk=case.member_id, membership_status=MembershipStatus.SUSPENDED).exists():
        raise ValidationError(_("该党员已恢复党籍（或党籍状态已改变），不能提出除名意见。"))
    if case.suspended_on + relativedelta(years=REMOVAL_AFTER_YEARS) > shanghai_today():
        raise ValidationError(_("停止党籍满2年（%(date)s）后仍无法取得联系的，才能提出除名意见。")
                              % {"date": case.suspended_on + relativedelta(years=REMOVAL_AFTER_YEARS)})
    if case.member.contactattempt_set.filter(reached=True, contacted_on__gt=case.suspended_on).exists():
        raise ValidationError(_("停止党籍后已联系上本人，不能提出除名意见。"))
    if not reason.strip():
        raise ValidationError({"proposal_reason": _("请填写处理意见。")})
    case.status, case.proposal_reason, case.proposed_by = CaseStatus.REMOVAL_PROPOSED, reason.strip(), acting_user
    _save(case, "status", "proposal_reason", "proposed_by")
    _ask_committee(case, what=_("除名"))
    return case


@transaction.atomic
def case_decide(*, case: LostContactCase, acting_user, approve: bool, notes: str,
                document_number: str = "") -> LostContactCase:
    """The committee decides a suspension or removal proposal (with its decision document); rejecting returns it."""
    _check_scope(case, acting_user, "jobs.decide_suspension")
    _require_status(case, CaseStatus.SUSPENSION_PROPOSED, CaseStatus.REMOVAL_PROPOSED,
                    message=_("只有支部已提出意见的可以审批。"))
    _check_not_own_proposal(case, acting_user)
    if not approve and not notes.strip():
        raise ValidationError({"decision_notes": _("退回时请填写理由。")})
    today = shanghai_today()
    fields = ["status", "decided_by", "decided_on", "decision_notes"]
    if case.status == CaseStatus.SUSPENSION_PROPOSED:
        case.status = CaseStatus.SUSPENDED if approve else CaseStatus.OPEN
        if approve:
            case.suspended_on = today
            fields.append("suspended_on")
    else:
        case.status = CaseStatus.REMOVED if approve else CaseStatus.SUSPENDED
    case.decided_by, case.decided_on, case.decision_notes = acting_user, today, notes.strip()
    if approve:
        kind = DecisionKind.SUSPEND if case.status == CaseStatus.SUSPENDED else DecisionKind.REMOVE
        membership_status_change(member=case.member, kind=kind, acting_user=acting_user,
                                 proposed_by=case.proposed_by, decided_on=today, document_number=document_number,
                                 reason=case.proposal_reason, notes=notes)
    return _save(case, *fields)
