"""Thin views over transfers.services; every object is looked up through ``visible_to``."""
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import DetailView, TemplateView

from members.access_log import record_shown
from members.masking import can_see_personal_data
from members.models import Member, PersonalDataAccess
from members.search import searched_members
from organizations.choices import COMMITTEE_KINDS, OrganizationKind
from organizations.models import Organization
from organizations.scoping import ScopedListView, ScopedViewMixin
from organizations.service_views import ServiceFormView, attach_errors
from places.display import full_name
from places.names import city_key
from transfers import forms, services
from transfers.choices import ClaimStatus, Handling, LetterStatus, OutflowStatus, Purpose
from transfers.models import CertificateLetter, Inflow, IntroductionLetter, MemberClaim, Outflow
from transfers.outflow_actions import outflow_actions
from transfers.rules import destination_organization


# --- outflow -----------------------------------------------------------------------

class MemberScopedFormView(ScopedViewMixin, ServiceFormView):
    """A form about one member the user's subtree can see."""

    model = Member

    def get_member(self):
        if not hasattr(self, "member"):
            self.member = get_object_or_404(self.get_queryset().select_related("organization"),
                                            pk=self.kwargs["member_pk"])
        return self.member

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["member"] = self.get_member()
        context["title"] = self.title
        return context

    def success_url_for(self, target):
        return self.get_member().get_absolute_url()


class OutflowRegisterView(MemberScopedFormView):
    permission_required = "transfers.add_outflow"
    form_class = forms.OutflowForm
    template_name = "transfers/outflow_form.html"
    title = _("外出登记")
    success_message = _("外出登记已保存，已报送党(工)委审批。")

    def get_queryset(self):
        return Member.objects.held_by(self.request.user)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["member"] = self.get_member()
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recommendation"] = recommendation_for(self.get_member(), context["form"].data or None)
        record_shown(self.request, [self.get_member()], action=PersonalDataAccess.Action.EDIT)  # the phone, in full
        return context

    def perform(self, form):
        fields = form.service_fields()
        return services.outflow_register(member=self.get_member(), acting_user=self.request.user, **fields)

    def success_url_for(self, outflow):
        return document_url(outflow) or outflow.get_absolute_url()


class OutflowResubmitView(ScopedViewMixin, ServiceFormView):
    model = Outflow
    permission_required = "transfers.change_outflow"
    form_class = forms.OutflowForm
    template_name = "transfers/outflow_form.html"
    success_message = _("已修改并重新报送党(工)委审批。")

    def get_outflow(self):
        if not hasattr(self, "outflow"):
            self.outflow = get_object_or_404(self.get_queryset().select_related("member"), pk=self.kwargs["pk"],
                                             status=OutflowStatus.RETURNED)
        return self.outflow

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(member=self.get_outflow().member, instance=self.get_outflow())
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        outflow = self.get_outflow()
        context.update(member=outflow.member, outflow=outflow, title=_("修改外出登记"),
                       recommendation=recommendation_for(outflow.member, context["form"].data or None, outflow))
        record_shown(self.request, [outflow.member], action=PersonalDataAccess.Action.EDIT)  # the phone, in full
        return context

    def perform(self, form):
        # The ModelForm has already put the posted values on the instance; the service re-validates them.
        return services.outflow_resubmit(outflow=self.get_outflow(), acting_user=self.request.user,
                                         **form.service_fields())

    def success_url_for(self, outflow):
        return outflow.get_absolute_url()


def _flag(data, name, default=False):
    if data is None:
        return default
    return data.get(name) in ("on", "true", "1", "True")


def recommendation_for(member: Member, data=None, outflow: Outflow | None = None) -> dict | None:
    """The recommendation for what is on the form so far (None until months and purpose are given)."""
    if data is None and outflow is not None:
        data = {name: getattr(outflow, name) for name in ("expected_months", "purpose", "host_unit",
                                                          "supervising_department", "unit_locality")}
        data["destination_division"] = outflow.destination_division_id or ""
        data["abroad_country"] = outflow.abroad_key
        data.update({name: "on" if getattr(outflow, name) else "" for name in (
            "fixed_place", "can_transfer", "returns_often", "unit_has_party_org")})
    if not data:
        return None
    try:
        months = int(data.get("expected_months") or 0)
    except (TypeError, ValueError):
        months = 0
    purpose = data.get("purpose") or ""
    if months < 1 or purpose not in Purpose.values:
        return None
    recommendation = services.outflow_recommendation(
        origin=member.organization, member=member, months=months, purpose=purpose,
        fixed_place=_flag(data, "fixed_place"), can_transfer=_flag(data, "can_transfer"),
        returns_often=_flag(data, "returns_often"), division_code=data.get("destination_division") or "",
        country=data.get("abroad_country") or "")
    destination = destination_organization(
        host_unit=data.get("host_unit") or "", unit_has_party_org=_flag(data, "unit_has_party_org"),
        supervising_department=data.get("supervising_department") or "", unit_locality=data.get("unit_locality") or "")
    transfer = recommendation.handling == Handling.TRANSFER
    return {"handling": str(recommendation.handling.value), "label": str(recommendation.handling.label),
            "reason": recommendation.reason,
            "destination": destination.name if transfer else "",
            "destination_text": destination_text(destination) if transfer else ""}


def destination_text(destination) -> str:
    """The recommendation box's line about where the letter goes, or what is missing to say it."""
    if destination.name:
        return _("按规定应转往：%(name)s（%(reason)s）") % {"name": destination.name, "reason": destination.reason}
    return _("接收党组织：%(reason)s") % {"reason": destination.reason}


@login_required
@permission_required("transfers.add_outflow", raise_exception=True)
def recommend(request, member_pk):
    """JSON for the live recommendation on the outflow form."""
    member = get_object_or_404(Member.objects.held_by(request.user).select_related("organization"), pk=member_pk)
    query = forms.RecommendationQueryForm(request.GET)
    if not query.is_valid():
        return JsonResponse({"recommendation": None, "errors": query.errors}, status=400)
    return JsonResponse({"recommendation": recommendation_for(member, request.GET)})


def document_url(outflow: Outflow) -> str:
    if outflow.handling == Handling.TRANSFER:
        letter = IntroductionLetter.objects.filter(outflow=outflow).first()
        return letter.get_absolute_url() if letter else ""
    if outflow.handling == Handling.CERTIFICATE_LETTER:
        certificate = CertificateLetter.objects.filter(outflow=outflow).first()
        return certificate.get_absolute_url() if certificate else ""
    return ""


class OutflowListView(ScopedListView):
    model = Outflow
    permission_required = "transfers.view_outflow"
    template_name = "transfers/outflow_list.html"
    paginate_by = 50
    queryset_method = "with_relations"

    def get_queryset(self):
        qs = super().get_queryset()
        status = self.request.GET.get("status")
        if status in OutflowStatus.values:
            qs = qs.filter(status=status)
        return qs.filter(member__in=searched_members(self.request)) if self.request.GET.get("q") else qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["statuses"] = OutflowStatus.choices
        context["current_status"] = self.request.GET.get("status", "")
        return context


class OutflowDetailView(ScopedViewMixin, DetailView):
    model = Outflow
    permission_required = "transfers.view_outflow"
    template_name = "transfers/outflow_detail.html"
    queryset_method = "with_relations"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        outflow = self.object
        user = self.request.user
        context["steps"] = outflow.steps.select_related("actor", "organization")
        context["letter"] = getattr(outflow, "introduction_letter", None)
        context["certificate"] = getattr(outflow, "certificate_letter", None)
        context["can_approve"] = (outflow.status == OutflowStatus.SUBMITTED and user.has_perm("transfers.approve_outflow")
                                  and services.committee_over(outflow, user))
        if context["can_approve"] and services.registered_or_sent_by(outflow, user):
            context["can_approve"], context["approval_by_another"] = False, True
        context["reason_form"] = forms.ReasonForm()
        context["receipt_form"] = forms.ReceiptForm()
        context["more_actions"] = outflow_actions(self.request, outflow)
        if user.has_perm("transfers.create_temporary_branch") and user.organization and user.organization.is_committee:
            context["temporary_branch_cities"] = [
                row for row in services.temporary_branch_candidates(outflow.origin_organization)
                if row["city_code"] == city_key(outflow.destination_division_id or "")]
        return context


class OutflowDecisionView(ScopedViewMixin, ServiceFormView):
    """POST only: the committee approves (refusals come back as a message on the
    outflow page) or sends back with a reason (the form is shown again without one)."""

    model = Outflow
    permission_required = "transfers.approve_outflow"
    http_method_names = ["post"]
    template_name = "transfers/outflow_decision.html"
    approve = True

    def get_form_class(self):
        return forms.ApproveForm if self.approve else forms.ReasonForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["outflow"] = self.outflow
        return context

    def post(self, request, *args, **kwargs):
        self.outflow = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return super().post(request, *args, **kwargs)

    @property
    def success_message(self):
        return _("已审批通过，证件已开具。") if self.approve else _("已退回支部修改。")

    def form_valid(self, form):
        if not self.approve:
            return super().form_valid(form)
        try:
            services.outflow_approve(outflow=self.outflow, acting_user=self.request.user)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(self.request, " ".join(getattr(exc, "messages", [str(exc)])))
        else:
            messages.success(self.request, self.success_message)
        return redirect(self.outflow.get_absolute_url())

    def perform(self, form):
        return services.outflow_return_for_revision(outflow=self.outflow, acting_user=self.request.user,
                                                    reason=form.cleaned_data["reason"])

    def success_url_for(self, outflow):
        return outflow.get_absolute_url()


class ReturnRegisterView(ScopedViewMixin, ServiceFormView):
    model = Outflow
    permission_required = "transfers.add_returnregistration"
    form_class = forms.ReturnForm
    template_name = "transfers/simple_form.html"
    success_message = _("返回登记已保存，该党员已恢复为在家状态。")

    def get_outflow(self):
        if not hasattr(self, "outflow"):
            self.outflow = get_object_or_404(self.get_queryset().select_related("member"), pk=self.kwargs["pk"])
        return self.outflow

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(member=self.get_outflow().member, title=_("返回登记（行后查验）"),
                       confirm=_("办理返回登记，结束这次外出？党员状态将改为已返回，持有的活动证按收回日期收回。"),
                       confirm_keep=_("外出期间的联系记录、组织生活、党费和思想汇报记录都会保留。"))
        return context

    def perform(self, form):
        return services.return_register(outflow=self.get_outflow(), acting_user=self.request.user, **form.cleaned_data)

    def success_url_for(self, registration):
        return self.get_outflow().member.get_absolute_url()


# --- documents ----------------------------------------------------------------------

def issued_by_users_tree(origin: Organization, user) -> bool:
    """The check code is printed by the issuing side only; a receiver proves it by typing it, never reads it here."""
    return user.organization is not None and origin.is_within(user.organization)


class LetterDetailView(ScopedViewMixin, DetailView):
    """The printable introduction letter: letter, stub and receipt."""

    model = IntroductionLetter
    permission_required = "transfers.view_outflow"
    template_name = "transfers/letter_detail.html"
    context_object_name = "letter"

    def get_queryset(self):
        return super().get_queryset().select_related(
            "outflow__member", "outflow__origin_organization", "receiving_organization")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        letter, user = self.object, self.request.user
        origin = letter.outflow.origin_organization
        context["sender"] = Organization.objects.get_ancestors(origin).filter(kind__in=COMMITTEE_KINDS).last() or origin
        context["show_personal_data"] = can_see_personal_data(user)
        record_shown(self.request, [letter.outflow.member], action=PersonalDataAccess.Action.PRINT)
        context["show_check_code"] = issued_by_users_tree(origin, user)
        context["receipt_form"] = forms.ReceiptForm()
        issued = letter.status == LetterStatus.ISSUED
        visible = Organization.objects.visible_to(user)
        context["can_confirm"] = (issued and letter.receiving_organization_id is not None
                                  and user.has_perm("transfers.confirm_letter_receipt")
                                  and visible.filter(pk=letter.receiving_organization_id).exists())
        sender = user.has_perm("transfers.change_outflow") and visible.filter(pk=origin.pk).exists()
        context["can_mark_returned"] = issued and letter.receiving_organization_id is None and sender
        context["can_record_arrival"] = context["can_mark_returned"] and letter.received_on is None
        context["can_reissue"] = (letter.is_expired and user.has_perm("transfers.approve_outflow")
                                  and services.committee_over(letter.outflow, user))
        context["voided_letters"] = letter.voided_letters.order_by("-voided_on", "-id")
        return context


class CertificateDetailView(ScopedViewMixin, DetailView):
    model = CertificateLetter
    permission_required = "transfers.view_outflow"
    template_name = "transfers/certificate_detail.html"
    context_object_name = "certificate"

    def get_queryset(self):
        return super().get_queryset().select_related(
            "outflow__member", "outflow__origin_organization")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["show_personal_data"] = can_see_personal_data(self.request.user)
        record_shown(self.request, [self.object.outflow.member], action=PersonalDataAccess.Action.PRINT)
        context["show_check_code"] = issued_by_users_tree(self.object.outflow.origin_organization, self.request.user)
        return context


class LetterReceiptView(ScopedViewMixin, ServiceFormView):
    """POST only: the receiver confirms, or the sender records the returned receipt."""

    model = IntroductionLetter
    permission_required = "transfers.confirm_letter_receipt"
    http_method_names = ["post"]
    form_class = forms.ReceiptForm
    template_name = "transfers/simple_form.html"
    sender_marks = False

    def get_permission_required(self):
        return ["transfers.change_outflow"] if self.sender_marks else [self.permission_required]

    def post(self, request, *args, **kwargs):
        self.letter = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = self.title % {"n": self.letter.number}
        return context

    @property
    def title(self):
        return _("登记回执：介绍信 %(n)s") if self.sender_marks else _("确认接收介绍信 %(n)s")

    @property
    def success_message(self):
        return _("已登记回执。") if self.sender_marks else _("已确认接收，组织关系已转入。")

    def perform(self, form):
        if self.sender_marks:
            return services.letter_mark_receipt_returned(letter=self.letter, acting_user=self.request.user,
                                                         received_on=form.cleaned_data["received_on"])
        return services.letter_confirm_receipt(letter=self.letter, acting_user=self.request.user,
                                               received_on=form.cleaned_data["received_on"])

    def success_url_for(self, letter):
        return letter.get_absolute_url()


class LetterArrivalView(LetterReceiptView):
    """POST only: the sender records the day an organization outside the system got the letter."""

    sender_marks = True
    title = _("登记接收日期：介绍信 %(n)s")
    success_message = _("已登记接收日期，回执应在1个月内寄回。")

    def perform(self, form):
        return services.letter_record_arrival(letter=self.letter, acting_user=self.request.user,
                                              received_on=form.cleaned_data["received_on"])


class LetterReissueView(ScopedViewMixin, ServiceFormView):
    """POST only: the committee reissues an expired letter (new number; the old one is voided and kept)."""

    model = IntroductionLetter
    permission_required = "transfers.approve_outflow"
    http_method_names = ["post"]
    form_class = forms.ApproveForm
    template_name = "transfers/simple_form.html"

    def post(self, request, *args, **kwargs):
        self.letter = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("重新开具介绍信 %(n)s") % {"n": self.letter.number}
        return context

    def get_success_message(self, letter):
        return _("已重新开具介绍信 %(n)s，原介绍信已作废。") % {"n": letter.number}

    def perform(self, form):
        return services.letter_reissue(letter=self.letter, acting_user=self.request.user)


# --- temporary branch -------------------------------------------------------------------

class TemporaryBranchCreateView(ScopedViewMixin, ServiceFormView):
    model = Outflow
    permission_required = "transfers.create_temporary_branch"
    form_class = forms.TemporaryBranchForm
    template_name = "transfers/simple_form.html"
    success_message = _("临时党支部已成立，党员已编入。请为负责人设立账号，由其每季度向流出地报告。")

    def get_outflow(self):
        if not hasattr(self, "outflow"):
            self.outflow = get_object_or_404(self.get_queryset().select_related("origin_organization"),
                                             pk=self.kwargs["pk"])
        return self.outflow

    def city_code(self):
        return city_key(self.get_outflow().destination_division_id or "")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        outflow = self.get_outflow()
        kwargs["candidates"] = Member.objects.in_registry().filter(
            outflows__in=Outflow.objects.open().filter(origin_organization=outflow.origin_organization,
                                                       destination_division__city_code=self.city_code(),
                                                       temporary_branch__isnull=True)).order_by("name")
        kwargs.setdefault("initial", {})["name"] = _("%(origin)s驻%(city)s临时党支部") % {
            "origin": outflow.origin_organization.name.removesuffix("党支部"), "city": full_name(self.city_code())}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("成立临时党支部（%(city)s）") % {"city": full_name(self.city_code())}
        return context

    def perform(self, form):
        outflow = self.get_outflow()
        return services.temporary_branch_create(
            origin=outflow.origin_organization, city_code=self.city_code(), name=form.cleaned_data["name"],
            leader=form.cleaned_data["leader"], members=list(form.cleaned_data["members"]),
            acting_user=self.request.user)

    def success_url_for(self, branch):
        return reverse("transfers:temporary_branch_leader", args=[branch.pk])


class TemporaryBranchMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """A page about one open temporary branch in the user's subtree (404 for any other organization)."""

    permission_required = "transfers.create_temporary_branch"

    def get_branch(self):
        if not hasattr(self, "branch"):
            self.branch = get_object_or_404(Organization.objects.visible_to(self.request.user).open().filter(
                kind=OrganizationKind.TEMPORARY_BRANCH), pk=self.kwargs["pk"])
        return self.branch

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "title": self.title % {"name": self.get_branch().name}}

    def success_url_for(self, result):
        return self.get_branch().get_absolute_url()


class TemporaryBranchLeaderView(TemporaryBranchMixin, ServiceFormView):
    """The committee gives the branch's leader a login; the initial password is shown once, on a slip."""

    form_class = forms.LeaderAccountForm
    template_name = "transfers/simple_form.html"
    title = _("设立临时党支部负责人账号：%(name)s")

    def get_initial(self):
        branch = self.get_branch()
        return {"full_name": branch.secretary_name, "phone": branch.secretary_phone, "username": branch.secretary_phone}

    def perform(self, form):
        return services.temporary_branch_leader_create(branch=self.get_branch(), acting_user=self.request.user,
                                                       **form.cleaned_data)

    def form_valid(self, form):
        try:
            account, password = self.perform(form)
        except (ValidationError, PermissionDenied) as exc:
            attach_errors(form, exc)
            return self.render_to_response(self.get_context_data(form=form), status=400)
        site = settings.SITE_URL or self.request.build_absolute_uri("/")
        return render(self.request, "administration/slips.html", {
            "slips": [(account, password)], "site": site, "title": _("临时党支部负责人账号的初始密码"),
            "back_url": self.get_branch().get_absolute_url()})


class TemporaryBranchDissolveView(TemporaryBranchMixin, ServiceFormView):
    form_class = forms.ApproveForm
    template_name = "transfers/simple_form.html"
    title = _("撤销临时党支部：%(name)s")

    success_message = _("临时党支部已撤销，它登记的记录保留在各党员名下。")

    def perform(self, form):
        return services.temporary_branch_dissolve(branch=self.get_branch(), acting_user=self.request.user)


# --- inflow -----------------------------------------------------------------------------

class InflowListView(ScopedListView):
    model = Inflow
    permission_required = "transfers.view_inflow"
    template_name = "transfers/inflow_list.html"
    paginate_by = 50

    def get_queryset(self):
        qs = super().get_queryset().select_related("member", "host_organization")
        return qs.filter(member__in=searched_members(self.request)) if self.request.GET.get("q") else qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["incoming_letters"] = IntroductionLetter.objects.filter(
            status=LetterStatus.ISSUED,
            receiving_organization__in=Organization.objects.visible_to(self.request.user),
        ).select_related("outflow__member", "outflow__origin_organization", "receiving_organization")
        if self.request.user.has_perm("transfers.decide_member_claim"):
            context["pending_claims"] = MemberClaim.objects.for_origin(self.request.user).filter(
                status=ClaimStatus.PENDING).count()
        return context


class InflowRegisterView(ScopedViewMixin, ServiceFormView):
    model = Inflow
    permission_required = "transfers.register_inflow"
    form_class = forms.InflowForm
    template_name = "transfers/simple_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("流入登记")
        return context

    def refusal_status(self, exc) -> int:
        return 429 if getattr(exc, "code", None) == "rate_limited" else 200

    def perform(self, form):
        data = form.cleaned_data
        return services.inflow_register(
            host_organization=data["host_organization"], acting_user=self.request.user, id_number=data["id_number"],
            arrived_on=data["arrived_on"], document_kind=data["document_kind"],
            document_number=data["document_number"], check_code=data["check_code"],
            hidden_member=data["hidden_member"], notes=data["notes"],
            origin_organization_name=data["origin_organization_name"], new_member_fields=form.new_member_fields(),
            origin_division=data["origin_division"], origin_country=data["origin_country"])

    def get_success_message(self, result) -> str:
        if isinstance(result, MemberClaim):
            return _("证件核验通过，认领申请已提交，待流出地党组织确认后该党员编入本组织。")
        return _("流入登记已保存。")

    def success_url_for(self, result):
        if isinstance(result, MemberClaim):
            return reverse("transfers:claim_list")
        return result.member.get_absolute_url()


class ClaimListView(LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """Claims on the subtree's members, to confirm or reject, and the claims the subtree made, to follow.

    The claimer sees what it typed (the ID number masked), never the record, until the origin confirms.
    """

    permission_required = "transfers.view_inflow"
    template_name = "transfers/claim_list.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        if user.has_perm("transfers.decide_member_claim"):
            pending = (MemberClaim.objects.for_origin(user).filter(status=ClaimStatus.PENDING)
                       .select_related("member", "host_organization", "requested_by"))
            # one reject form per row, each with its own element ids
            context["to_decide"] = [(claim, forms.ClaimRejectForm(auto_id=f"id_%s_{claim.pk}")) for claim in pending]
        context["made"] = MemberClaim.objects.made_by(user).select_related("host_organization")[:100]
        return context


class ClaimDecisionView(ScopedViewMixin, ServiceFormView):
    """POST only: the origin confirms (the member is placed in the host) or rejects with a reason.

    Only the organization holding the member finds the claim; the claimer gets 404 like anyone else.
    """

    model = MemberClaim
    permission_required = "transfers.decide_member_claim"
    http_method_names = ["post"]
    template_name = "transfers/simple_form.html"
    confirm = True

    def get_queryset(self):
        return MemberClaim.objects.for_origin(self.request.user).select_related("member", "host_organization")

    def post(self, request, *args, **kwargs):
        self.claim = get_object_or_404(self.get_queryset(), pk=kwargs["pk"])
        return super().post(request, *args, **kwargs)

    def get_form_class(self):
        return forms.ApproveForm if self.confirm else forms.ClaimRejectForm

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["title"] = _("确认认领申请") if self.confirm else _("不同意认领申请")
        return context

    def get_success_message(self, claim) -> str:
        return _("已确认，%(name)s 已编入 %(org)s。") % {"name": claim.member.name, "org": claim.host_organization} \
            if self.confirm else _("已不同意该认领申请。")

    def perform(self, form):
        if self.confirm:
            return services.member_claim_confirm(claim=self.claim, acting_user=self.request.user)
        return services.member_claim_reject(claim=self.claim, acting_user=self.request.user,
                                            reason=form.cleaned_data["reason"])

    def success_url_for(self, claim):
        return reverse("transfers:claim_list")


# --- in-trip records ----------------------------------------------------------------------

class RecordAddView(MemberScopedFormView):
    permission_required = "transfers.add_locationchange"
    template_name = "transfers/simple_form.html"
    service = None

    def perform(self, form):
        return self.service(member=self.get_member(), acting_user=self.request.user, **form.cleaned_data)


class ContactAddView(RecordAddView):
    form_class = forms.ContactForm
    title = _("行中联系")
    success_message = _("联系记录已保存。")
    service = staticmethod(services.contact_attempt_add)


class LocationChangeAddView(RecordAddView):
    form_class = forms.LocationChangeForm
    title = _("流动情况变化")
    success_message = _("流动情况变化已保存。")
    service = staticmethod(services.location_change_add)


class ThoughtReportAddView(RecordAddView):
    form_class = forms.ThoughtReportForm
    title = _("收到思想汇报")
    success_message = _("思想汇报已登记。")
    service = staticmethod(services.thought_report_add)
