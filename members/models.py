import uuid

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from members import dues, facts
from members.rules import PENDING_DOCUMENT
from members.choices import (
    REGISTRY_STATUSES,
    ContactChannel,
    DestinationUnitKind,
    DuesBracket,
    Education,
    ExcuseKind,
    FormerOccupation,
    Gender,
    IdLookupOutcome,
    IdLookupPath,
    DecisionKind,
    DecisionStatus,
    LifeKind,
    MembershipStatus,
    MembershipType,
    MobilityStatus,
    Trade,
)
from members.pinyin import INITIALS_MAX_LENGTH, PINYIN_MAX_LENGTH, name_search_keys
from organizations.models import Organization
from organizations.validators import id_birth_date, id_is_male, validate_id_number, validate_mainland_phone
from places.validation import destination_errors

#: Columns derived from ``Member.name``, written with it (``Member.derive_columns``).
NAME_SEARCH_FIELDS = ("name_pinyin", "name_initials")


RETIREE_Q = Q(former_occupation=FormerOccupation.RETIREE) | Q(dues_bracket=DuesBracket.RETIRED)


class MemberQuerySet(models.QuerySet):
    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        self.model.derive_columns(objs)
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, fields, *args, **kwargs):
        objs = list(objs)
        return super().bulk_update(objs, self.model.derive_columns(objs, fields), *args, **kwargs)

    def visible_to(self, user):
        """Members whose relationship is held, or who are hosted, inside the user's subtree.

        The origin and the host organization share one record; nobody else sees it. Each side of the
        ``OR`` is an index scan (``organizations.lookups.AnyOf``), so the cost follows the subtree.
        """
        subtree = Organization.objects.visible_to(user).order_by().values("pk")
        return self.filter(Q(organization__any_of=subtree) | Q(host_organization__any_of=subtree))

    def held_by(self, user):
        """Members whose relationship is held inside the user's subtree (the origin's view)."""
        return self.filter(organization__in=Organization.objects.visible_to(user))

    def in_registry(self):
        """Members the organization still holds (在册 or 停止党籍).

        The one definition every count, reminder, scan, arrears list and the
        default member list use: lapsed, removed, cancelled, transferred-out and
        deceased members stay on record for history but out of all of them.
        """
        return self.filter(membership_status__in=REGISTRY_STATUSES)

    def retirees(self):
        """离退休党员: recorded as such by former occupation or by dues bracket (dues on a pension)."""
        return self.filter(RETIREE_Q)

    def incomplete(self):
        return self.filter(facts.incomplete_q())

    def complete(self):
        return self.exclude(facts.incomplete_q())

    def with_list_relations(self):
        """What a list row shows: the member and the name of its organization (no liaison: a join of every
        row's liaison across the scope costs a hash join of the table on deep pages)."""
        return self.select_related("organization")

    def with_detail_relations(self):
        return self.select_related("organization", "liaison", "committee_member")


class Member(models.Model):
    """A Party member and the six facts the branch must know about them."""

    # 1. basic information
    name = models.CharField(_("姓名"), max_length=50)
    # Derived from the name on every write (``set_name_search_keys``), for the list's pinyin search.
    name_pinyin = models.CharField(_("姓名拼音"), max_length=PINYIN_MAX_LENGTH, blank=True, editable=False)
    name_initials = models.CharField(_("姓名拼音首字母"), max_length=INITIALS_MAX_LENGTH, blank=True, editable=False)
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
    membership_status = models.CharField(
        _("党籍状态"), max_length=24, choices=MembershipStatus.choices, default=MembershipStatus.ACTIVE,
        editable=False, help_text=_("只能通过党(工)委的决定或登记的文书改变"),
    )
    membership_status_since = models.DateField(_("党籍状态变更日期"), null=True, blank=True, editable=False)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("所在党支部"),
        on_delete=models.PROTECT,
        related_name="members",
        help_text=_("组织关系所在的党组织"),
    )
    graduated_on = models.DateField(
        _("毕业时间"), null=True, blank=True,
        help_text=_("仅填写毕业后未落实工作、组织关系暂时保留在学校的毕业生（最长保留2年，每半年联系一次）"),
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
    former_occupation = models.CharField(
        _("外出前职业"), max_length=32, choices=FormerOccupation.choices, blank=True,
        help_text=_("用于《流动党员情况（二）》按原从事职业统计"),
    )
    # 4. destination
    destination_division = models.ForeignKey(
        "places.Division", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("流入地（省、市、区县）"), help_text=_("国内流动时选择，可输入地名或拼音首字母查找"))
    abroad_country = models.ForeignKey(
        "places.Country", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("出国（境）国家（地区）"), help_text=_("出国（境）时选择，此时不选省市，城市写在下面"))
    # The readable text of the codes above (places.display.fill_place_text); old text without codes stays
    # as it was until the county gives it one (places.unmapped).
    destination_country = models.CharField(_("出国（境）国家（地区）名称"), max_length=50, blank=True, editable=False)
    destination_province = models.CharField(_("流入地省份"), max_length=30, blank=True, editable=False)
    destination_city = models.CharField(_("流入地城市"), max_length=30, blank=True,
                                        help_text=_("出国（境）时填写所在城市"))
    destination_address = models.CharField(_("流入地详细地址"), max_length=200, blank=True)
    host_unit = models.CharField(_("流入单位"), max_length=100, blank=True)
    destination_unit_kind = models.CharField(
        _("流向单位类别"), max_length=32, choices=DestinationUnitKind.choices, blank=True,
        help_text=_("用于《流动党员情况（二）》按流向单位统计"),
    )
    host_organization = models.ForeignKey(
        Organization,
        verbose_name=_("流入地党组织"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="hosted_members",
        help_text=_("党员在流入地参加组织生活的党组织（在本系统中时）"),
    )
    # 5. contact
    phone = models.CharField(_("手机号码"), max_length=11, blank=True, validators=[validate_mainland_phone])
    other_contact = models.CharField(_("其他联系方式"), max_length=100, blank=True, help_text=_("如微信号、QQ号"))
    is_committee_member = models.BooleanField(
        _("支部委员"), default=False,
        help_text=_("本支部支部委员会委员（支委），可包干联系本支部的外出党员"),
    )
    committee_member = models.ForeignKey(
        "self",
        verbose_name=_("包干支委"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="committee_for",
        help_text=_("本支部包干联系该党员的支部委员（支部—支委—联系人—流动党员）"),
    )
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
    dues_start_month = models.DateField(
        _("党费起算月份"), null=True, blank=True,
        help_text=_("从该月起按月计算应交党费，此前的月份视为已结清；不填则从最早一笔缴费记录的月份起算"),
    )
    dues_paid_through = models.DateField(
        _("党费缴至"), null=True, blank=True, editable=False,
        help_text=_("从起算月份起连续缴清的最后一个月（由缴费记录计算，记为该月1日）"),
    )
    dues_paid_where = models.CharField(_("党费缴纳地"), max_length=100, blank=True)
    dues_bracket = models.CharField(_("党费档次"), max_length=16, choices=DuesBracket.choices, blank=True)
    dues_monthly_income = models.DecimalField(
        _("税后月收入（元）"), max_digits=10, decimal_places=2, null=True, blank=True,
        help_text=_("在职党员按月工资收入、离退休党员按离退休费计算党费"),
    )
    dues_farmer_amount = models.DecimalField(
        _("农民党员月交金额（元）"), max_digits=4, decimal_places=2, null=True, blank=True,
        help_text=_("0.2元至1元"),
    )

    version = models.PositiveIntegerField(_("版本"), default=1, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    history = HistoricalRecords(excluded_fields=["version", "updated_at", *NAME_SEARCH_FIELDS])

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
            models.Index(fields=["membership_status"], name="member_membership_status_idx"),
            models.Index(fields=["name"], name="member_name_idx"),
            models.Index(fields=["phone"], name="member_phone_idx"),
            models.Index(fields=["departure_date"], name="member_departure_idx"),
            models.Index(fields=["organization", "dues_paid_through"], name="member_org_dues_idx"),
            # The list's sorts within a branch (姓名 is member_org_name_idx).
            models.Index(fields=["organization", "departure_date"], name="member_org_departure_idx"),
            models.Index(fields=["organization", "mobility_status"], name="member_org_mobility_idx"),
            models.Index(fields=["organization", "updated_at"], name="member_org_updated_idx"),
            # The pinyin search: a prefix (LIKE 'zhang%') whatever the database's collation. Not led by the
            # organization: the scope is an OR of two sides, so the planner ANDs these with the scope's bitmaps
            # (or, for a rare prefix, reads only these) instead of filtering every row in scope.
            models.Index(fields=["name_pinyin"], opclasses=["varchar_pattern_ops"], name="member_pinyin_idx"),
            models.Index(fields=["name_initials"], opclasses=["varchar_pattern_ops"], name="member_initials_idx"),
            # The daily jobs' date edges (``jobs.changes``): the members whose answer changes today.
            models.Index(fields=["created_at"], name="member_created_idx"),
            # The daily jobs read the members they examine by id (jobs.changes): what every rule filters on
            # comes from the index alone (PostgreSQL), not from a heap page per member.
            models.Index(fields=["id"], include=["membership_status", "created_at", "dues_paid_through"],
                         name="member_scan_cover_idx"),
            models.Index(fields=["dues_paid_through"], name="member_dues_through_idx"),
            models.Index(fields=["probation_end_date"], name="member_probation_end_idx"),
            models.Index(fields=["graduated_on"], name="member_graduated_idx"),
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

    def set_name_search_keys(self) -> None:
        """Derive ``name_pinyin`` and ``name_initials`` from the name (``members.pinyin``)."""
        self.name_pinyin, self.name_initials = name_search_keys(self.name)

    @classmethod
    def derive_columns(cls, objs, fields=None):
        """Fill the derived columns of ``objs`` before a bulk write; returns ``fields`` with them added.

        Every bulk path (``bulk_create``/``bulk_update`` and ``members.bulk``) calls this, as ``save`` does,
        so the pinyin columns cannot fall behind the name whichever way a name is written.
        """
        if fields is not None and "name" not in fields:
            return fields
        for obj in objs:
            obj.set_name_search_keys()
        return fields if fields is None else [*fields, *(f for f in NAME_SEARCH_FIELDS if f not in fields)]

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is None or "name" in update_fields:
            self.set_name_search_keys()
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *NAME_SEARCH_FIELDS}
        super().save(*args, **kwargs)

    def clean(self):
        errors = destination_errors(self, required=False)
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
        if self.dues_start_month:
            self.dues_start_month = self.dues_start_month.replace(day=1)
        if self.liaison_id and self.liaison_id == self.pk:
            errors["liaison"] = _("联系人不能是本人。")
        if self.committee_member_id and self.committee_member_id == self.pk:
            errors["committee_member"] = _("包干支委不能是本人。")
        errors.update(dues.bracket_errors(bracket=self.dues_bracket, income=self.dues_monthly_income,
                                          farmer_amount=self.dues_farmer_amount))
        if errors:
            raise ValidationError(errors)

    @property
    def is_retiree(self) -> bool:
        """The same test as ``MemberQuerySet.retirees``."""
        return self.former_occupation == FormerOccupation.RETIREE or self.dues_bracket == DuesBracket.RETIRED

    @property
    def is_mobile(self):
        return self.mobility_status in (MobilityStatus.OUTFLOW, MobilityStatus.INFLOW)

    @property
    def monthly_dues(self):
        """The monthly dues from the member's bracket, or ``None`` when no bracket is recorded."""
        return dues.monthly_amount(bracket=self.dues_bracket, income=self.dues_monthly_income,
                                   farmer_amount=self.dues_farmer_amount)

    @property
    def missing_facts(self):
        return facts.missing_facts(self)

    @property
    def is_complete(self):
        return not self.missing_facts


class PersonalDataAccessQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Records of the users inside the user's subtree."""
        return self.filter(user__organization__in=Organization.objects.visible_to(user))

    def with_list_relations(self):
        return self.select_related("user__organization")


class PersonalDataAccess(models.Model):
    """Who was shown members' full personal data (ID number, phone), where and when.

    One row per member shown (a list page of 50 writes 50 rows in one insert),
    or one row per export. The member's name and masked ID number are copied
    into the row, so the record still says whom it was about after the member
    is deleted. Rows are never edited or deleted through the application.
    """

    class Action(models.TextChoices):
        VIEW = "view", _("查看详情")
        LIST = "list", _("名册和搜索")
        EDIT = "edit", _("修改表单")
        PRINT = "print", _("打印证明")
        IMPORT = "import", _("导入预演")
        ADMIN = "admin", _("后台查看")
        EXPORT = "export", _("导出")

    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, verbose_name=_("用户"))
    action = models.CharField(_("操作"), max_length=16, choices=Action.choices)
    page = models.CharField(_("页面"), max_length=100, blank=True, help_text=_("页面的地址名称"))
    # The log outlives the record it is about.
    member = models.ForeignKey(Member, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("党员"))
    member_name = models.CharField(_("党员姓名"), max_length=50, blank=True)
    member_id_masked = models.CharField(_("身份证号码（脱敏）"), max_length=18, blank=True)
    detail = models.JSONField(_("详情"), default=dict, blank=True)
    row_count = models.PositiveIntegerField(_("条数"), default=1)
    at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    objects = PersonalDataAccessQuerySet.as_manager()

    class Meta:
        verbose_name = _("个人信息访问记录")
        verbose_name_plural = _("个人信息访问记录")
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"{self.user} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"


class IdNumberLookup(models.Model):
    """One time a user's input was matched against every ID number in the system: who, when, where, what came of it.

    Written by ``members.id_lookups`` for each door (新增、修改、名册导入、流入登记);
    the rows of the last hour are the user's rate limit (``ID_LOOKUPS_PER_HOUR``),
    shared by all doors. Rows are written in their own transaction, so refusals are kept.
    """

    user = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+", verbose_name=_("操作人"))
    organization = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True, related_name="+",
                                     verbose_name=_("操作人所在党组织"))
    at = models.DateTimeField(_("时间"), default=timezone.now)
    path = models.CharField(_("办理途径"), max_length=16, choices=IdLookupPath.choices)
    id_number_masked = models.CharField(_("身份证号码（脱敏）"), max_length=32, blank=True,
                                        help_text=_("次数用完被拒绝、且没有涉及组织外的号码时为空"))
    document_kind = models.CharField(_("出示的证件"), max_length=24, blank=True, help_text=_("仅流入登记"))
    document_number = models.CharField(_("证件编号"), max_length=32, blank=True)
    outcome = models.CharField(_("结果"), max_length=16, choices=IdLookupOutcome.choices,
                               default=IdLookupOutcome.PENDING)

    class Meta:
        verbose_name = _("身份证号码查询记录")
        verbose_name_plural = _("身份证号码查询记录")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["user", "at"], name="id_lookup_user_at_idx")]

    def __str__(self):
        return f"{self.user} {self.at:%Y-%m-%d %H:%M} {self.id_number_masked} {self.get_outcome_display()}"


class MemberRecordQuerySet(models.QuerySet):
    """Records about a member are visible wherever the member is."""

    def visible_to(self, user):
        return self.filter(member__in=Member.objects.visible_to(user))


class MemberRecord(models.Model):
    """Common fields of the dated records kept about a member.

    ``recorded_by`` is the organization that made the entry: the member's own
    branch, or the host organization where the member is staying.
    """

    member = models.ForeignKey(Member, on_delete=models.CASCADE, verbose_name=_("党员"))
    recorded_by = models.ForeignKey(
        Organization, on_delete=models.PROTECT, verbose_name=_("登记党组织"), related_name="+"
    )
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, verbose_name=_("登记人"), related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = MemberRecordQuerySet.as_manager()

    class Meta:
        abstract = True


class ContactAttempt(MemberRecord):
    """One dated attempt to reach a member (行中联系); the lost-contact path reads these."""

    # Empty when the member reported through their own page (``ContactChannel.SELF_REPORT``): no user made it.
    created_by = models.ForeignKey(
        "accounts.User", on_delete=models.PROTECT, verbose_name=_("登记人"), related_name="+", null=True, blank=True
    )
    contacted_on = models.DateField(_("联系日期"))
    channel = models.CharField(_("联系方式"), max_length=16, choices=ContactChannel.choices)
    contact_person = models.CharField(_("联系人"), max_length=50)
    reached = models.BooleanField(_("是否联系上"), default=True)
    notes = models.TextField(_("情况记录"), blank=True)

    class Meta:
        verbose_name = _("联系记录")
        verbose_name_plural = _("联系记录")
        ordering = ["-contacted_on", "-id"]
        indexes = [models.Index(fields=["member", "reached", "contacted_on"], name="contact_member_idx"),
                   models.Index(fields=["contacted_on"], name="contact_on_idx")]


class ThoughtReport(MemberRecord):
    """A thought report (思想汇报) the member sent to the branch."""

    received_on = models.DateField(_("收到日期"))
    summary = models.TextField(_("主要内容"), blank=True)

    class Meta:
        verbose_name = _("思想汇报")
        verbose_name_plural = _("思想汇报")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["member", "received_on"], name="thought_member_idx"),
                   models.Index(fields=["received_on"], name="thought_received_idx")]


class OrganizationalLife(MemberRecord):
    """Organizational life (三会一课) the member attended, at home or at the host."""

    attended_on = models.DateField(_("参加日期"))
    kind = models.CharField(_("活动类型"), max_length=24, choices=LifeKind.choices)
    content = models.CharField(_("内容"), max_length=200)

    class Meta:
        verbose_name = _("组织生活记录")
        verbose_name_plural = _("组织生活记录")
        ordering = ["-attended_on", "-id"]
        indexes = [models.Index(fields=["member", "attended_on"], name="life_member_idx"),
                   models.Index(fields=["attended_on"], name="life_attended_idx")]


class DuesPayment(MemberRecord):
    """A dues payment covering the months ``first_month``..``last_month`` (each the 1st)."""

    first_month = models.DateField(_("起始月份"))
    last_month = models.DateField(_("截止月份"))
    amount = models.DecimalField(_("金额（元）"), max_digits=10, decimal_places=2)
    paid_on = models.DateField(_("缴纳日期"))
    paid_where = models.CharField(_("缴纳地"), max_length=100)
    by_proxy = models.BooleanField(_("委托他人代缴"), default=False)
    receipt_number = models.CharField(_("收据编号"), max_length=50, blank=True)
    beyond_back_limit = models.BooleanField(
        _("超过6个月的补交"), default=False, editable=False,
        help_text=_("一次补交缴纳当月之前6个月以上的党费"),
    )
    back_payment_reason = models.TextField(
        _("补交理由"), blank=True, help_text=_("一次补交超过6个月时必须填写，如党组织的决定或所在单位的证明"),
    )

    class Meta:
        verbose_name = _("党费缴纳记录")
        verbose_name_plural = _("党费缴纳记录")
        ordering = ["-last_month", "-id"]
        indexes = [models.Index(fields=["member", "paid_on"], name="dues_member_idx"),
                   models.Index(fields=["last_month"], name="dues_last_month_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(last_month__gte=models.F("first_month")), name="dues_month_order",
                                   violation_error_message=_("截止月份不能早于起始月份。")),
            models.CheckConstraint(condition=Q(amount__gt=0), name="dues_amount_positive",
                                   violation_error_message=_("金额必须大于0。")),
            models.CheckConstraint(condition=Q(beyond_back_limit=False) | ~Q(back_payment_reason=""),
                                   name="dues_back_payment_reason_required",
                                   violation_error_message=_("超过6个月的补交须写明理由。")),
        ]


class WorkAssignment(MemberRecord):
    """Work the branch assigned to the member, and when it was done."""

    assigned_on = models.DateField(_("布置日期"))
    description = models.CharField(_("工作内容"), max_length=200)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("分配工作")
        verbose_name_plural = _("分配工作")
        ordering = ["-assigned_on", "-id"]
        indexes = [models.Index(fields=["member", "completed_on"], name="work_member_idx"),
                   models.Index(fields=["assigned_on"], name="work_assigned_idx"),
                   models.Index(fields=["completed_on"], name="work_completed_idx")]


class ExcusedAbsence(MemberRecord):
    """A valid reason (leave, illness, exemption) covering ``starts_on``..``ends_on``."""

    kind = models.CharField(_("理由"), max_length=16, choices=ExcuseKind.choices)
    starts_on = models.DateField(_("开始日期"))
    ends_on = models.DateField(_("结束日期"))
    notes = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("正当理由")
        verbose_name_plural = _("正当理由")
        ordering = ["-starts_on", "-id"]
        indexes = [models.Index(fields=["member", "starts_on", "ends_on"], name="excuse_member_idx"),
                   models.Index(fields=["starts_on"], name="excuse_starts_idx"),
                   models.Index(fields=["ends_on"], name="excuse_ends_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(ends_on__gte=models.F("starts_on")), name="excuse_date_order",
                                   violation_error_message=_("结束日期不能早于开始日期。")),
        ]


def _roster_export_path(instance, filename):
    # A random name: the file is served only through the owner's download view.
    return f"roster_exports/{instance.token}.xlsx"


def _roster_import_path(instance, filename):
    return f"roster_imports/{instance.token}.xlsx"


class RosterExport(models.Model):
    """A roster export too large to build inside the request (a Celery job)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("排队中")
        RUNNING = "running", _("正在生成")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")
        EXPIRED = "expired", _("已过期")

    token = models.UUIDField(_("标识"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, verbose_name=_("导出人"))
    query = models.TextField(_("筛选条件"), blank=True, help_text=_("党员名册页面的查询字符串"))
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PENDING)
    total_rows = models.PositiveIntegerField(_("总条数"), default=0)
    done_rows = models.PositiveIntegerField(_("已写入条数"), default=0)
    file = models.FileField(_("文件"), upload_to=_roster_export_path, blank=True)
    error = models.TextField(_("错误信息"), blank=True)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    finished_at = models.DateTimeField(_("完成时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("名册导出任务")
        verbose_name_plural = _("名册导出任务")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="roster_export_user_idx")]

    def __str__(self):
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"

    def get_absolute_url(self):
        return reverse("members:export_progress", args=[self.token])

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return min(99, 100 * self.done_rows // self.total_rows) if self.total_rows else 0


class RosterImport(models.Model):
    """An uploaded roster kept between its dry run and the user's confirmation."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("待确认")
        APPLIED = "applied", _("已导入")
        DISCARDED = "discarded", _("已放弃")

    token = models.UUIDField(_("标识"), default=uuid.uuid4, unique=True, editable=False)
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, verbose_name=_("导入人"))
    file = models.FileField(_("文件"), upload_to=_roster_import_path, blank=True)
    original_name = models.CharField(_("原文件名"), max_length=255)
    status = models.CharField(_("状态"), max_length=16, choices=Status.choices, default=Status.PREVIEWED)
    #: counts by outcome and a fingerprint of the plan the user saw
    preview = models.JSONField(_("预演结果"), default=dict, blank=True)
    created_at = models.DateTimeField(_("上传时间"), auto_now_add=True)
    applied_at = models.DateTimeField(_("导入时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("名册导入")
        verbose_name_plural = _("名册导入")
        ordering = ["-created_at"]

    def __str__(self):
        return self.original_name


class RosterColumnChoice(models.Model):
    """What a roster column means for one organization, as its user chose at the import's mapping step.

    Keyed by the header's text (normalized, ``members.roster_headers``), so
    that next quarter's file with the same columns goes straight through.
    """

    organization = models.ForeignKey("organizations.Organization", on_delete=models.CASCADE,
                                     related_name="roster_column_choices", verbose_name=_("党组织"))
    header = models.CharField(_("列名"), max_length=100)
    #: a column the import reads (``roster_headers.TARGETS``) or ``ignore``
    target = models.CharField(_("对应信息项"), max_length=32)
    chosen_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("选择人"))
    chosen_at = models.DateTimeField(_("选择时间"), auto_now=True)

    class Meta:
        verbose_name = _("名册列对应")
        verbose_name_plural = _("名册列对应")
        constraints = [models.UniqueConstraint(fields=["organization", "header"], name="roster_column_choice_unique")]

    def __str__(self):
        return f"{self.header} → {self.target}"


class HeldMemberQuerySet(models.QuerySet):
    def visible_to(self, user):
        """A member's standing and probation are the business of the organization holding the relationship."""
        return self.filter(member__in=Member.objects.held_by(user))


class MembershipDecisionQuerySet(HeldMemberQuerySet):
    def approved(self):
        return self.filter(status=DecisionStatus.APPROVED)


class MembershipDecision(models.Model):
    """One change of a member's standing: the branch's proposal and the committee's decision, with its document.

    Written only by ``members.membership``. A decision recorded by the branch
    itself (组织关系转出 by the returned receipt, 去世) is approved at once.
    """

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="membership_decisions",
                               verbose_name=_("党员"))
    kind = models.CharField(_("事项"), max_length=24, choices=DecisionKind.choices)
    status = models.CharField(_("状态"), max_length=16, choices=DecisionStatus.choices,
                              default=DecisionStatus.PROPOSED)
    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("组织关系所在党组织"))
    reason = models.TextField(_("事实和理由"), blank=True)
    meeting_on = models.DateField(_("支部党员大会日期"), null=True, blank=True)
    new_probation_end_date = models.DateField(_("延长后的预备期满日期"), null=True, blank=True)
    proposed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("提出人"))
    proposed_on = models.DateField(_("提出日期"))
    decided_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("审批人"))
    decided_on = models.DateField(_("决定日期"), null=True, blank=True)
    document_number = models.CharField(_("决定文书编号"), max_length=60, blank=True)
    decision_notes = models.TextField(_("审批意见"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    objects = MembershipDecisionQuerySet.as_manager()

    class Meta:
        verbose_name = _("党籍处理决定")
        verbose_name_plural = _("党籍处理决定")
        ordering = ["-proposed_on", "-id"]
        permissions = [("decide_membership", _("审批党籍处理和转正"))]
        constraints = [
            models.UniqueConstraint(fields=["member"], condition=Q(status="proposed"),
                                    name="one_pending_membership_decision"),
            models.CheckConstraint(
                condition=~Q(status="approved") | (Q(decided_on__isnull=False) & ~Q(document_number="")),
                name="approved_decision_has_date_and_document",
                violation_error_message=_("批准的决定必须有决定日期和文书编号。"),
            ),
        ]

    def __str__(self):
        return f"{self.member} · {self.get_kind_display()} · {self.get_status_display()}"

    @property
    def document_pending(self) -> bool:
        """Decided before the system kept documents: the committee still has to record its number and date."""
        return self.status == DecisionStatus.APPROVED and self.document_number == PENDING_DOCUMENT

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.member_id])


class ProbationOpinionRequest(models.Model):
    """The origin's written request for the host's opinion before discussing full membership (征求意见函).

    Open until the host's answer is recorded.
    """

    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="probation_opinion_requests",
                               verbose_name=_("党员"))
    number = models.CharField(_("函件编号"), max_length=40, unique=True)
    host_organization_name = models.CharField(_("流入地党组织"), max_length=100)
    requested_on = models.DateField(_("发函日期"))
    requested_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+",
                                     verbose_name=_("发函人"))
    answered_on = models.DateField(_("回复日期"), null=True, blank=True)
    answer = models.TextField(_("流入地党组织意见"), blank=True)
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    objects = HeldMemberQuerySet.as_manager()

    class Meta:
        verbose_name = _("转正征求意见函")
        verbose_name_plural = _("转正征求意见函")
        ordering = ["-requested_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(answered_on__isnull=True) | ~Q(answer=""),
                                   name="answered_opinion_has_text",
                                   violation_error_message=_("请填写流入地党组织的意见。")),
        ]

    def __str__(self):
        return self.number

    def get_absolute_url(self):
        return reverse("members:probation_letter", args=[self.pk])

    @property
    def is_answered(self):
        return self.answered_on is not None
