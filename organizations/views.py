from django.views.generic import DetailView, ListView

from organizations.models import Organization
from organizations.scoping import ScopedViewMixin

MAX_INDENT_LEVEL = 6


class OrganizationListView(ScopedViewMixin, ListView):
    model = Organization
    permission_required = "organizations.view_organization"
    template_name = "organizations/organization_list.html"

    def get_queryset(self):
        return super().get_queryset().open().order_by("path")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        root_depth = self.request.user.organization.depth if self.request.user.organization else 1
        # Indentation by level through CSS classes (.indent-0 … .indent-6): the CSP forbids style attributes.
        context["rows"] = [(org, min(org.depth - root_depth, MAX_INDENT_LEVEL)) for org in context["object_list"]]
        return context


class OrganizationDetailView(ScopedViewMixin, DetailView):
    model = Organization
    permission_required = "organizations.view_organization"
    template_name = "organizations/organization_detail.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["breadcrumb"] = list(Organization.objects.get_ancestors(self.object)) + [self.object]
        context["children"] = Organization.objects.get_children(self.object)
        return context
