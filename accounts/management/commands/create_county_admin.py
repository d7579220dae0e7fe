"""The first login of a new installation: the county committee and its organization-department administrator.

    manage.py create_county_admin --organization-name 中共某某县委员会 --organization-code 2224 --username admin

The password comes from ``COUNTY_ADMIN_PASSWORD`` or is asked for twice.
When the tree is empty the county committee is created as its root; otherwise
the existing root must carry the given name.
"""
import getpass
import os

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from organizations.choices import OrganizationKind
from organizations.models import Organization


class Command(BaseCommand):
    help = "创建县委组织部管理员账号（党组织树为空时一并创建县委）。"

    def add_arguments(self, parser):
        parser.add_argument("--organization-name", required=True, help="县(市、区)委名称，如 中共某某县委员会")
        parser.add_argument("--organization-code", default="", help="组织代码（新建县委时必填）")
        parser.add_argument("--username", required=True)
        parser.add_argument("--full-name", default="", help="管理员姓名")
        parser.add_argument("--email", default="")

    def handle(self, *args, organization_name, organization_code, username, full_name, email, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"用户名 {username} 已存在。")
        password = os.environ.get("COUNTY_ADMIN_PASSWORD") or self._ask_password()
        user = User(username=username, first_name=full_name, email=email, role=Role.DEPARTMENT_ADMIN)
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError("密码不符合要求：" + "；".join(error.messages))
        with transaction.atomic():
            user.organization = self._county(organization_name, organization_code)
            user.set_password(password)
            user.full_clean()
            user.save()
        self.stdout.write(self.style.SUCCESS(
            f"已创建组织部管理员 {username}（{user.organization.name}），可以登录了。"))

    def _county(self, name, code):
        roots = Organization.objects.get_root_nodes()
        if not roots.exists():
            if not code:
                raise CommandError("党组织树为空，新建县委需要 --organization-code。")
            county = Organization(name=name, code=code, kind=OrganizationKind.COUNTY_COMMITTEE)
            county.full_clean(exclude=["path", "depth", "numchild"])
            return Organization.objects.add_root(instance=county)
        county = roots.filter(name=name).first()
        if county is None:
            raise CommandError(f"已有党组织树，但根组织不叫“{name}”；请使用已有县委的名称。")
        return county

    def _ask_password(self):
        if not self.stdin_is_interactive():
            raise CommandError("请设置 COUNTY_ADMIN_PASSWORD 环境变量，或在终端中运行以输入密码。")
        password = getpass.getpass("密码：")
        if password != getpass.getpass("再次输入密码："):
            raise CommandError("两次输入的密码不一致。")
        return password

    @staticmethod
    def stdin_is_interactive():
        import sys

        return sys.stdin.isatty()
