"""Forms of the member's page (plain Chinese, few fields) and of the secretary's side."""
from decimal import Decimal

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assistance.choices import DifficultyKind
from members.choices import LifeKind
from members.forms import DATE_WIDGET
from organizations.validators import validate_mainland_phone
from portal import places
from portal.services import MAX_PHOTOS

MONTH_WIDGET = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
NOTICE_ATTACHMENT_TYPES = {".pdf", ".jpg", ".jpeg", ".png", ".doc", ".docx", ".xls", ".xlsx"}


class MonthField(forms.DateField):
    """A month typed as 2026-10 (``<input type=month>``); the 1st of that month."""

    widget = MONTH_WIDGET
    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class CheckForm(forms.Form):
    birth_date = forms.DateField(label=_("您的出生日期"), widget=DATE_WIDGET)
    id_last4 = forms.CharField(label=_("您身份证号码的最后4位"), min_length=4, max_length=4,
                               widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}))


class DetailsForm(forms.Form):
    """Where the member is and how to reach them: the record's values, to confirm or correct."""

    destination_address = forms.CharField(label=_("详细地址"), max_length=200)
    host_unit = forms.CharField(label=_("工作单位"), max_length=100, required=False)
    phone = forms.CharField(label=_("手机号码"), max_length=11, validators=[validate_mainland_phone])

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        place = places.place_form_fields()
        self.fields = {**place, **self.fields}


class ThoughtForm(forms.Form):
    text = forms.CharField(label=_("思想汇报"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}),
                           help_text=_("也可以只写一句话，再把手写的汇报拍照上传。"))

    def __init__(self, *args, files_list=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.photos = list(files_list)

    def clean(self):
        if len(self.photos) > MAX_PHOTOS:
            raise ValidationError(_("最多上传%(n)d张照片。") % {"n": MAX_PHOTOS})
        limit = settings.CARD_PHOTO_MAX_BYTES
        for photo in self.photos:
            if photo.size > limit:
                raise ValidationError(_("照片「%(name)s」过大，每张不超过 %(limit).0f MB。")
                                      % {"name": photo.name[:40], "limit": limit / 1024 / 1024})
        return self.cleaned_data


class LifeForm(forms.Form):
    attended_on = forms.DateField(label=_("参加日期"), widget=DATE_WIDGET)
    life_kind = forms.ChoiceField(label=_("活动类型"), choices=LifeKind.choices)
    host = forms.CharField(label=_("在哪个党组织参加"), max_length=80)
    topic = forms.CharField(label=_("主题"), max_length=100)

    def clean_attended_on(self):
        day = self.cleaned_data["attended_on"]
        if day > timezone.localdate():
            raise ValidationError(_("参加日期不能晚于今天。"))
        return day


class DuesForm(forms.Form):
    first_month = MonthField(label=_("从哪个月"))
    last_month = MonthField(label=_("到哪个月"))
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=10, decimal_places=2, min_value=Decimal("0.01"))
    paid_on = forms.DateField(label=_("交纳日期"), widget=DATE_WIDGET)
    paid_where = forms.CharField(label=_("在哪里交纳"), max_length=100)
    receipt_number = forms.CharField(label=_("收据编号"), max_length=50, required=False)

    def clean(self):
        data = super().clean()
        first, last = data.get("first_month"), data.get("last_month")
        if first and last and last < first:
            raise ValidationError({"last_month": _("截止月份不能早于起始月份。")})
        if data.get("paid_on") and data["paid_on"] > timezone.localdate():
            raise ValidationError({"paid_on": _("交纳日期不能晚于今天。")})
        return data


class HelpForm(forms.Form):
    KINDS = DifficultyKind.choices
    help_kind = forms.ChoiceField(label=_("哪方面的困难"), choices=KINDS)
    text = forms.CharField(label=_("简单说一下"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("不采纳的理由"), max_length=500)


class NoticeForm(forms.Form):
    title = forms.CharField(label=_("标题"), max_length=100)
    body = forms.CharField(label=_("内容"), max_length=20000, widget=forms.Textarea(attrs={"rows": 8}))
    attachment = forms.FileField(label=_("附件"), required=False,
                                 help_text=_("可选，PDF、图片、Word 或 Excel，不超过 10 MB"))

    def clean_attachment(self):
        upload = self.cleaned_data.get("attachment")
        if upload is None:
            return upload
        suffix = "." + upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if suffix not in NOTICE_ATTACHMENT_TYPES:
            raise ValidationError(_("附件只能是 PDF、图片、Word 或 Excel 文件。"))
        if upload.size > 10 * 1024 * 1024:
            raise ValidationError(_("附件不能超过 10 MB。"))
        return upload
