"""Help given to members in difficulty (关爱帮扶): one request per difficulty, the steps taken, solved or not.

The records belong to the member: they are seen wherever the member is seen
(origin and host alike) and stay with the member when the organization that
made them (a temporary branch, say) is dissolved. ``recorded_by`` is the
organization handling the request; the quarterly report counts its work there.
"""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from assistance.choices import DifficultyKind, HelpActionKind, HelpSource, HelpStatus
from members.models import ContactAttempt, Member
from organizations.models import Organization


class HelpRequestQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Requests about the members the user sees (held or hosted in the user's subtree)."""
        return self.filter(member__in=Member.objects.visible_to(user).values("pk"))

    def open(self):
        return self.filter(status=HelpStatus.OPEN)

    def with_relations(self):
        return self.select_related("member", "recorded_by")


class HelpRequest(models.Model):
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="help_requests", verbose_name=_("党员"))
    kind = models.CharField(_("困难类别"), max_length=24, choices=DifficultyKind.choices)
    description = models.TextField(_("困难情况"))
    source = models.CharField(_("来源"), max_length=16, choices=HelpSource.choices)
    opened_on = models.DateField(_("提出日期"))
    status = models.CharField(_("状态"), max_length=8, choices=HelpStatus.choices, default=HelpStatus.OPEN,
                              editable=False)
    solved_on = models.DateField(_("解决日期"), null=True, blank=True, editable=False)
    outcome = models.TextField(_("解决情况"), blank=True)
    recorded_by = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("负责党组织"))
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("登记人"),
                                   help_text=_("党员本人在自己的页面提出时为空"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()
    objects = HelpRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("困难帮扶")
        verbose_name_plural = _("困难帮扶")
        ordering = ["-opened_on", "-id"]
        indexes = [
            models.Index(fields=["status", "opened_on"], name="help_status_opened_idx"),
            models.Index(fields=["recorded_by", "solved_on"], name="help_solved_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status=HelpStatus.OPEN, solved_on__isnull=True)
                | Q(status=HelpStatus.SOLVED, solved_on__isnull=False),
                name="help_solved_has_date"),
        ]

    def __str__(self):
        return f"{self.member.name}：{self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("assistance:detail", args=[self.pk])

    def clean(self):
        if self.solved_on and self.opened_on and self.solved_on < self.opened_on:
            raise ValidationError({"solved_on": _("解决日期不能早于提出日期。")})

    @property
    def is_open(self) -> bool:
        return self.status == HelpStatus.OPEN


class HelpAction(models.Model):
    """One thing done about a request: by whom, when, what."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="actions",
                                verbose_name=_("困难帮扶"))
    kind = models.CharField(_("帮扶方式"), max_length=8, choices=HelpActionKind.choices)
    done_on = models.DateField(_("日期"))
    done_by = models.CharField(_("帮扶人"), max_length=50, help_text=_("谁去办的，如 支委 王某"))
    what_done = models.TextField(_("做了什么"))
    contact = models.OneToOneField(ContactAttempt, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="help_action", verbose_name=_("联系记录"),
                                   help_text=_("走访慰问同时记入党员的联系记录"))
    recorded_by = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记党组织"))
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("帮扶记录")
        verbose_name_plural = _("帮扶记录")
        ordering = ["done_on", "id"]
        indexes = [models.Index(fields=["recorded_by", "kind", "done_on"], name="help_action_org_idx")]

    def __str__(self):
        return f"{self.done_on} {self.get_kind_display()}"
