"""The dues arrears list per branch (set-based: one query for the page)."""
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.views.generic import ListView

from members import dues
from members.models import Member
from organizations.models import Organization
from organizations.scoping import ScopedViewMixin

#: Six months unpaid without good reason puts the member on the lapsing path.
LAPSING_MONTHS = 6


class DuesArrearsView(ScopedViewMixin, ListView):
    model = Member
    permission_required = "members.view_member"
    template_name = "members/dues_arrears.html"
    paginate_by = settings.MEMBER_LIST_PAGE_SIZE

    def get_queryset(self):
        self.today = timezone.localdate()
        self.branches = list(Organization.objects.visible_to(self.request.user).member_holding().order_by("path"))
        qs = (Member.objects.held_by(self.request.user).in_registry().with_list_relations()
              .filter(Q(dues_paid_through__lt=dues.arrears_cutoff(self.today)) | Q(dues_paid_through__isnull=True)))
        branch = self.request.GET.get("branch", "")
        self.branch = next((b for b in self.branches if str(b.pk) == branch), None)
        if self.branch:
            qs = qs.filter(organization=self.branch)
        return qs.order_by("organization__path", "dues_paid_through", "name", "id")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            (member, dues.months_owed(member.dues_paid_through, self.today)) for member in context["object_list"]
        ]
        context.update(branches=self.branches, branch=self.branch, lapsing_months=LAPSING_MONTHS)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context
