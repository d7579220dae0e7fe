from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as AuthUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from accounts.roles import Role
from organizations.models import Organization


class UserQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Logins bound to the user's organization subtree.

        A superuser's login is visible only to superusers, so that nobody with
        a role can reset, deactivate or re-scope the accounts above all roles.
        """
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser and user.organization_id is None:
            return self.all()
        visible = self.filter(organization__in=Organization.objects.visible_to(user))
        return visible if user.is_superuser else visible.filter(is_superuser=False)


class UserManager(AuthUserManager.from_queryset(UserQuerySet)):
    pass


class User(AbstractUser):
    """A login bound to one organization and one role."""

    organization = models.ForeignKey(
        "organizations.Organization",
        verbose_name=_("所属党组织"),
        on_delete=models.PROTECT,
        related_name="users",
        null=True,
        blank=True,
    )
    role = models.CharField(_("角色"), max_length=32, choices=Role.choices, blank=True)
    phone = models.CharField(_("手机号码"), max_length=11, blank=True)
    must_change_password = models.BooleanField(
        _("须修改密码"), default=False, editable=False,
        help_text=_("使用初始密码或重置后的密码登录时，须先设置新密码才能使用系统"),
    )

    # Who created, disabled, re-scoped or reset a login, and when; never the password's hash.
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    class Meta:
        verbose_name = _("用户")
        verbose_name_plural = _("用户")

    def __str__(self):
        return self.get_full_name() or self.username

    def clean(self):
        super().clean()
        if not self.is_superuser and (self.organization_id is None or not self.role):
            raise ValidationError(_("普通用户必须指定所属党组织和角色。"))

    def save(self, *args, **kwargs):
        # Only the organization-department administrator uses Django admin.
        self.is_staff = self.is_superuser or self.role == Role.DEPARTMENT_ADMIN
        super().save(*args, **kwargs)

    @property
    def is_department_admin(self):
        return self.role == Role.DEPARTMENT_ADMIN

    @property
    def is_committee_user(self):
        return self.role in (Role.COMMITTEE_REVIEWER, Role.DEPARTMENT_ADMIN)
