"""Joint management between origin and host (双向共管) and the yearly two-way evaluation (双向评议).

An agreement is recorded by the origin's committee; when the host is an
organization in the system both sides see it, with its exchanges. The
yearly evaluation is one row per member and year: the host's opinion and,
beside it, the result the origin branch records.
"""
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cooperation.choices import EvaluationGrade, ExchangeInterval
from cooperation.rules import period_label
from members.models import Member
from organizations.models import Organization


class AgreementQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Agreements whose origin or host is in the user's subtree, or that cover a member it holds."""
        subtree = Organization.objects.visible_to(user).order_by().values("pk")
        covering = Agreement.members.through.objects.filter(member__organization__in=subtree).values("agreement_id")
        return self.filter(Q(origin_organization__in=subtree) | Q(host_organization__in=subtree) | Q(pk__in=covering))

    def in_force_on(self, day):
        return self.filter(starts_on__lte=day, ends_on__gte=day)

    def with_relations(self):
        return self.select_related("origin_organization", "host_organization")


class Agreement(models.Model):
    """双向共管协议 between the origin committee and a host organization (in the system or outside it)."""

    origin_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                            verbose_name=_("流出地党(工)委"))
    host_organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("流入地党组织（本系统内）"), help_text=_("流入地党组织在本系统中时选择；双方都能看到协议"))
    host_name = models.CharField(_("流入地党组织名称"), max_length=100, blank=True,
                                 help_text=_("流入地党组织不在本系统中时填写"))
    # One field for the place, so that it can become a division code (GB/T 2260) without touching the rest.
    host_place = models.CharField(_("流入地"), max_length=100, help_text=_("如：浙江省宁波市"))
    host_contact_person = models.CharField(_("流入地联系人"), max_length=50)
    host_contact_phone = models.CharField(_("联系电话"), max_length=20)
    starts_on = models.DateField(_("签订日期"))
    ends_on = models.DateField(_("有效期至"))
    origin_duties = models.TextField(_("流出地职责"))
    host_duties = models.TextField(_("流入地职责"))
    exchange_interval = models.CharField(_("信息互通周期"), max_length=16, choices=ExchangeInterval.choices,
                                         default=ExchangeInterval.QUARTERLY)
    members = models.ManyToManyField(Member, blank=True, related_name="agreements", verbose_name=_("共管党员"))
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    history = HistoricalRecords(m2m_fields=[members])

    objects = AgreementQuerySet.as_manager()

    class Meta:
        verbose_name = _("双向共管协议")
        verbose_name_plural = _("双向共管协议")
        ordering = ["-starts_on", "-id"]
        permissions = [("record_exchange", _("登记信息互通情况"))]
        indexes = [models.Index(fields=["origin_organization", "ends_on"], name="agreement_origin_idx"),
                   models.Index(fields=["host_organization", "ends_on"], name="agreement_host_idx")]
        constraints = [
            models.CheckConstraint(condition=Q(host_organization__isnull=False) | ~Q(host_name=""),
                                   name="agreement_has_host",
                                   violation_error_message=_("请选择本系统内的流入地党组织，或填写其名称。")),
            models.CheckConstraint(condition=Q(ends_on__gt=models.F("starts_on")), name="agreement_term_order",
                                   violation_error_message=_("有效期应晚于签订日期。")),
        ]

    def __str__(self):
        return _("与%(host)s的双向共管协议") % {"host": self.host_display}

    def get_absolute_url(self):
        return reverse("cooperation:agreement_detail", args=[self.pk])

    def clean(self):
        if self.host_organization_id is None and not self.host_name.strip():
            raise ValidationError({"host_name": _("请选择本系统内的流入地党组织，或填写其名称。")})
        if self.starts_on and self.ends_on and self.ends_on <= self.starts_on:
            raise ValidationError({"ends_on": _("有效期应晚于签订日期。")})

    @property
    def host_display(self) -> str:
        return self.host_organization.name if self.host_organization_id else self.host_name

    @property
    def host_in_system(self) -> bool:
        return self.host_organization_id is not None

    @property
    def recording_organization(self) -> Organization:
        """Who records the exchanges: the host when it is in the system, otherwise the origin."""
        return self.host_organization if self.host_in_system else self.origin_organization


class Exchange(models.Model):
    """One period's exchange under an agreement: what the covered members did, recorded once."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="exchanges",
                                  verbose_name=_("协议"))
    period_start = models.DateField(_("周期开始日期"))
    recorded_on = models.DateField(_("互通日期"))
    recorded_by_organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="+",
                                                 verbose_name=_("登记党组织"))
    remarks = models.TextField(_("总体情况"), blank=True)
    created_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("登记人"))
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("信息互通记录")
        verbose_name_plural = _("信息互通记录")
        ordering = ["-period_start"]
        constraints = [models.UniqueConstraint(fields=["agreement", "period_start"], name="one_exchange_per_period",
                                               violation_error_message=_("该周期的信息互通情况已经登记。"))]

    def __str__(self):
        return self.period_display

    @property
    def period_display(self) -> str:
        return period_label(self.period_start, self.agreement.exchange_interval)


class ExchangeEntry(models.Model):
    """What one covered member did in the period, as the recording side knows it."""

    exchange = models.ForeignKey(Exchange, on_delete=models.CASCADE, related_name="entries",
                                 verbose_name=_("信息互通记录"))
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+", verbose_name=_("党员"))
    took_part_in_life = models.BooleanField(_("参加组织生活"), default=False)
    paid_dues = models.BooleanField(_("缴纳党费"), default=False)
    met = models.BooleanField(_("见面或走访"), default=False)
    remarks = models.CharField(_("表现和情况"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("党员互通情况")
        verbose_name_plural = _("党员互通情况")
        constraints = [models.UniqueConstraint(fields=["exchange", "member"], name="one_entry_per_member")]


class EvaluationQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Where the member is visible: the origin holding the member and the host hosting it."""
        return self.filter(member__in=Member.objects.visible_to(user).values("pk"))


class TwoWayEvaluation(models.Model):
    """双向评议 of one member for one year: the host's opinion, and the origin branch's result beside it."""

    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="evaluations", verbose_name=_("党员"))
    year = models.PositiveSmallIntegerField(_("年度"))
    host_organization = models.ForeignKey(Organization, on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+", verbose_name=_("流入地党组织"))
    host_name = models.CharField(_("流入地党组织名称"), max_length=100, blank=True)
    host_grade = models.CharField(_("流入地评议等次"), max_length=24, choices=EvaluationGrade.choices, blank=True)
    host_opinion = models.TextField(_("流入地党组织意见"), blank=True, help_text=_("在流入地的表现"))
    host_recorded_on = models.DateField(_("流入地意见日期"), null=True, blank=True)
    host_recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True,
                                         related_name="+", verbose_name=_("流入地意见登记人"))
    result_grade = models.CharField(_("评议结果"), max_length=24, choices=EvaluationGrade.choices, blank=True)
    result_notes = models.TextField(_("支部评议意见"), blank=True)
    result_recorded_on = models.DateField(_("评议日期"), null=True, blank=True)
    result_recorded_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, null=True, blank=True,
                                           related_name="+", verbose_name=_("评议结果登记人"))

    history = HistoricalRecords()

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        verbose_name = _("双向评议")
        verbose_name_plural = _("双向评议")
        ordering = ["-year", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["member", "year"], name="one_evaluation_per_member_year",
                                    violation_error_message=_("该党员本年度的双向评议已有记录。")),
            models.CheckConstraint(condition=Q(host_grade="") | ~Q(host_opinion=""), name="host_grade_with_opinion",
                                   violation_error_message=_("请填写流入地党组织意见。")),
        ]
        indexes = [models.Index(fields=["member", "-year"], name="evaluation_member_year_idx")]

    def __str__(self):
        return _("%(name)s %(year)d年度双向评议") % {"name": self.member.name, "year": self.year}

    def get_absolute_url(self):
        return reverse("members:detail", args=[self.member_id])

    @property
    def host_display(self) -> str:
        return self.host_organization.name if self.host_organization_id else self.host_name
