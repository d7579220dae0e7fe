from django.contrib import admin

from members.models import Member, PersonalDataAccess
from organizations.admin import ScopedHistoryAdmin
from organizations.models import Organization


@admin.register(Member)
class MemberAdmin(ScopedHistoryAdmin):
    """Read-only: members are edited through the registry's own pages and services,
    which check stale edits and the six facts; the admin shows records and history (no revert)."""

    list_display = ("name", "organization", "mobility_status", "updated_at")
    list_filter = ("mobility_status", "membership_type")
    search_fields = ("name",)
    list_select_related = ("organization",)
    exclude = ("id_number", "phone")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "action", "member", "row_count")
    list_select_related = ("user", "member")
    list_filter = ("action",)

    def get_queryset(self, request):
        qs = super().get_queryset(request)
        return qs.filter(user__organization__in=Organization.objects.visible_to(request.user))

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
