from django.contrib import admin
from django.core.exceptions import PermissionDenied

from members.access_log import record_shown
from members.models import Member, PersonalDataAccess
from organizations.admin import ScopedHistoryAdmin


@admin.register(Member)
class MemberAdmin(ScopedHistoryAdmin):
    """Read-only: members are edited through the registry's own pages and services,
    which check stale edits and the six facts; the admin shows records and history (no revert)."""

    list_display = ("name", "organization", "membership_status", "mobility_status", "updated_at")
    list_filter = ("membership_status", "mobility_status", "membership_type")
    search_fields = ("name",)
    list_select_related = ("organization",)
    exclude = ("id_number", "phone")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # The member's page and its history (whose changes may hold ID numbers and phones) are logged.
    def change_view(self, request, object_id, form_url="", extra_context=None):
        return self._logged(request, object_id, super().change_view(request, object_id, form_url, extra_context))

    def history_view(self, request, object_id, extra_context=None):
        return self._logged(request, object_id, super().history_view(request, object_id, extra_context))

    def _logged(self, request, object_id, response):
        if response.status_code == 200:
            record_shown(request, self.get_queryset(request).filter(pk=object_id),
                         action=PersonalDataAccess.Action.ADMIN)
        return response


@admin.register(PersonalDataAccess)
class PersonalDataAccessAdmin(admin.ModelAdmin):
    """Read-only: nobody adds, edits or deletes access records, and every POST is refused."""

    list_display = ("at", "user", "action", "page", "member_name", "member_id_masked", "row_count")
    list_select_related = ("user",)
    list_filter = ("action",)
    search_fields = ("member_name",)

    def get_queryset(self, request):
        return PersonalDataAccess.objects.visible_to(request.user).select_related("user", "member")

    def changelist_view(self, request, extra_context=None):
        self._refuse_writes(request)
        return super().changelist_view(request, extra_context)

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        self._refuse_writes(request)
        return super().changeform_view(request, object_id, form_url, extra_context)

    def delete_view(self, request, object_id, extra_context=None):
        self._refuse_writes(request)
        return super().delete_view(request, object_id, extra_context)

    @staticmethod
    def _refuse_writes(request):
        if request.method not in ("GET", "HEAD"):
            raise PermissionDenied

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
