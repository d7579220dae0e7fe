from django.views.generic import DetailView, ListView

from organizations.models import Organization
from organizations.scoping import ScopedViewMixin


class OrganizationListView(ScopedViewMixin, ListView):
    model = Organization
    permission_required = "organizations.view_organization"
    template_name = "organizations/organization_list.html"

    def get_queryset(self):
        return super().get_queryset().order_by("path")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        root_depth = self.request.user.organization.depth if self.request.user.organization else 1
        context["rows"] = [(org, (org.depth - root_depth) * 1.5) for org in context["object_list"]]
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
