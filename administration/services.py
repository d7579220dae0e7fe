"""Merging and closing branches: the members move or have already left, the history stays with the old branch."""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.services import accounts_disable_in
from members.bulk import bulk_history, bulk_update_rows
from members.models import Member
from organizations.choices import OrganizationKind
from organizations.models import Organization
from places.display import fill_place_text
from places.validation import destination_errors
from transfers.services import temporary_branch_dissolve


def _check_closable(organization: Organization, *, acting_user) -> None:
    if not Organization.objects.visible_to(acting_user).open().filter(pk=organization.pk).exists():
        raise PermissionDenied(_("只能管理本组织及下级组织中未撤销的党组织。"))
    if organization.pk == acting_user.organization_id:
        raise PermissionDenied(_("不能撤销本组织。"))
    if Organization.objects.open().filter(path__startswith=organization.path, depth__gt=organization.depth).exists():
        raise ValidationError(_("%(name)s还有未撤销的下级党组织，请先移走或撤销它们。") % {"name": organization.name})


def _close(organization: Organization, *, acting_user, reason: str) -> int:
    organization.closed_on = timezone.localdate()
    organization._history_user = acting_user
    organization._change_reason = reason
    organization.save()
    return accounts_disable_in(organization=organization, acting_user=acting_user)


@transaction.atomic
def organization_close(*, organization: Organization, acting_user) -> int:
    """Close an organization whose members have all left (moved, transferred, or merged elsewhere).

    Members who left before stay attached for the history; the organization leaves every list, count and
    reminder; its logins are disabled. Returns how many logins were disabled.
    """
    _check_closable(organization, acting_user=acting_user)
    if organization.kind == OrganizationKind.TEMPORARY_BRANCH:  # it holds members for their origin, not their own
        return temporary_branch_dissolve(branch=organization, acting_user=acting_user)
    in_registry = Member.objects.in_registry().filter(organization=organization).count()
    if in_registry:
        raise ValidationError(_("%(name)s还有 %(n)d 名在册党员，请先把他们转到其他党支部，或与其他党支部合并。") % {
            "name": organization.name, "n": in_registry})
    return _close(organization, acting_user=acting_user, reason=_("撤销党组织"))


@transaction.atomic
def organization_merge(*, source: Organization, target: Organization, acting_user) -> dict[str, int]:
    """Merge ``source`` into ``target``: every member it holds moves (with a line in each member's history),
    members hosted by it are hosted by ``target``, and ``source`` is closed, keeping its own history."""
    _check_closable(source, acting_user=acting_user)
    if source.pk == target.pk:
        raise ValidationError({"target": _("不能与自己合并。")})
    if not Organization.objects.visible_to(acting_user).member_holding().filter(pk=target.pk).exists():
        raise ValidationError({"target": _("只能并入本组织及下级组织中未撤销的党支部或党总支。")})
    if not source.holds_members:
        raise ValidationError(_("只有党支部、党总支、临时党支部和党小组可以合并。"))
    reason = _("%(source)s并入%(target)s") % {"source": source.name, "target": target.name}
    now = timezone.now()
    held = list(Member.objects.select_for_update().filter(organization=source))
    for member in held:
        member.organization, member.version, member.updated_at = target, member.version + 1, now
    bulk_update_rows(Member, held, ["organization", "version", "updated_at"])
    bulk_history(Member, held, created=False, user=acting_user, reason=reason)
    hosted = list(Member.objects.select_for_update().filter(host_organization=source).exclude(organization=source))
    for member in hosted:
        member.host_organization, member.version, member.updated_at = target, member.version + 1, now
    bulk_update_rows(Member, hosted, ["host_organization", "version", "updated_at"])
    bulk_history(Member, hosted, created=False, user=acting_user, reason=reason)
    disabled = _close(source, acting_user=acting_user, reason=reason)
    return {"moved": len(held), "hosted": len(hosted), "disabled": disabled}


@transaction.atomic
def place_fix(*, obj, kind, acting_user, division=None, country=None, city: str = "") -> None:
    """Give a record's place text its code by hand (from the list of places the migration could not read).

    The record keeps its text as the address (location changes, cards) or gets the display text of the code
    (members, outflows); with a country, ``city`` is the city abroad.
    """
    if bool(division) == bool(country):
        raise ValidationError(_("请选择所在地（省、市、区县），出国（境）的选择国家（地区），二者选一。"))
    setattr(obj, kind.division, division)
    setattr(obj, kind.country, country)
    if kind.key in ("member", "outflow"):  # their text columns show the codes' names
        if country is not None:
            obj.destination_city = city.strip()[:30]
        fill_place_text(obj)
    errors = destination_errors(obj, division=kind.division, country=kind.country, legacy_text=())
    if errors:
        raise ValidationError(errors)
    obj._history_user, obj._change_reason = acting_user, _("核对地点代码")
    obj.save(update_fields=[kind.division, kind.country, *(kind.texts if kind.city in kind.texts else ())])
