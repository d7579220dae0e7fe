from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, ListView, TemplateView
from django.views.generic.detail import SingleObjectMixin

from administration.unmapped_places import unmapped_count
from assistance.selectors import AGE_BANDS, open_requests_by_age
from config.db_router import ReplicaReadMixin
from cooperation.selectors import agreement_figures, branch_coverage
from members.views import DashboardView as MemberDashboardView
from organizations.models import Organization
from organizations.scoping import ScopedViewMixin
from reports import aggregates, charts, exports, services
from reports.forms import ReportTextForm, ReviewForm
from reports.models import FILED_STATUSES, QuarterlyReport, ReportEvent, ReportStatus
from reports.my_work import my_work
from reports.national_table import header_rows, national_table
from reports.periods import Quarter, month_starts
from reports.selectors import (
    is_overdue,
    report_status_counts,
    review_board,
    status_summary,
)
from reports.statistics import (
    FORMER_OCCUPATIONS,
    HEADLINE,
    HELP,
    SCOPES,
    TRADE_LABELS,
    UNIT_KINDS,
    branch_statistics,
    empty_figures,
    top,
)


def selected_quarter(request) -> Quarter:
    """``?quarter=2026-3``; the quarter being reported on by default; 404 for nonsense."""
    key = request.GET.get("quarter")
    if not key:
        return Quarter.last_completed()
    try:
        return Quarter.parse(key)
    except ValueError:
        raise Http404(_("季度参数不正确。"))


def report_figures(report: QuarterlyReport) -> dict:
    """The frozen figures once submitted; live ones for a draft (a fixed number of queries)."""
    if report.statistics:
        # A report frozen before a figure was added lacks its key: the new figure reads 0 there.
        return {**empty_figures(), **report.statistics}
    units = Organization.objects.filter(pk=report.organization_id)
    return branch_statistics(units, report.period)[report.organization_id]


def figure_tables(figures: dict) -> dict:
    return {
        "headline": [(label, figures[key]) for key, label in HEADLINE],
        "scopes": [(label, figures[f"scope_{key}"]) for key, label in SCOPES],
        "unit_kinds": [(label, figures[f"unit_kind_{key}"]) for key, label in UNIT_KINDS],
        "former": [(label, figures[f"former_{key}"]) for key, label in FORMER_OCCUPATIONS],
        "destinations": [(place if place != "unknown" else _("未填写"), n)
                         for place, n in top(figures["destinations"], 20)],
        "trades": [(TRADE_LABELS.get(trade, trade), n) for trade, n in top(figures["trades"], 20)],
        "card_holders": figures["card_holders"],
        "receiving_branches": figures["receiving_branches"],
        "short_trips": figures.get("short_trips", 0),
        "outflow": figures["outflow"],
    }


class ReportListView(ScopedViewMixin, ListView):
    model = QuarterlyReport
    permission_required = "reports.view_quarterlyreport"
    template_name = "reports/report_list.html"
    queryset_method = "with_relations"
    paginate_by = 50

    def get_queryset(self):
        qs = super().get_queryset().order_by("-year", "-quarter", "organization__path")
        if (status := self.request.GET.get("status")) in ReportStatus.values:
            qs = qs.filter(status=status)
        return qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        organization = self.request.user.organization
        if organization and organization.holds_members and self.request.user.has_perm("reports.add_quarterlyreport"):
            existing = set(QuarterlyReport.objects.filter(organization=organization).values_list("year", "quarter"))
            current = Quarter.containing(timezone.localdate())
            context["can_start"] = [q for q in (current.previous(), current) if (q.year, q.number) not in existing]
        return context


class ReportStartView(LoginRequiredMixin, PermissionRequiredMixin, View):
    permission_required = "reports.add_quarterlyreport"

    def post(self, request):
        try:
            quarter = Quarter.parse(request.POST.get("quarter", ""))
        except ValueError:
            messages.error(request, _("请选择要填报的季度。"))
            return redirect("reports:list")
        organization = request.user.organization
        if organization is None:
            raise PermissionDenied
        try:
            report = services.report_start(organization=organization, quarter=quarter, acting_user=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("reports:list")
        return redirect("reports:edit", pk=report.pk)


class ReportObjectMixin(ScopedViewMixin):
    model = QuarterlyReport
    permission_required = "reports.view_quarterlyreport"
    queryset_method = "with_relations"


class ReportDetailView(ReportObjectMixin, DetailView):
    template_name = "reports/report_detail.html"

    def get_queryset(self):
        events = ReportEvent.objects.select_related("actor")
        return super().get_queryset().prefetch_related(Prefetch("events", queryset=events))

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        report, user = self.object, self.request.user
        figures = report_figures(report)
        context.update(figure_tables(figures))
        context["help"] = {key: figures[key] for key, _label in HELP}
        context["frozen"] = bool(report.statistics)
        in_subtree = (report.organization.is_within(user.organization) if user.organization_id
                      else user.is_superuser)  # the origin branch reads a temporary branch's report, never edits it
        context["can_edit"] = report.is_editable and in_subtree and user.has_perm("reports.change_quarterlyreport")
        context["can_review"] = (report.status == ReportStatus.SUBMITTED
                                 and user.has_perm("reports.review_quarterlyreport")
                                 and user.organization_id != report.organization_id)
        context.setdefault("review_form", ReviewForm())
        context["breadcrumb"] = list(Organization.objects.get_ancestors(report.organization)) + [report.organization]
        context["cooperation"] = branch_coverage(report.organization, report.period.end)
        return context


class ReportUpdateView(ReportObjectMixin, SingleObjectMixin, TemplateView):
    """Edit the branch's text; "保存并提交" saves and submits in one step."""

    permission_required = "reports.change_quarterlyreport"
    template_name = "reports/report_form.html"

    def get_queryset(self):
        return QuarterlyReport.objects.in_subtree_of(self.request.user).with_relations()

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            self.object = self.get_object()
        return super().dispatch(request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        return self.render(ReportTextForm(instance=self.object))

    def render(self, form, status=200):
        context = self.get_context_data(form=form, object=self.object, locked=not self.object.is_editable,
                                        overdue=is_overdue(self.object.status, self.object.period, timezone.localdate()))
        return self.render_to_response(context, status=status)

    def post(self, request, *args, **kwargs):
        form = ReportTextForm(request.POST, instance=QuarterlyReport.objects.get(pk=self.object.pk),
                              submitting="submit" in request.POST)
        if not form.is_valid():
            return self.render(form, status=200)
        try:
            report = services.report_update(report=self.object, acting_user=request.user,
                                            **{name: form.cleaned_data[name] for name in services.TEXT_FIELDS})
            if "submit" in request.POST:
                report = services.report_submit(report=report, acting_user=request.user)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self.render(form, status=200)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self.render(form, status=403)
        if report.status == ReportStatus.SUBMITTED:
            messages.success(request, _("报告已提交，等待上级党组织审核。"))
            return redirect(report)
        messages.success(request, _("草稿已保存。"))
        return redirect("reports:edit", pk=report.pk)


def _add_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


class ReportReviewView(ReportObjectMixin, View):
    """Approve or return a submitted report (POST ``decision=approve|return``)."""

    permission_required = "reports.review_quarterlyreport"

    def post(self, request, pk):
        report = get_object_or_404(QuarterlyReport.objects.in_subtree_of(request.user).with_relations(), pk=pk)
        form = ReviewForm(request.POST)
        form.is_valid()
        comment = form.cleaned_data.get("comment", "")
        decision = request.POST.get("decision")
        try:
            if decision == "approve":
                services.report_approve(report=report, acting_user=request.user, comment=comment)
                messages.success(request, _("已审核通过 %(report)s。") % {"report": report})
            elif decision == "return":
                services.report_return(report=report, acting_user=request.user, comment=comment)
                messages.success(request, _("已退回 %(report)s，党支部将看到您的意见。") % {"report": report})
            else:
                form.add_error(None, _("请选择“审核通过”或“退回修改”。"))
                return self._again(report, form, 200)
        except ValidationError as exc:
            _add_errors(form, exc)
            return self._again(report, form, 200)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
            return self._again(report, form, 403)
        return redirect(f"{reverse('reports:review')}?quarter={report.period.key}")

    def _again(self, report, form, status):
        view = ReportDetailView(request=self.request, kwargs={"pk": report.pk}, args=())
        view.object = view.get_object()
        response = view.render_to_response(view.get_context_data(review_form=form))
        response.status_code = status
        return response


class ReportExportView(ReportObjectMixin, DetailView):
    def get_queryset(self):
        return super().get_queryset().prefetch_related(Prefetch("events", queryset=ReportEvent.objects.select_related("actor")))

    def render_to_response(self, context, **kwargs):
        report = self.object
        content = exports.report_workbook(report, report_figures(report), report.events.all())
        return _xlsx(content, f"{report.organization.name}-{report.period.key}-季度报告.xlsx")


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=exports.XLSX)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response


def selected_root(request, visible):
    """The organization a page is about: ``?org=`` among ``visible`` (else 404), or the user's own, or the top."""
    root_id = request.GET.get("org")
    if root_id:
        if not root_id.isdigit():
            raise Http404
        return get_object_or_404(visible, pk=root_id)
    if request.user.organization_id:
        return request.user.organization
    return get_object_or_404(visible.filter(depth=1)[:1])


class ReviewBoardMixin(LoginRequiredMixin, PermissionRequiredMixin):
    """The committee's (or the county's) view of its branches' reports for one quarter."""

    permission_required = "reports.review_quarterlyreport"

    def board(self):
        root = selected_root(self.request, Organization.objects.visible_to(self.request.user))
        return review_board(root, selected_quarter(self.request), timezone.localdate())


class ReviewView(ReplicaReadMixin, ReviewBoardMixin, TemplateView):
    template_name = "reports/review.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        board = self.board()
        context["board"] = board
        context["quarters"] = Quarter.containing(timezone.localdate()).recent(8)
        context["status_chart"] = charts.stacked(status_summary(board.status_counts), _("报告状态"),
                                                 overdue=timezone.localdate() > board.quarter.deadline)
        context["totals"] = figure_tables(board.totals)
        context["today"] = timezone.localdate()
        return context


class RollupExportView(ReplicaReadMixin, ReviewBoardMixin, View):
    def get(self, request):
        board = self.board()
        return _xlsx(exports.rollup_workbook(board), f"{board.root.name}-{board.quarter.key}-汇总表.xlsx")


class NationalTableView(ReplicaReadMixin, LoginRequiredMixin, PermissionRequiredMixin, TemplateView):
    """流动党员情况（二） of a branch, a town or the county for a past quarter; ``?format=xlsx`` downloads it.

    ``?org=`` outside the user's subtree is a 404, like a missing one; so is a quarter not yet ended.
    """

    permission_required = "reports.view_quarterlyreport"
    template_name = "reports/national_table.html"

    def table(self):
        today = timezone.localdate()
        root = selected_root(self.request, Organization.objects.visible_to(self.request.user).open())
        quarter = selected_quarter(self.request)
        if quarter.end >= today:
            raise Http404(_("只能生成已结束季度的统计表。"))
        return national_table(root, quarter, today)

    def get(self, request, *args, **kwargs):
        table = self.table()
        if request.GET.get("format") == "xlsx":
            return _xlsx(exports.national_table_workbook(table),
                         f"{table.root.name}-{table.quarter.key}-流动党员情况（二）.xlsx")
        return self.render_to_response(self.get_context_data(
            table=table, header=header_rows(), quarters=Quarter.last_completed().recent(8)))


class DashboardView(ReplicaReadMixin, MemberDashboardView):
    """The members' counts plus charts, added up from the stored per-organization figures (``reports.aggregates``)."""

    template_name = "reports/dashboard.html"

    def figures(self) -> dict:
        if not hasattr(self, "_figures"):
            subtree = Organization.objects.visible_to(self.request.user)
            months = month_starts(timezone.localdate(), aggregates.DASHBOARD_MONTHS)
            self._figures = {"months": months,
                             **aggregates.dashboard_totals(subtree, months, timezone.localdate())}
        return self._figures

    def counts(self) -> dict:
        return self.figures()["counts"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        counts, figures = context["counts"], self.figures()
        context["away_chart"] = charts.donut([
            (_("外出"), counts["outflow"]), (_("流入"), counts["inflow"]), (_("已返回"), counts["returned"]),
            (_("在家"), counts["total"] - counts["outflow"] - counts["inflow"] - counts["returned"]),
        ], _("党员流动情况"), centre=f"{context['away_share']}%")
        context["destinations_chart"] = charts.bars(aggregates.top_places(figures["destinations"]), _("外出党员流向"))
        def rate(key):
            by_month = figures[key]
            return [(f"{month.month}月", round(100 * by_month.get(f"{month:%Y-%m}", 0) / counts["outflow"], 1)
                     if counts["outflow"] else 0.0) for month in figures["months"]]

        context["contact_chart"] = charts.line(rate("contacted"), _("联系率"),
                                               also=(_("其中党员本人报告"), rate("self_reported"), charts.PALETTE[2]))
        context["life_chart"] = charts.line(rate("life"), _("组织生活参与率"))
        context["my_work"] = my_work(user)
        if user.has_perm("assistance.view_helprequest"):
            by_age = open_requests_by_age(user, timezone.localdate())
            context["help_ages"] = [(label, by_age[key]) for key, label, *_days in AGE_BANDS]
        if user.has_perm("cooperation.view_agreement"):
            context["cooperation"] = agreement_figures(user, timezone.localdate())
        if user.has_perm("organizations.change_organization"):
            context["unmapped_places"] = unmapped_count(user)
        if user.organization_id:
            quarter = Quarter.last_completed()
            status_counts = report_status_counts(user.organization, quarter)
            context["report_quarter"] = quarter
            overdue = timezone.localdate() > quarter.deadline
            context["status_chart"] = charts.stacked(status_summary(status_counts), _("季度报告状态"), overdue=overdue)
            context["overdue_branches"] = sum(n for key, n in status_counts.items() if overdue and key not in FILED_STATUSES)
        return context
