from django import forms
from django.utils.translation import gettext_lazy as _


class TalkForm(forms.Form):
    talk_on = forms.DateField(label=_("谈话日期"), widget=forms.DateInput(attrs={"type": "date"}))
    talk_notes = forms.CharField(label=_("谈话记录"), widget=forms.Textarea(attrs={"rows": 3}))


class ResolveForm(forms.Form):
    resolution_notes = forms.CharField(label=_("纠正情况"), widget=forms.Textarea(attrs={"rows": 3}))


class ProposeForm(forms.Form):
    proposal_reason = forms.CharField(label=_("处理意见"), widget=forms.Textarea(attrs={"rows": 3}))


class DecideForm(forms.Form):
    decision = forms.ChoiceField(label=_("审批结果"), choices=[("approve", _("批准")), ("reject", _("退回支部"))],
                                 widget=forms.RadioSelect)
    decision_notes = forms.CharField(label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    document_number = forms.CharField(label=_("决定文书编号"), required=False, max_length=60,
                                      help_text=_("批准时必填：党(工)委决定的文号"))
