from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from organizations.models import Organization


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ("username", "first_name", "organization", "role", "is_active")
    list_filter = ("role", "is_active")
    list_select_related = ("organization",)
    raw_id_fields = ("organization",)
    fieldsets = BaseUserAdmin.fieldsets + ((_("所属组织与角色"), {"fields": ("organization", "role", "phone")}),)
    add_fieldsets = BaseUserAdmin.add_fieldsets + ((_("所属组织与角色"), {"fields": ("organization", "role")}),)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        if request.user.is_superuser:
            return qs
        return qs.filter(organization__in=Organization.objects.visible_to(request.user))
