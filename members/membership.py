"""The one way a member's standing changes (党籍): proposals, committee decisions, recorded facts.

The branch proposes (``membership_propose``), the committee decides
(``membership_decide``); who proposed does not decide. Flows elsewhere that
keep their own proposal record (the inactivity flag's 自行脱党, the
lost-contact case's 停止党籍 and 除名) and the recorded facts (the
introduction letter's receipt, a death) call ``membership_status_change``
with the proposer. Both paths check the transition (``members.rules``),
record the decision with its document number and date, and change the
member in ``_apply``, which writes the member's history. Nothing changes a
status by itself.
"""
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import rules
from members.choices import DecisionKind, DecisionStatus, MembershipStatus, MembershipType
from members.models import Member, MembershipDecision, ProbationOpinionRequest

PROPOSE_PERMISSION = "members.change_member"
DECIDE_PERMISSION = "members.decide_membership"

_REFUSALS = {
    "status": gettext_lazy("该党员当前的党籍状态（%(status)s）不能办理“%(kind)s”。"),
    "not_probationary": gettext_lazy("只有预备党员才能办理“%(kind)s”。"),
}
_EXTENSION_REFUSALS = {
    "twice": gettext_lazy("预备期只能延长一次，该党员的预备期已经延长过。"),
    "missing": gettext_lazy("请填写延长后的预备期满日期。"),
    "not_later": gettext_lazy("延长后的预备期满日期必须晚于原预备期满日期。"),
    "too_long": gettext_lazy("预备期延长不能超过一年（最晚 %(latest)s）。"),
}


def _check_member_held(member: Member, acting_user, *permissions: str) -> None:
    """The user holds one of ``permissions`` and the member's relationship is inside the user's tree."""
    if not any(acting_user.has_perm(permission) for permission in permissions):
        raise PermissionDenied(_("您没有执行此操作的权限。"))
    if not Member.objects.held_by(acting_user).filter(pk=member.pk).exists():
        raise PermissionDenied(_("只能处理本组织及下级组织的党员。"))


def _not_future(day: date | None, field: str) -> None:
    if day and day > timezone.localdate():
        raise ValidationError({field: _("日期不能晚于今天。")})


def _check_transition(member: Member, kind: str, *, decided_on: date, new_probation_end_date: date | None) -> None:
    refusal = rules.transition_refusal(kind, member.membership_status, member.membership_type)
    if refusal:
        raise ValidationError(_REFUSALS[refusal] % {"status": member.get_membership_status_display(),
                                                    "kind": DecisionKind(kind).label})
    if kind == DecisionKind.RESTORE:
        suspended_on = member.membership_status_since
        if suspended_on and not rules.can_restore(suspended_on, decided_on):
            raise ValidationError(_("停止党籍已超过2年（%(date)s 到期），不能恢复党籍。")
                                  % {"date": rules.restore_deadline(suspended_on)})
    if kind == DecisionKind.EXTEND_PROBATION:
        extended_before = member.membership_decisions.approved().filter(kind=DecisionKind.EXTEND_PROBATION).exists()
        current_end = member.probation_end_date
        refusal = rules.extension_refusal(current_end=current_end, new_end=new_probation_end_date,
                                          extended_before=extended_before)
        if refusal:
            latest = rules.latest_extended_end(current_end)
            raise ValidationError({"new_probation_end_date": _EXTENSION_REFUSALS[refusal] % {"latest": latest}})
    if kind == DecisionKind.FULL_MEMBERSHIP and rules.opinion_required(away=member.is_mobile):
        if not member.probation_opinion_requests.filter(answered_on__isnull=False).exists():
            raise ValidationError(_("党员在外流动：讨论转正前须书面征求流入地党组织的意见，并登记其回复。"))


def _apply(member: Member, decision: MembershipDecision, acting_user) -> None:
    """Change the member as the approved decision says and write the member's history."""
    member = Member.objects.select_for_update().get(pk=member.pk)
    rule = rules.TRANSITIONS[decision.kind]
    member.membership_status = rule.to_status
    member.membership_status_since = decision.decided_on
    if decision.kind == DecisionKind.FULL_MEMBERSHIP:
        member.membership_type, member.probation_end_date = MembershipType.FULL, None
    elif decision.kind == DecisionKind.EXTEND_PROBATION:
        member.probation_end_date = decision.new_probation_end_date
    if rule.to_status not in (MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED):
        member.liaison = None
    member.full_clean()
    member.version += 1
    member._history_user = acting_user
    member._change_reason = _("%(kind)s（%(number)s，%(date)s）") % {
        "kind": decision.get_kind_display(), "number": decision.document_number, "date": decision.decided_on}
    member.save()


def _require_document(document_number: str, decided_on: date | None) -> None:
    errors = {}
    if not document_number.strip():
        errors["document_number"] = _("请填写决定文书编号。")
    elif rules.is_placeholder_document(document_number):
        errors["document_number"] = _("请填写党(工)委决定的实际文号，不能以“待补录”代替。")
    if not decided_on:
        errors["decided_on"] = _("请填写决定日期。")
    if errors:
        raise ValidationError(errors)
    _not_future(decided_on, "decided_on")


@transaction.atomic
def membership_status_change(*, member: Member, kind: str, acting_user, decided_on: date, document_number: str,
                             proposed_by=None, reason: str = "", notes: str = "", meeting_on: date | None = None,
                             new_probation_end_date: date | None = None) -> MembershipDecision:
    """Record one decided change of standing and apply it: every change of status ends here.

    A committee decision needs the decide permission and a decider other than
    the proposer; a recorded fact (转出 by receipt, 去世) needs the branch's
    change permission.
    """
    rule = rules.TRANSITIONS[kind]
    _check_member_held(member, acting_user,
                       *((DECIDE_PERMISSION,) if rule.by_committee else (PROPOSE_PERMISSION, DECIDE_PERMISSION)))
    if rule.by_committee and proposed_by is None:
        raise ValidationError(_("该事项须由党支部提出意见，再由党(工)委审批。"))
    if rule.by_committee and proposed_by.pk == acting_user.pk:
        raise ValidationError(_("不能审批本人提出的处理意见，请由党(工)委的其他审核人审批。"))
    _require_document(document_number, decided_on)
    member = Member.objects.select_for_update().get(pk=member.pk)
    _check_transition(member, kind, decided_on=decided_on, new_probation_end_date=new_probation_end_date)
    decision = MembershipDecision(
        member=member, kind=kind, status=DecisionStatus.APPROVED, organization=member.organization,
        reason=reason.strip(), meeting_on=meeting_on, new_probation_end_date=new_probation_end_date,
        proposed_by=proposed_by or acting_user, proposed_on=decided_on, decided_by=acting_user,
        decided_on=decided_on, document_number=document_number.strip(), decision_notes=notes.strip())
    decision.full_clean()
    decision.save()
    _apply(member, decision, acting_user)
    return decision


@transaction.atomic
def membership_propose(*, member: Member, kind: str, acting_user, reason: str, meeting_on: date | None = None,
                       new_probation_end_date: date | None = None) -> MembershipDecision:
    """The branch proposes a change of standing (for probation: after the branch meeting); the committee decides."""
    _check_member_held(member, acting_user, PROPOSE_PERMISSION)
    if not rules.TRANSITIONS[kind].by_committee:
        raise ValidationError({"kind": _("该事项由支部凭文书直接登记，无需报批。")})
    if not reason.strip():
        raise ValidationError({"reason": _("请填写事实和理由。")})
    if kind in rules.PROBATION_KINDS and not meeting_on:
        raise ValidationError({"meeting_on": _("转正、延长预备期和取消预备党员资格须经支部党员大会讨论，请填写会议日期。")})
    _not_future(meeting_on, "meeting_on")
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.membership_decisions.filter(status=DecisionStatus.PROPOSED).exists():
        raise ValidationError(_("该党员已有待党(工)委审批的处理意见，请先等待审批。"))
    today = timezone.localdate()
    _check_transition(member, kind, decided_on=today, new_probation_end_date=new_probation_end_date)
    decision = MembershipDecision(
        member=member, kind=kind, organization=member.organization, reason=reason.strip(), meeting_on=meeting_on,
        new_probation_end_date=new_probation_end_date, proposed_by=acting_user, proposed_on=today)
    decision.full_clean()
    decision.save()
    return decision


@transaction.atomic
def membership_decide(*, decision: MembershipDecision, acting_user, approve: bool, decided_on: date | None = None,
                      document_number: str = "", notes: str = "") -> MembershipDecision:
    """The committee approves the branch's proposal (with its document) or returns it with a reason."""
    decision = MembershipDecision.objects.select_for_update().get(pk=decision.pk)
    _check_member_held(decision.member, acting_user, DECIDE_PERMISSION)
    if decision.status != DecisionStatus.PROPOSED:
        raise ValidationError(_("该处理意见已审批，不能重复审批。"))
    if decision.proposed_by_id == acting_user.pk:
        raise ValidationError(_("不能审批本人提出的处理意见，请由党(工)委的其他审核人审批。"))
    if not approve:
        if not notes.strip():
            raise ValidationError({"notes": _("退回时请填写理由。")})
        decision.status, decision.decided_by, decision.decision_notes = DecisionStatus.RETURNED, acting_user, notes.strip()
        decision.decided_on = timezone.localdate()
        decision.full_clean()
        decision.save()
        return decision
    _require_document(document_number, decided_on)
    member = Member.objects.select_for_update().get(pk=decision.member_id)
    _check_transition(member, decision.kind, decided_on=decided_on,
                      new_probation_end_date=decision.new_probation_end_date)
    decision.status, decision.decided_by, decision.decided_on = DecisionStatus.APPROVED, acting_user, decided_on
    decision.document_number, decision.decision_notes = document_number.strip(), notes.strip()
    decision.full_clean()
    decision.save()
    _apply(member, decision, acting_user)
    return decision


@transaction.atomic
def membership_document_record(*, decision: MembershipDecision, acting_user, document_number: str,
                               decided_on: date) -> MembershipDecision:
    """The committee records the number and date of a decision taken before the system kept them.

    Only a decision migrated with ``rules.PENDING_DOCUMENT`` is completed this
    way; the member's standing does not change, the member's history says what was recorded.
    """
    decision = MembershipDecision.objects.select_for_update().get(pk=decision.pk)
    _check_member_held(decision.member, acting_user, DECIDE_PERMISSION)
    if not decision.document_pending:
        raise ValidationError(_("该决定已有文书编号，无需补录。"))
    _require_document(document_number, decided_on)
    decision.document_number, decision.decided_on = document_number.strip(), decided_on
    decision.full_clean()
    decision.save(update_fields=["document_number", "decided_on", "updated_at"])
    member = Member.objects.select_for_update().get(pk=decision.member_id)
    member.version += 1
    member._history_user = acting_user
    member._change_reason = _("补录%(kind)s决定文号（%(number)s，%(date)s）") % {
        "kind": decision.get_kind_display(), "number": decision.document_number, "date": decided_on}
    member.save()
    return decision


# Probation away from home: the written request for the host's opinion ----------

def _next_letter_number(today: date) -> str:
    prefix = f"ZZYJ{today:%Y}"
    count = ProbationOpinionRequest.objects.filter(number__startswith=prefix).count()
    return f"{prefix}{count + 1:04d}"


@transaction.atomic
def probation_opinion_request(*, member: Member, acting_user, host_organization_name: str = "") -> ProbationOpinionRequest:
    """The origin branch writes to the host for its opinion before discussing full membership."""
    _check_member_held(member, acting_user, PROPOSE_PERMISSION)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.membership_type != MembershipType.PROBATIONARY or member.membership_status != MembershipStatus.ACTIVE:
        raise ValidationError(_("只有在册的预备党员才能发征求意见函。"))
    today = timezone.localdate()
    if today < rules.opinion_window_opens(member.probation_end_date):
        raise ValidationError(_("预备期满前%(days)s天（%(date)s）起才能发征求意见函。")
                              % {"days": rules.PROBATION_OPINION_WINDOW_DAYS,
                                 "date": rules.opinion_window_opens(member.probation_end_date)})
    if member.probation_opinion_requests.filter(answered_on__isnull=True).exists():
        raise ValidationError(_("已有未回复的征求意见函，请先登记流入地党组织的回复。"))
    host = host_organization_name.strip() or (member.host_organization.name if member.host_organization_id
                                             else member.host_unit)
    if not host:
        raise ValidationError({"host_organization_name": _("请填写流入地党组织名称。")})
    request = ProbationOpinionRequest(member=member, number=_next_letter_number(today), host_organization_name=host,
                                      requested_on=today, requested_by=acting_user)
    request.full_clean()
    request.save()
    return request


@transaction.atomic
def probation_opinion_answer(*, request: ProbationOpinionRequest, acting_user, answered_on: date,
                             answer: str) -> ProbationOpinionRequest:
    """Record the host organization's written answer; the request is then closed."""
    request = ProbationOpinionRequest.objects.select_for_update().get(pk=request.pk)
    _check_member_held(request.member, acting_user, PROPOSE_PERMISSION)
    if request.is_answered:
        raise ValidationError(_("该征求意见函已登记回复。"))
    _not_future(answered_on, "answered_on")
    if answered_on < request.requested_on:
        raise ValidationError({"answered_on": _("回复日期不能早于发函日期。")})
    if not answer.strip():
        raise ValidationError({"answer": _("请填写流入地党组织的意见。")})
    request.answered_on, request.answer = answered_on, answer.strip()
    request.full_clean()
    request.save()
    return request
