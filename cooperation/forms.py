from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from cooperation.choices import EvaluationGrade
from cooperation.models import Agreement
from cooperation.rules import period_label, periods_between
from cooperation.selectors import committees_for
from members.forms import DATE_WIDGET, label_empty_choices
from organizations.models import Organization

#: Exchanges are recorded for the periods of the last two years at most (older ones are history).
PERIODS_OFFERED = 8


class AgreementForm(forms.ModelForm):
    class Meta:
        model = Agreement
        fields = ["origin_organization", "host_organization", "host_name", "host_place", "host_contact_person",
                  "host_contact_phone", "starts_on", "ends_on", "exchange_interval", "origin_duties", "host_duties"]
        widgets = {"starts_on": DATE_WIDGET, "ends_on": DATE_WIDGET,
                   "origin_duties": forms.Textarea(attrs={"rows": 3}), "host_duties": forms.Textarea(attrs={"rows": 3})}

    # The host is anywhere in the system (an agreement is exactly the link between two subtrees), so it is
    # named by its code: a list of every organization of a province would be too long to choose from.
    host_organization = forms.ModelChoiceField(
        label=_("流入地党组织代码（本系统内）"), queryset=Organization.objects.open(), to_field_name="code",
        required=False, widget=forms.TextInput,
        help_text=_("流入地党组织在本系统中时填写其组织代码，双方都能看到协议；不在本系统中的留空，填写名称"),
        error_messages={"invalid_choice": _("本系统中没有这个组织代码的党组织，请核对；不在本系统中的请留空并填写名称。")})

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["origin_organization"].queryset = committees_for(user).order_by("path")
        if self.instance.host_organization_id:  # shown as its code, as typed
            self.initial["host_organization"] = self.instance.host_organization.code
        label_empty_choices(self.fields)


class AgreementMembersForm(forms.Form):
    members = forms.ModelMultipleChoiceField(label=_("共管党员"), queryset=None, required=False,
                                             widget=forms.CheckboxSelectMultiple,
                                             help_text=_("本党(工)委在协议流入地的外出党员"))

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].queryset = candidates
        self.fields["members"].label_from_instance = lambda member: f"{member.name}（{member.organization.name}，" \
                                                                    f"{member.destination_city or member.host_unit}）"


class ExchangeForm(forms.Form):
    """The period, the date and, for each covered member, the three answers and a remark."""

    period = forms.TypedChoiceField(label=_("互通周期"), coerce=date.fromisoformat)
    recorded_on = forms.DateField(label=_("互通日期"), widget=DATE_WIDGET)
    remarks = forms.CharField(label=_("总体情况"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    ANSWERS = (("took_part_in_life", _("参加组织生活")), ("paid_dues", _("缴纳党费")), ("met", _("见面或走访")))

    def __init__(self, *args, agreement, members, today, **kwargs):
        super().__init__(*args, **kwargs)
        interval = agreement.exchange_interval
        recorded = set(agreement.exchanges.values_list("period_start", flat=True))
        starts = [start for start in periods_between(agreement.starts_on, min(agreement.ends_on, today), interval)
                  if start not in recorded][:PERIODS_OFFERED]
        self.fields["period"].choices = [(start.isoformat(), period_label(start, interval)) for start in starts]
        self.fields["recorded_on"].initial = today
        self.members = members
        for member in members:
            for name, label in self.ANSWERS:
                self.fields[f"{name}_{member.pk}"] = forms.BooleanField(label=label, required=False)
            self.fields[f"remarks_{member.pk}"] = forms.CharField(label=_("表现和情况"), required=False, max_length=200)

    def member_rows(self):
        return [(member, [self[f"{name}_{member.pk}"] for name, _label in self.ANSWERS], self[f"remarks_{member.pk}"])
                for member in self.members]

    def entries(self) -> dict:
        data = self.cleaned_data
        return {member.pk: {**{name: data[f"{name}_{member.pk}"] for name, _label in self.ANSWERS},
                            "remarks": data[f"remarks_{member.pk}"]} for member in self.members}


class HostOpinionForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    host_name = forms.CharField(label=_("流入地党组织名称"), required=False, max_length=100,
                                help_text=_("流入地不在本系统中时填写出具意见的党组织"))
    grade = forms.ChoiceField(label=_("评议等次"), choices=EvaluationGrade.choices)
    opinion = forms.CharField(label=_("流入地党组织意见"), widget=forms.Textarea(attrs={"rows": 4}),
                              help_text=_("党员在流入地的表现"))
    recorded_on = forms.DateField(label=_("日期"), widget=DATE_WIDGET)

    def __init__(self, *args, host_in_system: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if host_in_system:
            del self.fields["host_name"]
        label_empty_choices(self.fields)


class EvaluationResultForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    grade = forms.ChoiceField(label=_("评议结果"), choices=EvaluationGrade.choices)
    notes = forms.CharField(label=_("支部评议意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    recorded_on = forms.DateField(label=_("评议日期"), widget=DATE_WIDGET)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        label_empty_choices(self.fields)
