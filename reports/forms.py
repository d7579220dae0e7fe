from django import forms
from django.utils.translation import gettext_lazy as _

from reports.models import QuarterlyReport
from reports.services import TEXT_FIELDS


class ReportTextForm(forms.ModelForm):
    """The branch's own text. The figures are filled in by the system."""

    class Meta:
        model = QuarterlyReport
        fields = TEXT_FIELDS
        widgets = {
            "work_done": forms.Textarea(attrs={"rows": 6}),
            "problems": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, submitting: bool = True, **kwargs):
        """``submitting=False`` for "保存草稿": a draft may be saved half-written."""
        super().__init__(*args, **kwargs)
        for name in QuarterlyReport.REQUIRED_ON_SUBMIT:
            field = self.fields[name]
            field.required = submitting
            field.error_messages["required"] = _("提交前请填写“%(label)s”。") % {"label": field.label}
            field.help_text = _("提交时必填，保存草稿时可暂不填写")


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("退回时必填，写明需要修改的内容"))
