"""The member's own page (党员本人报告): links, what members send, and the branch's notices to them."""
import secrets
import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.models import Member
from organizations.models import Organization
from portal import places

#: 32 random bytes, URL-safe: nobody guesses a link, and a wrong guess is told nothing more than 链接无效.
TOKEN_BYTES = 32


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def _photo_path(instance, filename):
    # Random name, extension chosen by the server after re-encoding (``activity_cards.photos``).
    return f"portal/photos/{uuid.uuid4().hex}.{filename.rsplit('.', 1)[-1]}"


def _attachment_path(instance, filename):
    return f"portal/notices/{uuid.uuid4().hex}"


class PortalLinkQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Links of the members whose relationship is held in the user's subtree (the origin issues them)."""
        return self.filter(member__in=Member.objects.held_by(user))

    def active(self):
        return self.filter(revoked_at__isnull=True)


class PortalLink(models.Model):
    """A member's personal link. The token is kept as issued: the secretary prints and resends it.

    ``organization`` is the branch that issued it: once the relationship moves elsewhere the link is dead.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="portal_links",
                               verbose_name=_("党员"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("发放党组织"))
    token = models.CharField(_("链接令牌"), max_length=64, unique=True, default=new_token, editable=False)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("发放人"))
    created_at = models.DateTimeField(_("发放时间"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    failed_checks = models.PositiveSmallIntegerField(_("连续核对失败次数"), default=0)
    locked_until = models.DateTimeField(_("锁定至"), null=True, blank=True)

    objects = PortalLinkQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员本人链接")
        verbose_name_plural = _("党员本人链接")
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=Q(revoked_at__isnull=True),
                                    name="portal_one_active_link"),
        ]

    def __str__(self):
        return f"{self.member}"


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What members of the user's subtree sent (the branch the member belonged to when sending)."""
        return self.filter(organization__in=Organization.objects.visible_to(user))

    def pending(self):
        return self.filter(status=Submission.Status.PENDING)

    def with_relations(self):
        return self.select_related("member", "organization", "decided_by").prefetch_related("photos")


class Submission(models.Model):
    """One thing a member sent from their page; it reaches the record only when the secretary accepts it."""

    class Kind(models.TextChoices):
        DETAILS = "details", _("现居住地和联系方式")
        THOUGHT = "thought", _("思想汇报")
        LIFE = "life", _("参加组织生活")
        DUES = "dues", _("交纳党费")
        HELP = "help", _("困难求助")

    class Status(models.TextChoices):
        PENDING = "pending", _("待处理")
        ACCEPTED = "accepted", _("已采纳")
        DECLINED = "declined", _("未采纳")

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="portal_submissions",
                               verbose_name=_("党员"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("党支部"))
    kind = models.CharField(_("类别"), max_length=16, choices=Kind.choices)
    #: What the member filled in (and, for 信息变更, the record's values when it was sent: ``{"old":…, "new":…}``).
    data = models.JSONField(_("内容"), default=dict)
    sent_at = models.DateTimeField(_("报送时间"), auto_now_add=True)
    sent_on = models.DateField(_("报送日期"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("处理人"))
    decided_at = models.DateTimeField(_("处理时间"), null=True, blank=True)
    decline_reason = models.TextField(_("未采纳的理由"), blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员本人报告")
        verbose_name_plural = _("党员本人报告")
        ordering = ["-sent_at", "-id"]
        indexes = [models.Index(fields=["organization", "status", "sent_at"], name="portal_inbox_idx")]
        constraints = [
            models.CheckConstraint(condition=~Q(status="declined") | ~Q(decline_reason=""),
                                   name="portal_decline_reason_required",
                                   violation_error_message=_("不采纳时必须写明理由。")),
        ]

    def __str__(self):
        return f"{self.member} {self.get_kind_display()}"

    def display_rows(self) -> list[tuple[str, str, str | None]]:
        """(label, new value, old value or None) for the inbox: 信息变更 shows old → new for what changed."""
        data = self.data
        if self.kind == self.Kind.DETAILS:
            return [(Member._meta.get_field(name).verbose_name, places.display_value(name, data["new"].get(name, "")),
                     places.display_value(name, old))
                    for name, old in data["old"].items() if data["new"].get(name, "") != old]
        labels = _DATA_LABELS[self.kind]
        return [(label, str(data.get(name, "")), None) for name, label in labels if data.get(name, "") != ""]


_DATA_LABELS = {
    Submission.Kind.THOUGHT: [("text", _("内容"))],
    Submission.Kind.LIFE: [("attended_on", _("参加日期")), ("life_kind_label", _("活动类型")), ("host", _("党组织")),
                           ("topic", _("主题"))],
    Submission.Kind.DUES: [("first_month", _("起始月份")), ("last_month", _("截止月份")), ("amount", _("金额（元）")),
                           ("paid_on", _("交纳日期")), ("paid_where", _("交纳地")), ("receipt_number", _("收据编号"))],
    Submission.Kind.HELP: [("help_kind_label", _("困难类别")), ("text", _("情况"))],
}


class SubmissionPhoto(models.Model):
    """A photo of a handwritten thought report, re-encoded, under a random name, never at a public URL."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(_("照片"), upload_to=_photo_path)
    content_type = models.CharField(max_length=16)

    class Meta:
        verbose_name = _("思想汇报照片")
        verbose_name_plural = _("思想汇报照片")
        ordering = ["id"]


class NoticeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(organization__in=Organization.objects.visible_to(user))

    def for_member(self, member: Member):
        """Notices of the member's branch and of the committees above it."""
        path, steplen = member.organization.path, Organization.steplen
        return self.filter(organization__path__in=[path[:end] for end in range(steplen, len(path) + 1, steplen)])


class Notice(models.Model):
    """通报: what the origin tells its members away. Shown on their page; never pushed, so never pushed twice."""

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("发布党组织"))
    title = models.CharField(_("标题"), max_length=100)
    body = models.TextField(_("内容"))
    attachment = models.FileField(_("附件"), upload_to=_attachment_path, blank=True)
    attachment_name = models.CharField(_("附件名称"), max_length=100, blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("发布人"))
    created_at = models.DateTimeField(_("发布时间"), auto_now_add=True)

    objects = NoticeQuerySet.as_manager()

    class Meta:
        verbose_name = _("通报")
        verbose_name_plural = _("通报")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title


class NoticeRead(models.Model):
    """The first time a member opened a notice (one row per member and notice)."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="reads")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    opened_at = models.DateTimeField(_("阅读时间"), auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "member"], name="portal_notice_read_once")]
