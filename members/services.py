"""Writes to the member registry. Every write records who made it."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from members import dues
from members.models import DuesPayment, Member, PersonalDataAccess
from organizations.models import Organization


class StaleEditError(ValidationError):
    """The record changed after the user opened it."""


def _check_in_tree(*, organization: Organization, acting_user) -> None:
    if not Organization.objects.visible_to(acting_user).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("只能管理本组织及下级组织的党员。"))


def _check_liaison(member: Member) -> None:
    if member.liaison_id and member.liaison.organization_id != member.organization_id:
        raise ValidationError({"liaison": _("联系人必须是同一党支部的党员。")})


def _save(member: Member, *, acting_user, reason: str) -> Member:
    member.full_clean()
    _check_liaison(member)
    member._history_user = acting_user
    member._change_reason = reason
    member.save()
    return member


@transaction.atomic
def member_create(*, acting_user, **fields) -> Member:
    member = Member(**fields)
    _check_in_tree(organization=member.organization, acting_user=acting_user)
    return _save(member, acting_user=acting_user, reason=_("新增党员"))


@transaction.atomic
def member_update(*, member: Member, expected_version: int, acting_user, **fields) -> Member:
    """Apply ``fields`` unless someone else saved the record since ``expected_version``.

    The row is locked for the check, so two concurrent saves cannot both pass.
    """
    current = Member.objects.select_for_update().get(pk=member.pk)
    if current.version != expected_version:
        raise StaleEditError(
            _("该记录在您打开后已被他人修改，为避免覆盖对方的修改，本次保存未生效。请重新打开页面查看最新内容后再修改。"),
            code="stale",
        )
    _check_in_tree(organization=current.organization, acting_user=acting_user)  # where it is now
    for name, value in fields.items():
        setattr(current, name, value)
    _check_in_tree(organization=current.organization, acting_user=acting_user)  # where it goes
    current.version += 1
    return _save(current, acting_user=acting_user, reason=_("修改党员信息"))


@transaction.atomic
def member_delete(*, member: Member, acting_user) -> None:
    _check_in_tree(organization=member.organization, acting_user=acting_user)
    member._history_user = acting_user
    member._change_reason = _("删除党员")
    member.delete()


def personal_data_access_log(*, acting_user, action: str, member: Member | None = None,
                             detail: dict | None = None, row_count: int = 1) -> PersonalDataAccess:
    return PersonalDataAccess.objects.create(
        user=acting_user, action=action, member=member, detail=detail or {}, row_count=row_count
    )


@transaction.atomic
def member_record_add(*, record_class, member: Member, acting_user, **fields):
    """Add a dated record (contact, thought report, organizational life, dues, work, excuse).

    The entry is made in the name of the acting user's organization, which
    must be able to see the member.
    """
    if not Member.objects.visible_to(acting_user).filter(pk=member.pk).exists():
        raise PermissionDenied(_("只能为本组织及下级组织的党员登记记录。"))
    record = record_class(member=member, recorded_by=acting_user.organization, created_by=acting_user, **fields)
    record.full_clean()
    record.save()
    return record


@transaction.atomic
def dues_payment_add(*, member: Member, acting_user, first_month, last_month, amount, paid_on, paid_where: str,
                     by_proxy: bool = False, receipt_number: str = "") -> DuesPayment:
    """Record a payment and move the member's dues-paid-through month forward.

    The member row is locked, so two payments entered at once both count;
    the member's ``version`` moves on, so a form opened before the payment
    cannot write the old month back.
    """
    if not Member.objects.visible_to(acting_user).filter(pk=member.pk).exists():
        raise PermissionDenied(_("只能为本组织及下级组织的党员登记记录。"))
    current = Member.objects.select_for_update().get(pk=member.pk)
    first_month, last_month = dues.month_start(first_month), dues.month_start(last_month)
    errors = dues.payment_errors(first_month=first_month, last_month=last_month, paid_on=paid_on, amount=amount,
                                 monthly=current.monthly_dues)
    if not errors and DuesPayment.objects.filter(
            member=current, first_month__lte=last_month, last_month__gte=first_month).exists():
        errors["first_month"] = _("所选月份中已有月份登记过党费，请勿重复登记。")
    if errors:
        raise ValidationError(errors)
    payment = member_record_add(
        record_class=DuesPayment, member=current, acting_user=acting_user, first_month=first_month,
        last_month=last_month, amount=amount, paid_on=paid_on, paid_where=paid_where, by_proxy=by_proxy,
        receipt_number=receipt_number,
    )
    if current.dues_paid_through is None or last_month > current.dues_paid_through:
        current.dues_paid_through = last_month
        current.dues_paid_where = paid_where
        current.version += 1
        _save(current, acting_user=acting_user, reason=_("登记党费缴纳"))
    member.dues_paid_through, member.dues_paid_where, member.version = (
        current.dues_paid_through, current.dues_paid_where, current.version)
    return payment
