from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from notifications.choices import NotificationKind


class NotificationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Everybody sees their own notifications and nobody else's."""
        if not user.is_authenticated:
            return self.none()
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    """One reminder for one person.

    ``subject_key`` names what the reminder is about (``member:12``,
    ``organization:3``, or empty for a general one) and ``period`` when it
    applies (``2026-11``, ``2026Q3``, ``flag-41`` …). Together with the
    recipient and the kind they are unique, so a job that runs twice inserts
    nothing the second time.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications",
                                  verbose_name=_("接收人"))
    kind = models.CharField(_("类别"), max_length=32, choices=NotificationKind.choices)
    subject_key = models.CharField(_("事项"), max_length=64, blank=True)
    member = models.ForeignKey("members.Member", on_delete=models.CASCADE, null=True, blank=True,
                               related_name="+", verbose_name=_("党员"))
    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE, null=True, blank=True,
                                     related_name="+", verbose_name=_("党组织"))
    period = models.CharField(_("周期"), max_length=64)
    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("内容"), blank=True)
    link = models.CharField(_("链接"), max_length=200, blank=True, help_text=_("处理该事项的页面"))
    created_at = models.DateTimeField(_("时间"), default=timezone.now)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    emailed_at = models.DateTimeField(_("邮件发送时间"), null=True, blank=True)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "kind", "subject_key", "period"],
                                    name="notification_once_per_period"),
        ]
        indexes = [
            models.Index(fields=["recipient", "read_at"], name="notification_unread_idx"),
            # the e-mail job reads the unmailed rows recipient by recipient and marks each one's rows
            models.Index(fields=["recipient", "id"], condition=Q(emailed_at__isnull=True),
                         name="notification_unmailed_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        if self.link:
            return self.link
        if self.member_id:
            return reverse("members:detail", args=[self.member_id])
        return reverse("notifications:list")

    @property
    def is_read(self):
        return self.read_at is not None


class EmailDigest(models.Model):
    """The one e-mail a recipient gets on a day, listing the notifications not mailed before.

    Unique per recipient and day: the row is written before the message is
    sent, so a second run (or a retry running at the same time) sends nothing
    to the same person on the same day.
    """

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("接收人"))
    day = models.DateField(_("日期"))
    notifications = models.PositiveIntegerField(_("提醒条数"), default=0)
    sent_at = models.DateTimeField(_("发送时间"), default=timezone.now)

    class Meta:
        verbose_name = _("每日提醒邮件")
        verbose_name_plural = _("每日提醒邮件")
        constraints = [models.UniqueConstraint(fields=["recipient", "day"], name="email_digest_once_a_day")]

    def __str__(self):
        return f"{self.recipient_id} {self.day}"
