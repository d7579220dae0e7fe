from django.db import models
from django.utils.translation import gettext_lazy as _


class InactivityCondition(models.TextChoices):
    ORGANIZATIONAL_LIFE = "life", _("连续6个月未参加组织生活")
    DUES = "dues", _("连续6个月未交纳党费")
    ASSIGNED_WORK = "work", _("连续6个月未做党组织分配的工作")


class FlagStatus(models.TextChoices):
    FLAGGED = "flagged", _("待谈话")
    TALK_HELD = "talk_held", _("已谈话教育")
    RESOLVED = "resolved", _("已纠正")
    LAPSE_PROPOSED = "lapse_proposed", _("支部拟按自行脱党处理")
    LAPSE_APPROVED = "lapse_approved", _("党(工)委已批准自行脱党")


#: Statuses the daily scan may clear when the condition ends. A proposal
#: before the committee, or its decision, is left for people.
AUTO_CLEARABLE_FLAG_STATUSES = (FlagStatus.FLAGGED, FlagStatus.TALK_HELD, FlagStatus.RESOLVED)


class CaseStatus(models.TextChoices):
    OPEN = "open", _("失联待处理")
    SUSPENSION_PROPOSED = "suspension_proposed", _("支部拟停止党籍")
    SUSPENDED = "suspended", _("党(工)委已批准停止党籍")
    REMOVAL_PROPOSED = "removal_proposed", _("支部拟除名")
    REMOVED = "removed", _("党(工)委已批准除名")


AUTO_CLOSABLE_CASE_STATUSES = (CaseStatus.OPEN,)


class IncrementalJob(models.TextChoices):
    """The daily jobs that look again only at what can have changed since their last run (``jobs.changes``)."""

    INACTIVITY_SCAN = "scan", _("不活跃与失联扫描")
    DEADLINES = "deadlines", _("到期事项提醒")
