"""Changes to the organization tree: add, edit and move, each checked against the user's subtree and logged.

Merging and closing, which move or check members and logins, live above (``administration.services``).
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from organizations.models import Organization
from organizations.rules import may_hold

EDITABLE_FIELDS = ("name", "code", "division_code", "secretary_name", "secretary_phone", "address")


def _check_parent(*, acting_user, parent: Organization, kind: str) -> None:
    if not Organization.objects.visible_to(acting_user).open().filter(pk=parent.pk).exists():
        raise ValidationError({"parent": _("上级党组织只能是本组织或下级组织中未撤销的党组织。")})
    if not may_hold(parent.kind, kind):
        raise ValidationError({"parent": _("%(parent)s（%(parent_kind)s）之下不能设立%(kind)s。") % {
            "parent": parent.name, "parent_kind": parent.get_kind_display(),
            "kind": Organization(kind=kind).get_kind_display()}})


def _log(organization: Organization, *, acting_user, reason: str) -> Organization:
    organization._history_user = acting_user
    organization._change_reason = reason
    organization.save()
    return organization


def _clean(organization: Organization) -> None:
    # path/depth/numchild are treebeard's, set by add_child; the rest is checked like any form.
    organization.full_clean(exclude=["path", "depth", "numchild"])


@transaction.atomic
def organization_add(*, acting_user, parent: Organization, kind: str, **fields) -> Organization:
    _check_parent(acting_user=acting_user, parent=parent, kind=kind)
    organization = Organization(kind=kind, **{name: fields.get(name, "") for name in EDITABLE_FIELDS})
    _clean(organization)
    organization._history_user = acting_user
    organization._change_reason = _("新增党组织")
    parent.refresh_from_db()  # treebeard computes the new path from the parent's numchild
    return Organization.objects.add_child(parent, instance=organization)


@transaction.atomic
def organization_update(*, organization: Organization, acting_user, **fields) -> Organization:
    """Rename, or correct the code, division, secretary or address."""
    for name, value in fields.items():
        if name not in EDITABLE_FIELDS:
            raise ValueError(name)
        setattr(organization, name, value)
    _clean(organization)
    return _log(organization, acting_user=acting_user, reason=_("修改党组织信息"))


@transaction.atomic
def organization_move(*, organization: Organization, new_parent: Organization, acting_user) -> Organization:
    """Put an organization (with everything below it, its members and their history) under another parent.

    Members, reports and records point at the organization, not at its place in the tree: they follow it.
    """
    if organization.pk == acting_user.organization_id:
        raise PermissionDenied(_("本组织不能移动。"))
    if new_parent.is_within(organization):
        raise ValidationError({"new_parent": _("不能移到自己或自己的下级组织之下。")})
    try:
        _check_parent(acting_user=acting_user, parent=new_parent, kind=organization.kind)
    except ValidationError as exc:
        raise ValidationError({"new_parent": exc.message_dict["parent"]}) from None
    old_parent = Organization.objects.get_parent(organization)
    if old_parent is not None and old_parent.pk == new_parent.pk:
        raise ValidationError({"new_parent": _("该党组织已经在%(name)s之下。") % {"name": new_parent.name}})
    Organization.objects.move(organization, new_parent, pos="sorted-child")
    organization.refresh_from_db()
    return _log(organization, acting_user=acting_user, reason=_("从%(old)s移至%(new)s") % {
        "old": old_parent.name if old_parent else "—", "new": new_parent.name})
