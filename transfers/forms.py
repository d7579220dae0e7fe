from django import forms
from django.utils.translation import gettext_lazy as _

from members.choices import ContactChannel, Education, Gender
from members.forms import DATE_WIDGET, label_empty_choices
from members.models import Member
from organizations.models import Organization
from organizations.validators import id_birth_date, id_is_male, validate_id_number
from places.forms import PICKER_HELP, PLACE_FIELD_CLASSES, CountryField, DivisionField, show_current_divisions
from transfers.choices import DocumentKind, Handling
from transfers.models import Outflow
from transfers.selectors import liaison_choices
from transfers.services import OUTFLOW_FIELDS

SECTIONS = (
    (_("一、行前谈话"), ("talk_date", "talk_by", "talk_notes")),
    (_("二、外出时间与原因"), ("departure_date", "expected_months", "purpose", "fixed_place", "can_transfer",
                          "returns_often")),
    (_("三、流入地"), ("destination_division", "abroad_country", "destination_city", "destination_address", "host_unit",
                     "unit_has_party_org", "supervising_department", "unit_locality", "destination_unit_kind")),
    (_("四、从事职业"), ("former_occupation", "occupation", "trade")),
    (_("五、联系方式"), ("phone", "other_contact", "liaison")),
)
HANDLING_FIELDS = ("handling", "override_reason", "receiving_organization", "receiving_organization_name",
                   "letter_valid_days")


class LiaisonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(name)s（已联系外出党员 %(n)s 名）") % {"name": obj.name, "n": obj.load}


class OutflowForm(forms.ModelForm):
    """外出登记. An empty ``handling`` means the recommendation is adopted."""

    handling = forms.ChoiceField(label=_("处理方式"), required=False,
                                 choices=[("", _("采用系统建议"))] + list(Handling.choices))

    class Meta:
        model = Outflow
        fields = OUTFLOW_FIELDS
        widgets = {"talk_date": DATE_WIDGET, "departure_date": DATE_WIDGET,
                   "talk_notes": forms.Textarea(attrs={"rows": 2}), "override_reason": forms.Textarea(attrs={"rows": 2})}
        field_classes = {"liaison": LiaisonChoiceField, **PLACE_FIELD_CLASSES}

    def __init__(self, *args, member: Member, **kwargs):
        super().__init__(*args, **kwargs)
        self.member = member
        self.fields["liaison"].queryset = liaison_choices(member.organization_id, member.pk)
        self.fields["receiving_organization"].queryset = (
            Organization.objects.member_holding().exclude(pk=member.organization_id).order_by("path"))
        self.fields["receiving_organization"].help_text = _("接收党组织在本系统内时选择，接收方将在系统中确认接收")
        self.fields["receiving_organization_name"].help_text = _(
            "不在本系统内时填写。留空时按流入单位确定：单位有健全党组织的转到该单位党组织，否则转到其上级主管部门"
            "或所在乡镇（街道）的党组织；这些都不清楚时，转移组织关系必须填写。")
        if not self.instance.pk:
            for name in ("former_occupation", "destination_unit_kind", "occupation", "trade", "phone", "other_contact",
                         "destination_city", "destination_address", "host_unit"):
                self.fields[name].initial = getattr(member, name) or None
            self.fields["destination_division"].initial = member.destination_division_id
            self.fields["abroad_country"].initial = member.abroad_country_id
            self.fields["liaison"].initial = member.liaison_id
        for name in ("destination_unit_kind", "former_occupation"):  # counted in 流动党员情况（二）
            self.fields[name].required = True
        for field in self.fields.values():
            if field.required and not isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs["required"] = True
        label_empty_choices(self.fields)
        show_current_divisions(self)

    def clean(self):
        data = super().clean()
        if not data.get("destination_division") and not data.get("abroad_country") \
                and "destination_division" not in self.errors:
            self.add_error("destination_division", _("请选择流入地（省、市、区县）；出国（境）的请选择国家（地区）。"))
        return data

    def _post_clean(self):
        """The service validates the outflow as a whole; the form only checks each field."""

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]

    def handling_fields(self):
        return [self[name] for name in HANDLING_FIELDS]

    def service_fields(self):
        return {name: self.cleaned_data[name] for name in OUTFLOW_FIELDS}


class RecommendationQueryForm(forms.Form):
    """The text the outflow form's script sends for the live recommendation, checked before any query uses it."""

    destination_division = forms.CharField(required=False, max_length=6)
    abroad_country = forms.CharField(required=False, max_length=2)
    host_unit = forms.CharField(required=False)
    supervising_department = forms.CharField(required=False)
    unit_locality = forms.CharField(required=False)


class ApproveForm(forms.Form):
    """Approval needs no input; the form only carries the CSRF token."""


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("退回理由"), widget=forms.Textarea(attrs={"rows": 3}))


class ReturnForm(forms.Form):
    returned_on = forms.DateField(label=_("返回日期"), widget=DATE_WIDGET)
    card_checked_on = forms.DateField(label=_("查验活动证或证明信日期"), required=False, widget=DATE_WIDGET,
                                      help_text=_("持活动证外出的，必须填写"))
    card_taken_back_on = forms.DateField(label=_("收回活动证日期"), required=False, widget=DATE_WIDGET,
                                         help_text=_("持活动证外出的，必须填写"))
    report_heard_on = forms.DateField(label=_("听取外出期间情况汇报日期"), required=False, widget=DATE_WIDGET,
                                      help_text=_("持活动证外出的，必须填写"))
    notes = forms.CharField(label=_("查验情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReceiptForm(forms.Form):
    received_on = forms.DateField(label=_("接收日期"), widget=DATE_WIDGET)


class ContactForm(forms.Form):
    contacted_on = forms.DateField(label=_("联系日期"), widget=DATE_WIDGET)
    # 党员本人报告 is written by the member's own page, never typed by a secretary.
    channel = forms.ChoiceField(label=_("联系方式"), choices=[
        choice for choice in ContactChannel.choices if choice[0] != ContactChannel.SELF_REPORT])
    contact_person = forms.CharField(label=_("联系人"), max_length=50)
    reached = forms.BooleanField(label=_("已联系上本人"), required=False, initial=True)
    notes = forms.CharField(label=_("情况记录"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class LocationChangeForm(forms.Form):
    division = DivisionField(label=_("所在地（省、市、区县）"), required=False)
    country = CountryField(label=_("出国（境）国家（地区）"), required=False)
    place = forms.CharField(label=_("详细地址"), max_length=200,
                            help_text=_("街道、单位等；出国（境）的写城市"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        show_current_divisions(self)

    def clean(self):
        data = super().clean()
        if bool(data.get("division")) == bool(data.get("country")) and not self.errors:
            raise forms.ValidationError(_("请选择所在地（省、市、区县），出国（境）的选择国家（地区），二者选一。"))
        return data
    contact_made_on = forms.DateField(label=_("取得联系日期"), widget=DATE_WIDGET)
    left_on = forms.DateField(label=_("离开日期"), required=False, widget=DATE_WIDGET)
    notes = forms.CharField(label=_("备注"), required=False, max_length=200)


class ThoughtReportForm(forms.Form):
    received_on = forms.DateField(label=_("收到日期"), widget=DATE_WIDGET)
    summary = forms.CharField(label=_("主要内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class TemporaryBranchForm(forms.Form):
    name = forms.CharField(label=_("临时党支部名称"), max_length=100)
    leader = forms.ModelChoiceField(label=_("负责人"), queryset=Member.objects.none())
    members = forms.ModelMultipleChoiceField(label=_("编入的党员"), queryset=Member.objects.none(),
                                             widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = candidates
        self.fields["members"].queryset = candidates
        self.fields["members"].initial = list(candidates.values_list("pk", flat=True))
        label_empty_choices(self.fields)


class LeaderAccountForm(forms.Form):
    username = forms.CharField(label=_("账号"), max_length=150, help_text=_("登录时填写，可用手机号码"))
    full_name = forms.CharField(label=_("负责人姓名"), max_length=150)
    phone = forms.CharField(label=_("手机号码"), max_length=11, required=False)


class InflowForm(forms.Form):
    """流入登记. The form never looks the ID number up: whether it is in the system is the service's business,
    and its answer must not depend on it."""

    host_organization = forms.ModelChoiceField(label=_("编入的党支部或党小组"), queryset=Organization.objects.none())
    id_number = forms.CharField(label=_("身份证号码"), max_length=18)
    arrived_on = forms.DateField(label=_("到达日期"), widget=DATE_WIDGET)
    document_kind = forms.ChoiceField(label=_("出示的证件"), choices=DocumentKind.choices)
    document_number = forms.CharField(label=_("证件编号"), max_length=32, required=False)
    check_code = forms.CharField(
        label=_("核验码"), max_length=16, required=False,
        help_text=_("本系统开具的介绍信、证明信或活动证上印有8位核验码，填写后提交认领申请，由流出地党组织确认；"
                    "流出地已在外出登记中选择本组织为接收党组织并经审批的，无需填写"))
    name = forms.CharField(label=_("姓名"), max_length=50, required=False,
                           help_text=_("从本系统外流入或隐形党员亮明身份时必填"))
    joined_date = forms.DateField(label=_("入党时间"), required=False, widget=DATE_WIDGET)
    education = forms.ChoiceField(label=_("学历"), choices=[("", _("请选择"))] + list(Education.choices),
                                  required=False)
    phone = forms.CharField(label=_("手机号码"), max_length=11, required=False)
    origin_organization_name = forms.CharField(label=_("流出地党组织"), max_length=100, required=False,
                                               help_text=_("本系统外的党组织时填写全称"))
    origin_division = DivisionField(label=_("流出地（省、市、区县）"), required=False, help_text=PICKER_HELP)
    origin_country = CountryField(label=_("流出地国家（地区）"), required=False, help_text=_("从国外境外回国流入时选择"))
    hidden_member = forms.BooleanField(label=_("隐形党员主动亮明身份"), required=False)
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["host_organization"].queryset = (
            Organization.objects.visible_to(user).member_holding().order_by("path"))
        label_empty_choices(self.fields)
        show_current_divisions(self)

    def clean_id_number(self):
        id_number = self.cleaned_data["id_number"].strip().upper()
        validate_id_number(id_number)  # the new member's birth date and gender are read from it
        return id_number

    def new_member_fields(self):
        """What a record new to the system is made of (the service decides whether one is made)."""
        id_number = self.cleaned_data["id_number"]
        return dict(name=self.cleaned_data["name"], birth_date=id_birth_date(id_number),
                    gender=Gender.MALE if id_is_male(id_number) else Gender.FEMALE,
                    joined_date=self.cleaned_data["joined_date"], education=self.cleaned_data["education"],
                    phone=self.cleaned_data["phone"])


class ClaimRejectForm(forms.Form):
    reason = forms.CharField(label=_("不同意的理由"), widget=forms.Textarea(attrs={"rows": 2}))
