from django.contrib import admin

from activity_cards.models import ActivityCard, CardEvent, CardVerification


class CardEventInline(admin.TabularInline):
    model = CardEvent
    extra = 0
    can_delete = False
    readonly_fields = ["action", "user", "organization", "note", "at"]


class CardVerificationInline(admin.TabularInline):
    model = CardVerification
    extra = 0
    can_delete = False
    readonly_fields = ["verified_on", "verified_by", "organization", "result", "notes"]


@admin.register(ActivityCard)
class ActivityCardAdmin(admin.ModelAdmin):
    """Read-only: cards are issued, replaced and taken back through the services."""

    list_display = ["number", "member", "issued_by", "issued_on", "status"]
    list_filter = ["status"]
    search_fields = ["number", "member__name"]
    list_select_related = ["member", "issued_by"]
    inlines = [CardVerificationInline, CardEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
