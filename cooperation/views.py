"""Pages for agreements, their exchanges and the yearly two-way evaluation: thin, writes through the services."""
from django.conf import settings
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import DetailView

from cooperation import services
from cooperation.forms import AgreementForm, AgreementMembersForm, EvaluationResultForm, ExchangeForm, HostOpinionForm
from cooperation.models import Agreement
from cooperation.selectors import agreement_detail, away_members_for, committees_for, latest_evaluation
from members.models import Member
from organizations.scoping import ScopedListView, ScopedViewMixin
from organizations.service_views import ServiceFormView


class AgreementListView(ScopedListView):
    model = Agreement
    permission_required = "cooperation.view_agreement"
    template_name = "cooperation/agreement_list.html"
    paginate_by = settings.MEMBER_LIST_PAGE_SIZE
    queryset_method = "with_relations"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["today"] = timezone.localdate()
        return context


class AgreementDetailView(ScopedViewMixin, DetailView):
    model = Agreement
    permission_required = "cooperation.view_agreement"
    template_name = "cooperation/agreement_detail.html"
    queryset_method = "with_relations"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        agreement, user = self.object, self.request.user
        context.update(agreement_detail(agreement))
        context["may_edit"] = (user.has_perm("cooperation.change_agreement")
                               and committees_for(user).filter(pk=agreement.origin_organization_id).exists())
        context["may_record"] = services.can_record_exchange(agreement, user)
        return context


class AgreementCreateView(LoginRequiredMixin, PermissionRequiredMixin, ServiceFormView):
    permission_required = "cooperation.add_agreement"
    form_class = AgreementForm
    template_name = "cooperation/form.html"
    success_message = _("双向共管协议已登记，请选择协议覆盖的党员。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("登记双向共管协议")}

    def perform(self, form):
        return services.agreement_create(acting_user=self.request.user, **form.cleaned_data)

    def success_url_for(self, result):
        return reverse("cooperation:agreement_members", args=[result.pk])


class ScopedAgreementMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """The agreement of the address, among those the user sees (another subtree's is a 404)."""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.agreement = get_object_or_404(Agreement.objects.visible_to(request.user).with_relations(),
                                               pk=kwargs["pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "agreement": self.agreement}


class AgreementUpdateView(ScopedAgreementMixin, ServiceFormView):
    permission_required = "cooperation.change_agreement"
    form_class = AgreementForm
    template_name = "cooperation/form.html"
    success_message = _("已保存。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "user": self.request.user, "instance": self.agreement}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("修改双向共管协议")}

    def perform(self, form):
        fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
        return services.agreement_update(agreement=self.agreement, acting_user=self.request.user, **fields)


class AgreementMembersView(ScopedAgreementMixin, ServiceFormView):
    permission_required = "cooperation.change_agreement"
    form_class = AgreementMembersForm
    template_name = "cooperation/form.html"
    success_message = _("共管党员已保存。")

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "candidates": away_members_for(self.agreement),
                "initial": {"members": list(self.agreement.members.values_list("pk", flat=True))}}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("共管党员")}

    def perform(self, form):
        return services.agreement_set_members(agreement=self.agreement, members=form.cleaned_data["members"],
                                              acting_user=self.request.user)


class ExchangeRecordView(ScopedAgreementMixin, ServiceFormView):
    permission_required = "cooperation.record_exchange"
    form_class = ExchangeForm
    template_name = "cooperation/exchange_form.html"
    success_message = _("信息互通情况已登记。")

    def get(self, request, *args, **kwargs):
        self._check()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._check()
        return super().post(request, *args, **kwargs)

    def _check(self):
        if not services.can_record_exchange(self.agreement, self.request.user):
            raise PermissionDenied(_("信息互通情况由流入地党组织登记；流入地不在本系统中时，由流出地党(工)委登记。"))

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "agreement": self.agreement, "today": timezone.localdate(),
                "members": list(self.agreement.members.order_by("name"))}

    def perform(self, form):
        data = form.cleaned_data
        return services.exchange_record(agreement=self.agreement, period=data["period"],
                                        recorded_on=data["recorded_on"], remarks=data["remarks"],
                                        entries=form.entries(), acting_user=self.request.user)

    def success_url_for(self, result):
        return self.agreement.get_absolute_url()


class ScopedMemberMixin(LoginRequiredMixin, PermissionRequiredMixin):
    permission_required = "cooperation.change_twowayevaluation"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.member = get_object_or_404(Member.objects.visible_to(request.user), pk=kwargs["member_pk"])
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "member": self.member,
                "evaluation": latest_evaluation(self.member)}

    def get_initial(self):
        return {"year": timezone.localdate().year, "recorded_on": timezone.localdate()}

    def success_url_for(self, result):
        return self.member.get_absolute_url()


class HostOpinionView(ScopedMemberMixin, ServiceFormView):
    form_class = HostOpinionForm
    template_name = "cooperation/evaluation_form.html"
    success_message = _("流入地党组织意见已登记。")

    def get_form_kwargs(self):
        hosted = bool(self.member.host_organization_id and self.member.host_organization_id != self.member.organization_id)
        return {**super().get_form_kwargs(), "host_in_system": hosted}

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("流入地党组织评议意见")}

    def perform(self, form):
        data = form.cleaned_data
        return services.host_opinion_record(member=self.member, year=data["year"], grade=data["grade"],
                                            opinion=data["opinion"], recorded_on=data["recorded_on"],
                                            host_name=data.get("host_name", ""), acting_user=self.request.user)


class EvaluationResultView(ScopedMemberMixin, ServiceFormView):
    form_class = EvaluationResultForm
    template_name = "cooperation/evaluation_form.html"
    success_message = _("双向评议结果已登记。")

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": _("双向评议结果")}

    def perform(self, form):
        data = form.cleaned_data
        return services.evaluation_result_record(member=self.member, year=data["year"], grade=data["grade"],
                                                 notes=data["notes"], recorded_on=data["recorded_on"],
                                                 acting_user=self.request.user)
