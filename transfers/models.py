"""Outflow, inflow, return and the documents that go with them.

The origin organization and the host organization share these records:
everything here is visible where the member is visible (``Member.objects.
visible_to``), and an outflow also stays visible to the organization that
registered it after the relationship has moved away.
"""
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members.choices import DestinationUnitKind, FormerOccupation, Trade
from members.models import Member, MemberRecord
from organizations.models import Organization
from organizations.validators import validate_mainland_phone
from places.validation import destination_errors
from transfers.check_codes import new_check_code
from transfers.choices import (
    OPEN_OUTFLOW_STATUSES,
    ClaimStatus,
    DocumentKind,
    Handling,
    LetterStatus,
    OutflowStatus,
    Purpose,
    StepAction,
)
from transfers.rules import LETTER_DEFAULT_VALID_DAYS, LETTER_MAX_VALID_DAYS, RECEIPT_RETURN_MONTHS

#: Statuses of a letter the committee has issued; before that the receiver does not see it.
ISSUED_LETTER_STATUSES = (LetterStatus.ISSUED, LetterStatus.RECEIVED)
CHECK_CODE_HELP = _("随机生成，印在证件上；接收方凭证件编号和核验码认领党员")


class OutflowQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Outflows of the members the subtree sees, and outflows registered in it (each an index scan)."""
        subtree = Organization.objects.visible_to(user).order_by().values("pk")
        members = Member.objects.visible_to(user).order_by().values("pk")
        return self.filter(Q(member__any_of=members) | Q(origin_organization__any_of=subtree))

    def open(self):
        return self.filter(status__in=OPEN_OUTFLOW_STATUSES)

    def awaiting_approval_by(self, user):
        """Outflows a committee user may approve: submitted, from inside the user's subtree."""
        return self.filter(status=OutflowStatus.SUBMITTED,
                           origin_organization__in=Organization.objects.visible_to(user))

    def with_relations(self):
        return self.select_related("member", "origin_organization", "liaison", "created_by",
                                   "introduction_letter__receiving_organization", "certificate_letter",
                                   "temporary_branch", "return_registration")


class Outflow(models.Model):
    """外出登记: one departure of a member, from the talk before leaving to the return."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="outflows", verbose_name=_("党员"))
    origin_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="outflows", verbose_name=_("流出地党组织"))
    status = models.CharField(_("状态"), max_length=16, choices=OutflowStatus.choices,
                              default=OutflowStatus.SUBMITTED)
    # pre-departure talk (行前谈话)
    talk_date = models.DateField(_("行前谈话日期"))
    talk_by = models.CharField(_("谈话人"), max_length=50)
    talk_notes = models.TextField(_("谈话内容"), blank=True)
    # departure
    departure_date = models.DateField(_("外出时间"))
    expected_months = models.PositiveSmallIntegerField(
        _("预计外出时长（月）"), validators=[MinValueValidator(1), MaxValueValidator(240)])
    purpose = models.CharField(_("外出原因"), max_length=16, choices=Purpose.choices)
    fixed_place = models.BooleanField(_("有相对固定的地点"), default=True)
    can_transfer = models.BooleanField(_("组织关系可以转移"), default=True,
                                       help_text=_("如流入单位能够接收组织关系"))
    returns_often = models.BooleanField(_("经常返回原单位"), default=False)
    # destination
    destination_division = models.ForeignKey(
        "places.Division", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("流入地（省、市、区县）"), help_text=_("国内流动时选择，可输入地名或拼音首字母查找"))
    abroad_country = models.ForeignKey(
        "places.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("出国（境）国家（地区）"), help_text=_("出国（境）时选择，此时不选省市，城市写在下面"))
    # The readable text of the codes above (places.display.fill_place_text).
    destination_country = models.CharField(_("出国（境）国家（地区）名称"), max_length=50, blank=True, editable=False)
    destination_province = models.CharField(_("流入地省份"), max_length=30, blank=True, editable=False)
    destination_city = models.CharField(_("流入地城市"), max_length=30, blank=True,
                                        help_text=_("出国（境）时填写所在城市"))
    destination_address = models.CharField(_("流入地详细地址"), max_length=200)
    host_unit = models.CharField(_("流入单位"), max_length=100, blank=True)
    unit_has_party_org = models.BooleanField(_("流入单位有健全的党组织"), default=False)
    supervising_department = models.CharField(_("单位上级主管部门"), max_length=100, blank=True)
    unit_locality = models.CharField(_("单位所在乡镇（街道）"), max_length=100, blank=True)
    destination_unit_kind = models.CharField(
        _("流向单位类别"), max_length=32, choices=DestinationUnitKind.choices, blank=True,
        help_text=_("用于《流动党员情况（二）》按流向单位统计"))
    former_occupation = models.CharField(
        _("外出前职业"), max_length=32, choices=FormerOccupation.choices, blank=True,
        help_text=_("用于《流动党员情况（二）》按原从事职业统计"))
    # occupation and contact
    occupation = models.CharField(_("从事职业"), max_length=100)
    trade = models.CharField(_("所在行业"), max_length=32, choices=Trade.choices)
    phone = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[validate_mainland_phone])
    other_contact = models.CharField(_("其他联系方式"), max_length=100, blank=True)
    liaison = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="liaison_outflows", verbose_name=_("联系人"))
    # handling
    recommended_handling = models.CharField(_("建议处理方式"), max_length=24, choices=Handling.choices)
    recommendation_reason = models.TextField(_("建议理由"))
    handling = models.CharField(_("确定的处理方式"), max_length=24, choices=Handling.choices)
    override_reason = models.TextField(_("不采用建议的理由"), blank=True)
    # introduction letter details (used when handling is a transfer)
    receiving_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="incoming_outflows",
        verbose_name=_("接收党组织（本系统内）"))
    receiving_organization_name = models.CharField(_("接收党组织名称"), max_length=100, blank=True)
    letter_valid_days = models.PositiveSmallIntegerField(
        _("介绍信有效期（天）"), default=LETTER_DEFAULT_VALID_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(LETTER_MAX_VALID_DAYS, _("介绍信有效期最长3个月（90天）。"))])
    temporary_branch = models.ForeignKey(
        Organization, on_delete=models.SET_NULL, null=True, blank=True, related_name="temporary_outflows",
        verbose_name=_("临时党支部"))

    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = OutflowQuerySet.as_manager()

    class Meta:
        verbose_name = _("外出登记")
        verbose_name_plural = _("外出登记")
        ordering = ["-departure_date", "-id"]
        permissions = [
            ("approve_outflow", _("审批外出登记")),
            ("confirm_letter_receipt", _("确认接收组织关系")),
            ("create_temporary_branch", _("成立临时党支部")),
        ]
        indexes = [
            models.Index(fields=["origin_organization", "status"], name="outflow_origin_status_idx"),
            models.Index(fields=["origin_organization", "status", "destination_division"],
                         name="outflow_origin_division_idx"),
            models.Index(fields=["member", "departure_date"], name="outflow_member_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["member"], condition=Q(status__in=OPEN_OUTFLOW_STATUSES), name="one_open_outflow_per_member",
                violation_error_message=_("该党员已有一条未结束的外出登记，请先办理返回登记。")),
            models.CheckConstraint(
                condition=Q(handling=models.F("recommended_handling")) | ~Q(override_reason=""),
                name="outflow_override_needs_reason",
                violation_error_message=_("不采用建议的处理方式时，必须写明理由。")),
        ]

    def __str__(self):
        return _("%(name)s 外出登记（%(date)s）") % {"name": self.member.name, "date": self.departure_date}

    def get_absolute_url(self):
        return reverse("transfers:outflow_detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.talk_date and self.departure_date and self.talk_date > self.departure_date:
            errors["talk_date"] = _("行前谈话应在外出之前或当天。")
        if self.handling and self.recommended_handling and self.handling != self.recommended_handling \
                and not self.override_reason.strip():
            errors["override_reason"] = _("不采用建议的处理方式时，必须写明理由。")
        errors.update(destination_errors(self))
        if self.abroad and self.handling in (Handling.TRANSFER, Handling.ACTIVITY_CARD, Handling.TEMPORARY_BRANCH):
            errors["handling"] = _("出国（境）的党员不向国外境外转移组织关系，也不发放活动证，组织关系保留在原党组织。")
        elif not self.abroad and self.handling == Handling.ABROAD:
            errors["handling"] = _("只有出国（境）的外出登记可以选择此处理方式。")
        if self.handling == Handling.TRANSFER and not (self.receiving_organization_id or self.receiving_organization_name.strip()):
            errors["receiving_organization_name"] = _(
                "转移组织关系须确定接收党组织：请选择或填写接收党组织，"
                "或填写流入单位的上级主管部门或所在乡镇（街道），由系统按规定确定。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self):
        return self.status in OPEN_OUTFLOW_STATUSES

    @property
    def abroad(self) -> bool:
        """出国（境）: counted as its own scope, never as a province."""
        return bool(self.abroad_key)

    @property
    def abroad_key(self) -> str:
        """The country gone to: its code, or the text of a registration from before the codes ("" at home)."""
        return self.abroad_country_id or self.destination_country.strip()


class OutflowStep(models.Model):
    """One step of an outflow's way through branch and committee, with who and why."""

    outflow = models.ForeignKey(Outflow, on_delete=models.CASCADE, related_name="steps", verbose_name=_("外出登记"))
    action = models.CharField(_("操作"), max_length=24, choices=StepAction.choices)
    actor = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人"))
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("操作党组织"))
    reason = models.TextField(_("意见或理由"), blank=True)
    at = models.DateTimeField(_("时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class DocumentCounter(models.Model):
    """The last number used for a kind of document in a year (locked while a number is taken)."""

    kind = models.CharField(max_length=24, choices=DocumentKind.choices)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("文书编号")
        verbose_name_plural = _("文书编号")
        constraints = [models.UniqueConstraint(fields=["kind", "year"], name="document_counter_unique")]


class LetterQuerySet(models.QuerySet):
    def visible_to(self, user):
        """The sender's letters, and letters addressed to the subtree once the committee has issued them."""
        subtree = Organization.objects.visible_to(user)
        return self.filter(Q(outflow__in=Outflow.objects.visible_to(user))
                           | Q(receiving_organization__in=subtree, status__in=ISSUED_LETTER_STATUSES))


class IntroductionLetter(models.Model):
    """组织关系介绍信: letter, stub and receipt, one number.

    The outflow's letter in force is one row that keeps its place (and its
    page) for the whole transfer. When an expired letter is reissued, that
    row takes the new number and dates, and the old number is kept as a
    voided row pointing to it (``replaced_by``), so both numbers stay on
    record and a voided number can never be received or used to claim.
    """

    outflow = models.OneToOneField(Outflow, on_delete=models.CASCADE, related_name="introduction_letter",
                                   null=True, blank=True, verbose_name=_("外出登记"))
    number = models.CharField(_("编号"), max_length=32, unique=True)
    check_code = models.CharField(_("核验码"), max_length=8, default=new_check_code, editable=False,
                                  help_text=CHECK_CODE_HELP)
    status = models.CharField(_("状态"), max_length=16, choices=LetterStatus.choices, default=LetterStatus.PENDING)
    receiving_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="incoming_letters",
        verbose_name=_("接收党组织（本系统内）"))
    receiving_organization_name = models.CharField(_("接收党组织"), max_length=100)
    valid_days = models.PositiveSmallIntegerField(
        _("有效期（天）"), default=LETTER_DEFAULT_VALID_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(LETTER_MAX_VALID_DAYS, _("介绍信有效期最长3个月（90天）。"))])
    dues_paid_through = models.DateField(_("党费缴至"), null=True, blank=True)
    issued_on = models.DateField(_("开具日期"), null=True, blank=True)
    received_on = models.DateField(_("接收日期"), null=True, blank=True)
    received_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("接收确认人"))
    receipt_returned = models.BooleanField(_("回执已寄回"), default=False)
    replaced_by = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True,
                                    related_name="voided_letters", verbose_name=_("重新开具的介绍信"))
    voided_on = models.DateField(_("作废日期"), null=True, blank=True)

    objects = LetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("组织关系介绍信")
        verbose_name_plural = _("组织关系介绍信")
        indexes = [models.Index(fields=["receiving_organization", "status"], name="letter_receiver_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(Q(status=LetterStatus.VOIDED, outflow__isnull=True, replaced_by__isnull=False,
                             voided_on__isnull=False)
                           | (~Q(status=LetterStatus.VOIDED) & Q(outflow__isnull=False, replaced_by__isnull=True))),
                name="voided_letter_points_to_its_reissue",
                violation_error_message=_("作废的介绍信必须指向重新开具的介绍信。")),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("transfers:letter_detail", args=[self.pk])

    @property
    def valid_until(self):
        """The last day the letter can be received: issued on day 0, a 30-day letter is good through day 30."""
        return self.issued_on + timedelta(days=self.valid_days) if self.issued_on else None

    def expired_on(self, day) -> bool:
        """Whether the letter can no longer be received on ``day``."""
        return self.valid_until is not None and day > self.valid_until

    @property
    def is_expired(self):
        """Issued, not yet received by anyone, and past its validity: it can only be reissued."""
        return (self.status == LetterStatus.ISSUED and self.received_on is None
                and self.expired_on(timezone.localdate()))

    @property
    def receipt_due_on(self):
        """The receipt (回执) comes back within 1 month of the day the receiver got the letter."""
        return self.received_on + relativedelta(months=RECEIPT_RETURN_MONTHS) if self.received_on else None


class CertificateLetterQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(outflow__in=Outflow.objects.visible_to(user))


class CertificateLetter(models.Model):
    """党员证明信: proof of membership for a short absence; nothing moves."""

    outflow = models.OneToOneField(Outflow, on_delete=models.CASCADE, related_name="certificate_letter",
                                   verbose_name=_("外出登记"))
    number = models.CharField(_("编号"), max_length=32, unique=True)
    check_code = models.CharField(_("核验码"), max_length=8, default=new_check_code, editable=False,
                                  help_text=CHECK_CODE_HELP)
    issued_on = models.DateField(_("开具日期"), null=True, blank=True)

    objects = CertificateLetterQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员证明信")
        verbose_name_plural = _("党员证明信")

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("transfers:certificate_detail", args=[self.pk])


class ReturnRegistration(models.Model):
    """返回登记 with the post-return check (行后查验): each step of the check is a dated fact.

    ``returned_on`` is what the report's 已返回党员 counts, whatever the
    member's status is later. For a member who held an activity card, the
    card app refuses a return without the dates the card was checked and
    taken back and the member's report heard (回来后，原党组织要查验活动证，听取汇报).
    """

    outflow = models.OneToOneField(Outflow, on_delete=models.CASCADE, related_name="return_registration",
                                   verbose_name=_("外出登记"))
    returned_on = models.DateField(_("返回日期"), db_index=True)
    card_checked_on = models.DateField(_("查验活动证或证明信日期"), null=True, blank=True)
    card_taken_back_on = models.DateField(_("收回活动证日期"), null=True, blank=True)
    report_heard_on = models.DateField(_("听取外出期间情况汇报日期"), null=True, blank=True)
    notes = models.TextField(_("查验情况"), blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("返回登记")
        verbose_name_plural = _("返回登记")

    def __str__(self):
        return f"{self.outflow.member} {self.returned_on}"


class InflowQuerySet(models.QuerySet):
    def visible_to(self, user):
        subtree = Organization.objects.visible_to(user).order_by().values("pk")
        members = Member.objects.visible_to(user).order_by().values("pk")
        return self.filter(Q(member__any_of=members) | Q(host_organization__any_of=subtree))


class Inflow(models.Model):
    """流入登记 at a host organization."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="inflows", verbose_name=_("党员"))
    host_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="inflows",
                                          verbose_name=_("编入的党支部或党小组"))
    from_system = models.BooleanField(_("来自本系统内的党组织"), default=False)
    origin_organization_name = models.CharField(_("流出地党组织"), max_length=100)
    origin_division = models.ForeignKey("places.Division", on_delete=models.PROTECT, null=True, blank=True,
                                        related_name="+", verbose_name=_("流出地（省、市、区县）"))
    origin_country = models.ForeignKey("places.Country", on_delete=models.PROTECT, null=True, blank=True,
                                       related_name="+", verbose_name=_("流出地国家（地区）"),
                                       help_text=_("从国外境外回国流入时选择"))
    arrived_on = models.DateField(_("到达日期"))
    document_kind = models.CharField(_("出示的证件"), max_length=24, choices=DocumentKind.choices)
    document_number = models.CharField(_("证件编号"), max_length=32, blank=True)
    document_verified = models.BooleanField(_("证件已核实"), default=False,
                                            help_text=_("编号与本系统开具的证件一致"))
    hidden_member = models.BooleanField(_("隐形党员主动亮明身份"), default=False)
    notes = models.TextField(_("备注"), blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = InflowQuerySet.as_manager()

    class Meta:
        verbose_name = _("流入登记")
        verbose_name_plural = _("流入登记")
        ordering = ["-arrived_on", "-id"]
        permissions = [("register_inflow", _("登记流入党员"))]
        indexes = [models.Index(fields=["host_organization", "arrived_on"], name="inflow_host_idx")]

    def __str__(self):
        return _("%(name)s 流入登记（%(date)s）") % {"name": self.member.name, "date": self.arrived_on}

    def clean(self):
        errors = destination_errors(self, division="origin_division", country="origin_country", required=False)
        if self.document_kind != DocumentKind.NONE and not self.document_number.strip():
            errors["document_number"] = _("请填写所出示证件的编号。")
        if errors:
            raise ValidationError(errors)


class LocationChange(MemberRecord):
    """A change of where the member stays: when contact was made there and when they left."""

    division = models.ForeignKey("places.Division", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="+", verbose_name=_("所在地（省、市、区县）"))
    country = models.ForeignKey("places.Country", on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+", verbose_name=_("出国（境）国家（地区）"))
    place = models.CharField(_("地点"), max_length=200, help_text=_("街道、单位等详细地址；出国（境）的写城市"))
    contact_made_on = models.DateField(_("取得联系日期"))
    left_on = models.DateField(_("离开日期"), null=True, blank=True)
    notes = models.CharField(_("备注"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("流动情况变化")
        verbose_name_plural = _("流动情况变化")
        ordering = ["-contact_made_on", "-id"]
        indexes = [models.Index(fields=["member", "contact_made_on"], name="location_member_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(left_on__isnull=True) | Q(left_on__gte=models.F("contact_made_on")),
                                   name="location_date_order",
                                   violation_error_message=_("离开日期不能早于取得联系日期。")),
        ]

    def __str__(self):
        return f"{self.member} {self.where}"

    def clean(self):
        errors = destination_errors(self, division="division", country="country", legacy_text=("place",))
        if errors:
            raise ValidationError(errors)

    @property
    def where(self) -> str:
        """The place as read: ``浙江省杭州市西湖区 文三路1号``, ``韩国 首尔``."""
        chosen = self.country.name if self.country_id else (self.division.full_name if self.division_id else "")
        return " ".join(filter(None, (chosen, self.place)))


class MemberClaimQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Claims on members the subtree holds (to decide), and claims the subtree made (to follow)."""
        return self.for_origin(user) | self.made_by(user)

    def for_origin(self, user):
        return self.filter(member__in=Member.objects.held_by(user))

    def made_by(self, user):
        return self.filter(host_organization__in=Organization.objects.visible_to(user))


class MemberClaim(models.Model):
    """认领申请: a host holding a paper document of a member in the system asks the origin to confirm.

    The host proved the document (its number and the check code printed on
    it); the member is linked only when the origin confirms. Until then the
    host sees only what it typed, not the record.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="claims", verbose_name=_("党员"))
    origin_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                            verbose_name=_("流出地党组织"))
    host_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="member_claims",
                                          verbose_name=_("编入的党支部或党小组"))
    id_number_masked = models.CharField(_("身份证号码"), max_length=32)
    arrived_on = models.DateField(_("到达日期"))
    document_kind = models.CharField(_("出示的证件"), max_length=24, choices=DocumentKind.choices)
    document_number = models.CharField(_("证件编号"), max_length=32)
    hidden_member = models.BooleanField(_("隐形党员主动亮明身份"), default=False)
    notes = models.TextField(_("备注"), blank=True)
    status = models.CharField(_("状态"), max_length=16, choices=ClaimStatus.choices, default=ClaimStatus.PENDING)
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("申请人"))
    requested_at = models.DateTimeField(_("申请时间"), auto_now_add=True)
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("确认人"))
    decided_at = models.DateTimeField(_("确认时间"), null=True, blank=True)
    reason = models.TextField(_("不同意的理由"), blank=True)
    inflow = models.OneToOneField(Inflow, on_delete=models.SET_NULL, null=True, blank=True, related_name="claim",
                                  verbose_name=_("流入登记"))

    objects = MemberClaimQuerySet.as_manager()

    class Meta:
        verbose_name = _("认领申请")
        verbose_name_plural = _("认领申请")
        ordering = ["-requested_at", "-id"]
        permissions = [("decide_member_claim", _("确认或拒绝认领申请"))]
        constraints = [
            models.UniqueConstraint(fields=["member", "host_organization"], condition=Q(status=ClaimStatus.PENDING),
                                    name="one_pending_claim_per_member_and_host",
                                    violation_error_message=_("已有一条待流出地党组织确认的认领申请。")),
        ]

    def __str__(self):
        return _("%(org)s 认领 %(id)s") % {"org": self.host_organization, "id": self.id_number_masked}
