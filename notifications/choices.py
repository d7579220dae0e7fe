from django.db import models
from django.utils.translation import gettext_lazy as _


class NotificationKind(models.TextChoices):
    MONTHLY_COLLECTION = "monthly_collection", _("月度信息收集")
    QUARTERLY_REPORT = "quarterly_report", _("季度报告")
    QUARTERLY_DUE_SOON = "quarterly_due_soon", _("季度报告即将截止")
    INACTIVITY_FLAG = "inactivity_flag", _("六个月未参加组织生活/未交党费/未做工作")
    LOST_CONTACT = "lost_contact", _("失联")
    APPROVAL_NEEDED = "approval_needed", _("待审批")
    PROBATION_ENDING = "probation_ending", _("预备期即将期满")
    PROBATION_OVERDUE = "probation_overdue", _("预备期已满未作决定")
    AWAY_NO_CONTACT = "away_no_contact", _("外出党员12个月无联系")
    GRADUATE_NO_CONTACT = "graduate_no_contact", _("毕业生6个月无联系")
    GRADUATE_HOLD_EXPIRED = "graduate_hold_expired", _("毕业生组织关系在校保留满2年")
    DUES_ARREARS = "dues_arrears", _("党费欠缴")
    INCOMPLETE_FACTS = "incomplete_facts", _("六个掌握信息不全")
    REMOVAL_DUE = "removal_due", _("停止党籍满2年")
    CARD_VERIFICATION_DUE = "card_verification_due", _("活动证年度查验到期")
    CARD_REPLACEMENT_DUE = "card_replacement_due", _("活动证满3年换发")
    LETTER_EXPIRING = "letter_expiring", _("介绍信即将过期")
    LETTER_EXPIRED = "letter_expired", _("介绍信过期未接收")
    LETTER_RECEIPT_OVERDUE = "letter_receipt_overdue", _("介绍信回执逾期")
    ABROAD_NO_CONTACT = "abroad_no_contact", _("出国（境）党员6个月无联系")
    RETIREE_ELSEWHERE = "retiree_elsewhere", _("离退休党员异地居住超过1年")
    CARD_NOT_ISSUED = "card_not_issued", _("批准发放活动证满30天未发证")
    PORTAL_LINK_LOCKED = "portal_link_locked", _("党员本人链接核对失败已锁定")
