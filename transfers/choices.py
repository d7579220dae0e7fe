from django.db import models
from django.utils.translation import gettext_lazy as _


class Purpose(models.TextChoices):
    WORK = "work", _("务工经商")
    STUDY = "study", _("学习进修")
    MEETING = "meeting", _("参加会议")
    SECONDMENT = "secondment", _("借调")
    OFFICIAL = "official", _("出差公务")
    FAMILY_VISIT = "family_visit", _("探亲休假")
    RETIRED_RESIDENCE = "retired_away", _("离退休异地居住")
    OTHER = "other", _("其他")


class Handling(models.TextChoices):
    CERTIFICATE_LETTER = "certificate_letter", _("开具党员证明信")
    TRANSFER = "transfer", _("转移组织关系")
    ACTIVITY_CARD = "activity_card", _("发放流动党员活动证")
    STAY = "stay", _("不开具证件，留在原支部过组织生活")
    TEMPORARY_BRANCH = "temporary_branch", _("成立临时党支部（党小组）")
    ABROAD = "abroad", _("出国（境），组织关系保留在原党组织")


class OutflowStatus(models.TextChoices):
    SUBMITTED = "submitted", _("待党(工)委审批")
    RETURNED = "returned", _("已退回修改")
    APPROVED = "approved", _("已批准")
    TRANSFERRED = "transferred", _("组织关系已转出")
    CLOSED = "closed", _("已返回")


#: Statuses of an outflow that is still under way; a member has at most one.
OPEN_OUTFLOW_STATUSES = (OutflowStatus.SUBMITTED, OutflowStatus.RETURNED, OutflowStatus.APPROVED)


class StepAction(models.TextChoices):
    SUBMITTED = "submitted", _("支部登记并报送")
    RESUBMITTED = "resubmitted", _("修改后重新报送")
    APPROVED = "approved", _("党(工)委审批通过")
    RETURNED = "returned", _("党(工)委退回修改")
    RECEIPT_CONFIRMED = "receipt_confirmed", _("接收方确认接收")
    RECEIPT_RETURNED = "receipt_returned", _("回执已寄回")
    LETTER_ARRIVED = "letter_arrived", _("登记接收方收到介绍信的日期")
    LETTER_REISSUED = "letter_reissued", _("介绍信过期，重新开具")
    TEMPORARY_BRANCH = "temporary_branch", _("编入临时党支部")
    CLOSED = "closed", _("返回登记")


class LetterStatus(models.TextChoices):
    PENDING = "pending", _("待审批")
    ISSUED = "issued", _("已开具")
    RECEIVED = "received", _("已接收")
    VOIDED = "voided", _("已作废（过期后重新开具）")


class DocumentKind(models.TextChoices):
    INTRODUCTION_LETTER = "introduction_letter", _("组织关系介绍信")
    CERTIFICATE_LETTER = "certificate_letter", _("党员证明信")
    ACTIVITY_CARD = "activity_card", _("流动党员活动证")
    NONE = "none", _("未出示")


class ClaimStatus(models.TextChoices):
    PENDING = "pending", _("待流出地党组织确认")
    CONFIRMED = "confirmed", _("已确认，已编入")
    REJECTED = "rejected", _("流出地党组织未同意")
