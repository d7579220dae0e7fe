"""Help records in the admin: read-only and scoped; they change only through ``assistance.services``."""
from django.contrib import admin

from assistance.models import HelpRequest
from organizations.admin import WorkflowAdmin


@admin.register(HelpRequest)
class HelpRequestAdmin(WorkflowAdmin):
    list_display = ("member", "kind", "status", "opened_on", "solved_on", "recorded_by")
    list_filter = ("status", "kind")
    list_select_related = ("member", "recorded_by")
