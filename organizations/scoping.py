"""Views see only the user's organization subtree.

Every model a user can reach has a ``visible_to(user)`` queryset method; this
mixin swaps the view's queryset for it, so an object outside the subtree is a
404, exactly like one that does not exist.
"""
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.views.generic import ListView
from django_filters.views import FilterView

from organizations.pagination import BoundedCountMixin


class ScopedViewMixin(LoginRequiredMixin, PermissionRequiredMixin):
    model = None
    #: Extra select_related/prefetch_related calls, as a queryset method name.
    queryset_method = None

    def get_queryset(self):
        qs = self.model.objects.visible_to(self.request.user)
        if self.queryset_method:
            qs = getattr(qs, self.queryset_method)()
        return qs


class ScopedListView(ScopedViewMixin, BoundedCountMixin, ListView):
    """A scoped, paginated list; its count is exact when small and estimated when large."""


class ScopedFilterListView(ScopedViewMixin, BoundedCountMixin, FilterView):
    """A scoped, filtered, paginated list whose filter set is given the user (to scope its choices)."""

    def paginate_queryset(self, queryset, page_size):
        # A page number that is not a number or is past the end shows the nearest page, not an error.
        paginator = self.get_paginator(queryset, page_size)
        page = paginator.get_page(self.request.GET.get(self.page_kwarg))
        return paginator, page, page.object_list, page.has_other_pages()

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context
