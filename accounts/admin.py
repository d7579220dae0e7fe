from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from accounts.services import ROLES_GRANTED_BY_ADMINS, account_password_set_by_another
from organizations.admin import ScopedAdminMixin


@admin.register(User)
class UserAdmin(ScopedAdminMixin, BaseUserAdmin):
    """Administrators manage logins of their own subtree; roles, not flags, carry the rights.

    The forms have no superuser, staff, group or permission field, so a POST
    carrying them changes nothing; organizations are limited to the subtree
    (``ScopedAdminMixin``); superusers' logins are not visible to anyone else.
    """

    list_display = ("username", "first_name", "organization", "role", "is_active")
    list_filter = ("role", "is_active")
    list_select_related = ("organization",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("first_name", "last_name", "email", "phone")}),
        (_("所属组织与角色"), {"fields": ("organization", "role", "is_active")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("所属组织与角色"), {"fields": ("organization", "role")}),)
    readonly_fields = ("last_login", "date_joined")

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("organization")

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if obj is not None and obj.role == Role.DEPARTMENT_ADMIN and not request.user.is_superuser:
            return (*fields, "organization", "role")
        return fields

    def save_model(self, request, obj, form, change):
        if not change:  # the administrator chose the password: the first login must replace it
            obj.must_change_password = True
        super().save_model(request, obj, form, change)

    def user_change_password(self, request, id, form_url=""):
        response = super().user_change_password(request, id, form_url)
        if request.method == "POST" and response.status_code == 302:
            account = self.get_object(request, unquote(id))
            if account is not None and account.pk != request.user.pk:
                account_password_set_by_another(account=account, acting_user=request.user)
        return response

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [("", "---------"), *ROLES_GRANTED_BY_ADMINS]
        return super().formfield_for_choice_field(db_field, request, **kwargs)
