from django.db import models
from django.utils.translation import gettext_lazy as _


class CardStatus(models.TextChoices):
    VALID = "valid", _("有效")
    REPLACED = "replaced", _("已换发")
    RETURNED = "returned", _("已收回")
    REVOKED = "revoked", _("已注销")


class PhotoKind(models.TextChoices):
    """Seed 3: "一般应贴本人近期免冠一寸照片……特殊情况未贴照片的，应与本人的居民身份证同时使用"."""

    PHOTO = "photo", _("本人近期免冠一寸照片")
    ID_CARD_COPY = "id_card_copy", _("居民身份证复印件（无法提供照片）")


#: Statuses a card can be taken back into (on return, transfer or misuse).
TAKE_BACK_STATUSES = (CardStatus.RETURNED, CardStatus.REVOKED)


class VerificationResult(models.TextChoices):
    PASSED = "passed", _("查验合格")
    PROBLEMS = "problems", _("发现问题，已提出整改")


class RemarkKind(models.TextChoices):
    GOOD_DEED = "good_deed", _("好人好事")
    ERROR = "error", _("违纪违法或错误")


class CardAction(models.TextChoices):
    ISSUED = "issued", _("发放")
    VERIFIED = "verified", _("年度查验")
    REPLACED = "replaced", _("到期换发")
    RETURNED = "returned", _("收回")
    REVOKED = "revoked", _("注销")
    LIFE = "life", _("登记组织生活")
    DUES = "dues", _("登记党费")
    LOCATION = "location", _("登记地点变动")
    REMARK = "remark", _("登记表现")
