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
from members.roster_headers import IGNORE, REQUIRED, TARGETS, target_label
from members.roster_import import UNCHANGED, MappingNeeded, RosterFileError, build_plan, read_mapping
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


class RosterMappingForm(forms.Form):
    """One choice per column of the file: which of our fields it holds, or 忽略."""

    def __init__(self, *args, columns, **kwargs):
        super().__init__(*args, **kwargs)
        self.columns = columns
        options = [("", _("请选择")), *((key, target_label(key)) for key in TARGETS), (IGNORE, _("忽略"))]
        for index, column in enumerate(columns):
            self.fields[f"column_{index}"] = forms.ChoiceField(
                label=column.header, choices=options, initial=column.target, required=True,
                error_messages={"required": _("请为这一列选择对应的信息项（不需要的列选“忽略”）。")})

    def rows(self):
        return [(column, self[f"column_{index}"]) for index, column in enumerate(self.columns)]

    def clean(self):
        cleaned = super().clean()
        chosen = {}
        for index, column in enumerate(self.columns):
            target = cleaned.get(f"column_{index}")
            if not target or target == IGNORE:
                continue
            if target in chosen:
                self.add_error(f"column_{index}", _("「%(other)s」已选了「%(field)s」，每项信息只能对应一列。")
                               % {"other": chosen[target], "field": target_label(target)})
            chosen.setdefault(target, column.header)
        if not self.errors:
            missing = [target_label(sources[0]) for name, sources in REQUIRED.items()
                       if name != "organization" and not set(sources) & set(chosen)]
            if missing:
                raise ValidationError(_("还没有列对应必填的信息项：%(names)s。") % {"names": "、".join(missing)})
        return cleaned

    def choices(self) -> dict[str, str]:
        return {column.key: self.cleaned_data[f"column_{index}"] for index, column in enumerate(self.columns)}


class RosterImportView(RosterPermissionMixin, View):
    """Upload → dry run (or the mapping step first). Nothing is written here; the file is kept for the confirmation."""

    permission_required = "members.import_roster"
    template_name = "members/roster_import.html"

    def get(self, request):
        return render(request, self.template_name, {"form": RosterUploadForm()})

    def post(self, request):
        form = RosterUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return render(request, self.template_name, {"form": form}, status=200)
        upload = form.cleaned_data["file"]
        try:
            plan = build_plan(upload, user=request.user)
        except MappingNeeded as exc:
            stash = services.roster_import_stash(acting_user=request.user, upload=upload)
            mapping = RosterMappingForm(columns=exc.columns)
            return _mapping_page(request, stash, mapping, status=200)
        except RosterFileError as exc:
            form.add_error("file", str(exc))
            return render(request, self.template_name, {"form": form}, status=200)
        return _dry_run_page(request, plan, name=upload.name, upload_form=form,
                             keep=lambda: services.roster_import_stash(acting_user=request.user, upload=upload,
                                                                       plan=plan))


def _mapping_page(request, stash, mapping, *, status):
    return render(request, RosterImportView.template_name, {
        "form": RosterUploadForm(), "mapping": mapping, "stash": stash, "uploaded_name": stash.original_name,
    }, status=status)


def _dry_run_page(request, plan, *, name, keep, upload_form=None):
    """Count the lookups of numbers held elsewhere, keep the file if there is something to confirm, show the plan."""
    try:
        id_lookups_take(acting_user=request.user, path=IdLookupPath.ROSTER_IMPORT, held_outside=plan.held_outside)
    except IdLookupLimitReached as exc:
        if upload_form is not None:
            upload_form.add_error("file", exc.messages)
        else:
            messages.error(request, " ".join(exc.messages))
        return render(request, RosterImportView.template_name, {"form": upload_form or RosterUploadForm()},
                      status=429)
    form = RosterUploadForm()
    stash = keep() if not plan.has_errors and (plan.creates or plan.updates) else None
    shown = _shown_rows(plan)
    record_shown(request, [_row_subject(row) for row in shown if row.id_number],
                 action=PersonalDataAccess.Action.IMPORT, detail={"file": name[:255]})
    return render(request, RosterImportView.template_name, {
        "form": form, "plan": plan, "stash": stash, "counts": plan.counts(), "errors": plan.errors,
        "preview_rows": _preview_rows(request, shown), "preview_limit": PREVIEW_ROWS_SHOWN, "uploaded_name": name,
    }, status=200)


class RosterImportMappingView(RosterPermissionMixin, View):
    """The mapping step's answer: remember it for the user's organization, then dry-run the kept file."""

    permission_required = "members.import_roster"

    def post(self, request, token):
        stash = get_object_or_404(RosterImport, token=token, user=request.user, status=RosterImport.Status.PREVIEWED)
        try:
            with stash.file.open("rb") as upload:
                mapping = RosterMappingForm(request.POST, columns=read_mapping(upload, user=request.user))
        except RosterFileError as exc:
            return RosterImportConfirmView.refused(request, str(exc))
        if not mapping.is_valid():
            return _mapping_page(request, stash, mapping, status=200)
        services.roster_columns_choose(acting_user=request.user, choices=mapping.choices())
        try:
            with stash.file.open("rb") as upload:
                plan = build_plan(upload, user=request.user)
        except MappingNeeded as exc:
            return _mapping_page(request, stash, RosterMappingForm(columns=exc.columns), status=200)
        except RosterFileError as exc:
            services.roster_import_close(stash=stash, status=RosterImport.Status.DISCARDED)
            return RosterImportConfirmView.refused(request, str(exc))
        return _dry_run_page(request, plan, name=stash.original_name,
                             keep=lambda: services.roster_import_previewed(stash=stash, plan=plan))


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
    return [{"sheet": row.sheet, "row": row.row, "name": row.name, "outcome": row.outcome,
             "outcome_label": row.outcome_label, "conflict": row.conflict,
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
            return self.refused(request, str(exc))
        except ValidationError as exc:
            return self.refused(request, " ".join(exc.messages))
        except PermissionDenied as exc:
            return self.refused(request, str(exc))
        except IntegrityError:  # someone registered one of the ID numbers in the meantime
            return self.refused(request, _("有身份证号码刚刚被他人登记，本次未写入任何数据，请重新上传预演。"))
        messages.success(request, _("导入完成：新增 %(created)d 名，更新 %(updated)d 名党员。") % result)
        return redirect("members:list")

    @staticmethod
    def refused(request, message: str):
        messages.error(request, message)
        return redirect("members:import")
