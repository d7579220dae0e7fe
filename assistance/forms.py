from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assistance.choices import DifficultyKind, HelpActionKind, HelpSource, HelpStatus
from members.forms import DATE_WIDGET

TEXT = forms.Textarea(attrs={"rows": 3})


class HelpRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("困难类别"), choices=DifficultyKind.choices)
    text = forms.CharField(label=_("困难情况"), widget=TEXT, error_messages={"required": _("请写明困难情况。")})
    source = forms.ChoiceField(label=_("来源"), choices=HelpSource.choices, initial=HelpSource.CONTACT)
    opened_on = forms.DateField(label=_("提出日期"), widget=DATE_WIDGET, initial=timezone.localdate)


class HelpActionForm(forms.Form):
    kind = forms.ChoiceField(label=_("帮扶方式"), choices=HelpActionKind.choices,
                             help_text=_("走访慰问同时记入联系记录，代理代办计入季度报告的代办事项"))
    done_on = forms.DateField(label=_("日期"), widget=DATE_WIDGET, initial=timezone.localdate)
    done_by = forms.CharField(label=_("帮扶人"), max_length=50, help_text=_("谁去办的，如 支委 王某"))
    what_done = forms.CharField(label=_("做了什么"), widget=TEXT, error_messages={"required": _("请写明做了什么。")})
    solved = forms.BooleanField(label=_("困难已解决"), required=False)
    outcome = forms.CharField(label=_("解决情况"), required=False, widget=TEXT,
                              help_text=_("勾选“困难已解决”时填写，不填则以“做了什么”为解决情况"))


class ResolveForm(forms.Form):
    solved_on = forms.DateField(label=_("解决日期"), widget=DATE_WIDGET, initial=timezone.localdate)
    outcome = forms.CharField(label=_("解决情况"), widget=TEXT, error_messages={"required": _("请写明解决情况。")})


class ListFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False, choices=[("", _("全部")), *HelpStatus.choices])
    kind = forms.ChoiceField(label=_("困难类别"), required=False, choices=[("", _("全部")), *DifficultyKind.choices])
