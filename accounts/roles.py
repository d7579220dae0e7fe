"""Roles and what each may do.

Permissions come from the role, not from per-user grants, so that a county
can reason about who may see what from this one table.
"""
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    BRANCH_SECRETARY = "branch_secretary", _("党支部书记")
    COMMITTEE_REVIEWER = "committee_reviewer", _("党(工)委审核人")
    DEPARTMENT_ADMIN = "department_admin", _("组织部管理员")
    ROSTER_STAFF = "roster_staff", _("组织员")
    TEMPORARY_BRANCH_LEADER = "temporary_branch_leader", _("临时党支部负责人")


# Permission codenames ("app_label.codename") held by each role.
_MEMBER_READ = {"members.view_member", "organizations.view_organization"}
_MEMBER_WRITE = {"members.add_member", "members.change_member", "members.delete_member"}
_ROSTER = {"members.export_roster", "members.import_roster"}
# Import only for roles that see full personal data: its dry run compares the
# file's ID numbers with the stored ones (新增 / 修改 / 无变化), so a masked role
# could confirm a guessed ID number row by row.
_ROSTER_MASKED = {"members.export_roster"}

ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.BRANCH_SECRETARY: frozenset(_MEMBER_READ | _MEMBER_WRITE | _ROSTER | {"members.view_personal_data"}),
    Role.COMMITTEE_REVIEWER: frozenset(_MEMBER_READ),
    Role.DEPARTMENT_ADMIN: frozenset(
        _MEMBER_READ
        | _MEMBER_WRITE
        | _ROSTER
        | {
            "members.view_personal_data",
            "organizations.add_organization",
            "organizations.change_organization",
            "organizations.delete_organization",
            "accounts.view_user",
            "accounts.add_user",
            "accounts.change_user",
        }
    ),
    Role.ROSTER_STAFF: frozenset(_MEMBER_READ | _ROSTER_MASKED),
    # A login of a temporary branch's own (its organization is the branch): it sees the members the branch
    # holds for their origin (hosted there), masked, and records their life, contacts, help and its report.
    Role.TEMPORARY_BRANCH_LEADER: frozenset(_MEMBER_READ),
}


#: What ``COMMITTEE_REVIEWER_EXPORTS_ROSTER`` adds to the committee reviewer: the export only, which masks
#: personal data for a role without ``members.view_personal_data``.
REVIEWER_ROSTER_EXPORT = frozenset(_ROSTER_MASKED)


def role_permissions(role: str) -> frozenset[str]:
    perms = ROLE_PERMISSIONS.get(role, frozenset())
    if role == Role.COMMITTEE_REVIEWER and settings.COMMITTEE_REVIEWER_EXPORTS_ROSTER:
        perms = perms | REVIEWER_ROSTER_EXPORT
    return perms


def extend_role_permissions(role: str, *perms: str) -> None:
    """Let an app that sits higher in the stack grant its permissions to a role."""
    ROLE_PERMISSIONS[role] = ROLE_PERMISSIONS.get(role, frozenset()) | frozenset(perms)
