from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from reports.periods import Quarter
from transfers.selectors import temporary_branches_reporting_to


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("草稿")
    SUBMITTED = "submitted", _("已提交")
    RETURNED = "returned", _("已退回")
    APPROVED = "approved", _("已审核通过")


#: Shown on the review page for a branch that has not started its report.
NOT_STARTED = "not_started"
NOT_STARTED_LABEL = _("未开始")
#: Statuses the branch may still edit; the others are locked.
EDITABLE_STATUSES = (ReportStatus.DRAFT, ReportStatus.RETURNED)
#: Statuses that count as filed on time (not overdue).
FILED_STATUSES = (ReportStatus.SUBMITTED, ReportStatus.APPROVED)


class QuarterlyReportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The reports of the user's subtree, and those of the temporary branches holding its members.

        A temporary branch reports to its members' origin: the origin branch
        reads its reports, though the branch hangs under the committee.
        """
        subtree = Organization.objects.visible_to(user)
        return self.filter(Q(organization__in=subtree.values("pk"))
                           | Q(organization__in=temporary_branches_reporting_to(subtree)))

    def in_subtree_of(self, user):
        """The reports the user's own subtree files: the only ones the user may write or review."""
        return self.filter(organization__in=Organization.objects.visible_to(user))

    def for_quarter(self, quarter: Quarter):
        return self.filter(year=quarter.year, quarter=quarter.number)

    def with_relations(self):
        return self.select_related("organization", "created_by")


class QuarterlyReport(models.Model):
    """A branch's quarterly report: figures frozen at submission plus the branch's own text."""

    organization = models.ForeignKey(
        Organization, verbose_name=_("党组织"), on_delete=models.PROTECT, related_name="quarterly_reports"
    )
    year = models.PositiveSmallIntegerField(_("年度"), validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    quarter = models.PositiveSmallIntegerField(_("季度"), validators=[MinValueValidator(1), MaxValueValidator(4)])
    status = models.CharField(_("状态"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.DRAFT)
    statistics = models.JSONField(
        _("统计数据"), default=dict, blank=True, help_text=_("提交时由系统生成并固定，之后不再变化")
    )
    work_done = models.TextField(_("本季度开展的工作"), blank=True)
    problems = models.TextField(_("存在的问题和下步打算"), blank=True)
    review_comment = models.TextField(_("审核意见"), blank=True)
    created_by = models.ForeignKey(
        "accounts.User", verbose_name=_("填报人"), on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    submitted_at = models.DateTimeField(_("提交时间"), null=True, blank=True)

    objects = QuarterlyReportQuerySet.as_manager()

    #: Text fields that must be filled in before the report can be submitted.
    REQUIRED_ON_SUBMIT = ("work_done", "problems")

    class Meta:
        verbose_name = _("季度报告")
        verbose_name_plural = _("季度报告")
        ordering = ["-year", "-quarter", "organization__path"]
        permissions = [("review_quarterlyreport", _("审核季度报告"))]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "year", "quarter"], name="report_one_per_branch_quarter",
                violation_error_message=_("该党组织本季度的报告已存在。"),
            ),
        ]
        indexes = [models.Index(fields=["year", "quarter", "status"], name="report_quarter_status_idx")]

    def __str__(self):
        return f"{self.organization} {self.period.label}"

    def get_absolute_url(self):
        return reverse("reports:detail", args=[self.pk])

    @property
    def period(self) -> Quarter:
        return Quarter(self.year, self.quarter)

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ReportEvent(models.Model):
    """One step of a report's workflow: who did what, when, and why."""

    class Action(models.TextChoices):
        CREATE = "create", _("创建")
        SUBMIT = "submit", _("提交")
        RETURN = "return", _("退回")
        RESUBMIT = "resubmit", _("重新提交")
        APPROVE = "approve", _("审核通过")

    report = models.ForeignKey(QuarterlyReport, on_delete=models.CASCADE, related_name="events", verbose_name=_("报告"))
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    from_status = models.CharField(_("原状态"), max_length=16, choices=ReportStatus.choices, blank=True)
    to_status = models.CharField(_("新状态"), max_length=16, choices=ReportStatus.choices)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人"))
    comment = models.TextField(_("意见"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("报告流转记录")
        verbose_name_plural = _("报告流转记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.report} {self.get_action_display()}"


class FigureGeneration(models.Model):
    """How many times the records behind an organization's figures have changed (see ``reports.aggregates``).

    Bumped by PostgreSQL triggers on every write to the tables the figures
    read, inside the writing transaction, so no write can be missed: services,
    imports, jobs and raw SQL alike.
    """

    organization_id = models.BigIntegerField(_("党组织"), primary_key=True)
    generation = models.BigIntegerField(_("版本"), default=0)

    class Meta:
        verbose_name = _("统计数字版本")
        verbose_name_plural = _("统计数字版本")


class StoredFigures(models.Model):
    """One organization's figures for one key (a quarter, or the dashboard's 12 months), as of a generation.

    A row is current only while its ``generation`` equals the organization's
    ``FigureGeneration``; an older row is recomputed on the next read or by
    the refresh job, so the figures read are always exact.
    """

    organization_id = models.BigIntegerField(_("党组织"))
    key = models.CharField(_("口径"), max_length=24)
    generation = models.BigIntegerField(_("版本"))
    figures = models.JSONField(_("数字"))

    class Meta:
        verbose_name = _("统计数字")
        verbose_name_plural = _("统计数字")
        constraints = [models.UniqueConstraint(fields=["organization_id", "key"], name="stored_figures_unique")]

    def __str__(self):
        return f"{self.organization_id} {self.key}"
