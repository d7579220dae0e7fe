from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from jobs.actions import CASE_ACTIONS, FLAG_ACTIONS
from jobs.choices import CaseStatus, FlagStatus, InactivityCondition
from jobs.models import InactivityFlag, LostContactCase
from jobs.windows import shanghai_today
from organizations.scoping import ScopedListView, ScopedViewMixin


class SupervisionListView(ScopedListView):
    queryset_method = "with_relations"
    paginate_by = 50
    status_choices = ()

    def get_queryset(self):
        qs = super().get_queryset()
        state = self.request.GET.get("state", "open")
        if state == "open":
            qs = qs.open()
        if (status := self.request.GET.get("status")) in dict(self.status_choices):
            qs = qs.filter(status=status)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(state=self.request.GET.get("state", "open"), status_choices=self.status_choices,
                       query_without_page=query.urlencode())
        return context


class FlagListView(SupervisionListView):
    model = InactivityFlag
    permission_required = "jobs.view_inactivityflag"
    template_name = "jobs/flag_list.html"
    status_choices = FlagStatus.choices

    def get_queryset(self):
        qs = super().get_queryset()
        if (condition := self.request.GET.get("condition")) in InactivityCondition.values:
            qs = qs.filter(condition=condition)
        return qs

    def get_context_data(self, **kwargs):
        return super().get_context_data(condition_choices=InactivityCondition.choices, **kwargs)


class CaseListView(SupervisionListView):
    model = LostContactCase
    permission_required = "jobs.view_lostcontactcase"
    template_name = "jobs/case_list.html"
    status_choices = CaseStatus.choices


class SupervisionDetailView(ScopedViewMixin, DetailView):
    """The flag or case, its history, and a form for each step the user may take now.

    A POST with ``action`` runs that step through its service; a refused step
    shows its reason next to the form (status 200, like any rejected form) and changes nothing.
    """

    queryset_method = "with_relations"
    actions = {}

    def available_actions(self, obj):
        today = shanghai_today()
        return [a for a in self.actions.values() if a.available(obj, self.request.user, today)]

    def get_context_data(self, forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        forms = forms or {}
        context["action_forms"] = [(a, forms.get(a.name) or a.form(prefix=a.name))
                                   for a in self.available_actions(self.object)]
        return context

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        action = self.actions.get(request.POST.get("action"))
        if action is not None and not request.user.has_perm(action.permission):
            raise PermissionDenied
        if action is None or action not in self.available_actions(self.object):
            messages.error(request, _("当前状态下不能执行该操作。"))
            return self.render_to_response(self.get_context_data(), status=200)
        form = action.form(request.POST, prefix=action.name)
        if form.is_valid():
            try:
                action.run(self.object, request.user, form.cleaned_data)
            except ValidationError as error:
                _attach(form, error)
            else:
                messages.success(request, action.done)
                return redirect(self.object)
        return self.render_to_response(self.get_context_data(forms={action.name: form}), status=200)


def _attach(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class FlagDetailView(SupervisionDetailView):
    model = InactivityFlag
    permission_required = "jobs.view_inactivityflag"
    template_name = "jobs/flag_detail.html"
    actions = FLAG_ACTIONS


class CaseDetailView(SupervisionDetailView):
    model = LostContactCase
    permission_required = "jobs.view_lostcontactcase"
    template_name = "jobs/case_detail.html"
    actions = CASE_ACTIONS
