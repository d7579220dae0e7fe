from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from treebeard.mp_tree import MP_Node, MP_NodeManager, MP_NodeQuerySet

from organizations.choices import COMMITTEE_KINDS, MEMBER_HOLDING_KINDS, OrganizationKind
from organizations.validators import validate_mainland_phone
from places.validation import validate_division_prefix


class OrganizationQuerySet(MP_NodeQuerySet):
    def visible_to(self, user):
        """The user's organization and everything below it."""
        if not user.is_authenticated:
            return self.none()
        if user.is_superuser and user.organization_id is None:
            return self
        if user.organization_id is None:
            return self.none()
        return self.filter(path__startswith=user.organization.path)

    def open(self):
        """Organizations not closed: a closed one keeps its history but leaves every list, count and reminder."""
        return self.filter(closed_on__isnull=True)

    def closed(self):
        return self.filter(closed_on__isnull=False)

    def member_holding(self):
        """Open organizations that hold members (a closed branch holds nobody any more)."""
        return self.open().filter(kind__in=MEMBER_HOLDING_KINDS)


class OrganizationManager(MP_NodeManager.from_queryset(OrganizationQuerySet)):
    def get_queryset(self):
        return OrganizationQuerySet(self.model, using=self._db).order_by("path")


class Organization(MP_Node):
    """A node of the Party organization tree (materialized path).

    ``path`` is indexed with ``varchar_pattern_ops`` on PostgreSQL so that
    "this node and everything below it" (``path LIKE 'prefix%'``) is one index
    range scan.
    """

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("组织代码"), max_length=32, unique=True)
    kind = models.CharField(_("类别"), max_length=32, choices=OrganizationKind.choices)
    secretary_name = models.CharField(_("书记姓名"), max_length=50, blank=True)
    secretary_phone = models.CharField(
        _("书记联系电话"), max_length=11, blank=True, validators=[validate_mainland_phone]
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    division_code = models.CharField(
        _("行政区划代码"), max_length=12, blank=True,
        validators=[RegexValidator(r"^(\d{6}|\d{9}|\d{12})$", _("行政区划代码应为6位、9位或12位数字，例如 220524。")),
                    validate_division_prefix],
        help_text=_("所在地的行政区划代码（GB/T 2260，乡镇可填9位或12位）"),
    )
    closed_on = models.DateField(_("撤销日期"), null=True, blank=True, editable=False,
                                 help_text=_("已撤销的党组织保留历史记录，但不再出现在列表、统计和提醒中"))

    history = HistoricalRecords()

    objects = OrganizationManager()

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("党组织")
        verbose_name_plural = _("党组织")
        indexes = [
            models.Index(fields=["path"], name="org_path_prefix_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["kind"], name="org_kind_idx"),
        ]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("organizations:detail", args=[self.pk])

    @property
    def is_committee(self):
        return self.kind in COMMITTEE_KINDS

    @property
    def holds_members(self):
        return self.kind in MEMBER_HOLDING_KINDS

    @property
    def is_closed(self):
        return self.closed_on is not None

    def is_within(self, other):
        """True when this node is ``other`` or below it."""
        return self.path.startswith(other.path)
