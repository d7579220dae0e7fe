from django.contrib import admin

from organizations.admin import ReadOnlyAdminMixin, WorkflowAdmin
from reports.models import QuarterlyReport, ReportEvent


class ReportEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = ReportEvent
    fields = ("at", "action", "from_status", "to_status", "actor", "comment")
    readonly_fields = fields
    extra = 0


@admin.register(QuarterlyReport)
class QuarterlyReportAdmin(WorkflowAdmin):
    """Read-only: reports change only through the workflow (reports/services.py), which logs every step."""

    list_display = ("organization", "year", "quarter", "status", "submitted_at")
    list_filter = ("year", "quarter", "status")
    search_fields = ("organization__name",)
    list_select_related = ("organization",)
    inlines = [ReportEventInline]
