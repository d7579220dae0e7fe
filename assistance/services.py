"""Writes of help records. Each runs in one transaction and leaves its line in the records' history.

``open_help_request`` is also what a member's own page calls for 困难求助
(``by=None``): keep its keywords stable.
"""
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from assistance.choices import HelpActionKind, HelpSource, HelpStatus
from assistance.models import HelpAction, HelpRequest
from members.choices import ContactChannel
from members.models import Member
from organizations.history import save_with_history
from transfers.services import contact_attempt_add


def _check_writer(member: Member, by) -> None:
    """The acting user must hold the write permission and see the member (held or hosted in their subtree)."""
    if not by.has_perm("assistance.change_helprequest"):
        raise PermissionDenied(_("您的角色不能登记困难帮扶。"))
    if not Member.objects.visible_to(by).filter(pk=member.pk).exists():
        raise PermissionDenied(_("只能为本组织及下级组织的党员登记困难帮扶。"))


def _check_day(value: date, field: str, *, not_before: date | None = None) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: _("该日期不能晚于今天。")})
    if not_before and value < not_before:
        raise ValidationError({field: _("该日期不能早于提出日期（%(day)s）。") % {"day": not_before}})


def _save(record, by, reason: str):
    return save_with_history(record, acting_user=by, reason=reason)


@transaction.atomic
def open_help_request(*, member: Member, kind: str, text: str, source: str = HelpSource.MEMBER, by=None,
                      opened_on: date | None = None) -> HelpRequest:
    """Open a help request about ``member``'s difficulty (``kind``: ``DifficultyKind``; ``text``: what it is).

    ``by=None`` is the member's own request from their page: the caller has
    established that the signed-in person is this member; the request is
    handled by the member's own branch. Otherwise ``by`` is the user
    recording it, who must see the member; the request is handled by that
    user's organization (the origin branch, a temporary branch, a host).
    """
    if by is None and source != HelpSource.MEMBER:
        raise ValueError("only a member's own request has no recording user")
    if by is not None:
        _check_writer(member, by)
    opened_on = opened_on or timezone.localdate()
    _check_day(opened_on, "opened_on")
    if not (text or "").strip():
        raise ValidationError({"description": _("请写明困难情况。")})
    request = HelpRequest(member=member, kind=kind, description=text.strip(), source=source, opened_on=opened_on,
                          recorded_by=by.organization if by is not None else member.organization, created_by=by)
    return _save(request, by, _("提出困难求助") if by is None else _("登记困难帮扶"))


def _locked_open(request: HelpRequest) -> HelpRequest:
    current = HelpRequest.objects.select_for_update().select_related("member").get(pk=request.pk)
    if current.status != HelpStatus.OPEN:
        raise ValidationError(_("该困难已于%(day)s解决，不能再修改。") % {"day": current.solved_on})
    return current


def _mark_solved(current: HelpRequest, *, solved_on: date, outcome: str, by) -> HelpRequest:
    _check_day(solved_on, "solved_on", not_before=current.opened_on)
    if not (outcome or "").strip():
        raise ValidationError({"outcome": _("请写明解决情况。")})
    current.status, current.solved_on, current.outcome = HelpStatus.SOLVED, solved_on, outcome.strip()
    return _save(current, by, _("困难已解决"))


@transaction.atomic
def record_help_action(*, request: HelpRequest, kind: str, done_on: date, done_by: str, what_done: str, by,
                       solved: bool = False, outcome: str = "") -> HelpAction:
    """Record one thing done about an open request; ``solved=True`` also closes it (``outcome`` then required).

    A visit (走访慰问) is also written as the member's contact record, so the
    quarterly report's 走访 figure, read from contact records, counts it once.
    """
    current = _locked_open(request)
    _check_writer(current.member, by)
    _check_day(done_on, "done_on", not_before=current.opened_on)
    if not (what_done or "").strip():
        raise ValidationError({"what_done": _("请写明做了什么。")})
    if not (done_by or "").strip():
        raise ValidationError({"done_by": _("请填写帮扶人。")})
    contact = None
    if kind == HelpActionKind.VISIT:
        contact = contact_attempt_add(member=current.member, acting_user=by, contacted_on=done_on,
                                      channel=ContactChannel.VISIT, contact_person=done_by.strip(), reached=True,
                                      notes=what_done.strip())
    action = _save(HelpAction(request=current, kind=kind, done_on=done_on, done_by=done_by.strip(),
                              what_done=what_done.strip(), contact=contact, recorded_by=by.organization,
                              created_by=by), by, _("登记帮扶"))
    if solved:
        _mark_solved(current, solved_on=done_on, outcome=outcome or what_done, by=by)
    return action


@transaction.atomic
def resolve_help_request(*, request: HelpRequest, solved_on: date, outcome: str, by) -> HelpRequest:
    """Mark an open request solved on ``solved_on``, saying how."""
    current = _locked_open(request)
    _check_writer(current.member, by)
    return _mark_solved(current, solved_on=solved_on, outcome=outcome, by=by)
