"""Logins from an Excel sheet, and out again in the same layout.

姓名 | 手机号码 | 所在党组织 | 角色 | 账号 (optional: the phone number by default)

A new login gets a random initial password, collected for the slips printed once after the write; an
existing login (same 账号) has its name, phone, organization and role brought up to date, its password
untouched.
"""
from django.utils.translation import gettext as _
from import_export import fields

from accounts.models import User
from accounts.roles import Role
from accounts.services import ROLES_GRANTED_BY_ADMINS, account_create, account_update
from administration.excel import RowNumberedResource, add_error, find_organization
from organizations.choices import OrganizationKind
from organizations.models import Organization
from organizations.validators import MAINLAND_MOBILE

NAME, PHONE, ORGANIZATION, ROLE, USERNAME = "姓名", "手机号码", "所在党组织", "角色", "账号"
HEADERS = [NAME, PHONE, ORGANIZATION, ROLE, USERNAME]
REQUIRED = HEADERS[:4]


class AccountResource(RowNumberedResource):
    first_name = fields.Field(attribute="first_name", column_name=NAME)
    phone = fields.Field(attribute="phone", column_name=PHONE)
    organization = fields.Field(column_name=ORGANIZATION)
    role = fields.Field(column_name=ROLE)
    username = fields.Field(attribute="username", column_name=USERNAME)
    summary_columns = (NAME, ORGANIZATION)

    class Meta:
        model = User
        fields = ("first_name", "phone", "organization", "role", "username")
        skip_diff = True

    def __init__(self, *, user, **kwargs):
        super().__init__(user=user, **kwargs)
        #: (account, initial password) of every login this import created, for the slips.
        self.slips: list[tuple[User, str]] = []

    def dehydrate_organization(self, account):
        return account.organization.code if account.organization else ""

    def dehydrate_role(self, account):
        return account.get_role_display()

    def export(self, queryset=None, **kwargs):
        queryset = User.objects.visible_to(self.user).select_related("organization").order_by(
            "organization__path", "username")
        return super().export(queryset=queryset, **kwargs)

    # import
    @staticmethod
    def _username(row) -> str:
        return str(row.get(USERNAME) or "").strip() or str(row.get(PHONE) or "").replace("-", "").replace(" ", "")

    def find_instance(self, row):
        username = self._username(row)
        return User.objects.filter(username__iexact=username).first() if username else None

    def snapshot(self, account):
        return (account.first_name, account.phone, account.organization_id, account.role)

    def build_instance(self, account, row, errors):
        new = account.pk is None
        if not new and not User.objects.visible_to(self.user).filter(pk=account.pk).exists():
            add_error(errors, USERNAME, _("账号“%(name)s”已被其他单位使用，请换一个账号。") % {"name": account.username})
            return
        phone = row.get(PHONE, "").replace("-", "").replace(" ", "")
        if not row.get(NAME):
            add_error(errors, NAME, _("请填写姓名。"))
        if phone and not MAINLAND_MOBILE.match(phone):
            add_error(errors, PHONE, _("请填写11位大陆手机号码，以1开头，例如 13812345678。"))
        username = self._username(row)
        if not username:
            add_error(errors, USERNAME, _("请填写账号，或填写手机号码作为账号。"))
        organization = self._find_organization(row.get(ORGANIZATION, ""), errors)
        roles = {str(label): value for value, label in ROLES_GRANTED_BY_ADMINS}
        role = roles.get(row.get(ROLE, ""))
        if role is None and not new and row.get(ROLE) == account.get_role_display():
            role = account.role  # an existing login keeps a role only a superuser gives
        if role is None:
            add_error(errors, ROLE, _("角色“%(role)s”无法识别，请填写：%(roles)s。") % {
                "role": row.get(ROLE, ""), "roles": "、".join(roles)})
        if role == Role.TEMPORARY_BRANCH_LEADER and organization is not None and (
                organization.kind != OrganizationKind.TEMPORARY_BRANCH):
            add_error(errors, ROLE, _("“临时党支部负责人”账号只能设在临时党支部。"))
        account.first_name, account.phone, account.username = row.get(NAME, ""), phone, username
        if organization is not None:
            account.organization = organization
        if role is not None:
            account.role = role

    def _find_organization(self, text: str, errors) -> Organization | None:
        if not text:
            add_error(errors, ORGANIZATION, _("请填写所在党组织的名称或组织代码。"))
            return None
        return find_organization(self.user, text, errors, ORGANIZATION, _(
            "找不到党组织“%(name)s”：请填写本组织或下级组织的名称或组织代码。") % {"name": text})

    def do_instance_save(self, account, is_create):
        if is_create:
            created, password = account_create(
                acting_user=self.user, username=account.username, full_name=account.first_name, phone=account.phone,
                organization=account.organization, role=account.role)
            account.pk = created.pk
            self.slips.append((created, password))
        else:
            account_update(account=account, acting_user=self.user, full_name=account.first_name,
                           phone=account.phone, organization=account.organization, role=account.role)
