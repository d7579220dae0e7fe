"""Outflows, letters, inflows and location changes: read-only and scoped in the admin.

Their state changes only through ``transfers.services``, which checks who acts
and logs every step (``OutflowStep``); an edit here would skip both.
"""
from django.contrib import admin

from organizations.admin import ReadOnlyAdminMixin, WorkflowAdmin
from transfers.models import CertificateLetter, Inflow, IntroductionLetter, LocationChange, Outflow, OutflowStep


class OutflowStepInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = OutflowStep
    extra = 0
    fields = ("action", "actor", "organization", "reason", "at")
    readonly_fields = fields


@admin.register(Outflow)
class OutflowAdmin(WorkflowAdmin):
    list_display = ("member", "origin_organization", "departure_date", "destination_city", "handling", "status")
    list_filter = ("status", "handling", "purpose")
    list_select_related = ("member", "origin_organization")
    search_fields = ("member__name", "destination_city", "host_unit")
    inlines = [OutflowStepInline]


@admin.register(IntroductionLetter)
class IntroductionLetterAdmin(WorkflowAdmin):
    list_display = ("number", "outflow", "receiving_organization_name", "status", "issued_on", "received_on")
    list_filter = ("status",)
    list_select_related = ("outflow__member",)
    search_fields = ("number",)


@admin.register(CertificateLetter)
class CertificateLetterAdmin(WorkflowAdmin):
    list_display = ("number", "outflow", "issued_on")
    list_select_related = ("outflow__member",)
    search_fields = ("number",)


@admin.register(Inflow)
class InflowAdmin(WorkflowAdmin):
    list_display = ("member", "host_organization", "origin_organization_name", "arrived_on", "hidden_member")
    list_filter = ("hidden_member", "document_kind")
    list_select_related = ("member", "host_organization")


@admin.register(LocationChange)
class LocationChangeAdmin(WorkflowAdmin):
    list_display = ("member", "place", "contact_made_on", "left_on")
    list_select_related = ("member",)
