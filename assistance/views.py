"""Help records' pages: the list, a member's new request, a request with its steps. Thin: services do the writes."""
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from assistance import services
from assistance.choices import HelpStatus
from assistance.forms import HelpActionForm, HelpRequestForm, ListFilterForm, ResolveForm
from assistance.models import HelpRequest
from members.models import Member
from organizations.scoping import ScopedListView, ScopedViewMixin
from organizations.service_views import ServiceFormView


class HelpRequestListView(ScopedListView):
    model = HelpRequest
    permission_required = "assistance.view_helprequest"
    template_name = "assistance/request_list.html"
    queryset_method = "with_relations"
    paginate_by = 50

    def get_queryset(self):
        self.filters = ListFilterForm(self.request.GET or {"status": HelpStatus.OPEN})
        queryset = super().get_queryset()
        if self.filters.is_valid():
            for name in ("status", "kind"):
                if value := self.filters.cleaned_data[name]:
                    queryset = queryset.filter(**{name: value})
        return queryset.order_by("-status", "opened_on", "id")  # open first, the oldest on top

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "filters": self.filters, "today": timezone.localdate()}


class HelpRequestCreateView(ScopedViewMixin, ServiceFormView):
    model = Member
    permission_required = "assistance.add_helprequest"
    form_class = HelpRequestForm
    template_name = "assistance/request_form.html"
    success_message = _("困难帮扶已登记。")

    def get_member(self):
        if not hasattr(self, "member"):
            self.member = get_object_or_404(self.get_queryset(), pk=self.kwargs["member_pk"])
        return self.member

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "member": self.get_member()}

    def perform(self, form):
        return services.open_help_request(member=self.get_member(), by=self.request.user, **form.cleaned_data)


class HelpRequestObjectMixin(ScopedViewMixin):
    model = HelpRequest
    queryset_method = "with_relations"


class HelpRequestDetailView(HelpRequestObjectMixin, DetailView):
    permission_required = "assistance.view_helprequest"
    template_name = "assistance/request_detail.html"

    def get_queryset(self):
        return super().get_queryset().prefetch_related("actions")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("action_form", HelpActionForm())
        context.setdefault("resolve_form", ResolveForm())
        return context


class HelpRequestWriteView(HelpRequestObjectMixin, ServiceFormView):
    """A POST about one request; a refusal shows the request page again with the form's errors."""

    permission_required = "assistance.change_helprequest"
    template_name = "assistance/request_detail.html"
    form_name = ""

    def get_request(self):
        if not hasattr(self, "help_request"):
            self.help_request = get_object_or_404(self.get_queryset().prefetch_related("actions"),
                                                  pk=self.kwargs["pk"])
        return self.help_request

    def get(self, request, *args, **kwargs):
        return HelpRequestDetailView.as_view()(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context[self.form_name] = context.pop("form")
        context.setdefault("action_form", HelpActionForm())
        context.setdefault("resolve_form", ResolveForm())
        context["object"] = self.get_request()
        return context

    def success_url_for(self, result):
        return self.get_request().get_absolute_url()


class HelpActionAddView(HelpRequestWriteView):
    form_class = HelpActionForm
    form_name = "action_form"
    success_message = _("帮扶记录已保存。")

    def perform(self, form):
        return services.record_help_action(request=self.get_request(), by=self.request.user, **form.cleaned_data)


class HelpRequestResolveView(HelpRequestWriteView):
    form_class = ResolveForm
    form_name = "resolve_form"
    success_message = _("已标记为解决。")

    def perform(self, form):
        return services.resolve_help_request(request=self.get_request(), by=self.request.user, **form.cleaned_data)
