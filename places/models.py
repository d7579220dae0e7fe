from django.db import models
from django.utils.translation import gettext_lazy as _

from places.names import CITY, COUNTY, PROVINCE


class Level(models.IntegerChoices):
    PROVINCE = PROVINCE, _("省级")
    CITY = CITY, _("地级")
    COUNTY = COUNTY, _("县级")


class Division(models.Model):
    """An administrative division of GB/T 2260 (province, city or county), keyed by its 6-digit code.

    ``full_name`` (``浙江省杭州市西湖区``, grouping rows such as 市辖区 left out) and
    ``city_code`` (see ``places.names.city_key``) are filled when the table is loaded.
    """

    code = models.CharField(_("行政区划代码"), max_length=6, primary_key=True)
    name = models.CharField(_("名称"), max_length=50)
    full_name = models.CharField(_("全称"), max_length=100)
    level = models.PositiveSmallIntegerField(_("级别"), choices=Level.choices)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="children",
                               verbose_name=_("上级"))
    city_code = models.CharField(_("所在市代码"), max_length=6, blank=True, db_index=True)
    pinyin = models.CharField(_("拼音"), max_length=100, blank=True)
    initials = models.CharField(_("拼音首字母"), max_length=30, blank=True)
    selectable = models.BooleanField(_("可选"), default=True, help_text=_("市辖区等分组行不能单独选择"))

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [
            models.Index(fields=["pinyin"], name="division_pinyin_idx", opclasses=["varchar_pattern_ops"]),
            models.Index(fields=["initials"], name="division_initials_idx", opclasses=["varchar_pattern_ops"]),
        ]

    def __str__(self):
        return self.full_name


class Country(models.Model):
    """A country or region of ISO 3166-1 (出国（境）), keyed by its two-letter code; China itself is not listed."""

    code = models.CharField(_("国家（地区）代码"), max_length=2, primary_key=True)
    name = models.CharField(_("中文名称"), max_length=60)
    name_en = models.CharField(_("英文名称"), max_length=100)

    class Meta:
        verbose_name = _("国家（地区）")
        verbose_name_plural = _("国家（地区）")
        ordering = ["code"]

    def __str__(self):
        return self.name


class TableEdition(models.Model):
    """Which edition of each table is loaded, and when: the answer to "which codes are these"."""

    table = models.CharField(_("表"), max_length=20, unique=True)
    source = models.CharField(_("来源"), max_length=200)
    version = models.CharField(_("版本"), max_length=40)
    edition = models.CharField(_("版次"), max_length=100)
    generated = models.CharField(_("生成日期"), max_length=10)
    rows = models.PositiveIntegerField(_("行数"))
    loaded_at = models.DateTimeField(_("载入时间"), auto_now=True)

    class Meta:
        verbose_name = _("代码表版本")
        verbose_name_plural = _("代码表版本")

    def __str__(self):
        return f"{self.table} {self.version} ({self.edition})"
