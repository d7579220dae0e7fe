"""Writes for agreements, their exchanges and the yearly two-way evaluation; each records who did it."""
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from cooperation.models import Agreement, Exchange, ExchangeEntry, TwoWayEvaluation
from cooperation.rules import period_start, periods_between
from cooperation.selectors import away_members_for, committees_for
from members.models import Member
from organizations.history import save_with_history
from organizations.models import Organization

AGREEMENT_FIELDS = ("origin_organization", "host_organization", "host_name", "host_place", "host_contact_person",
                    "host_contact_phone", "starts_on", "ends_on", "origin_duties", "host_duties",
                    "exchange_interval")


def _visible(organization: Organization | None, acting_user) -> bool:
    return organization is not None and Organization.objects.visible_to(acting_user).filter(pk=organization.pk).exists()


def _check_origin(agreement: Agreement, acting_user) -> None:
    if not committees_for(acting_user).filter(pk=agreement.origin_organization_id).exists():
        raise PermissionDenied(_("只有流出地党(工)委可以登记和修改本组织的双向共管协议。"))


@transaction.atomic
def agreement_create(*, acting_user, **fields) -> Agreement:
    agreement = Agreement(created_by=acting_user, **fields)
    _check_origin(agreement, acting_user)
    return save_with_history(agreement, acting_user=acting_user, reason=_("登记双向共管协议"))


@transaction.atomic
def agreement_update(*, agreement: Agreement, acting_user, **fields) -> Agreement:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _check_origin(agreement, acting_user)  # where it is now
    for name, value in fields.items():
        setattr(agreement, name, value)
    _check_origin(agreement, acting_user)  # where it goes
    return save_with_history(agreement, acting_user=acting_user, reason=_("修改双向共管协议"))


@transaction.atomic
def agreement_set_members(*, agreement: Agreement, members, acting_user) -> Agreement:
    """Cover exactly ``members``: each must be one of the origin's members away at the agreement's place."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    _check_origin(agreement, acting_user)
    wanted = {member.pk for member in members}
    allowed = set(away_members_for(agreement).filter(pk__in=wanted).values_list("pk", flat=True))
    if wanted - allowed:
        raise ValidationError({"members": _("只能选择本党(工)委在协议流入地的外出党员。")})
    agreement._history_user = acting_user
    agreement._change_reason = _("调整共管党员")
    agreement.members.set(wanted)
    return agreement


def can_record_exchange(agreement: Agreement, acting_user) -> bool:
    """The host records the exchange when it is in the system; for a host outside it, the origin does."""
    return acting_user.has_perm("cooperation.record_exchange") and _visible(agreement.recording_organization,
                                                                          acting_user)


@transaction.atomic
def exchange_record(*, agreement: Agreement, period: date, recorded_on: date, remarks: str, entries: dict,
                    acting_user) -> Exchange:
    """Record one period's exchange; ``entries`` maps each covered member's id to its four answers."""
    if not can_record_exchange(agreement, acting_user):
        raise PermissionDenied(_("信息互通情况由流入地党组织登记；流入地不在本系统中时，由流出地党(工)委登记。"))
    interval = agreement.exchange_interval
    if period not in periods_between(agreement.starts_on, min(agreement.ends_on, recorded_on), interval) \
            or period != period_start(period, interval):
        raise ValidationError({"period": _("请选择协议有效期内、已经开始的周期。")})
    if recorded_on < period:
        raise ValidationError({"recorded_on": _("互通日期不能早于该周期的开始日期。")})
    exchange = Exchange(agreement=agreement, period_start=period, recorded_on=recorded_on, remarks=remarks,
                        recorded_by_organization=agreement.recording_organization, created_by=acting_user)
    exchange.full_clean()
    exchange.save()
    covered = set(agreement.members.values_list("pk", flat=True))
    ExchangeEntry.objects.bulk_create([
        ExchangeEntry(exchange=exchange, member_id=member_id, **answers)
        for member_id, answers in entries.items() if member_id in covered])
    return exchange


# --- the yearly two-way evaluation ---------------------------------------------------------------------------


def _evaluation(member: Member, year: int) -> TwoWayEvaluation:
    evaluation, _created = TwoWayEvaluation.objects.select_for_update().get_or_create(member=member, year=year)
    return evaluation


def _hosted_elsewhere(member: Member) -> bool:
    return bool(member.host_organization_id and member.host_organization_id != member.organization_id)


def evaluation_sides(member: Member, acting_user) -> tuple[bool, bool]:
    """May the user give the host's opinion, and record the result? One query for both.

    The host in the system gives its opinion; for a host outside it, the
    origin records the written one. The result is the origin branch's.
    """
    if not acting_user.has_perm("cooperation.change_twowayevaluation"):
        return False, False
    seen = set(Organization.objects.visible_to(acting_user).filter(
        pk__in=[pk for pk in (member.organization_id, member.host_organization_id) if pk]).values_list("pk", flat=True))
    holds = member.organization_id in seen
    if _hosted_elsewhere(member):
        return member.host_organization_id in seen and not holds, holds
    return holds, holds


def can_give_host_opinion(member: Member, acting_user) -> bool:
    return evaluation_sides(member, acting_user)[0]


@transaction.atomic
def host_opinion_record(*, member: Member, year: int, grade: str, opinion: str, recorded_on: date, host_name: str = "",
                        acting_user) -> TwoWayEvaluation:
    if not can_give_host_opinion(member, acting_user):
        raise PermissionDenied(_("流入地党组织意见由流入地党组织填写；流入地不在本系统中时，由党员所在支部登记。"))
    if not opinion.strip():
        raise ValidationError({"opinion": _("请填写流入地党组织意见。")})
    evaluation = _evaluation(member, year)
    hosted = _hosted_elsewhere(member)
    evaluation.host_organization_id = member.host_organization_id if hosted else None
    evaluation.host_name = "" if hosted else host_name.strip()
    if not hosted and not evaluation.host_name:
        raise ValidationError({"host_name": _("请填写出具意见的流入地党组织名称。")})
    evaluation.host_grade, evaluation.host_opinion = grade, opinion
    evaluation.host_recorded_on, evaluation.host_recorded_by = recorded_on, acting_user
    return save_with_history(evaluation, acting_user=acting_user, reason=_("登记流入地党组织评议意见"))


def can_record_result(member: Member, acting_user) -> bool:
    return evaluation_sides(member, acting_user)[1]


@transaction.atomic
def evaluation_result_record(*, member: Member, year: int, grade: str, notes: str, recorded_on: date,
                             acting_user) -> TwoWayEvaluation:
    if not can_record_result(member, acting_user):
        raise PermissionDenied(_("评议结果由党员组织关系所在的党支部登记。"))
    evaluation = _evaluation(member, year)
    evaluation.result_grade, evaluation.result_notes = grade, notes
    evaluation.result_recorded_on, evaluation.result_recorded_by = recorded_on, acting_user
    return save_with_history(evaluation, acting_user=acting_user, reason=_("登记双向评议结果"))
