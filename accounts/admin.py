from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from organizations.admin import ScopedAdminMixin
from organizations.models import Organization


@admin.register(User)
class UserAdmin(ScopedAdminMixin, BaseUserAdmin):
    """Administrators manage logins of their own subtree; roles, not flags, carry the rights."""

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
        qs = User.objects.select_related("organization")
        if request.user.is_superuser and request.user.organization_id is None:
            return qs
        return qs.filter(organization__in=Organization.objects.visible_to(request.user))
