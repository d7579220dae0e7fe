from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members import facts
from members.choices import Education, Gender, MembershipType, MobilityStatus, Trade
from organizations.models import Organization
from organizations.validators import id_birth_date, id_is_male, validate_id_number, validate_mainland_phone


class MemberQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Members whose relationship is held inside the user's subtree."""
        return self.filter(organization__in=Organization.objects.visible_to(user))

    def incomplete(self):
        return self.filter(facts.incomplete_q())

    def complete(self):
        return self.exclude(facts.incomplete_q())

    def with_list_relations(self):
        return self.select_related("organization", "liaison")


class Member(models.Model):
    """A Party member and the six facts the branch must know about them."""

    # 1. basic information
    name = models.CharField(_("姓名"), max_length=50)
    gender = models.CharField(_("性别"), max_length=8, choices=Gender.choices)
    birth_date = models.DateField(_("出生日期"))
    id_number = models.CharField(
        _("身份证号码"), max_length=18, unique=True, validators=[validate_id_number]
    )
    education = models.CharField(_("学历"), max_length=32, choices=Education.choices, blank=True)
    joined_date = models.DateField(_("入党时间"))
    membership_type = models.CharField(
        _("党员类别"), max_length=16, choices=MembershipType.choices, default=MembershipType.FULL
    )
    probation_end_date = models.DateField(_("预备期满日期"), null=True, blank=True)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("所在党支部"),
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("组织关系所在的党组织"),
    )
    mobility_status = models.CharField(
        _("流动状态"), max_length=16, choices=MobilityStatus.choices, default=MobilityStatus.AT_HOME
    )
    # 2. departure
    departure_date = models.DateField(_("外出时间"), null=True, blank=True)
    expected_months = models.PositiveSmallIntegerField(
        _("预计外出时长（月）"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(240)]
    )
    # 3. occupation
    occupation = models.CharField(_("从事职业"), max_length=100, blank=True)
    trade = models.CharField(_("所在行业"), max_length=32, choices=Trade.choices, blank=True)
    # 4. destination
    destination_province = models.CharField(_("流入地省份"), max_length=30, blank=True)
    destination_city = models.CharField(_("流入地城市"), max_length=30, blank=True)
    destination_address = models.CharField(_("流入地详细地址"), max_length=200, blank=True)
    host_unit = models.CharField(_("流入单位"), max_length=100, blank=True)
    # 5. contact
    phone = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[validate_mainland_phone])
    other_contact = models.CharField(_("其他联系方式"), max_length=100, blank=True, help_text=_("如微信号、QQ号"))
    liaison = models.ForeignKey(
        "self",
        verbose_name=_("联系人"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="liaison_for",
        help_text=_("本支部负责与其保持联系的党员"),
    )
    # 6. dues
    dues_paid_through = models.DateField(
        _("党费缴至"), null=True, blank=True, help_text=_("已缴纳到的月份（记为该月1日）")
    )
    dues_paid_where = models.CharField(_("党费缴纳地"), max_length=100, blank=True)

    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at"])

    objects = MemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("党员")
        verbose_name_plural = _("党员")
        ordering = ["organization_id", "name", "id"]
        permissions = [
            ("view_personal_data", _("查看完整身份证号码和手机号码")),
            ("export_roster", _("导出名册")),
            ("import_roster", _("导入名册")),
        ]
        indexes = [
            models.Index(fields=["organization", "name"], name="member_org_name_idx"),
            models.Index(fields=["mobility_status"], name="member_status_idx"),
            models.Index(fields=["name"], name="member_name_idx"),
            models.Index(fields=["phone"], name="member_phone_idx"),
            models.Index(fields=["departure_date"], name="member_departure_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(membership_type="full") | Q(probation_end_date__isnull=False),
                name="member_probation_end_required",
                violation_error_message=_("预备党员必须填写预备期满日期。"),
            ),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.pk])

    def clean(self):
        errors = {}
        if self.id_number:
            self.id_number = self.id_number.upper()
        if self.id_number and len(self.id_number) == 18 and id_birth_date(self.id_number):
            if self.birth_date and id_birth_date(self.id_number) != self.birth_date:
                errors["birth_date"] = _("出生日期与身份证号码中的出生日期（第7-14位）不一致。")
            if self.gender and id_is_male(self.id_number) != (self.gender == Gender.MALE):
                errors["gender"] = _("性别与身份证号码第17位不一致（奇数为男，偶数为女）。")
        if self.birth_date and self.joined_date and self.joined_date <= self.birth_date:
            errors["joined_date"] = _("入党时间必须晚于出生日期。")
        if self.membership_type == MembershipType.PROBATIONARY and not self.probation_end_date:
            errors["probation_end_date"] = _("预备党员必须填写预备期满日期。")
        if self.membership_type == MembershipType.FULL:
            self.probation_end_date = None
        if self.dues_paid_through:
            self.dues_paid_through = self.dues_paid_through.replace(day=1)
        if self.liaison_id and self.liaison_id == self.pk:
            errors["liaison"] = _("联系人不能是本人。")
        if errors:
            raise ValidationError(errors)

    @property
    def is_mobile(self):
        return self.mobility_status in (MobilityStatus.OUTFLOW, MobilityStatus.INFLOW)

    @property
    def missing_facts(self):
        return facts.missing_facts(self)

    @property
    def is_complete(self):
        return not self.missing_facts


class PersonalDataAccess(models.Model):
    """Who viewed or exported members' personal data, and when."""

    class Action(models.TextChoices):
        VIEW = "view", _("查看")
        EXPORT = "export", _("导出")

    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, verbose_name=_("用户"))
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    member = models.ForeignKey(Member, on_delete=models.CASCADE, null=True, blank=True, verbose_name=_("党员"))
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("条数"), default=1)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("个人信息访问记录")
        verbose_name_plural = _("个人信息访问记录")
        ordering = ["-at"]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
