"""个人信息访问记录: the organization department reads who was shown members' personal data."""
from django.conf import settings

from members.filters import PersonalDataAccessFilter
from members.models import PersonalDataAccess
from organizations.scoping import ScopedFilterListView


class PersonalDataAccessListView(ScopedFilterListView):
    """Read-only and scoped to the records of the users in the administrator's subtree."""

    model = PersonalDataAccess
    permission_required = "members.view_personaldataaccess"
    filterset_class = PersonalDataAccessFilter
    template_name = "members/access_log.html"
    paginate_by = settings.MEMBER_LIST_PAGE_SIZE
    queryset_method = "with_list_relations"
