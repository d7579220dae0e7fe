from django.db import models
from django.utils.translation import gettext_lazy as _


class DifficultyKind(models.TextChoices):
    JOB = "job", _("就业")
    WAGES_OWED = "wages_owed", _("欠薪")
    ILLNESS = "illness", _("疾病")
    FAMILY_LEFT_BEHIND = "family_left_behind", _("留守家庭")
    LEGAL = "legal", _("法律")
    OTHER = "other", _("其他")


class HelpSource(models.TextChoices):
    """Where the organization learnt of the difficulty."""

    MEMBER = "member", _("党员本人求助")
    CONTACT = "contact", _("联系走访中发现")
    HOST = "host", _("流入地党组织反映")
    OTHER = "other", _("其他")


class HelpStatus(models.TextChoices):
    OPEN = "open", _("未解决")
    SOLVED = "solved", _("已解决")


class HelpActionKind(models.TextChoices):
    """What one step of help was; 走访慰问 is also a contact record, 代理代办 counts as an errand run."""

    VISIT = "visit", _("走访慰问")
    ERRAND = "errand", _("代理代办")
    OTHER = "other", _("其他帮扶")
