"""The member's own page, reached by the personal link; no staff login, a 30-minute signed session."""
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView

from config.protected_files import protected_file_response
from members.choices import LifeKind
from portal import forms, selectors
from portal.links import MAX_FAILED_CHECKS, LinkRefused, link_for_token, portal_link_check
from portal.models import Submission, SubmissionPhoto
from portal.services import DETAIL_FIELDS, notice_open, submission_send
from portal.session import session_end, session_start, session_valid


def refused(request, message: str, status: int = 410):
    response = render(request, "portal/member_refused.html", {"message": message}, status=status)
    session_end(response)
    return response


@method_decorator(never_cache, name="dispatch")
class EntryView(View):
    """The link itself: the check (birth date + last 4 of the ID), or straight on with a live session."""

    def dispatch(self, request, token):
        try:
            self.link = link_for_token(token)
        except LinkRefused as refusal:
            return refused(request, refusal.message, status=404)
        return super().dispatch(request, token)

    def get(self, request, token):
        if session_valid(request, self.link):
            return redirect("portal:member_home", token=token)
        return self.page(forms.CheckForm())

    def post(self, request, token):
        form = forms.CheckForm(request.POST)
        if form.is_valid():
            try:
                passed = portal_link_check(link=self.link, **form.cleaned_data)
            except LinkRefused as refusal:
                return refused(request, refusal.message, status=403)
            if passed:
                response = redirect("portal:member_home", token=token)
                session_start(response, self.link)
                return response
            self.link.refresh_from_db(fields=["failed_checks", "locked_until"])
            if self.link.locked_until:
                return refused(request, _("核对错误次数过多，链接已锁定1小时。请稍后再试，或联系您所在党支部的书记。"),
                               status=403)
            form.add_error(None, _("出生日期或身份证号码后4位不对，请再试一次（还可以试%(n)d次）。")
                           % {"n": MAX_FAILED_CHECKS - self.link.failed_checks})
        return self.page(form)

    def page(self, form):
        return render(self.request, "portal/member_check.html", {"form": form, "link": self.link})


class MemberSessionMixin:
    """A usable link and a live session for it; otherwise the refusal page or back to the check."""

    def dispatch(self, request, token, *args, **kwargs):
        try:
            self.link = link_for_token(token)
        except LinkRefused as refusal:
            return refused(request, refusal.message, status=404)
        if not session_valid(request, self.link):
            return redirect("portal:member_entry", token=token)
        self.member = self.link.member
        return never_cache(super().dispatch)(request, token, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(link=self.link, member=self.member, token=self.link.token, **kwargs)


class HomeView(MemberSessionMixin, View):
    def get(self, request, token):
        member = self.member
        context = {
            "link": self.link, "member": member, "token": token,
            "dues": selectors.dues_months(member, timezone.localdate()),
            "notices": selectors.member_notices(member)[:20],
            "sent": member.portal_submissions.order_by("-sent_at")[:10],
        }
        return render(request, "portal/member_home.html", context)


class SendView(MemberSessionMixin, FormView):
    """One of the member's forms: what it sends is kept for the secretary."""

    kind = None
    title = ""
    template_name = "portal/member_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(title=self.title, **kwargs)

    def data_from(self, cleaned: dict) -> dict:
        return {name: value.isoformat() if hasattr(value, "isoformat") else str(value)
                for name, value in cleaned.items()}

    def form_valid(self, form):
        try:
            submission_send(link=self.link, kind=self.kind, data=self.data_from(form.cleaned_data),
                            photos=getattr(form, "photos", ()))
        except ValidationError as error:
            form.add_error(None, error.messages)
            return self.form_invalid(form)
        return render(self.request, "portal/member_sent.html",
                      {"token": self.link.token, "member": self.member, "title": self.title})


class DetailsView(SendView):
    kind = Submission.Kind.DETAILS
    form_class = forms.DetailsForm
    title = _("确认或更正现在的住处和联系方式")

    def get_initial(self):
        return {name: getattr(self.member, name) for name in DETAIL_FIELDS}


class ThoughtView(SendView):
    kind = Submission.Kind.THOUGHT
    form_class = forms.ThoughtForm
    title = _("交思想汇报")

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["files_list"] = self.request.FILES.getlist("photos") if self.request.method == "POST" else []
        return kwargs

    def get_context_data(self, **kwargs):
        return super().get_context_data(photos_field=True, **kwargs)


class LifeView(SendView):
    kind = Submission.Kind.LIFE
    form_class = forms.LifeForm
    title = _("报告参加组织生活")

    def data_from(self, cleaned):
        return {**super().data_from(cleaned), "life_kind_label": str(LifeKind(cleaned["life_kind"]).label)}


class DuesView(SendView):
    kind = Submission.Kind.DUES
    form_class = forms.DuesForm
    title = _("报告交纳党费")


class HelpView(SendView):
    kind = Submission.Kind.HELP
    form_class = forms.HelpForm
    title = _("困难求助")

    def data_from(self, cleaned):
        return {**super().data_from(cleaned), "help_kind_label": str(dict(forms.HelpForm.KINDS)[cleaned["help_kind"]])}


class NoticeView(MemberSessionMixin, View):
    def get(self, request, token, pk):
        notice = get_object_or_404(selectors.member_notices(self.member), pk=pk)
        notice_open(notice=notice, member=self.member)
        return render(request, "portal/member_notice.html", {"notice": notice, "token": token, "member": self.member})


class NoticeAttachmentView(MemberSessionMixin, View):
    def get(self, request, token, pk):
        notice = get_object_or_404(selectors.member_notices(self.member).exclude(attachment=""), pk=pk)
        return protected_file_response(notice.attachment, content_type="application/octet-stream",
                                       filename=notice.attachment_name or "attachment")


class PhotoView(MemberSessionMixin, View):
    """The member's own photos only; another member's photo is a 404 like a missing one."""

    def get(self, request, token, pk):
        photo = get_object_or_404(SubmissionPhoto, pk=pk, submission__member=self.member)
        return protected_file_response(photo.image, content_type=photo.content_type,
                                       filename=f"photo-{photo.pk}.{photo.image.name.rsplit('.', 1)[-1]}",
                                       inline=True)


class LeaveView(MemberSessionMixin, View):
    def post(self, request, token):
        response = redirect(reverse("portal:member_entry", kwargs={"token": token}))
        session_end(response)
        return response

