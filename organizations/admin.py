from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from simple_history.admin import SimpleHistoryAdmin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from organizations.models import Organization


class ScopedAdminMixin:
    """Admin pages show and accept only the administrator's subtree, like every other page.

    ``get_queryset`` hides other subtrees, and an id outside it is a 404, the
    same answer as a missing one (Django's default is a redirect with a "does
    not exist" message); organization choices are limited to the subtree; and
    after a save, inside the admin's transaction, the object must still be in
    the subtree or the save is undone.
    """

    def get_queryset(self, request):
        return self.model.objects.visible_to(request.user)

    def _get_obj_does_not_exist_redirect(self, request, opts, object_id):
        raise Http404(_("没有找到该记录。"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.related_model is Organization:
            kwargs["queryset"] = Organization.objects.visible_to(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not self.model.objects.visible_to(request.user).filter(pk=obj.pk).exists():
            raise PermissionDenied(_("只能管理本组织及下级组织的数据。"))


class ReadOnlyAdminMixin:
    """Workflow records (outflows, letters, cards, reports …) change only through their services,
    which check the state and log every step; the admin shows them and nothing more, to superusers too.
    Also for inlines, whose ``has_add_permission`` takes ``obj``."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class WorkflowAdmin(ReadOnlyAdminMixin, ScopedAdminMixin, admin.ModelAdmin):
    """The admin of a workflow record: the subtree's records, to read."""


class ScopedHistoryAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """Read-only history of a scoped model: the list of changes, never a revert.

    django-simple-history's revert form saves an old version over the current
    one without the service's checks (stale edits, the six facts, the subtree)
    and even without the change permission, so it is refused (403). Its
    history list looked objects up outside ``get_queryset``; here both views
    answer 404 for an object outside the subtree.
    """

    object_history_list_template = "admin/history_list_read_only.html"

    def revert_disabled(self, request, obj=None):
        return True

    def history_view(self, request, object_id, extra_context=None):
        self._require_visible(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._require_visible(request, object_id)
        raise PermissionDenied(_("系统管理中不能恢复历史版本，请通过业务页面修改。"))

    def set_history_delta_changes(self, request, historical_records, foreign_keys_are_objs=True):
        """As simple-history's, without the fields the admin hides (``exclude``): their old and new values
        would otherwise show in the list of changes."""
        previous = None
        for current in historical_records:
            if previous is not None:
                delta = previous.diff_against(current, excluded_fields=self.exclude or (),
                                              foreign_keys_are_objs=foreign_keys_are_objs)
                helper = self.get_historical_record_context_helper(request, previous)
                previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current

    def _require_visible(self, request, object_id):
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404(_("没有找到该记录。"))


def scoped_move_form(base, user):
    """Treebeard's node form whose "relative to" choices stay inside the user's subtree.

    The user's own organization keeps its place (its parent is outside the
    subtree); any other node goes under or beside a node of the subtree, but
    never beside the user's own organization nor to the root.
    """
    anchor = user.organization

    class ScopedMoveNodeForm(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            ref_node = self.fields["treebeard_ref_node"]
            if anchor is not None and self.instance.pk == anchor.pk:
                parent = Organization.objects.get_parent(anchor)
                ref_node.queryset = Organization.objects.filter(pk=parent.pk if parent else None)
                ref_node.disabled = self.fields["treebeard_position"].disabled = True
            else:
                ref_node.queryset = ref_node.queryset.filter(pk__in=Organization.objects.visible_to(user).values("pk"))

        def clean(self):
            cleaned = super().clean()
            if anchor is None or self.instance.pk == anchor.pk:
                return cleaned
            ref_node, position = cleaned.get("treebeard_ref_node"), cleaned.get("treebeard_position")
            if ref_node is None and "treebeard_ref_node" not in self.errors:
                self.add_error("treebeard_ref_node", _("请选择本组织或下级组织作为上级党组织。"))
            elif ref_node is not None and ref_node.pk == anchor.pk and position and not position.endswith("child"):
                self.add_error("treebeard_position", _("不能与本组织并列，只能放在本组织之下。"))
            return cleaned

    return ScopedMoveNodeForm


class ScopedMoveForm(forms.Form):
    """The fields of treebeard's drag-and-drop move endpoint, limited to the subtree."""

    node = forms.ModelChoiceField(queryset=Organization.objects.none())
    target = forms.ModelChoiceField(queryset=Organization.objects.none())
    relation = forms.ChoiceField(choices=(("child", "child"), ("sibling", "sibling")))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["node"].queryset = self.fields["target"].queryset = Organization.objects.visible_to(user)


@admin.register(Organization)
class OrganizationAdmin(ScopedHistoryAdmin, TreeAdmin):
    form = movenodeform_factory(Organization)
    list_display = ("name", "kind", "code", "secretary_name")
    search_fields = ("name", "code")

    def get_queryset(self, request):
        """Treebeard's one-level-at-a-time list, on the user's subtree: the top is the user's organization."""
        visible = Organization.objects.visible_to(request.user)
        if not hasattr(request, "_treebeard_parent_id") or getattr(request, "_ignore_treebeard_filters", False):
            return visible
        request._treebeard_parent = None
        if self.is_filtered(request):
            return visible
        parent_id = request._treebeard_parent_id
        if parent_id:
            if not str(parent_id).isdigit():
                raise Http404(_("没有找到该记录。"))
            request._treebeard_parent = get_object_or_404(visible, pk=parent_id)
            return Organization.objects.get_children(request._treebeard_parent)
        if request.user.organization_id is not None:
            return visible.filter(pk=request.user.organization_id)
        return visible.filter(depth=1)

    def get_form(self, request, obj=None, change=False, **kwargs):
        return scoped_move_form(super().get_form(request, obj, change, **kwargs), request.user)

    def move_node(self, request):
        """Treebeard's move, after checking both nodes are in the subtree (else 404) and the move keeps
        the node there; the user's own organization does not move, and nothing goes beside it."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        if not self.has_change_permission(request):
            raise PermissionDenied
        form = ScopedMoveForm(request.POST, user=request.user)
        if not form.is_valid():
            raise Http404(_("没有找到该党组织。"))
        node, target = form.cleaned_data["node"], form.cleaned_data["target"]
        anchor_id = request.user.organization_id
        if anchor_id is not None and (node.pk == anchor_id
                                      or (target.pk == anchor_id and form.cleaned_data["relation"] == "sibling")):
            raise PermissionDenied(_("本组织不能移动，其他组织也不能移到本组织之外。"))
        with transaction.atomic():
            response = super().move_node(request)
            if not Organization.objects.visible_to(request.user).filter(pk=node.pk).exists():
                raise PermissionDenied(_("只能管理本组织及下级组织的数据。"))
        return response
