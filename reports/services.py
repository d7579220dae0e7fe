"""The quarterly report's workflow: draft → submitted (locked) → approved, or returned → resubmitted.

Every step writes a ``ReportEvent`` (who, when, from which status, comment).
Refusals raise ``ValidationError`` (bad input, wrong state) or
``PermissionDenied`` (wrong person), with a Chinese message.
"""
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from organizations.models import Organization
from reports.models import QuarterlyReport, ReportEvent, ReportStatus
from reports.notices import report_event_notify
from reports.periods import Quarter
from reports.statistics import branch_statistics

#: What the branch writes itself; every figure, the help given included, comes from the records.
TEXT_FIELDS = ("work_done", "problems")


def _log(report: QuarterlyReport, *, action: str, from_status: str, acting_user, comment: str = "") -> ReportEvent:
    event = ReportEvent.objects.create(report=report, action=action, from_status=from_status,
                                       to_status=report.status, actor=acting_user, comment=comment)
    report_event_notify(event)
    return event


def _check_branch_writer(*, organization: Organization, acting_user) -> None:
    """Only the branch itself (or someone above it with the write permission) writes its report."""
    if not acting_user.has_perm("reports.change_quarterlyreport"):
        raise PermissionDenied(_("您的角色不能填写季度报告。"))
    if not Organization.objects.visible_to(acting_user).filter(pk=organization.pk).exists():
        raise PermissionDenied(_("只能填写本组织及下级组织的季度报告。"))


def _check_reviewer(*, report: QuarterlyReport, acting_user) -> None:
    if not acting_user.has_perm("reports.review_quarterlyreport"):
        raise PermissionDenied(_("只有上级党(工)委或组织部的审核人可以审核季度报告，党支部书记不能审核。"))
    if acting_user.organization_id == report.organization_id:
        raise PermissionDenied(_("不能审核本党组织自己的季度报告，请由上级党组织审核。"))
    reviewer_org = acting_user.organization
    if reviewer_org is None or not report.organization.is_within(reviewer_org):
        raise PermissionDenied(_("只能审核下级党组织的季度报告。"))


def _locked(report: QuarterlyReport) -> QuarterlyReport:
    return QuarterlyReport.objects.select_for_update(of=("self",)).select_related("organization").get(pk=report.pk)


@transaction.atomic
def report_start(*, organization: Organization, quarter: Quarter, acting_user) -> QuarterlyReport:
    """Open the draft of ``organization``'s report for ``quarter``."""
    if not organization.holds_members:
        raise ValidationError(_("只有党支部（党总支、临时党支部、党小组）填报季度报告。"))
    _check_branch_writer(organization=organization, acting_user=acting_user)
    if QuarterlyReport.objects.filter(organization=organization, year=quarter.year, quarter=quarter.number).exists():
        raise ValidationError(_("%(org)s %(quarter)s的报告已经存在，请直接打开修改。")
                              % {"org": organization, "quarter": quarter.label})
    report = QuarterlyReport(organization=organization, year=quarter.year, quarter=quarter.number,
                             created_by=acting_user)
    report.full_clean()
    report.save()
    _log(report, action=ReportEvent.Action.CREATE, from_status="", acting_user=acting_user)
    return report


@transaction.atomic
def report_update(*, report: QuarterlyReport, acting_user, **fields) -> QuarterlyReport:
    """Change the branch's own text; only while the report is a draft or was returned."""
    current = _locked(report)
    _check_branch_writer(organization=current.organization, acting_user=acting_user)
    if not current.is_editable:
        raise ValidationError(_("报告已%(status)s，不能再修改。如需修改，请联系上级党组织退回。")
                              % {"status": current.get_status_display()})
    unknown = set(fields) - set(TEXT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    return current


@transaction.atomic
def report_submit(*, report: QuarterlyReport, acting_user) -> QuarterlyReport:
    """Submit (or resubmit after a return): freeze the figures and lock the report."""
    current = _locked(report)
    _check_branch_writer(organization=current.organization, acting_user=acting_user)
    if not current.is_editable:
        raise ValidationError(_("报告已%(status)s，不能重复提交。") % {"status": current.get_status_display()})
    errors = {
        name: _("提交前请填写“%(label)s”。") % {"label": QuarterlyReport._meta.get_field(name).verbose_name}
        for name in QuarterlyReport.REQUIRED_ON_SUBMIT
        if not getattr(current, name).strip()
    }
    if errors:
        raise ValidationError(errors)
    units = Organization.objects.filter(pk=current.organization_id)
    current.statistics = branch_statistics(units, current.period)[current.organization_id]
    previous = current.status
    current.status = ReportStatus.SUBMITTED
    current.submitted_at = timezone.now()
    current.full_clean()
    current.save()
    action = ReportEvent.Action.RESUBMIT if previous == ReportStatus.RETURNED else ReportEvent.Action.SUBMIT
    _log(current, action=action, from_status=previous, acting_user=acting_user)
    return current


def _check_not_own_report(report: QuarterlyReport, acting_user) -> None:
    """Separation of duties: who wrote or submitted the report does not approve it, whatever their role."""
    submitted = report.events.filter(actor=acting_user,
                                     action__in=(ReportEvent.Action.SUBMIT, ReportEvent.Action.RESUBMIT))
    if report.created_by_id == acting_user.pk or submitted.exists():
        raise PermissionDenied(_("不能审核通过本人填写或提交的季度报告，请由其他审核人审核。"))


def _review(report: QuarterlyReport, *, acting_user, to_status: str, action: str, comment: str) -> QuarterlyReport:
    current = _locked(report)
    _check_reviewer(report=current, acting_user=acting_user)
    if action == ReportEvent.Action.APPROVE:
        _check_not_own_report(current, acting_user)
    if current.status != ReportStatus.SUBMITTED:
        raise ValidationError(_("只能审核已提交的报告（该报告当前状态：%(status)s）。")
                              % {"status": current.get_status_display()})
    previous = current.status
    current.status = to_status
    current.review_comment = comment
    current.save()
    _log(current, action=action, from_status=previous, acting_user=acting_user, comment=comment)
    return current


@transaction.atomic
def report_approve(*, report: QuarterlyReport, acting_user, comment: str = "") -> QuarterlyReport:
    return _review(report, acting_user=acting_user, to_status=ReportStatus.APPROVED,
                   action=ReportEvent.Action.APPROVE, comment=comment.strip())


@transaction.atomic
def report_return(*, report: QuarterlyReport, acting_user, comment: str) -> QuarterlyReport:
    """Send the report back to the branch; the comment tells it what to change."""
    if not (comment or "").strip():
        raise ValidationError({"comment": _("退回时必须填写审核意见，说明需要修改的内容。")})
    return _review(report, acting_user=acting_user, to_status=ReportStatus.RETURNED,
                   action=ReportEvent.Action.RETURN, comment=comment.strip())

