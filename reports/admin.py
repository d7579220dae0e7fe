from django.contrib import admin

from organizations.admin import ScopedAdminMixin
from reports.models import QuarterlyReport, ReportEvent


class ReportEventInline(admin.TabularInline):
    model = ReportEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(ScopedAdminMixin, admin.ModelAdmin):
    """Read-only: reports change only through the workflow (reports/services.py), which logs every step."""

    list_display = ("organization", "year", "quarter", "status", "submitted_at")
    list_filter = ("year", "quarter", "status")
    search_fields = ("organization__name",)
    list_select_related = ("organization",)
    inlines = [ReportEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
