"""个人信息访问记录: the organization department reads who was shown members' personal data."""
from django.conf import settings
from django_filters.views import FilterView

from members.filters import PersonalDataAccessFilter
from members.models import PersonalDataAccess
from organizations.scoping import ScopedViewMixin


class PersonalDataAccessListView(ScopedViewMixin, FilterView):
    """Read-only and scoped to the records of the users in the administrator's subtree."""

    model = PersonalDataAccess
    permission_required = "members.view_personaldataaccess"
    filterset_class = PersonalDataAccessFilter
    template_name = "members/access_log.html"
    paginate_by = settings.MEMBER_LIST_PAGE_SIZE
    queryset_method = "with_list_relations"

    def paginate_queryset(self, queryset, page_size):
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
