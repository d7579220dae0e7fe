from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DeleteView, DetailView, TemplateView

from members import services
from members.access_log import record_shown
from members.choices import MobilityStatus
from members.facts import incomplete_q
from members.filters import MemberFilter
from members.forms import MemberForm
from members.id_lookups import IdLookupLimitReached
from members.masking import can_see_personal_data
from members.models import Member, PersonalDataAccess
from members.panels import member_panels
from organizations.models import Organization
from organizations.scoping import ScopedFilterListView, ScopedViewMixin
from organizations.service_views import ServiceFormView


class DashboardView(LoginRequiredMixin, TemplateView):
    template_name = "members/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        counts = self.counts()
        context["counts"] = counts
        context["away_share"] = round(100 * counts["outflow"] / counts["total"], 1) if counts["total"] else 0
        return context

    def counts(self) -> dict:
        """Members in the user's view: total, outflow, inflow, returned, incomplete."""
        return Member.objects.visible_to(self.request.user).in_registry().aggregate(
            total=Count("id"),
            outflow=Count("id", filter=Q(mobility_status=MobilityStatus.OUTFLOW)),
            inflow=Count("id", filter=Q(mobility_status=MobilityStatus.INFLOW)),
            returned=Count("id", filter=Q(mobility_status=MobilityStatus.RETURNED)),
            incomplete=Count("id", filter=incomplete_q()),
        )


class MemberListView(ScopedFilterListView):
    model = Member
    permission_required = "members.view_member"
    filterset_class = MemberFilter
    template_name = "members/member_list.html"
    paginate_by = settings.MEMBER_LIST_PAGE_SIZE
    queryset_method = "with_list_relations"

    def count_estimate_queryset(self):
        # The planner cannot estimate ``= ANY(ARRAY(subquery))`` (it assumes 10 ids); the members held in the
        # subtree, a semi-join on the organization's path, it estimates from the statistics. Hosted members
        # are a small share of any subtree, so the estimate leaves them out.
        held = self.filterset_class(self.request.GET or None, queryset=Member.objects.held_by(self.request.user),
                                    user=self.request.user)
        return held.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show_personal_data"] = can_see_personal_data(self.request.user)
        if context["show_personal_data"]:
            page = context["page_obj"]
            page.object_list = list(page.object_list)  # read once: logged here, drawn by the template
            search = self.filterset.form.cleaned_data.get("q") if self.filterset.is_valid() else ""
            record_shown(self.request, page.object_list, action=PersonalDataAccess.Action.LIST,
                         detail={"q": search} if search else None)
        return context


class MemberJumpView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The top bar's search: one member found → its page; otherwise the member list searched the same way."""

    permission_required = "members.view_member"

    def get(self, request):
        q = request.GET.get("q", "").strip()
        found = MemberFilter({"q": q}, queryset=Member.objects.visible_to(request.user),
                             user=request.user).qs.order_by().values_list("pk", flat=True)[:2] if q else []
        if len(found) == 1:
            return redirect("members:detail", pk=found[0])
        return redirect(f"{reverse('members:list')}?{urlencode({'q': q})}" if q else reverse("members:list"))


class MemberDetailView(ScopedViewMixin, DetailView):
    model = Member
    permission_required = "members.view_member"
    template_name = "members/member_detail.html"
    queryset_method = "with_detail_relations"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        member = self.object
        context["breadcrumb"] = list(Organization.objects.get_ancestors(member.organization)) + [member.organization]
        context["show_personal_data"] = can_see_personal_data(self.request.user)
        record_shown(self.request, [member], action=PersonalDataAccess.Action.VIEW)
        context["panels"] = member_panels(self.request, member)
        context["history"] = member.history.select_related("history_user").order_by("-history_date")[:20]
        return context


class MemberFormView(ScopedViewMixin, ServiceFormView):
    model = Member
    form_class = MemberForm
    template_name = "members/member_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        kwargs["instance"] = getattr(self, "object", None)
        return kwargs

    def get_success_message(self, member):
        return _("已保存 %(name)s 的信息。") % {"name": member.name}

    def refusal_status(self, exc):
        # Someone else saved the record since it was opened: a conflict, not bad input.
        if isinstance(exc, services.StaleEditError):
            return 409
        return 429 if isinstance(exc, IdLookupLimitReached) else 200


class MemberCreateView(MemberFormView):
    permission_required = "members.add_member"

    def perform(self, form):
        return services.member_create(acting_user=self.request.user, **form.model_fields())


class MemberUpdateView(MemberFormView):
    permission_required = "members.change_member"

    def get_form_kwargs(self):
        # Runs after the login and permission checks: outside the tree → 404; so is the host's
        # view of a member staying with it (it shares the record, but only the origin edits it).
        self.object = get_object_or_404(Member.objects.held_by(self.request.user), pk=self.kwargs["pk"])
        return super().get_form_kwargs()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["object"] = self.object
        record_shown(self.request, [self.object], action=PersonalDataAccess.Action.EDIT)  # the form holds them in full
        return context

    def perform(self, form):
        return services.member_update(
            member=self.object,
            expected_version=form.cleaned_data["version"],
            acting_user=self.request.user,
            **form.model_fields(),
        )


class MemberDeleteView(ScopedViewMixin, DeleteView):
    model = Member
    permission_required = "members.delete_member"
    template_name = "members/member_confirm_delete.html"
    success_url = reverse_lazy("members:list")

    def get_queryset(self):
        return Member.objects.held_by(self.request.user)  # the host shares the record but may not delete it

    def form_valid(self, form):
        try:
            services.member_delete(member=self.object, acting_user=self.request.user)
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(self.request, message)
            return self.render_to_response(self.get_context_data(form=form), status=200)
        messages.success(self.request, _("已删除。"))
        return redirect(self.success_url)
