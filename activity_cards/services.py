"""Writes to activity cards. Every write records who made it in the card's history."""
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activity_cards.choices import TAKE_BACK_STATUSES, CardAction, CardStatus, PhotoKind
from activity_cards.models import (
    ActivityCard,
    CardEvent,
    CardNumberCounter,
    CardRemark,
    CardVerification,
)
from activity_cards.photos import photo_reencoded
from activity_cards.signals import card_issued
from members import dues
from members.choices import MobilityStatus
from members.models import Member, OrganizationalLife
from members.services import dues_payment_add, member_record_add
from transfers.choices import Handling, OutflowStatus
from transfers.models import LocationChange, Outflow
from transfers.services import location_change_add


def _today() -> date:
    return timezone.localdate()


def card_number_next(*, year: int) -> str:
    """Draw the next number: province code + year + 6-digit serial.

    The counter row is locked (``select_for_update``) until the caller's
    transaction ends, so two committees issuing at once get different
    numbers; a serial is never handed out again.
    """
    province = settings.CARD_PROVINCE_CODE
    try:
        counter = CardNumberCounter.objects.select_for_update().get(province_code=province, year=year)
    except CardNumberCounter.DoesNotExist:
        try:
            with transaction.atomic():
                counter = CardNumberCounter.objects.create(province_code=province, year=year)
        except IntegrityError:  # another transaction created the row first
            pass
        counter = CardNumberCounter.objects.select_for_update().get(province_code=province, year=year)
    counter.last_serial += 1
    counter.save(update_fields=["last_serial"])
    return f"{province}{year}{counter.last_serial:06d}"


def _upper(organization):
    """Where a card is filed (备案): the issuing committee's upper organization."""
    return organization.__class__.objects.get_parent(organization) or organization


def _locked(card: ActivityCard) -> ActivityCard:
    """The card as it is now, locked until the transaction ends (the caller's copy may be stale)."""
    return ActivityCard.objects.select_for_update().select_related("member").get(pk=card.pk)


def _event(card: ActivityCard, action: str, acting_user, note: str = "") -> None:
    CardEvent.objects.create(card=card, action=action, user=acting_user,
                             organization=acting_user.organization, note=note[:300])


def can_issue_cards(user, member: Member) -> bool:
    """Only a committee-level user of a grassroots committee above the member's branch issues cards."""
    organization = user.organization
    return bool(user.is_committee_user and organization is not None and organization.is_committee
                and member.organization.is_within(organization))


def _check_can_issue(*, member: Member, acting_user) -> None:
    if not can_issue_cards(acting_user, member):
        raise PermissionDenied(_("活动证只能由党员组织关系所在的基层党委发放。"))


def _check_origin(*, card: ActivityCard, acting_user) -> None:
    if not Member.objects.held_by(acting_user).filter(pk=card.member_id).exists():
        raise PermissionDenied(_("只有流出地党组织才能进行此项操作。"))


def _check_origin_or_host(*, card: ActivityCard, acting_user) -> None:
    if not Member.objects.visible_to(acting_user).filter(pk=card.member_id).exists():
        raise PermissionDenied(_("只有流出地或流入地党组织才能在活动证上登记。"))


def _check_valid(card: ActivityCard) -> None:
    if card.status != CardStatus.VALID:
        raise ValidationError(_("该活动证已%(status)s，不能再进行此项操作。") % {"status": card.get_status_display()})


def _photo_reencoded(upload):
    """The photo as it will be stored: re-encoded, under a name the server chooses."""
    try:
        return photo_reencoded(upload)
    except ValidationError as exc:
        raise ValidationError({"photo": exc.messages})


def _save_card(card: ActivityCard) -> ActivityCard:
    card.full_clean()
    try:
        with transaction.atomic():
            card.save()
    except IntegrityError:  # a concurrent issue for the same member won the race
        raise ValidationError({"member": _("该党员已有一张有效的活动证，不能重复发放。")})
    return card


def outflow_destination(outflow: Outflow) -> str:
    """Where the card says the member went, as the outflow registered it."""
    return " ".join(filter(None, (outflow.destination_country, outflow.destination_province, outflow.destination_city,
                                  outflow.destination_address, outflow.host_unit)))


def card_outflow_ready(outflow: Outflow) -> bool:
    """An approved outflow whose handling is 发放活动证, still under way: a card may be issued from it."""
    return outflow.status == OutflowStatus.APPROVED and outflow.handling == Handling.ACTIVITY_CARD


@transaction.atomic
def card_issue(*, outflow: Outflow, acting_user, issued_on: date, photo,
               photo_kind: str = PhotoKind.PHOTO) -> ActivityCard:
    """Issue a card from an approved outflow whose handling is 发放活动证.

    Purpose, destination, departure and the handling's reasons come from the
    outflow, never typed again. A member at home gets no card.
    """
    outflow = Outflow.objects.select_for_update().select_related("member__organization").get(pk=outflow.pk)
    member = outflow.member
    _check_can_issue(member=member, acting_user=acting_user)
    if not card_outflow_ready(outflow):
        raise ValidationError(_("只能根据党(工)委已批准、处理方式为“发放流动党员活动证”的外出登记发证。"))
    if member.mobility_status == MobilityStatus.AT_HOME:
        raise ValidationError(_("该党员在家，不能发放活动证；外出时请先办理外出登记。"))
    if ActivityCard.objects.valid().filter(member=member).exists():
        raise ValidationError({"member": _("该党员已有一张有效的活动证，不能重复发放；如需换发，请使用“到期换发”。")})
    if photo_kind not in PhotoKind.values:
        raise ValidationError({"photo_kind": _("请选择照片类别。")})
    photo = _photo_reencoded(photo)
    issuer = acting_user.organization
    card = ActivityCard(
        member=member, outflow=outflow, issued_by=issuer, issued_by_user=acting_user, filed_with=_upper(issuer),
        issued_on=issued_on, purpose=outflow.purpose, reason=outflow.occupation,
        destination=outflow_destination(outflow)[:200], destination_division_id=outflow.destination_division_id,
        abroad_country_id=outflow.abroad_country_id,
        departure_date=outflow.departure_date, expected_months=outflow.expected_months,
        recommended_handling=outflow.recommended_handling, override_reason=outflow.override_reason,
        photo=photo, photo_kind=photo_kind, number=card_number_next(year=issued_on.year),
    )
    _save_card(card)
    _event(card, CardAction.ISSUED, acting_user, outflow.override_reason)
    card_issued.send(sender=ActivityCard, card=card)
    return card


@transaction.atomic
def card_verify(*, card: ActivityCard, acting_user, verified_on: date, result: str,
                notes: str = "") -> CardVerification:
    """The origin's annual verification; it cannot predate the card or lie in the future."""
    card = _locked(card)
    _check_origin(card=card, acting_user=acting_user)
    _check_valid(card)
    if verified_on < card.issued_on:
        raise ValidationError({"verified_on": _("查验日期不能早于发证日期（%(day)s）。") % {
            "day": card.issued_on.isoformat()}})
    if verified_on > _today():
        raise ValidationError({"verified_on": _("查验日期不能晚于今天。")})
    verification = CardVerification(card=card, verified_on=verified_on, verified_by=acting_user,
                                    organization=acting_user.organization, result=result, notes=notes)
    verification.full_clean()
    verification.save()
    _event(card, CardAction.VERIFIED, acting_user, f"{verification.get_result_display()} {notes}".strip())
    return verification


def _close(card: ActivityCard, *, status: str, on: date, reason: str) -> None:
    if on < card.issued_on:
        raise ValidationError({"on": _("日期不能早于发证日期（%(day)s）。") % {"day": card.issued_on.isoformat()}})
    card.status, card.closed_on, card.closed_reason = status, on, reason
    card.full_clean()
    card.save(update_fields=["status", "closed_on", "closed_reason"])


@transaction.atomic
def card_replace(*, card: ActivityCard, acting_user, replaced_on: date, photo=None,
                 photo_kind: str = PhotoKind.PHOTO, reason: str = "") -> ActivityCard:
    """Replace a card (normally after 3 years): the old one is marked replaced, the new one gets a new number.

    The new card keeps the registration data; without a new photo the old one is reused.
    """
    card = _locked(card)
    _check_can_issue(member=card.member, acting_user=acting_user)
    _check_valid(card)
    reason = reason.strip() or _("使用满3年换发新证")
    photo_kind = (photo_kind or PhotoKind.PHOTO) if photo else card.photo_kind
    photo = _photo_reencoded(photo) if photo else card.photo
    _close(card, status=CardStatus.REPLACED, on=replaced_on, reason=reason)
    issuer = acting_user.organization
    new_card = ActivityCard(
        member=card.member, outflow=card.outflow, issued_by=issuer, issued_by_user=acting_user,
        filed_with=_upper(issuer), issued_on=replaced_on, purpose=card.purpose, reason=card.reason, destination=card.destination,
        destination_division_id=card.destination_division_id, abroad_country_id=card.abroad_country_id,
        departure_date=card.departure_date, expected_months=card.expected_months,
        recommended_handling=card.recommended_handling, override_reason=card.override_reason,
        photo=photo, photo_kind=photo_kind, replaces=card, number=card_number_next(year=replaced_on.year),
    )
    _save_card(new_card)
    _event(card, CardAction.REPLACED, acting_user, _("换发为 %(number)s：%(reason)s") % {
        "number": new_card.number, "reason": reason})
    _event(new_card, CardAction.ISSUED, acting_user, _("换发自 %(number)s") % {"number": card.number})
    return new_card


@transaction.atomic
def card_take_back(*, card: ActivityCard, acting_user, on: date, reason: str,
                   status: str = CardStatus.RETURNED) -> ActivityCard:
    """Take the card back on the member's return or transfer (``returned``), or cancel it (``revoked``).

    The transfers app calls this when a relationship is transferred.
    """
    if status not in TAKE_BACK_STATUSES:
        raise ValidationError({"status": _("收回时只能选择“已收回”或“已注销”。")})
    card = _locked(card)
    _check_origin(card=card, acting_user=acting_user)
    _check_valid(card)
    if not reason.strip():
        raise ValidationError({"reason": _("请填写收回或注销的原因。")})
    _close(card, status=status, on=on, reason=reason.strip())
    action = CardAction.RETURNED if status == CardStatus.RETURNED else CardAction.REVOKED
    _event(card, action, acting_user, reason)
    return card


#: On a return, the dates a card holder's return registration must carry (回来后，原党组织要查验活动证，听取汇报).
RETURN_CHECKS = (
    ("card_checked_on", gettext_lazy("党员持有活动证，请填写查验活动证的日期。")),
    ("card_taken_back_on", gettext_lazy("党员持有活动证，请填写收回活动证的日期。")),
    ("report_heard_on", gettext_lazy("党员持有活动证，请填写听取其外出期间情况汇报的日期。")),
)


@transaction.atomic
def cards_take_back_when_away_ends(*, member: Member, acting_user, on: date, reason: str,
                                   registration=None) -> list[ActivityCard]:
    """The member's time away ended (a return, or the relationship transferred): every valid card is taken back.

    On a return (``registration``, a ``ReturnRegistration``) the origin checks the
    card and hears the member's report: for a card holder these are dated facts,
    and a return without them is refused. Cards issued before cards followed
    outflows (no outflow) are taken back all the same.
    """
    cards = list(ActivityCard.objects.filter(member=member, status=CardStatus.VALID))
    if cards and registration is not None:
        missing = {field: str(message) for field, message in RETURN_CHECKS if getattr(registration, field) is None}
        if missing:
            raise ValidationError(missing)
    return [card_take_back(card=card, acting_user=acting_user, on=on, reason=str(reason)) for card in cards]


def _entry_checks(card: ActivityCard, acting_user) -> ActivityCard:
    card = _locked(card)
    _check_origin_or_host(card=card, acting_user=acting_user)
    _check_valid(card)
    return card


@transaction.atomic
def card_life_add(*, card: ActivityCard, acting_user, attended_on: date, kind: str,
                  content: str) -> OrganizationalLife:
    """Organizational life attended, written on the card: a members.OrganizationalLife row."""
    card = _entry_checks(card, acting_user)
    life = member_record_add(record_class=OrganizationalLife, member=card.member, acting_user=acting_user,
                             attended_on=attended_on, kind=kind, content=content)
    _event(card, CardAction.LIFE, acting_user, f"{attended_on:%Y-%m-%d} {content}")
    return life


@transaction.atomic
def card_dues_add(*, card: ActivityCard, acting_user, **payment):
    """Dues paid at the host, written on the card: a members.DuesPayment row (recomputes 党费缴至)."""
    card = _entry_checks(card, acting_user)
    record = dues_payment_add(member=card.member, acting_user=acting_user, **payment)
    _event(card, CardAction.DUES, acting_user,
           f"{dues.month_label(record.first_month)}—{dues.month_label(record.last_month)} {record.amount}")
    return record


@transaction.atomic
def card_location_add(*, card: ActivityCard, acting_user, place: str, contacted_on: date,
                      left_on: date | None = None, notes: str = "", division=None, country=None) -> LocationChange:
    """A location change written on the card: the member's transfers.LocationChange row, not a copy."""
    card = _entry_checks(card, acting_user)
    entry = location_change_add(member=card.member, acting_user=acting_user, place=place,
                                contact_made_on=contacted_on, left_on=left_on, notes=notes, division=division,
                                country=country)
    _event(card, CardAction.LOCATION, acting_user, entry.where[:200])
    return entry


@transaction.atomic
def card_remark_add(*, card: ActivityCard, acting_user, kind: str, noted_on: date, content: str) -> CardRemark:
    card = _entry_checks(card, acting_user)
    entry = CardRemark(card=card, recorded_by=acting_user.organization, created_by=acting_user,
                       kind=kind, noted_on=noted_on, content=content)
    entry.full_clean()
    entry.save()
    _event(card, CardAction.REMARK, acting_user, content)
    return entry
