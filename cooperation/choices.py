from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeInterval(models.TextChoices):
    """How often the two sides of an agreement exchange what they know of the members it covers."""

    MONTHLY = "monthly", _("每月")
    QUARTERLY = "quarterly", _("每季度")
    HALF_YEARLY = "half_yearly", _("每半年")
    YEARLY = "yearly", _("每年")


class EvaluationGrade(models.TextChoices):
    """The grades of the yearly two-way evaluation (双向评议)."""

    EXCELLENT = "excellent", _("优秀")
    QUALIFIED = "qualified", _("合格")
    BASICALLY_QUALIFIED = "basically_qualified", _("基本合格")
    UNQUALIFIED = "unqualified", _("不合格")
