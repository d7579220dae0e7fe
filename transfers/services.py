"""Writes for outflow, inflow, return and relationship transfer.

Each service checks that the acting user may act on the records, validates,
saves, and logs the step, inside one transaction.
"""
from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from accounts.roles import Role
from accounts.services import account_create, accounts_disable_in
from members import dues_ledger
from members.choices import DecisionKind, IdLookupOutcome, IdLookupPath, MobilityStatus
from members.id_lookups import id_lookup_close, id_lookup_open
from members.masking import mask_id_number
from members.models import ContactAttempt, Member, ThoughtReport
from members.membership import membership_status_change
from members.services import member_create, member_record_add
from organizations.choices import COMMITTEE_KINDS, OrganizationKind
from organizations.models import Organization
from places.display import fill_place_text, full_name
from places.names import city_key
from transfers.choices import (
    ClaimStatus,
    DocumentKind,
    Handling,
    LetterStatus,
    OutflowStatus,
    StepAction,
)
from transfers.check_codes import new_check_code
from transfers.documents import document_proves_claim
from transfers.models import (
    CertificateLetter,
    DocumentCounter,
    Inflow,
    IntroductionLetter,
    LocationChange,
    MemberClaim,
    Outflow,
    OutflowStep,
    ReturnRegistration,
)
from transfers.rules import TEMPORARY_BRANCH_SIZE, Recommendation, destination_organization, recommend_handling
from transfers.signals import member_claimed, outflow_ended, outflow_stepped

#: Outflow fields the branch fills in (register and resubmit take the same ones).
OUTFLOW_FIELDS = (
    "talk_date", "talk_by", "talk_notes", "departure_date", "expected_months", "purpose", "fixed_place",
    "can_transfer", "returns_often", "destination_division", "abroad_country", "destination_city", "destination_address",
    "host_unit", "unit_has_party_org", "supervising_department", "unit_locality", "destination_unit_kind",
    "former_occupation", "occupation", "trade",
    "phone", "other_contact", "liaison", "handling", "override_reason", "receiving_organization",
    "receiving_organization_name", "letter_valid_days",
)
DOCUMENT_PREFIX = {DocumentKind.INTRODUCTION_LETTER: "JS", DocumentKind.CERTIFICATE_LETTER: "ZM"}


def today() -> date:
    return timezone.localdate()


def _not_in_future(value: date | None, field: str) -> None:
    if value and value > today():
        raise ValidationError({field: _("该日期不能晚于今天。")})


def _log(outflow: Outflow, action: str, acting_user, reason: str = "") -> OutflowStep:
    step = OutflowStep.objects.create(outflow=outflow, action=action, actor=acting_user,
                                      organization=acting_user.organization, reason=reason)
    outflow_stepped.send(sender=OutflowStep, step=step)
    return step


def _check_member_in_tree(member: Member, acting_user) -> None:
    if not Member.objects.held_by(acting_user).filter(pk=member.pk).exists():
        raise PermissionDenied(_("只能为本组织及下级组织的党员办理外出登记。"))


def next_document_number(kind: str, on: date) -> str:
    """A unique number such as ``JS2026-00001``; the counter row is locked while it is taken."""
    counter, _created = DocumentCounter.objects.select_for_update().get_or_create(kind=kind, year=on.year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return f"{DOCUMENT_PREFIX[kind]}{on.year}-{counter.last:05d}"


def group_size_for(*, origin: Organization, city_code: str, exclude_member: Member | None = None) -> int:
    """How many members of one origin would be away in one city (by its code, ``places.names.city_key``),
    counting the one being registered."""
    if not city_code:
        return 1
    others = Outflow.objects.open().filter(origin_organization=origin, destination_division__city_code=city_code)
    if exclude_member is not None:
        others = others.exclude(member=exclude_member)
    return others.count() + 1


def outflow_recommendation(*, origin: Organization, member: Member | None = None, months: int, purpose: str,
                           fixed_place: bool, can_transfer: bool, returns_often: bool, division_code: str,
                           country: str = "") -> Recommendation:
    abroad = bool(country.strip())
    return recommend_handling(
        months=months, purpose=purpose, fixed_place=fixed_place, can_transfer=can_transfer,
        returns_often=returns_often, abroad=abroad, retiree=member is not None and member.is_retiree,
        group_size=group_size_for(origin=origin, city_code="" if abroad else city_key(division_code),
                                  exclude_member=member))


def _fill_receiving_name(outflow: Outflow) -> None:
    """Without a name given, the letter goes where the destination rule says."""
    if outflow.receiving_organization_id:
        outflow.receiving_organization_name = outflow.receiving_organization.name
    elif not outflow.receiving_organization_name.strip():
        outflow.receiving_organization_name = destination_organization(
            host_unit=outflow.host_unit, unit_has_party_org=outflow.unit_has_party_org,
            supervising_department=outflow.supervising_department, unit_locality=outflow.unit_locality).name


def _validate_outflow(outflow: Outflow) -> None:
    """Every problem of the registration in one answer, so the branch fixes them all in one round."""
    fill_place_text(outflow)
    errors: dict[str, list] = {}
    if outflow.talk_date and outflow.talk_date > today():
        errors["talk_date"] = [_("该日期不能晚于今天。")]
    if outflow.liaison_id and (outflow.liaison.organization_id != outflow.origin_organization_id
                               or outflow.liaison_id == outflow.member_id):
        errors["liaison"] = [_("联系人必须是本支部的其他党员。")]
    if outflow.handling == Handling.TRANSFER and outflow.receiving_organization_id:
        if outflow.receiving_organization_id == outflow.member.organization_id:
            errors["receiving_organization"] = [_("不能把组织关系转到党员现在所在的党组织。")]
        elif not outflow.receiving_organization.holds_members:
            errors["receiving_organization"] = [_("接收党组织须为党支部、党总支或党小组。")]
    try:
        outflow.full_clean()
    except ValidationError as exc:
        for field, messages in exc.update_error_dict({}).items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


def _apply_to_member(outflow: Outflow, acting_user) -> None:
    """Copy the departure facts onto the member record, which is now away."""
    member = Member.objects.select_for_update().get(pk=outflow.member_id)
    member.mobility_status = MobilityStatus.OUTFLOW
    member.departure_date = outflow.departure_date
    member.expected_months = outflow.expected_months
    member.occupation, member.trade = outflow.occupation, outflow.trade
    member.destination_division_id, member.abroad_country_id = outflow.destination_division_id, outflow.abroad_country_id
    member.destination_country = outflow.destination_country
    member.destination_province, member.destination_city = outflow.destination_province, outflow.destination_city
    member.destination_address, member.host_unit = outflow.destination_address, outflow.host_unit
    member.destination_unit_kind = outflow.destination_unit_kind
    if outflow.former_occupation:
        member.former_occupation = outflow.former_occupation
    if outflow.phone:
        member.phone = outflow.phone
    if outflow.other_contact:
        member.other_contact = outflow.other_contact
    if outflow.liaison_id:
        member.liaison_id = outflow.liaison_id
    _save_member(member, acting_user, _("外出登记"))


def _open_to_receiver(outflow: Outflow, acting_user) -> None:
    """On approval a receiving organization in the system starts to share the record, not before."""
    if outflow.handling == Handling.TRANSFER and outflow.receiving_organization_id:
        member = Member.objects.select_for_update().get(pk=outflow.member_id)
        member.host_organization_id = outflow.receiving_organization_id
        _save_member(member, acting_user, _("外出登记审批通过，接收党组织可以查看"))


def _save_member(member: Member, acting_user, reason: str) -> None:
    member.full_clean()
    member.version += 1
    member._history_user = acting_user
    member._change_reason = reason
    member.save()


def _prepare_document(outflow: Outflow) -> None:
    """Number the document the handling calls for (it takes effect when the committee approves)."""
    letter = IntroductionLetter.objects.filter(outflow=outflow).first()
    if outflow.handling == Handling.TRANSFER:
        receiving = outflow.receiving_organization
        fields = dict(receiving_organization=receiving,
                      receiving_organization_name=receiving.name if receiving else outflow.receiving_organization_name,
                      valid_days=outflow.letter_valid_days)
        if letter is None:
            letter = IntroductionLetter(outflow=outflow, number=next_document_number(
                DocumentKind.INTRODUCTION_LETTER, today()), **fields)
        else:
            for name, value in fields.items():
                setattr(letter, name, value)
        letter.full_clean()
        letter.save()
    elif letter is not None:
        letter.delete()
    certificate = CertificateLetter.objects.filter(outflow=outflow).first()
    if outflow.handling == Handling.CERTIFICATE_LETTER and certificate is None:
        CertificateLetter.objects.create(
            outflow=outflow, number=next_document_number(DocumentKind.CERTIFICATE_LETTER, today()))
    elif outflow.handling != Handling.CERTIFICATE_LETTER and certificate is not None:
        certificate.delete()


@transaction.atomic
def outflow_register(*, member: Member, acting_user, **fields) -> Outflow:
    """Register a departure; the branch sends it to its committee for approval."""
    _check_member_in_tree(member, acting_user)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if not Member.objects.in_registry().filter(pk=member.pk).exists():
        raise ValidationError(_("该党员党籍状态为“%(status)s”，已不在党组织中，不能办理外出登记。")
                              % {"status": member.get_membership_status_display()})
    if Outflow.objects.open().filter(member=member).exists():
        raise ValidationError(_("该党员已有一条未结束的外出登记，请先办理返回登记。"))
    outflow = Outflow(member=member, origin_organization=member.organization, created_by=acting_user, **fields)
    recommendation = outflow_recommendation(
        origin=member.organization, member=member, months=outflow.expected_months or 0, purpose=outflow.purpose,
        fixed_place=outflow.fixed_place, can_transfer=outflow.can_transfer, returns_often=outflow.returns_often,
        division_code=outflow.destination_division_id or "",
        country=outflow.abroad_key)
    outflow.recommended_handling = recommendation.handling
    outflow.recommendation_reason = recommendation.reason
    if not outflow.handling:
        outflow.handling = recommendation.handling
    if outflow.handling == outflow.recommended_handling:
        outflow.override_reason = ""
    _fill_receiving_name(outflow)
    _validate_outflow(outflow)
    outflow.save()
    _prepare_document(outflow)
    _apply_to_member(outflow, acting_user)
    _log(outflow, StepAction.SUBMITTED, acting_user,
         outflow.override_reason and _("不采用建议的理由：%(r)s") % {"r": outflow.override_reason})
    return outflow


@transaction.atomic
def outflow_resubmit(*, outflow: Outflow, acting_user, **fields) -> Outflow:
    """The branch corrects an outflow the committee sent back and sends it again."""
    outflow = Outflow.objects.select_for_update().get(pk=outflow.pk)
    _check_member_in_tree(outflow.member, acting_user)
    if outflow.status != OutflowStatus.RETURNED:
        raise ValidationError(_("只有被退回的外出登记才能修改后重新报送。"))
    for name, value in fields.items():
        setattr(outflow, name, value)
    recommendation = outflow_recommendation(
        origin=outflow.origin_organization, member=outflow.member, months=outflow.expected_months or 0,
        purpose=outflow.purpose, fixed_place=outflow.fixed_place, can_transfer=outflow.can_transfer,
        returns_often=outflow.returns_often, division_code=outflow.destination_division_id or "",
        country=outflow.abroad_key)
    outflow.recommended_handling, outflow.recommendation_reason = recommendation.handling, recommendation.reason
    if not outflow.handling:
        outflow.handling = recommendation.handling
    if outflow.handling == outflow.recommended_handling:
        outflow.override_reason = ""
    outflow.status = OutflowStatus.SUBMITTED
    _fill_receiving_name(outflow)
    _validate_outflow(outflow)
    outflow.save()
    _prepare_document(outflow)
    _apply_to_member(outflow, acting_user)
    _log(outflow, StepAction.RESUBMITTED, acting_user)
    return outflow


def committee_over(outflow: Outflow, user) -> bool:
    """Whether ``user`` belongs to a committee above the outflow's branch: it approves and (re)issues its documents."""
    organization = user.organization
    return organization is not None and organization.kind in COMMITTEE_KINDS \
        and outflow.origin_organization.is_within(organization)


def _check_committee(outflow: Outflow, acting_user, message=gettext_lazy("只有流出党支部的上级党(工)委可以审批外出登记。")) -> None:
    if not committee_over(outflow, acting_user):
        raise PermissionDenied(message)


def registered_or_sent_by(outflow: Outflow, user) -> bool:
    """Whether ``user`` registered or (re)submitted the outflow: then they may not approve it."""
    submitted = outflow.steps.filter(actor=user, action__in=(StepAction.SUBMITTED, StepAction.RESUBMITTED))
    return outflow.created_by_id == user.pk or submitted.exists()


def _check_not_own_registration(outflow: Outflow, acting_user) -> None:
    """Separation of duties: who registered or sent the outflow does not approve it, whatever their role."""
    if registered_or_sent_by(outflow, acting_user):
        raise PermissionDenied(_("不能审批本人登记或报送的外出登记，请由上级党(工)委的其他审核人审批。"))


def _paid_through_today(member_id: int):
    return dues_ledger.paid_through_by_member(Member.objects.filter(pk=member_id))[member_id]


@transaction.atomic
def outflow_approve(*, outflow: Outflow, acting_user, comment: str = "") -> Outflow:
    """The committee approves: the prepared letter is issued from today."""
    outflow = Outflow.objects.select_for_update().get(pk=outflow.pk)
    _check_committee(outflow, acting_user)
    _check_not_own_registration(outflow, acting_user)
    if outflow.status != OutflowStatus.SUBMITTED:
        raise ValidationError(_("该外出登记不在待审批状态，不能审批。"))
    outflow.status = OutflowStatus.APPROVED
    outflow.save(update_fields=["status"])
    # 党费缴至 goes on the letter as it stands when the letter is issued (members.dues_ledger), not at registration.
    paid_through = _paid_through_today(outflow.member_id)
    IntroductionLetter.objects.filter(outflow=outflow).update(status=LetterStatus.ISSUED, issued_on=today(),
                                                              dues_paid_through=paid_through)
    CertificateLetter.objects.filter(outflow=outflow).update(issued_on=today())
    _open_to_receiver(outflow, acting_user)
    _log(outflow, StepAction.APPROVED, acting_user, comment)
    return outflow


@transaction.atomic
def outflow_return_for_revision(*, outflow: Outflow, acting_user, reason: str) -> Outflow:
    """The committee sends the outflow back to the branch with a written reason."""
    outflow = Outflow.objects.select_for_update().get(pk=outflow.pk)
    _check_committee(outflow, acting_user)
    if not reason.strip():
        raise ValidationError({"reason": _("退回时必须写明理由。")})
    if outflow.status != OutflowStatus.SUBMITTED:
        raise ValidationError(_("该外出登记不在待审批状态，不能退回。"))
    outflow.status = OutflowStatus.RETURNED
    outflow.save(update_fields=["status"])
    _log(outflow, StepAction.RETURNED, acting_user, reason.strip())
    return outflow


def _check_receivable(letter: IntroductionLetter, received_on: date) -> None:
    """An introduction letter is received within its validity, never before it was issued, never after."""
    if received_on < letter.issued_on:
        raise ValidationError({"received_on": _("接收日期不能早于介绍信开具日期。")})
    if letter.expired_on(received_on):
        raise ValidationError({"received_on": _(
            "该介绍信有效期至%(until)s，%(day)s已过期，不能接收。请联系开具介绍信的党(工)委重新开具，"
            "凭新介绍信办理。") % {"until": f"{letter.valid_until:%Y年%-m月%-d日}", "day": f"{received_on:%Y年%-m月%-d日}"}})


def _check_sender(letter: IntroductionLetter, acting_user, action: str) -> None:
    if not Organization.objects.visible_to(acting_user).filter(pk=letter.outflow.origin_organization_id).exists():
        raise PermissionDenied(_("只有开具介绍信的党组织可以%(action)s。") % {"action": action})


def _check_outside(letter: IntroductionLetter) -> None:
    if letter.receiving_organization_id is not None:
        raise ValidationError(_("接收党组织在本系统内，应由接收方在系统中确认接收。"))


@transaction.atomic
def letter_confirm_receipt(*, letter: IntroductionLetter, acting_user, received_on: date | None = None) -> IntroductionLetter:
    """The receiving organization (in the system) accepts: the relationship moves to it, all at once."""
    letter = IntroductionLetter.objects.select_for_update(of=("self",)).select_related("outflow").get(pk=letter.pk)
    received_on = received_on or today()
    _not_in_future(received_on, "received_on")
    if letter.receiving_organization_id is None or not Organization.objects.visible_to(acting_user).filter(
            pk=letter.receiving_organization_id).exists():
        raise PermissionDenied(_("只有接收党组织可以确认接收。"))
    if letter.status == LetterStatus.RECEIVED:
        raise ValidationError(_("该介绍信已确认接收，不能重复确认。"))
    if letter.status != LetterStatus.ISSUED:
        raise ValidationError(_("介绍信尚未经党(工)委审批开具，不能确认接收。"))
    _check_receivable(letter, received_on)
    # Received in the system: the confirmation is the receipt (回执), nothing is mailed back.
    letter.status, letter.received_on, letter.received_by = LetterStatus.RECEIVED, received_on, acting_user
    letter.receipt_returned = True
    letter.save(update_fields=["status", "received_on", "received_by", "receipt_returned"])
    member = Member.objects.select_for_update().get(pk=letter.outflow.member_id)
    member.organization_id = letter.receiving_organization_id
    member.host_organization = None
    member.liaison = None
    member.mobility_status = MobilityStatus.AT_HOME
    _save_member(member, acting_user, _("组织关系转入 %(org)s") % {"org": letter.receiving_organization_name})
    outflow = letter.outflow
    outflow.status = OutflowStatus.TRANSFERRED
    outflow.save(update_fields=["status"])
    _log(outflow, StepAction.RECEIPT_CONFIRMED, acting_user)
    outflow_ended.send(sender=Outflow, member=member, acting_user=acting_user, on=received_on,
                       reason=_("组织关系已转移"))
    return letter


@transaction.atomic
def letter_mark_receipt_returned(*, letter: IntroductionLetter, acting_user, received_on: date) -> IntroductionLetter:
    """The sender records the receipt (回执) that came back from an organization outside the system."""
    letter = IntroductionLetter.objects.select_for_update(of=("self",)).select_related("outflow").get(pk=letter.pk)
    _not_in_future(received_on, "received_on")
    _check_sender(letter, acting_user, _("登记回执"))
    _check_outside(letter)
    if letter.status == LetterStatus.RECEIVED:
        raise ValidationError(_("该介绍信已确认接收，不能重复确认。"))
    if letter.status != LetterStatus.ISSUED:
        raise ValidationError(_("介绍信尚未经党(工)委审批开具，不能登记回执。"))
    _check_receivable(letter, received_on)
    letter.status, letter.received_on, letter.received_by = LetterStatus.RECEIVED, received_on, acting_user
    letter.receipt_returned = True
    letter.save(update_fields=["status", "received_on", "received_by", "receipt_returned"])
    outflow = letter.outflow
    outflow.status = OutflowStatus.TRANSFERRED
    outflow.save(update_fields=["status"])
    # The relationship has left the system: the record stays, out of the registry's counts and scans.
    member = Member.objects.select_for_update().get(pk=outflow.member_id)
    member.mobility_status = MobilityStatus.AT_HOME
    member.host_organization = None
    member.liaison = None
    _save_member(member, acting_user, _("组织关系转出至 %(org)s") % {"org": letter.receiving_organization_name})
    membership_status_change(member=member, kind=DecisionKind.TRANSFER_OUT, acting_user=acting_user,
                             decided_on=received_on, document_number=letter.number,
                             reason=_("组织关系转出至 %(org)s，回执已收回") % {"org": letter.receiving_organization_name})
    member.refresh_from_db()
    _log(outflow, StepAction.RECEIPT_RETURNED, acting_user)
    outflow_ended.send(sender=Outflow, member=member, acting_user=acting_user, on=received_on,
                       reason=_("组织关系已转移"))
    return letter


@transaction.atomic
def letter_record_arrival(*, letter: IntroductionLetter, acting_user, received_on: date) -> IntroductionLetter:
    """The sender records the day an organization outside the system got the letter (told by the member or by phone).

    From that day the receiving committee has 1 month to return the receipt;
    the letter no longer counts as waiting to be received, so the expiry
    reminder stops and the receipt reminder takes over.
    """
    letter = IntroductionLetter.objects.select_for_update(of=("self",)).select_related("outflow").get(pk=letter.pk)
    _not_in_future(received_on, "received_on")
    _check_sender(letter, acting_user, _("登记接收日期"))
    _check_outside(letter)
    if letter.status != LetterStatus.ISSUED:
        raise ValidationError(_("只有已开具、尚未登记回执的介绍信可以登记接收日期。"))
    _check_receivable(letter, received_on)
    letter.received_on = received_on
    letter.save(update_fields=["received_on"])
    _log(letter.outflow, StepAction.LETTER_ARRIVED, acting_user, f"{received_on:%Y-%m-%d}")
    return letter


@transaction.atomic
def letter_reissue(*, letter: IntroductionLetter, acting_user) -> IntroductionLetter:
    """An expired letter gets a new number and a new validity; the old number is kept, voided.

    The letter row keeps its place on the outflow (its page, its receiver);
    a voided row keeps the old number, dates and check code, pointing to it.
    The dues-paid-to month is taken again on the day of issue.
    """
    letter = IntroductionLetter.objects.select_for_update(of=("self",)).select_related("outflow__member").get(pk=letter.pk)
    if letter.outflow is None:
        raise ValidationError(_("该介绍信已作废。"))
    _check_committee(letter.outflow, acting_user, _("只有开具介绍信的党(工)委可以重新开具。"))
    if not letter.is_expired:
        raise ValidationError(_("只有超过有效期且尚未接收的介绍信可以重新开具。"))
    on = today()
    old_number, old_check_code, old_issued_on = letter.number, letter.check_code, letter.issued_on
    old_dues = letter.dues_paid_through
    letter.number = next_document_number(DocumentKind.INTRODUCTION_LETTER, on)
    letter.check_code, letter.issued_on = new_check_code(), on
    letter.dues_paid_through = _paid_through_today(letter.outflow.member_id)
    letter.full_clean()
    letter.save()
    voided = IntroductionLetter(
        number=old_number, check_code=old_check_code, status=LetterStatus.VOIDED, issued_on=old_issued_on,
        receiving_organization_id=letter.receiving_organization_id,
        receiving_organization_name=letter.receiving_organization_name, valid_days=letter.valid_days,
        dues_paid_through=old_dues, replaced_by=letter, voided_on=on)
    voided.full_clean()
    voided.save()
    _log(letter.outflow, StepAction.LETTER_REISSUED, acting_user,
         _("原介绍信 %(old)s 已过期作废，重新开具 %(new)s") % {"old": old_number, "new": letter.number})
    return letter


@transaction.atomic
def return_register(*, outflow: Outflow, acting_user, returned_on: date, card_checked_on: date | None = None,
                    card_taken_back_on: date | None = None, report_heard_on: date | None = None,
                    notes: str = "") -> ReturnRegistration:
    """返回登记: the post-return check; closes the outflow and the member is at home again.

    The check's dates are facts of their own; a card held while away makes
    them required (the card app's service, reached through ``outflow_ended``, refuses otherwise).
    """
    outflow = Outflow.objects.select_for_update().get(pk=outflow.pk)
    _check_member_in_tree(outflow.member, acting_user)
    if not outflow.is_open:
        raise ValidationError(_("该外出登记已结束，不能再办理返回登记。"))
    _not_in_future(returned_on, "returned_on")
    if returned_on < outflow.departure_date:
        raise ValidationError({"returned_on": _("返回日期不能早于外出时间（%(d)s）。") % {"d": outflow.departure_date}})
    for field, day in (("card_checked_on", card_checked_on), ("card_taken_back_on", card_taken_back_on),
                       ("report_heard_on", report_heard_on)):
        if day is None:
            continue
        _not_in_future(day, field)
        if day < returned_on:
            raise ValidationError({field: _("不能早于返回日期（%(d)s）。") % {"d": returned_on}})
    registration = ReturnRegistration(outflow=outflow, returned_on=returned_on, card_checked_on=card_checked_on,
                                      card_taken_back_on=card_taken_back_on, report_heard_on=report_heard_on,
                                      notes=notes, created_by=acting_user)
    registration.full_clean()
    registration.save()
    outflow.status = OutflowStatus.CLOSED
    outflow.save(update_fields=["status"])
    member = Member.objects.select_for_update().get(pk=outflow.member_id)
    member.mobility_status = MobilityStatus.AT_HOME
    member.host_organization = None
    _save_member(member, acting_user, _("返回登记"))
    _log(outflow, StepAction.CLOSED, acting_user, notes)
    outflow_ended.send(sender=Outflow, member=member, acting_user=acting_user, on=card_taken_back_on or returned_on,
                       reason=_("党员返回，收回活动证"), registration=registration)
    return registration


@transaction.atomic
def temporary_branch_create(*, origin: Organization, city_code: str, name: str, leader: Member,
                            members: list[Member], acting_user) -> Organization:
    """Set up a temporary branch for 3 or more members of one origin in one city and place them in it.

    The branch hangs under the origin's committee; relationships stay at the
    origin, the members take part in the temporary branch's life.
    """
    committee = acting_user.organization
    if committee is None or committee.kind not in COMMITTEE_KINDS or not origin.is_within(committee):
        raise PermissionDenied(_("只有流出党支部的上级党(工)委可以成立临时党支部。"))
    member_ids = {m.pk for m in members} | {leader.pk}
    outflows = list(Outflow.objects.open().select_for_update().filter(
        origin_organization=origin, destination_division__city_code=city_code, member_id__in=member_ids))
    city = full_name(city_code)
    if not city or len(outflows) != len(member_ids):
        raise ValidationError(_("所选党员须是本组织正在外出到%(city)s的党员（含负责人）。") % {"city": city})
    if len(outflows) < TEMPORARY_BRANCH_SIZE:
        raise ValidationError(_("3名以上党员一起外出到同一地点才能成立临时党支部。"))
    if not name.strip():
        raise ValidationError({"name": _("请填写临时党支部名称。")})
    code = f"{committee.code}L{Organization.objects.filter(code__startswith=f'{committee.code}L').count() + 1:03d}"
    branch = Organization.objects.add_child(committee, create_kwargs=dict(
        name=name.strip(), code=code, kind=OrganizationKind.TEMPORARY_BRANCH, secretary_name=leader.name,
        secretary_phone=leader.phone, address=city, division_code=city_code))
    Member.objects.filter(pk__in=member_ids).update(host_organization=branch)
    for outflow in outflows:
        outflow.temporary_branch = branch
        outflow.save(update_fields=["temporary_branch"])
        _log(outflow, StepAction.TEMPORARY_BRANCH, acting_user, branch.name)
    return branch


def _check_temporary_branch(branch: Organization, acting_user) -> None:
    if not (acting_user.has_perm("transfers.create_temporary_branch")
            and Organization.objects.visible_to(acting_user).open().filter(
                pk=branch.pk, kind=OrganizationKind.TEMPORARY_BRANCH).exists()):
        raise PermissionDenied(_("只有临时党支部的上级党(工)委或组织部可以办理。"))


@transaction.atomic
def temporary_branch_leader_create(*, branch: Organization, username: str, full_name: str, phone: str,
                                   acting_user) -> tuple[User, str]:
    """Give a temporary branch's leader a login of its own (role 临时党支部负责人, bound to the branch).

    The login sees only the members the branch holds (hosted there) and files
    the branch's quarterly report, which its origin branch and committee see.
    Returns the login and its initial password, printed once on a slip.
    """
    _check_temporary_branch(branch, acting_user)
    return account_create(acting_user=acting_user, username=username, full_name=full_name, phone=phone,
                          organization=branch, role=Role.TEMPORARY_BRANCH_LEADER)


@transaction.atomic
def temporary_branch_dissolve(*, branch: Organization, acting_user) -> int:
    """Dissolve a temporary branch: its members are no longer hosted there, the branch closes, its logins stop.

    The records it made (organizational life, contacts, help) stay with the
    members and go on being seen by their origin; the outflows keep naming the
    branch for the history. Returns how many logins were disabled (as ``organization_close``).
    """
    _check_temporary_branch(branch, acting_user)
    reason = _("临时党支部撤销：%(name)s") % {"name": branch.name}
    held = list(Member.objects.select_for_update().filter(host_organization=branch))
    for member in held:
        member.host_organization = None
        _save_member(member, acting_user, reason)
    branch.closed_on = today()
    branch._history_user, branch._change_reason = acting_user, reason
    branch.save(update_fields=["closed_on"])
    return accounts_disable_in(organization=branch, acting_user=acting_user)


def temporary_branch_candidates(origin: Organization) -> list[dict]:
    """Cities (by code: 上海 and 上海市 are one) where 3 or more open outflows of one origin are not yet in a
    temporary branch: ``[{"city_code", "city", "n"}]``."""
    rows = (Outflow.objects.open().filter(origin_organization=origin, temporary_branch__isnull=True)
            .exclude(destination_division__city_code__isnull=True)
            .values("destination_division__city_code").annotate(n=Count("id")).filter(n__gte=TEMPORARY_BRANCH_SIZE)
            .order_by("destination_division__city_code"))
    return [{"city_code": row["destination_division__city_code"], "city": full_name(row["destination_division__city_code"]),
             "n": row["n"]} for row in rows]


#: The one answer when an ID number cannot be linked: the same whether it belongs to a member elsewhere or to nobody.
INFLOW_REFUSAL = gettext_lazy(
    "无法办理：身份证号码与所填证件编号、核验码不能对应。组织关系在本系统内的党员，须由流出地党组织在外出登记中"
    "选择本组织为接收党组织并经党(工)委审批后登记；持本系统开具的介绍信、证明信或活动证的，请填写证件编号和"
    "证件上印制的核验码，提交后由流出地党组织确认。")
NEW_MEMBER_REQUIRED = ("name", "joined_date", "education")


class InflowRefused(ValidationError):
    """The refusal that must not tell an existing ID number from an unknown one."""


def inflow_register(*, host_organization: Organization, acting_user, id_number: str, arrived_on: date,
                    document_kind: str, document_number: str = "", check_code: str = "",
                    origin_organization_name: str = "", hidden_member: bool = False, notes: str = "",
                    new_member_fields: dict | None = None, origin_division=None,
                    origin_country=None) -> Inflow | MemberClaim:
    """流入登记 by ID number; logged and limited per user, with the other doors (``members.id_lookups``).

    A member already in the system is linked only through the origin: when
    the origin named the user's organization as receiving organization in
    an approved outflow (the inflow is registered at once), or when the host
    proves a paper document with its number and check code (a claim is
    made, which the origin confirms or rejects). A member the user's subtree
    already holds or hosts is linked directly. Otherwise a new record is made
    from ``new_member_fields``, held at the host. An ID number that cannot be
    linked gets ``INFLOW_REFUSAL``, whether or not it is in the system.
    """
    lookup = id_lookup_open(acting_user=acting_user, path=IdLookupPath.INFLOW, id_number=id_number,
                            document_kind=document_kind, document_number=document_number)
    try:
        result, outcome = _inflow_resolve(
            host_organization=host_organization, acting_user=acting_user, id_number=id_number,
            arrived_on=arrived_on, document_kind=document_kind, document_number=document_number.strip(),
            check_code=check_code, origin_organization_name=origin_organization_name,
            hidden_member=hidden_member, notes=notes, new_member_fields=new_member_fields or {},
            origin_division=origin_division, origin_country=origin_country)
    except (ValidationError, PermissionDenied) as exc:
        id_lookup_close(lookup, IdLookupOutcome.REFUSED if isinstance(exc, InflowRefused)
                        else IdLookupOutcome.INVALID)
        raise
    id_lookup_close(lookup, outcome)
    return result


@transaction.atomic
def _inflow_resolve(*, host_organization: Organization, acting_user, id_number: str, arrived_on: date,
                    document_kind: str, document_number: str, check_code: str, origin_organization_name: str,
                    hidden_member: bool, notes: str, new_member_fields: dict, origin_division=None,
                    origin_country=None) -> tuple[Inflow | MemberClaim, str]:
    # Everything that does not depend on the ID number is checked before it is looked up.
    if not Organization.objects.visible_to(acting_user).filter(pk=host_organization.pk).exists():
        raise PermissionDenied(_("只能把流入党员编入本组织及下级组织。"))
    if not host_organization.holds_members:
        raise ValidationError({"host_organization": _("流入党员须编入党支部或党小组。")})
    _not_in_future(arrived_on, "arrived_on")
    if document_kind != DocumentKind.NONE and not document_number:
        raise ValidationError({"document_number": _("请填写所出示证件的编号。")})
    common = dict(host_organization=host_organization, acting_user=acting_user, arrived_on=arrived_on,
                  document_kind=document_kind, document_number=document_number, hidden_member=hidden_member,
                  notes=notes, origin_division=origin_division, origin_country=origin_country)
    member = Member.objects.select_for_update().select_related("organization").filter(id_number=id_number).first()
    if member is not None and Outflow.objects.filter(
            member=member, status=OutflowStatus.APPROVED,
            receiving_organization__in=Organization.objects.visible_to(acting_user)).exists():
        return _inflow_link(member=member, verified=True, **common), IdLookupOutcome.LINKED
    if member is not None and Member.objects.visible_to(acting_user).filter(pk=member.pk).exists():
        return _inflow_link(member=member, verified=False, **common), IdLookupOutcome.LINKED
    if check_code.strip():
        if not document_proves_claim(member=member, kind=document_kind, number=document_number,
                                     check_code=check_code, acting_user=acting_user):
            raise InflowRefused(INFLOW_REFUSAL)
        return _claim_create(member=member, id_number=id_number, **common), IdLookupOutcome.CLAIM_SUBMITTED
    member_fields = _new_inflow_member_fields(host_organization, origin_organization_name, new_member_fields,
                                              id_number)
    if member is not None:
        raise InflowRefused(INFLOW_REFUSAL)
    return _inflow_create(member_fields=member_fields, origin_organization_name=origin_organization_name,
                          **common), IdLookupOutcome.CREATED


def _new_inflow_member_fields(host_organization: Organization, origin_organization_name: str, fields: dict,
                              id_number: str) -> dict:
    """The record a member new to the system would get, checked field by field without looking the ID up."""
    errors = {name: _("本系统内没有可由本组织直接登记的该党员时，请填写此项。")
              for name in NEW_MEMBER_REQUIRED if not fields.get(name)}
    if not origin_organization_name.strip():
        errors["origin_organization_name"] = _("请填写流出地党组织名称。")
    if errors:
        raise ValidationError(errors)
    member_fields = dict(fields, id_number=id_number, organization=host_organization,
                         host_organization=host_organization, mobility_status=MobilityStatus.INFLOW,
                         dues_paid_where=host_organization.name)
    Member(**member_fields).full_clean(validate_unique=False, validate_constraints=False)
    return member_fields


def _inflow_link(*, member: Member, host_organization: Organization, acting_user, verified: bool,
                 created_by=None, **fields) -> Inflow:
    """Place a member of the system in the host; ``acting_user`` is who changes the record."""
    if member.organization_id == host_organization.pk:
        raise ValidationError({"host_organization": _("该党员的组织关系就在这个党组织，无需流入登记。")})
    member.host_organization = host_organization
    member.mobility_status = MobilityStatus.OUTFLOW
    _save_member(member, acting_user, _("流入登记"))
    return _inflow_save(member=member, host_organization=host_organization, from_system=True,
                        origin_organization_name=member.organization.name, verified=verified,
                        created_by=created_by or acting_user, **fields)


def _inflow_create(*, member_fields: dict, acting_user, origin_organization_name: str, **fields) -> Inflow:
    member = member_create(acting_user=acting_user, lookup_counted=True, **member_fields)
    return _inflow_save(member=member, from_system=False, origin_organization_name=origin_organization_name,
                        verified=False, created_by=acting_user, **fields)


def _inflow_save(*, member: Member, host_organization: Organization, from_system: bool,
                 origin_organization_name: str, verified: bool, created_by, arrived_on: date, document_kind: str,
                 document_number: str, hidden_member: bool, notes: str, origin_division=None,
                 origin_country=None) -> Inflow:
    inflow = Inflow(member=member, host_organization=host_organization, from_system=from_system,
                    origin_organization_name=origin_organization_name.strip(), arrived_on=arrived_on,
                    document_kind=document_kind, document_number=document_number, document_verified=verified,
                    hidden_member=hidden_member, notes=notes, created_by=created_by, origin_division=origin_division,
                    origin_country=origin_country)
    inflow.full_clean()
    inflow.save()
    return inflow


def _claim_create(*, member: Member, id_number: str, acting_user, origin_division=None, origin_country=None,
                  **fields) -> MemberClaim:
    """A claim carries no origin place: the origin's own outflow registration has the destination."""
    claim = MemberClaim(member=member, origin_organization=member.organization, requested_by=acting_user,
                        id_number_masked=mask_id_number(id_number), **fields)
    claim.full_clean()
    claim.save()
    member_claimed.send(sender=MemberClaim, claim=claim)
    return claim


def _check_claim_origin(claim: MemberClaim, acting_user) -> None:
    if not Member.objects.held_by(acting_user).filter(pk=claim.member_id).exists():
        raise PermissionDenied(_("只有党员组织关系所在的党组织可以确认认领申请。"))
    if claim.status != ClaimStatus.PENDING:
        raise ValidationError(_("该认领申请已处理，不能重复处理。"))


@transaction.atomic
def member_claim_confirm(*, claim: MemberClaim, acting_user) -> MemberClaim:
    """The origin confirms: the member is placed in the claiming host, as on an inflow registration."""
    claim = MemberClaim.objects.select_for_update().get(pk=claim.pk)
    _check_claim_origin(claim, acting_user)
    member = Member.objects.select_for_update().select_related("organization").get(pk=claim.member_id)
    claim.inflow = _inflow_link(
        member=member, host_organization=claim.host_organization, acting_user=acting_user, verified=True,
        created_by=claim.requested_by, arrived_on=claim.arrived_on, document_kind=claim.document_kind,
        document_number=claim.document_number, hidden_member=claim.hidden_member, notes=claim.notes)
    claim.status, claim.decided_by, claim.decided_at = ClaimStatus.CONFIRMED, acting_user, timezone.now()
    claim.save(update_fields=["inflow", "status", "decided_by", "decided_at"])
    return claim


@transaction.atomic
def member_claim_reject(*, claim: MemberClaim, acting_user, reason: str) -> MemberClaim:
    """The origin does not agree; the host sees the reason, the record stays where it is."""
    claim = MemberClaim.objects.select_for_update().get(pk=claim.pk)
    _check_claim_origin(claim, acting_user)
    if not reason.strip():
        raise ValidationError({"reason": _("不同意时必须写明理由。")})
    claim.status, claim.decided_by, claim.decided_at = ClaimStatus.REJECTED, acting_user, timezone.now()
    claim.reason = reason.strip()
    claim.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    return claim


def location_change_add(*, member: Member, acting_user, place: str, contact_made_on: date,
                        left_on: date | None = None, notes: str = "", division=None, country=None) -> LocationChange:
    """Where the member now stays: a division (or a country abroad) and the street or city as text."""
    _not_in_future(contact_made_on, "contact_made_on")
    _not_in_future(left_on, "left_on")
    return member_record_add(record_class=LocationChange, member=member, acting_user=acting_user, place=place,
                             contact_made_on=contact_made_on, left_on=left_on, notes=notes, division=division,
                             country=country)


def contact_attempt_add(*, member: Member, acting_user, contacted_on: date, **fields) -> ContactAttempt:
    """行中联系: one dated attempt, reached or not."""
    _not_in_future(contacted_on, "contacted_on")
    return member_record_add(record_class=ContactAttempt, member=member, acting_user=acting_user,
                             contacted_on=contacted_on, **fields)


def thought_report_add(*, member: Member, acting_user, received_on: date, summary: str = "") -> ThoughtReport:
    _not_in_future(received_on, "received_on")
    return member_record_add(record_class=ThoughtReport, member=member, acting_user=acting_user,
                             received_on=received_on, summary=summary)
