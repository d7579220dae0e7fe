"""Logins: created, re-scoped, disabled and reset by the county's administrators, each change in the history.

A new or reset login gets a random password that is returned once (for its slip) and stored only as a
hash; the next login with it must set a new one (``accounts.middleware``).
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.passwords import set_initial_password
from accounts.roles import Role
from organizations.choices import OrganizationKind
from organizations.history import save_with_history
from organizations.models import Organization
from organizations.validators import validate_mainland_phone

#: Roles a department admin may give: the department admin role opens the system's administration, so only a
#: superuser gives it (as only a superuser makes a superuser).
ROLES_GRANTED_BY_ADMINS = [(value, label) for value, label in Role.choices if value != Role.DEPARTMENT_ADMIN]


def _check_scope(*, acting_user, organization: Organization, role: str, account: User | None = None) -> None:
    if not Organization.objects.visible_to(acting_user).open().filter(pk=organization.pk).exists():
        raise ValidationError({"organization": _("只能选择本组织及下级组织中未撤销的党组织。")})
    if role == Role.TEMPORARY_BRANCH_LEADER and organization.kind != OrganizationKind.TEMPORARY_BRANCH:
        raise ValidationError({"role": _("“临时党支部负责人”账号只能设在临时党支部。")})
    granted = {value for value, _label in ROLES_GRANTED_BY_ADMINS}
    if not acting_user.is_superuser and role not in granted:
        raise ValidationError({"role": _("组织部管理员账号只能由系统管理员创建，请选择其他角色。")})
    if account is not None and account.pk == acting_user.pk:
        raise PermissionDenied(_("不能修改自己的账号的组织、角色或状态，请由上级管理员办理。"))
    if account is not None and account.role == Role.DEPARTMENT_ADMIN and not acting_user.is_superuser:
        raise PermissionDenied(_("组织部管理员账号只能由系统管理员修改。"))


@transaction.atomic
def account_create(*, acting_user, username: str, full_name: str, phone: str, organization: Organization,
                   role: str) -> tuple[User, str]:
    """Create a login; returns it with its initial password (to print on a slip, never stored in clear)."""
    _check_scope(acting_user=acting_user, organization=organization, role=role)
    if phone:
        validate_mainland_phone(phone)
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": _("账号“%(name)s”已被使用，请换一个。") % {"name": username}})
    account = User(username=username, first_name=full_name, phone=phone, organization=organization, role=role,
                   must_change_password=True)
    password = set_initial_password(account)
    save_with_history(account, acting_user=acting_user, reason=_("创建账号"))
    return account, password


@transaction.atomic
def account_update(*, account: User, acting_user, full_name: str, phone: str, organization: Organization,
                   role: str) -> User:
    """Change a login's name, phone, organization or role."""
    if (organization.pk, role) != (account.organization_id, account.role):
        _check_scope(acting_user=acting_user, organization=organization, role=role, account=account)
    if phone:
        validate_mainland_phone(phone)
    account.first_name, account.phone, account.organization, account.role = full_name, phone, organization, role
    return save_with_history(account, acting_user=acting_user, reason=_("修改账号"))


@transaction.atomic
def account_set_active(*, account: User, acting_user, active: bool) -> User:
    _check_scope(acting_user=acting_user, organization=account.organization, role=account.role, account=account)
    account.is_active = active
    return save_with_history(account, acting_user=acting_user, reason=_("启用账号") if active else _("停用账号"))


@transaction.atomic
def account_reset_password(*, account: User, acting_user) -> str:
    """A new random password, returned once; the next login must replace it."""
    _check_scope(acting_user=acting_user, organization=account.organization, role=account.role, account=account)
    password = set_initial_password(account)
    account.must_change_password = True
    save_with_history(account, acting_user=acting_user, reason=_("重置密码"))
    return password


@transaction.atomic
def account_password_set_by_another(*, account: User, acting_user) -> User:
    """A password someone else chose (in the Django admin) is like an initial one: the next login replaces it."""
    account.must_change_password = True
    return save_with_history(account, acting_user=acting_user, reason=_("管理员设置密码"))


@transaction.atomic
def accounts_disable_in(*, organization: Organization, acting_user) -> int:
    """Disable the logins of an organization being closed (they may be moved elsewhere and enabled again)."""
    accounts = list(User.objects.filter(organization=organization, is_active=True))
    for account in accounts:
        account.is_active = False
        save_with_history(account, acting_user=acting_user, reason=_("所在党组织撤销，账号停用"))
    return len(accounts)


def password_changed(*, user: User) -> None:
    """The user chose their own password: the initial or reset one is no longer in force."""
    if user.must_change_password:
        user.must_change_password = False
        user._history_user = user
        user._change_reason = _("本人修改密码")
        user.save(update_fields=["must_change_password"])
