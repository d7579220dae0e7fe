from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from members.models import Member
from organizations.models import Organization
from places.forms import PLACE_FIELD_CLASSES, show_current_divisions

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONTH_WIDGET = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

#: The form in titled sections: the six facts as six sections.
SECTIONS = (
    (_("一、基本信息"), ("name", "gender", "id_number", "birth_date", "education", "joined_date",
                      "membership_type", "probation_end_date", "organization", "mobility_status", "graduated_on",
                      "is_committee_member")),
    (_("二、外出时间"), ("departure_date", "expected_months")),
    (_("三、从事职业"), ("occupation", "trade", "former_occupation")),
    (_("四、流入地址"), ("destination_division", "abroad_country", "destination_city", "destination_address", "host_unit",
                      "destination_unit_kind")),
    (_("五、联系方式"), ("phone", "other_contact", "committee_member", "liaison")),
    (_("六、党费缴纳"), ("dues_start_month", "dues_paid_where", "dues_bracket", "dues_monthly_income",
                     "dues_farmer_amount")),
)
FIELDS = [name for _title, names in SECTIONS for name in names]


def label_empty_choices(fields):
    """Show 请选择 instead of Django's "---------" as the empty choice of every select, and preselect a
    required select of records that has only one possible answer (a secretary's own branch)."""
    for field in fields.values():
        if isinstance(field, forms.ModelChoiceField) and field.empty_label is not None:
            field.empty_label = _("请选择")
            if field.required and field.initial is None and not field.disabled:
                only = list(field.queryset[:2])
                if len(only) == 1:
                    field.initial = only[0].pk
        elif isinstance(field, forms.ChoiceField) and field.choices and field.choices[0] == ("", "---------"):
            field.choices = [("", _("请选择"))] + list(field.choices)[1:]


class MemberForm(forms.ModelForm):
    dues_start_month = forms.DateField(
        label=_("党费起算月份"), required=False, widget=MONTH_WIDGET, input_formats=["%Y-%m", "%Y-%m-%d"],
        help_text=_("从该月起按月计算应交党费，此前的月份视为已结清（如纸质台账记载的党费缴至月份的次月）；"
                    "党费缴至由缴费记录计算，不能直接修改"),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    class Meta:
        model = Member
        fields = FIELDS
        widgets = {
            "birth_date": DATE_WIDGET, "joined_date": DATE_WIDGET,
            "probation_end_date": DATE_WIDGET, "departure_date": DATE_WIDGET, "graduated_on": DATE_WIDGET,
        }
        field_classes = PLACE_FIELD_CLASSES

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = (
            Organization.objects.visible_to(user).member_holding().order_by("path")
        )
        self.fields["education"].required = True
        liaison_org = self.instance.organization_id or (user.organization_id if user.organization and user.organization.holds_members else None)
        liaisons = Member.objects.in_registry().filter(organization_id=liaison_org).order_by("name")
        if self.instance.pk:
            liaisons = liaisons.exclude(pk=self.instance.pk)
        self.fields["liaison"].queryset = liaisons
        self.fields["committee_member"].queryset = liaisons.filter(is_committee_member=True)
        self.fields["version"].initial = self.instance.version
        # Going away is only ever an outflow registration (and coming back a return registration):
        # the form shows the status, it never sets it. The roster import still sets it for onboarding.
        status = self.fields["mobility_status"]
        status.disabled, status.required = True, False
        status.help_text = _("随外出登记、流入登记和返回登记自动变化，不能在此修改")
        for field in self.fields.values():
            if field.required:
                field.widget.attrs["required"] = True
        label_empty_choices(self.fields)
        show_current_divisions(self)

    def validate_unique(self):
        """All but the ID number: the service answers for it, neutrally when it is held outside the user's tree."""
        try:
            self.instance.validate_unique(exclude={*self._get_validation_exclusions(), "id_number"})
        except ValidationError as exc:
            self._update_errors(exc)

    def clean_id_number(self):
        return self.cleaned_data["id_number"].strip().upper()

    def sections(self):
        return [(title, [self[name] for name in names]) for title, names in SECTIONS]

    def model_fields(self):
        return {name: self.cleaned_data[name] for name in FIELDS}
