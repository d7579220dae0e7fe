"""The secretary's side: the inbox of what members sent, their links and QR codes, and notices."""
from urllib.parse import urljoin

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from config.protected_files import protected_file_response
from members.access_log import record_shown
from members.models import Member, PersonalDataAccess
from organizations.scoping import ScopedListView
from organizations.service_views import ServiceFormView
from portal import forms, selectors
from portal.links import portal_link_issue, portal_link_revoke
from portal.models import Notice, PortalLink, Submission, SubmissionPhoto
from portal.services import notice_publish, submission_accept, submission_decline


def link_url(request, link: PortalLink) -> str:
    path = reverse("portal:member_entry", kwargs={"token": link.token})
    return urljoin(settings.SITE_URL, path) if settings.SITE_URL else request.build_absolute_uri(path)


def link_message(request, link: PortalLink) -> str:
    """The ready-to-paste message the secretary sends over WeChat or SMS."""
    return _("%(name)s同志：您好！这是%(branch)s给您的个人联系页面，可以报告现在的住处和联系方式、交思想汇报、"
             "报告参加组织生活和交纳党费情况、查看支部通报，也可以提出困难求助。不用安装软件，不用每天打卡。"
             "打开后请输入您的出生日期和身份证号码最后4位。请勿转给他人。%(url)s") % {
        "name": link.member.name, "branch": link.organization.name, "url": link_url(request, link)}


class InboxView(ScopedListView):
    model = Submission
    permission_required = "portal.view_submission"
    template_name = "portal/inbox.html"
    paginate_by = 30

    def get_queryset(self):
        status = self.request.GET.get("status", Submission.Status.PENDING)
        if status not in Submission.Status.values:
            status = Submission.Status.PENDING
        self.status = status
        return selectors.inbox(self.request.user, status=status)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(status=self.status, statuses=Submission.Status.choices, **kwargs)
        # 信息变更 shows the phone number, old and new, in full.
        record_shown(self.request, {item.member for item in context["page_obj"]
                                    if item.kind == Submission.Kind.DETAILS},
                     action=PersonalDataAccess.Action.LIST)
        return context


class SubmissionActionView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "portal.change_submission"

    def post(self, request, pk):
        submission = get_object_or_404(Submission.objects.visible_to(request.user), pk=pk)
        try:
            self.act(submission)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        return redirect("portal:inbox")


class AcceptView(SubmissionActionView):
    def act(self, submission):
        submission_accept(submission=submission, acting_user=self.request.user)
        messages.success(self.request, _("已采纳，已写入%(name)s的记录。") % {"name": submission.member.name})


class DeclineView(SubmissionActionView):
    def act(self, submission):
        form = forms.DeclineForm(self.request.POST)
        if not form.is_valid():
            raise ValidationError(_("不采纳时必须写明理由。"))
        submission_decline(submission=submission, acting_user=self.request.user, reason=form.cleaned_data["reason"])
        messages.success(self.request, _("已标为不采纳。"))


class StaffPhotoView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "portal.view_submission"

    def get(self, request, pk):
        photo = get_object_or_404(SubmissionPhoto, pk=pk,
                                  submission__in=Submission.objects.visible_to(request.user))
        return protected_file_response(photo.image, content_type=photo.content_type,
                                       filename=f"photo-{photo.pk}.{photo.image.name.rsplit('.', 1)[-1]}",
                                       inline=True)


class LinkIssueView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """发放 / 重新发放: a new token; the old link stops working."""

    permission_required = "portal.add_portallink"

    def post(self, request, member_pk):
        member = get_object_or_404(Member.objects.held_by(request.user), pk=member_pk)
        try:
            portal_link_issue(member=member, acting_user=request.user)
        except PermissionDenied as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已发放新的本人链接，原链接已停用。"))
        return redirect(member.get_absolute_url())


class LinkRevokeView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "portal.add_portallink"

    def post(self, request, pk):
        link = get_object_or_404(PortalLink.objects.visible_to(request.user).select_related("member"), pk=pk)
        portal_link_revoke(link=link, acting_user=request.user)
        messages.success(request, _("本人链接已停用。"))
        return redirect(link.member.get_absolute_url())


class LinkQrView(LoginRequiredMixin, PermissionRequiredMixin, View):
    """The QR code of an active link, drawn here (segno, SVG): no third-party service sees the token."""

    permission_required = "portal.view_portallink"

    def get(self, request, pk):
        link = get_object_or_404(PortalLink.objects.visible_to(request.user).active(), pk=pk)
        svg = segno.make(link_url(request, link), error="m").svg_inline(scale=4, border=2)
        response = HttpResponse(svg, content_type="image/svg+xml")
        response["Cache-Control"] = "no-store"
        return response


class NoticeListView(ScopedListView):
    model = Notice
    permission_required = "portal.view_notice"
    template_name = "portal/notice_list.html"
    paginate_by = 30

    def get_queryset(self):
        return selectors.notices_sent(self.request.user)


class NoticeCreateView(LoginRequiredMixin, PermissionRequiredMixin, ServiceFormView):
    permission_required = "portal.add_notice"
    form_class = forms.NoticeForm
    template_name = "portal/notice_form.html"
    success_message = _("通报已发布，外出党员打开本人页面即可看到。")

    def perform(self, form):
        return notice_publish(acting_user=self.request.user, **form.cleaned_data)

    def success_url_for(self, result):
        return reverse("portal:notice_list")


class StaffNoticeAttachmentView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "portal.view_notice"

    def get(self, request, pk):
        notice = get_object_or_404(Notice.objects.visible_to(request.user).exclude(attachment=""), pk=pk)
        return protected_file_response(notice.attachment, content_type="application/octet-stream",
                                       filename=notice.attachment_name or "attachment")

