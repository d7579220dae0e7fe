from django.contrib import admin

from transfers.models import CertificateLetter, Inflow, IntroductionLetter, LocationChange, Outflow, OutflowStep


class OutflowStepInline(admin.TabularInline):
    model = OutflowStep
    extra = 0
    readonly_fields = ("action", "actor", "organization", "reason", "at")
    can_delete = False


@admin.register(Outflow)
class OutflowAdmin(admin.ModelAdmin):
    list_display = ("member", "origin_organization", "departure_date", "destination_city", "handling", "status")
    list_filter = ("status", "handling", "purpose")
    search_fields = ("member__name", "destination_city", "host_unit")
    raw_id_fields = ("member", "liaison", "origin_organization", "receiving_organization", "temporary_branch")
    inlines = [OutflowStepInline]


@admin.register(IntroductionLetter)
class IntroductionLetterAdmin(admin.ModelAdmin):
    list_display = ("number", "outflow", "receiving_organization_name", "status", "issued_on", "received_on")
    list_filter = ("status",)
    search_fields = ("number",)
    raw_id_fields = ("outflow", "receiving_organization", "received_by")


@admin.register(CertificateLetter)
class CertificateLetterAdmin(admin.ModelAdmin):
    list_display = ("number", "outflow", "issued_on")
    search_fields = ("number",)
    raw_id_fields = ("outflow",)


@admin.register(Inflow)
class InflowAdmin(admin.ModelAdmin):
    list_display = ("member", "host_organization", "origin_organization_name", "arrived_on", "hidden_member")
    list_filter = ("hidden_member", "document_kind")
    raw_id_fields = ("member", "host_organization")


@admin.register(LocationChange)
class LocationChangeAdmin(admin.ModelAdmin):
    list_display = ("member", "place", "contact_made_on", "left_on")
    raw_id_fields = ("member", "recorded_by")
