from datetime import date

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from activity_cards.choices import CardAction, CardStatus, PhotoKind, RemarkKind, VerificationResult
from activity_cards.photos import photo_storage_name
from activity_cards.validators import validate_photo
from members.models import Member
from organizations.models import Organization
from transfers.check_codes import new_check_code
from transfers.choices import Handling, Purpose
from transfers.models import Outflow

#: The origin verifies a card at least once a year; a card is replaced after 3 years.
VERIFY_EVERY_DAYS = 365
DUE_SOON_DAYS = 30
REPLACE_AFTER_YEARS = 3


def years_after(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


class CardNumberCounter(models.Model):
    """The last serial handed out per province and year; locked while a number is drawn.

    Serials only go up, so a number is never handed out twice, even after
    a card is revoked.
    """

    province_code = models.CharField(_("省级代码"), max_length=2)
    year = models.PositiveSmallIntegerField(_("年份"))
    last_serial = models.PositiveIntegerField(_("已用流水号"), default=0)

    class Meta:
        verbose_name = _("活动证编号计数器")
        verbose_name_plural = _("活动证编号计数器")
        constraints = [models.UniqueConstraint(fields=["province_code", "year"], name="card_counter_unique")]

    def __str__(self):
        return f"{self.province_code}{self.year}: {self.last_serial}"


class ActivityCardQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Cards of members the user's subtree holds or hosts, and cards filed with the subtree."""
        subtree = Organization.objects.visible_to(user).order_by().values("pk")
        members = Member.objects.visible_to(user).order_by().values("pk")
        return self.filter(Q(member__any_of=members) | Q(filed_with__any_of=subtree))

    def with_relations(self):
        return self.select_related("member", "member__organization", "member__host_organization",
                                   "issued_by", "filed_with")

    def valid(self):
        return self.filter(status=CardStatus.VALID)


def photo_path(card, filename):
    """A random name: the services hand over ``photo.jpg``/``photo.png`` re-encoded (``activity_cards.photos``)."""
    return photo_storage_name(filename.rsplit(".", 1)[-1].lower() if "." in filename else "")


class ActivityCard(models.Model):
    """A 流动党员活动证 in the national format, issued by a grassroots committee."""

    number = models.CharField(_("证件编号"), max_length=16, unique=True, editable=False)
    check_code = models.CharField(_("核验码"), max_length=8, default=new_check_code, editable=False,
                                  help_text=_("随机生成，印在活动证上；流入地党组织凭编号和核验码认领党员"))
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="activity_cards",
                               verbose_name=_("党员"))
    issued_by = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="issued_cards",
                                  verbose_name=_("发证党委"))
    issued_by_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                       verbose_name=_("经办人"))
    filed_with = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="filed_cards",
                                   verbose_name=_("备案党组织"), help_text=_("发证党委的上级党组织"))
    outflow = models.ForeignKey(Outflow, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="activity_cards", verbose_name=_("外出登记"),
                                help_text=_("发证所依据的、已批准发放活动证的外出登记"))
    issued_on = models.DateField(_("发证日期"))
    purpose = models.CharField(_("外出类型"), max_length=16, choices=Purpose.choices)
    reason = models.CharField(_("外出事由"), max_length=200)
    destination_division = models.ForeignKey("places.Division", on_delete=models.PROTECT, null=True, blank=True,
                                             related_name="+", verbose_name=_("外出地点（省、市、区县）"))
    abroad_country = models.ForeignKey("places.Country", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("出国（境）国家（地区）"))
    destination = models.CharField(_("外出地点"), max_length=200, help_text=_("取自外出登记的地点全称和详细地址"))
    departure_date = models.DateField(_("外出时间"))
    expected_months = models.PositiveSmallIntegerField(_("预计外出时长（月）"))
    recommended_handling = models.CharField(_("按规定应采取的方式"), max_length=24, choices=Handling.choices)
    override_reason = models.TextField(
        _("发放活动证的理由"), blank=True,
        help_text=_("规定建议开具证明信或转移组织关系时，必须写明仍发放活动证的理由"),
    )
    photo = models.ImageField(_("照片"), upload_to=photo_path, validators=[validate_photo])
    photo_kind = models.CharField(_("照片类别"), max_length=16, choices=PhotoKind.choices, default=PhotoKind.PHOTO)
    status = models.CharField(_("状态"), max_length=16, choices=CardStatus.choices, default=CardStatus.VALID)
    closed_on = models.DateField(_("换发/收回/注销日期"), null=True, blank=True)
    closed_reason = models.CharField(_("换发/收回/注销原因"), max_length=200, blank=True)
    replaces = models.OneToOneField("self", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="replaced_by", verbose_name=_("换发前的旧证"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    objects = ActivityCardQuerySet.as_manager()

    class Meta:
        verbose_name = _("流动党员活动证")
        verbose_name_plural = _("流动党员活动证")
        ordering = ["-issued_on", "-id"]
        permissions = [
            ("record_card_entries", _("在活动证上登记组织生活、党费、地点变动和表现")),
            ("verify_activitycard", _("年度查验活动证")),
        ]
        indexes = [
            models.Index(fields=["status", "issued_on"], name="card_status_issued_idx"),
            models.Index(fields=["member", "status"], name="card_member_status_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status="valid"), name="one_valid_card_per_member",
                violation_error_message=_("该党员已有一张有效的活动证，不能重复发放；如需换发，请使用“到期换发”。"),
            ),
        ]

    def __str__(self):
        return f"{self.number} {self.member}"

    def get_absolute_url(self):
        return reverse("activity_cards:detail", args=[self.pk])

    @property
    def is_valid(self):
        return self.status == CardStatus.VALID

    @property
    def replace_due_on(self):
        return years_after(self.issued_on, REPLACE_AFTER_YEARS)


class CardVerification(models.Model):
    """The origin's annual check of the card (at least once a year)."""

    card = models.ForeignKey(ActivityCard, on_delete=models.CASCADE, related_name="verifications",
                             verbose_name=_("活动证"))
    verified_on = models.DateField(_("查验日期"))
    verified_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("查验人"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("查验党组织"))
    result = models.CharField(_("查验结果"), max_length=16, choices=VerificationResult.choices)
    notes = models.TextField(_("情况说明"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("活动证查验记录")
        verbose_name_plural = _("活动证查验记录")
        ordering = ["-verified_on", "-id"]
        indexes = [models.Index(fields=["card", "verified_on"], name="card_verified_idx")]


class CardEntry(models.Model):
    """Common fields of what the host writes on the card."""

    card = models.ForeignKey(ActivityCard, on_delete=models.CASCADE, verbose_name=_("活动证"))
    recorded_by = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("登记党组织"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        abstract = True


class CardRemark(CardEntry):
    """Good deeds or errors noted by the host."""

    kind = models.CharField(_("类别"), max_length=16, choices=RemarkKind.choices)
    noted_on = models.DateField(_("日期"))
    content = models.CharField(_("内容"), max_length=300)

    class Meta:
        verbose_name = _("表现记录")
        verbose_name_plural = _("表现记录")
        ordering = ["noted_on", "id"]
        indexes = [models.Index(fields=["card", "noted_on"], name="card_remark_idx")]


class CardEvent(models.Model):
    """The card's history: every transition and entry, with who did it."""

    card = models.ForeignKey(ActivityCard, on_delete=models.CASCADE, related_name="events",
                             verbose_name=_("活动证"))
    action = models.CharField(_("操作"), max_length=16, choices=CardAction.choices)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("操作人"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     null=True, verbose_name=_("操作党组织"))
    note = models.CharField(_("说明"), max_length=300, blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("活动证记录")
        verbose_name_plural = _("活动证记录")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["card", "at"], name="card_event_idx")]
