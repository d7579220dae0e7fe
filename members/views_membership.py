"""Pages of the membership lifecycle: the branch proposes, the committee decides, the probation letter.

Thin: each page hands its form to ``members.membership``; scoping is the
members' ``held_by`` (only the organization holding the relationship deals
with a member's standing), so another subtree's member is a 404.
"""
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from members import membership
from members.forms_membership import (
    MembershipDecideForm,
    MembershipDocumentForm,
    MembershipProposeForm,
    MembershipRecordForm,
    ProbationOpinionAnswerForm,
    ProbationOpinionRequestForm,
)
from members.models import Member, MembershipDecision, ProbationOpinionRequest
from organizations.service_views import ServiceFormView

FORM_TEMPLATE = "members/membership_form.html"


class _MemberFormView(LoginRequiredMixin, PermissionRequiredMixin, ServiceFormView):
    template_name = FORM_TEMPLATE
    title = ""

    def get_member(self):
        if not hasattr(self, "member"):
            self.member = get_object_or_404(Member.objects.held_by(self.request.user), pk=self.kwargs["pk"])
        return self.member

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(member=self.get_member(), title=self.title)
        return context


class MembershipProposeView(_MemberFormView):
    permission_required = membership.PROPOSE_PERMISSION
    form_class = MembershipProposeForm
    title = _("提出党籍处理或转正意见")
    success_message = _("已报党(工)委审批。")

    def perform(self, form):
        return membership.membership_propose(member=self.get_member(), acting_user=self.request.user,
                                             **form.cleaned_data)


class MembershipRecordView(_MemberFormView):
    permission_required = membership.PROPOSE_PERMISSION
    form_class = MembershipRecordForm
    title = _("登记党籍变化")
    success_message = _("已登记。")

    def perform(self, form):
        return membership.membership_status_change(member=self.get_member(), acting_user=self.request.user,
                                                   **form.cleaned_data)


class MembershipDecideView(LoginRequiredMixin, PermissionRequiredMixin, ServiceFormView):
    permission_required = membership.DECIDE_PERMISSION
    form_class = MembershipDecideForm
    template_name = FORM_TEMPLATE
    success_message = _("已审批。")

    def get_decision(self):
        if not hasattr(self, "decision"):
            self.decision = get_object_or_404(
                MembershipDecision.objects.visible_to(self.request.user).select_related("member", "proposed_by"),
                pk=self.kwargs["pk"])
        return self.decision

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        decision = self.get_decision()
        context.update(member=decision.member, decision=decision,
                       title=_("审批：%(kind)s") % {"kind": decision.get_kind_display()})
        return context

    def perform(self, form):
        data = form.cleaned_data
        return membership.membership_decide(decision=self.get_decision(), acting_user=self.request.user,
                                            approve=data["decision"] == "approve", decided_on=data["decided_on"],
                                            document_number=data["document_number"], notes=data["notes"])


class MembershipDocumentView(MembershipDecideView):
    """The committee records the number and date of a decision migrated without them."""

    form_class = MembershipDocumentForm
    success_message = _("已补录决定文号。")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("补录决定文号：%(kind)s") % {"kind": self.get_decision().get_kind_display()}
        return context

    def perform(self, form):
        return membership.membership_document_record(decision=self.get_decision(), acting_user=self.request.user,
                                                     **form.cleaned_data)


class ProbationOpinionRequestView(_MemberFormView):
    permission_required = membership.PROPOSE_PERMISSION
    form_class = ProbationOpinionRequestForm
    title = _("转正前书面征求流入地党组织意见")
    success_message = _("已生成征求意见函，请打印后寄送流入地党组织。")

    def perform(self, form):
        return membership.probation_opinion_request(member=self.get_member(), acting_user=self.request.user,
                                                    **form.cleaned_data)


class ProbationOpinionAnswerView(LoginRequiredMixin, PermissionRequiredMixin, ServiceFormView):
    permission_required = membership.PROPOSE_PERMISSION
    form_class = ProbationOpinionAnswerForm
    template_name = FORM_TEMPLATE
    title = _("登记流入地党组织的意见")
    success_message = _("已登记流入地党组织的意见。")

    def get_letter(self):
        if not hasattr(self, "letter"):
            self.letter = get_object_or_404(
                ProbationOpinionRequest.objects.visible_to(self.request.user).select_related("member"),
                pk=self.kwargs["pk"])
        return self.letter

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(member=self.get_letter().member, title=self.title)
        return context

    def perform(self, form):
        return membership.probation_opinion_answer(request=self.get_letter(), acting_user=self.request.user,
                                                   **form.cleaned_data)

    def success_url_for(self, letter):
        return letter.member.get_absolute_url()


class ProbationLetterView(LoginRequiredMixin, PermissionRequiredMixin, DetailView):
    """The letter to print: 关于征求预备党员转正意见的函."""

    permission_required = "members.view_member"
    template_name = "members/probation_letter.html"
    context_object_name = "letter"

    def get_queryset(self):
        return ProbationOpinionRequest.objects.visible_to(self.request.user).select_related(
            "member", "member__organization")
