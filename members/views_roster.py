"""Excel rosters: export of the member list and import with a dry run."""
import tempfile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from config.protected_files import protected_file_response
from config.db_router import ReplicaReadMixin
from members import services
from members.access_log import record_shown
from members.choices import IdLookupPath
from members.id_lookups import IdLookupLimitReached, id_lookups_take
from members.masking import can_see_personal_data, mask_id_number
from members.models import Member, PersonalDataAccess, RosterExport, RosterImport
from members.roster_export import (
    InvalidFilters,
    describe_filters,
    roster_filename,
    roster_queryset,
    roster_title,
    write_roster,
)
from members.roster_import import UNCHANGED, RosterFileError, build_plan
from members.roster_template import write_template

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: rows of the dry run shown on the page (every error is always shown)
PREVIEW_ROWS_SHOWN = 500


class RosterPermissionMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """Anonymous → login page; signed in without the permission → 403."""


class RosterExportView(ReplicaReadMixin, RosterPermissionMixin, View):
    """The list's current search, filters and sort as an Excel file (or a queued job if large).

    Read from the replica; the export's log and queued job are written to the primary.
    """

    permission_required = "members.export_roster"

    def get(self, request):
        query = request.GET.copy()
        query.pop("page", None)
        try:
            queryset, cleaned = roster_queryset(user=request.user, query=query)
        except InvalidFilters:
            messages.error(request, _("筛选条件有误，请在党员名册页面重新选择后再导出。"))
            return redirect("members:list")
        total = queryset.count()
        if total > settings.ROSTER_EXPORT_SYNC_LIMIT:
            job = services.roster_export_start(acting_user=request.user, query=query.urlencode(), total_rows=total)
            return redirect(job)
        output = tempfile.TemporaryFile()
        count = write_roster(output, queryset=queryset, title=roster_title(user=request.user, cleaned_filters=cleaned),
                             show_personal_data=can_see_personal_data(request.user))
        services.roster_export_log(acting_user=request.user, filters=describe_filters(cleaned), row_count=count)
        output.seek(0)
        return protected_file_response(output, content_type=XLSX, filename=roster_filename())


def _own_export(request, token) -> RosterExport:
    """Only the user who asked for an export may see or download it (anyone else: 404)."""
    return get_object_or_404(RosterExport, token=token, user=request.user)


class RosterExportListView(RosterPermissionMixin, View):
    permission_required = "members.export_roster"

    def get(self, request):
        jobs = RosterExport.objects.filter(user=request.user)[:20]
        return render(request, "members/roster_exports.html",
                      {"jobs": jobs, "sync_limit": settings.ROSTER_EXPORT_SYNC_LIMIT})


class RosterExportProgressView(RosterPermissionMixin, View):
    permission_required = "members.export_roster"

    def get(self, request, token):
        return render(request, "members/roster_export_progress.html", {"job": _own_export(request, token)})


class RosterExportStatusView(RosterPermissionMixin, View):
    permission_required = "members.export_roster"

    def get(self, request, token):
        job = _own_export(request, token)
        done = job.status == RosterExport.Status.DONE
        return JsonResponse({
            "status": job.status, "status_label": job.get_status_display(), "done_rows": job.done_rows,
            "total_rows": job.total_rows, "percent": job.percent, "error": job.error,
            "download_url": reverse("members:export_download", args=[job.token]) if done else "",
        })


class RosterExportDownloadView(RosterPermissionMixin, View):
    permission_required = "members.export_roster"

    def get(self, request, token):
        job = _own_export(request, token)
        if job.status == RosterExport.Status.EXPIRED:
            messages.warning(request, _("该名册文件已过期：导出的文件保存%(days)d天后自动删除，请重新导出。")
                             % {"days": settings.EXPORT_FILE_RETENTION_DAYS})
            return redirect("members:export_list")
        if job.status != RosterExport.Status.DONE or not job.file:
            messages.warning(request, _("文件还没有生成好，请稍候。"))
            return redirect(job)
        filename = f"流动党员登记册_{timezone.localtime(job.created_at):%Y%m%d}.xlsx"
        return protected_file_response(job.file, content_type=XLSX, filename=filename)


class RosterTemplateView(RosterPermissionMixin, View):
    permission_required = "members.import_roster"

    def get(self, request):
        output = tempfile.TemporaryFile()
        write_template(output, user=request.user)
        output.seek(0)
        return protected_file_response(output, content_type=XLSX, filename="流动党员登记册_导入模板.xlsx")


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("名册文件（.xlsx）"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}))


class RosterImportView(RosterPermissionMixin, View):
    """Upload → dry run. Nothing is written here; the file is kept for the confirmation."""

    permission_required = "members.import_roster"
    template_name = "members/roster_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": RosterUploadForm()})

    def post(self, request):
        form = RosterUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=400)
        upload = form.cleaned_data["file"]
        try:
            plan = build_plan(upload, user=request.user)
        except RosterFileError as exc:
            form.add_error("file", str(exc))
            return render(request, self.template_name, {"form": form}, status=400)
        try:
            id_lookups_take(acting_user=request.user, path=IdLookupPath.ROSTER_IMPORT, held_outside=plan.held_outside)
        except IdLookupLimitReached as exc:
            form.add_error("file", exc.messages)
            return render(request, self.template_name, {"form": form}, status=429)
        stash = None
        if not plan.has_errors and (plan.creates or plan.updates):
            stash = services.roster_import_stash(acting_user=request.user, upload=upload, plan=plan)
        shown = _shown_rows(plan)
        record_shown(request, [_row_subject(row) for row in shown if row.id_number],
                     action=PersonalDataAccess.Action.IMPORT, detail={"file": upload.name[:255]})
        return render(request, self.template_name, {
            "form": RosterUploadForm(), "plan": plan, "stash": stash, "counts": plan.counts(),
            "errors": plan.errors,
            "preview_rows": _preview_rows(request, shown), "preview_limit": PREVIEW_ROWS_SHOWN,
            "uploaded_name": upload.name,
        }, status=400 if plan.has_errors else 200)


def _shown_rows(plan):
    """The dry run's rows the page lists: the changes (or every row if nothing changes), at most 500."""
    rows = [row for row in plan.rows if row.outcome != UNCHANGED] or plan.rows
    return rows[:PREVIEW_ROWS_SHOWN]


def _row_subject(row) -> Member:
    """Whom a preview row is about, for the access log: the matched member, or the row's name and ID."""
    return row.member if row.member is not None and row.member.pk else Member(name=row.name[:50],
                                                                              id_number=row.id_number)


def _preview_rows(request, rows):
    show_full = can_see_personal_data(request.user)
    return [{"row": row.row, "name": row.name, "outcome": row.outcome, "outcome_label": row.outcome_label,
             "id_number": row.id_number if show_full else mask_id_number(row.id_number),
             "changed": "、".join(row.changed), "errors": row.errors}
            for row in rows]


class RosterImportConfirmView(RosterPermissionMixin, View):
    """Write the stashed file in one transaction, if it still plans exactly what the user saw.

    A second confirmation of the same upload (a double click, two tabs) is
    409 Conflict with a message; nothing is written twice.
    """

    permission_required = "members.import_roster"

    def post(self, request, token):
        try:
            result = services.roster_import_apply(acting_user=request.user, token=token)
        except RosterImport.DoesNotExist:
            raise Http404
        except services.ImportAlreadyHandled:
            messages.error(request, _("这份名册已经确认导入过（或已被重新上传的文件取代），不会重复写入。请在党员名册中查看结果。"))
            return render(request, RosterImportView.template_name, {"form": RosterUploadForm()}, status=409)
        except RosterFileError as exc:
            return self._refused(request, str(exc))
        except ValidationError as exc:
            return self._refused(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            return self._refused(request, str(exc))
        except IntegrityError:  # someone registered one of the ID numbers in the meantime
            return self._refused(request, _("有身份证号码刚刚被他人登记，本次未写入任何数据，请重新上传预演。"))
        messages.success(request, _("导入完成：新增 %(created)d 名，更新 %(updated)d 名党员。") % result)
        return redirect("members:list")

    @staticmethod
    def _refused(request, message: str):
        messages.error(request, message)
        return redirect("members:import")
