"""Forms of the membership lifecycle pages (proposal, decision, recorded fact, probation letter)."""
from django import forms
from django.utils.translation import gettext_lazy as _

from members.choices import DecisionKind
from members.forms import DATE_WIDGET
from members.rules import TRANSITIONS

PROPOSABLE_KINDS = [(kind.value, kind.label) for kind in DecisionKind if TRANSITIONS[kind].by_committee]
RECORDABLE_KINDS = [(DecisionKind.DECEASED.value, DecisionKind.DECEASED.label)]


class MembershipProposeForm(forms.Form):
    kind = forms.ChoiceField(label=_("事项"), choices=PROPOSABLE_KINDS)
    reason = forms.CharField(label=_("事实和理由"), widget=forms.Textarea(attrs={"rows": 3}))
    meeting_on = forms.DateField(label=_("支部党员大会日期"), required=False, widget=DATE_WIDGET,
                                 help_text=_("转正、延长预备期、取消预备党员资格必填"))
    new_probation_end_date = forms.DateField(label=_("延长后的预备期满日期"), required=False, widget=DATE_WIDGET,
                                             help_text=_("仅延长预备期：只能延长一次，不超过一年"))


class MembershipDecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("审批结果"), choices=[("approve", _("批准")), ("reject", _("退回支部"))],
                                 widget=forms.RadioSelect)
    decided_on = forms.DateField(label=_("决定日期"), required=False, widget=DATE_WIDGET)
    document_number = forms.CharField(label=_("决定文书编号"), required=False, max_length=60,
                                      help_text=_("批准时必填：党(工)委决定的文号"))
    notes = forms.CharField(label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("退回时必填"))


class MembershipRecordForm(forms.Form):
    kind = forms.ChoiceField(label=_("事项"), choices=RECORDABLE_KINDS)
    decided_on = forms.DateField(label=_("日期"), widget=DATE_WIDGET)
    document_number = forms.CharField(label=_("证明文书编号"), max_length=60)
    reason = forms.CharField(label=_("情况说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ProbationOpinionRequestForm(forms.Form):
    host_organization_name = forms.CharField(label=_("流入地党组织"), required=False, max_length=100,
                                             help_text=_("不填时取党员档案中的流入地党组织或流入单位"))


class ProbationOpinionAnswerForm(forms.Form):
    answered_on = forms.DateField(label=_("回复日期"), widget=DATE_WIDGET)
    answer = forms.CharField(label=_("流入地党组织意见"), widget=forms.Textarea(attrs={"rows": 4}))


class MembershipDocumentForm(forms.Form):
    document_number = forms.CharField(label=_("决定文书编号"), max_length=60, help_text=_("党(工)委决定的文号"))
    decided_on = forms.DateField(label=_("决定日期"), widget=DATE_WIDGET)
