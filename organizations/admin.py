from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from organizations.models import Organization


class ScopedAdminMixin:
    """Admin lists show only the administrator's subtree, like every other page."""

    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user)


@admin.register(Organization)
class OrganizationAdmin(ScopedAdminMixin, TreeAdmin, SimpleHistoryAdmin):
    form = movenodeform_factory(Organization)
    list_display = ("name", "kind", "code", "secretary_name")
    search_fields = ("name", "code")
