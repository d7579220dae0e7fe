"""The role → permission table, in words a county can read (shown on the accounts page, read-only)."""
from dataclasses import dataclass

from django.apps import apps
from django.utils.translation import gettext as _

from accounts.roles import ROLE_PERMISSIONS, Role, role_permissions


def _actions():
    return {"view": _("查看"), "add": _("新增"), "change": _("修改"), "delete": _("删除")}


def describe(perm: str) -> tuple[str, str]:
    """(the app's name, what the permission allows), e.g. ("党员", "查看党员")."""
    app_label, codename = perm.split(".", 1)
    config = apps.get_app_config(app_label)
    for model in config.get_models():
        for code, name in model._meta.permissions:
            if code == codename:
                return str(config.verbose_name), str(name)
        for action in model._meta.default_permissions:
            if codename == f"{action}_{model._meta.model_name}":
                return str(config.verbose_name), f"{_actions()[action]}{model._meta.verbose_name}"
    return str(config.verbose_name), perm


@dataclass
class PermissionRow:
    section: str
    label: str
    granted: list[bool]


def permission_table() -> tuple[list[str], list[PermissionRow]]:
    """The roles' names and one row per permission any role holds, with a tick per role."""
    roles = list(Role)
    held = {role: role_permissions(role) for role in roles}
    every = set().union(*ROLE_PERMISSIONS.values(), *held.values())
    rows = [PermissionRow(*describe(perm), granted=[perm in held[role] for role in roles]) for perm in every]
    rows.sort(key=lambda row: (row.section, row.label))
    return [str(role.label) for role in roles], rows
