from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from jobs.choices import CaseStatus, FlagStatus, InactivityCondition, IncrementalJob
from members.models import Member
from transfers.selectors import relationship_held_outside


class SupervisedQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Flags and cases are the business of the organization holding the relationship."""
        return self.filter(member__in=Member.objects.held_by(user))

    def open(self):
        return self.filter(cleared_on__isnull=True)

    def with_relations(self):
        return self.select_related("member", "member__organization")


class InactivityFlag(models.Model):
    """A member who met one of the three 6-month inactivity conditions (自行脱党 path).

    The scan opens the flag and clears it (``cleared_on``) when the condition
    ends; everything in between is decided by people. At most one flag per
    member and condition is open at a time, and a flag people marked
    resolved stays open until the records show the condition has ended, so
    the same inactive spell is never flagged twice. A proposal before the
    committee, and its decision, are never cleared by the scan.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="inactivity_flags",
                               verbose_name=_("党员"))
    condition = models.CharField(_("情形"), max_length=8, choices=InactivityCondition.choices)
    last_record_on = models.DateField(
        _("最后记录"), null=True, blank=True,
        help_text=_("组织生活：最后参加日期；党费：缴至月份；工作：最早未完成工作的布置日期。空表示登记以来无记录。"))
    flagged_on = models.DateField(_("发现日期"))
    status = models.CharField(_("状态"), max_length=16, choices=FlagStatus.choices, default=FlagStatus.FLAGGED)
    talk_on = models.DateField(_("谈话日期"), null=True, blank=True)
    talk_notes = models.TextField(_("谈话记录"), blank=True)
    resolution_notes = models.TextField(_("纠正情况"), blank=True)
    proposal_reason = models.TextField(_("处理意见"), blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("提出人"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("审批人"))
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    decision_notes = models.TextField(_("审批意见"), blank=True)
    cleared_on = models.DateField(_("情形消除日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = SupervisedQuerySet.as_manager()

    class Meta:
        verbose_name = _("不活跃提示")
        verbose_name_plural = _("不活跃提示")
        ordering = ["-flagged_on", "-id"]
        permissions = [("decide_lapse", _("审批自行脱党"))]
        constraints = [
            models.UniqueConstraint(fields=["member", "condition"], condition=Q(cleared_on__isnull=True),
                                    name="one_open_flag_per_condition"),
        ]
        indexes = [models.Index(fields=["status", "cleared_on"], name="flag_status_idx")]

    def __str__(self):
        return f"{self.member} · {self.get_condition_display()}"

    def get_absolute_url(self):
        return reverse("jobs:flag_detail", args=[self.pk])

    @cached_property
    def relationship_held_outside(self) -> str:
        """Who decides a lapse when the relationship is outside the system ("" when it is here)."""
        return relationship_held_outside(self.member)

    @property
    def is_open(self):
        return self.cleared_on is None


class LostContactCase(models.Model):
    """A member unreachable for 6 months despite attempts (失联), a path separate from lapsing."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="lost_contact_cases",
                               verbose_name=_("党员"))
    last_reached_on = models.DateField(_("最后联系上日期"), null=True, blank=True)
    opened_on = models.DateField(_("发现日期"))
    status = models.CharField(_("状态"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.OPEN)
    proposal_reason = models.TextField(_("处理意见"), blank=True)
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("提出人"))
    suspended_on = models.DateField(_("停止党籍日期"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("审批人"))
    decided_on = models.DateField(_("审批日期"), null=True, blank=True)
    decision_notes = models.TextField(_("审批意见"), blank=True)
    cleared_on = models.DateField(_("恢复联系日期"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = SupervisedQuerySet.as_manager()

    class Meta:
        verbose_name = _("失联党员")
        verbose_name_plural = _("失联党员")
        ordering = ["-opened_on", "-id"]
        permissions = [("decide_suspension", _("审批停止党籍和除名"))]
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=Q(cleared_on__isnull=True),
                                    name="one_open_lost_contact_case"),
        ]
        indexes = [models.Index(fields=["status", "cleared_on"], name="case_status_idx"),
                   models.Index(fields=["suspended_on"], name="case_suspended_idx")]

    def __str__(self):
        return f"{self.member} · {self.get_status_display()}"

    def get_absolute_url(self):
        return reverse("jobs:case_detail", args=[self.pk])

    @property
    def is_open(self):
        return self.cleared_on is None


class ScheduledJobRun(models.Model):
    """The last run of one entry of CELERY_BEAT_SCHEDULE, written by the worker (jobs/schedule_runs.py)."""

    name = models.CharField(_("定时任务"), max_length=100, unique=True)
    last_started = models.DateTimeField(_("最近开始"), null=True, blank=True)
    last_finished = models.DateTimeField(_("最近结束"), null=True, blank=True)
    ok = models.BooleanField(_("最近一次成功"), default=False)
    error = models.CharField(_("错误"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("定时任务运行记录")
        verbose_name_plural = _("定时任务运行记录")
        default_permissions = ("view",)

    def __str__(self):
        return self.name


class MemberChange(models.Model):
    """A member whose rows one of the daily jobs reads were written since that job took its last look.

    Written by PostgreSQL triggers (migration ``jobs.0004``) inside the writing
    transaction, whoever writes: services, imports, the admin, raw SQL. Read and
    deleted by the job (``jobs.changes``); ``taken`` marks the rows a running job is examining.
    """

    pk = models.CompositePrimaryKey("job", "member_id")
    job = models.CharField(_("定时任务"), max_length=16, choices=IncrementalJob.choices)
    member_id = models.BigIntegerField(_("党员"))
    taken = models.BooleanField(_("本次运行已取"), default=False)

    class Meta:
        verbose_name = _("待复查党员")
        verbose_name_plural = _("待复查党员")
        default_permissions = ()
        indexes = [models.Index(fields=["job", "member_id"], condition=Q(taken=True), name="member_change_taken_idx")]


class IncrementalRun(models.Model):
    """The day up to which a daily job's results are current (``jobs.changes``)."""

    job = models.CharField(_("定时任务"), max_length=16, choices=IncrementalJob.choices, primary_key=True)
    through = models.DateField(_("已处理至"))

    class Meta:
        verbose_name = _("定时任务处理进度")
        verbose_name_plural = _("定时任务处理进度")
        default_permissions = ()

    def __str__(self):
        return f"{self.get_job_display()} · {self.through}"
