from django.contrib import admin

from activity_cards.models import ActivityCard, CardEvent, CardVerification
from organizations.admin import ReadOnlyAdminMixin, WorkflowAdmin


class CardEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CardEvent
    extra = 0
    fields = ["action", "user", "organization", "note", "at"]
    readonly_fields = fields


class CardVerificationInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CardVerification
    extra = 0
    fields = ["verified_on", "verified_by", "organization", "result", "notes"]
    readonly_fields = fields


@admin.register(ActivityCard)
class ActivityCardAdmin(WorkflowAdmin):
    """Read-only and scoped: cards are issued, replaced and taken back through the services."""

    list_display = ["number", "member", "issued_by", "issued_on", "status"]
    list_filter = ["status"]
    search_fields = ["number", "member__name"]
    list_select_related = ["member", "issued_by"]
    exclude = ["photo"]  # served only through activity_cards:photo, which checks who may see the card
    inlines = [CardVerificationInline, CardEventInline]
