from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from organizations.models import Organization


class ScopedAdminMixin:
    """Admin pages show and accept only the administrator's subtree, like every other page.

    ``get_queryset`` hides other subtrees (their ids are 404s); organization
    choices are limited to the subtree; and after a save, inside the admin's
    transaction, the object must still be in the subtree or the save is undone.
    """

    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Organization:
            kwargs["queryset"] = Organization.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not self.model.objects.visible_to(request.user).filter(pk=obj.pk).exists():
            raise PermissionDenied(_("只能管理本组织及下级组织的数据。"))


@admin.register(Organization)
class OrganizationAdmin(ScopedAdminMixin, TreeAdmin, SimpleHistoryAdmin):
    form = movenodeform_factory(Organization)
    list_display = ("name", "kind", "code", "secretary_name")
    search_fields = ("name", "code")
