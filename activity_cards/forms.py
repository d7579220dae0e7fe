from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activity_cards.choices import TAKE_BACK_STATUSES, PhotoKind, RemarkKind, VerificationResult
from activity_cards.validators import validate_photo
from members.choices import LifeKind
from members.forms import DATE_WIDGET, MONTH_WIDGET
from places.forms import CountryField, DivisionField

PHOTO_HELP = _("JPG 或 PNG 格式，不超过 2 MB：本人近期免冠正面照片；确实无法提供照片的，上传居民身份证复印件")


def _photo_kind_field(required=True):
    return forms.ChoiceField(label=_("照片类别"), choices=PhotoKind.choices, initial=PhotoKind.PHOTO,
                             required=required, widget=forms.RadioSelect)


def _photo_field(required=True):
    return forms.FileField(
        label=_("照片或身份证复印件"), required=required, validators=[validate_photo], help_text=PHOTO_HELP,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png"}),
    )


def _date(label, required=True, **kwargs):
    return forms.DateField(label=label, required=required, widget=DATE_WIDGET, **kwargs)


def _month(label):
    return forms.DateField(label=label, widget=MONTH_WIDGET, input_formats=["%Y-%m", "%Y-%m-%d"])


class ServiceForm(forms.Form):
    """A form whose cleaned data are the service's keyword arguments."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if field.required:
                field.widget.attrs["required"] = True

    def service_kwargs(self):
        return dict(self.cleaned_data)


class CardIssueForm(ServiceForm):
    """Only what the outflow does not say: the day of issue and the photo (外出原因、地点、时间 come from the outflow)."""

    issued_on = _date(_("发证日期"), initial=timezone.localdate)
    photo_kind = _photo_kind_field()
    photo = _photo_field()


class CardVerifyForm(ServiceForm):
    verified_on = _date(_("查验日期"), initial=timezone.localdate)
    result = forms.ChoiceField(label=_("查验结果"), choices=VerificationResult.choices)
    notes = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class CardReplaceForm(ServiceForm):
    replaced_on = _date(_("换发日期"), initial=timezone.localdate)
    reason = forms.CharField(label=_("换发原因"), max_length=200, required=False,
                             help_text=_("不填写则记为“使用满3年换发新证”"))
    photo_kind = _photo_kind_field(required=False)
    photo = _photo_field(required=False)


class CardTakeBackForm(ServiceForm):
    status = forms.ChoiceField(label=_("处理方式"), choices=[(s.value, s.label) for s in TAKE_BACK_STATUSES])
    on = _date(_("收回日期"), initial=timezone.localdate)
    reason = forms.CharField(label=_("原因"), max_length=200, help_text=_("如：返回原籍、转移组织关系"))


class CardLifeForm(ServiceForm):
    attended_on = _date(_("参加日期"))
    kind = forms.ChoiceField(label=_("活动类型"), choices=LifeKind.choices)
    content = forms.CharField(label=_("内容"), max_length=200)


class CardDuesForm(ServiceForm):
    first_month = _month(_("起始月份"))
    last_month = _month(_("截止月份"))
    amount = forms.DecimalField(label=_("金额（元）"), max_digits=10, decimal_places=2, min_value=0.01)
    paid_on = _date(_("缴纳日期"), initial=timezone.localdate)
    paid_where = forms.CharField(label=_("缴纳地"), max_length=100)
    by_proxy = forms.BooleanField(label=_("委托他人代缴"), required=False)
    receipt_number = forms.CharField(label=_("收据编号"), max_length=50, required=False)
    back_payment_reason = forms.CharField(
        label=_("补交理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("一次补交缴纳当月之前6个月以上的党费时必须填写，如党组织的决定或所在单位的证明"))


class CardLocationForm(ServiceForm):
    division = DivisionField(label=_("所在地（省、市、区县）"), required=False)
    country = CountryField(label=_("出国（境）国家（地区）"), required=False)
    place = forms.CharField(label=_("详细地址/单位"), max_length=200, help_text=_("出国（境）的写城市"))
    contacted_on = _date(_("取得联系日期"))
    left_on = _date(_("离开日期"), required=False)
    notes = forms.CharField(label=_("备注"), max_length=200, required=False)


class CardRemarkForm(ServiceForm):
    kind = forms.ChoiceField(label=_("类别"), choices=RemarkKind.choices)
    noted_on = _date(_("日期"))
    content = forms.CharField(label=_("内容"), max_length=300)
