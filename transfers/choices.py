from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    WORK = "work", _("务工经商")
    STUDY = "study", _("学习进修")
    MEETING = "meeting", _("参加会议")
    SECONDMENT = "secondment", _("借调")
    OFFICIAL = "official", _("出差公务")
    FAMILY_VISIT = "family_visit", _("探亲休假")
    OTHER = "other", _("其他")


class Handling(models.TextChoices):
    CERTIFICATE_LETTER = "certificate_letter", _("开具党员证明信")
    TRANSFER = "transfer", _("转移组织关系")
    ACTIVITY_CARD = "activity_card", _("发放流动党员活动证")
    STAY = "stay", _("不开具证件，留在原支部过组织生活")
    TEMPORARY_BRANCH = "temporary_branch", _("成立临时党支部（党小组）")
