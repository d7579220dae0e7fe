"""The member's link: issued and revoked by the branch, checked by the member (birth date + last 4 of the ID).

A link works while the member is away (外出) from the branch that issued it and still in the registry:
it dies by itself when the member returns or the relationship moves to another organization.
Five wrong answers in a row lock it for ``LOCK_MINUTES`` and tell the branch's secretaries.
"""
import hmac
import re
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from members.choices import REGISTRY_STATUSES, MobilityStatus
from members.models import Member
from notifications.choices import NotificationKind
from notifications.services import notifications_create
from portal.models import PortalLink

MAX_FAILED_CHECKS = 5
#: What ``models.new_token`` makes; anything else is refused before the database is asked.
TOKEN_SHAPE = re.compile(r"[A-Za-z0-9_-]{20,64}")
LOCK_MINUTES = 60


class LinkRefused(Exception):
    """The link cannot be used; ``message`` is what the member's page says (plain Chinese)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def link_usable(link: PortalLink) -> None:
    """Raise ``LinkRefused`` unless the link may be used now (lock aside)."""
    member = link.member
    if link.revoked_at is not None:
        raise LinkRefused(_("这个链接已经停用。请向您所在党支部的书记索取新的链接。"))
    if (member.organization_id != link.organization_id or member.mobility_status != MobilityStatus.OUTFLOW
            or member.membership_status not in REGISTRY_STATUSES):
        raise LinkRefused(_("这个链接已经不能使用：您已返回或组织关系已经转接。有事请直接联系您所在的党支部。"))


def link_for_token(token: str) -> PortalLink:
    """The usable link of ``token``; an unknown token and an unusable link are refused alike."""
    shaped = TOKEN_SHAPE.fullmatch(token)
    link = shaped and PortalLink.objects.select_related("member", "member__organization").filter(token=token).first()
    if link is None:
        raise LinkRefused(_("链接无效。请核对链接是否完整，或向您所在党支部的书记索取新的链接。"))
    link_usable(link)
    return link


def _check_issuer(member: Member, acting_user) -> None:
    if not Member.objects.held_by(acting_user).filter(pk=member.pk).exists():
        raise PermissionDenied(_("只能为本组织及下级组织的党员发放链接。"))


@transaction.atomic
def portal_link_issue(*, member: Member, acting_user) -> PortalLink:
    """Issue a new link to a member away; an active one is revoked first (重新发放)."""
    _check_issuer(member, acting_user)
    member = Member.objects.select_for_update().get(pk=member.pk)
    if member.mobility_status != MobilityStatus.OUTFLOW or member.membership_status not in REGISTRY_STATUSES:
        raise PermissionDenied(_("只有外出的在册党员可以发放本人链接。"))
    PortalLink.objects.filter(member=member).active().update(revoked_at=timezone.now())
    return PortalLink.objects.create(member=member, organization=member.organization, created_by=acting_user)


@transaction.atomic
def portal_link_revoke(*, link: PortalLink, acting_user) -> PortalLink:
    _check_issuer(link.member, acting_user)
    PortalLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    link.refresh_from_db()
    return link


def _answer_matches(member: Member, birth_date: date, id_last4: str) -> bool:
    expected = f"{member.birth_date:%Y%m%d}|{member.id_number[-4:].upper()}"
    given = f"{birth_date:%Y%m%d}|{id_last4.strip().upper()}"
    return hmac.compare_digest(expected.encode(), given.encode())


@transaction.atomic
def portal_link_check(*, link: PortalLink, birth_date: date, id_last4: str) -> bool:
    """The member's answer. Raises ``LinkRefused`` while locked; the fifth wrong answer locks and notifies."""
    link = PortalLink.objects.select_for_update().select_related("member").get(pk=link.pk)
    link_usable(link)
    now = timezone.now()
    if link.locked_until and link.locked_until > now:
        raise LinkRefused(_("核对错误次数过多，链接已锁定1小时。请稍后再试，或联系您所在党支部的书记。"))
    if _answer_matches(link.member, birth_date, id_last4):
        link.failed_checks, link.locked_until = 0, None
        link.save(update_fields=["failed_checks", "locked_until"])
        return True
    link.failed_checks += 1
    if link.failed_checks >= MAX_FAILED_CHECKS:
        link.failed_checks, link.locked_until = 0, now + timedelta(minutes=LOCK_MINUTES)
        _notify_locked(link)
    link.save(update_fields=["failed_checks", "locked_until"])
    return False


def _notify_locked(link: PortalLink) -> None:
    secretaries = User.objects.filter(organization=link.organization, role=Role.BRANCH_SECRETARY, is_active=True)
    notifications_create(
        recipients=secretaries, kind=NotificationKind.PORTAL_LINK_LOCKED, subject_key=f"member:{link.member_id}",
        period=f"{link.locked_until:%Y-%m-%dT%H:%M}", member=link.member,
        title=_("党员本人链接核对失败已锁定"),
        body=_("%(name)s 的本人链接连续5次核对出生日期和身份证号码后4位失败，已锁定1小时。如非本人操作，可停用并重新发放链接。")
        % {"name": link.member.name},
        link=link.member.get_absolute_url(),
    )
