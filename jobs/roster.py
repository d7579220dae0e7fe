"""The roster's inactivity column: which of the three conditions are flagged and open."""
from django.db.models import Case, CharField, Exists, OuterRef, Value, When
from django.db.models.functions import Concat
from django.utils.translation import gettext_lazy as _

from jobs.choices import InactivityCondition
from jobs.models import InactivityFlag
from members.roster_columns import INACTIVITY_FLAG

SHORT_LABELS = {
    InactivityCondition.ORGANIZATIONAL_LIFE: _("未参加组织生活"),
    InactivityCondition.DUES: _("未交党费"),
    InactivityCondition.ASSIGNED_WORK: _("未做分配工作"),
}


def annotate_inactivity_flag(queryset):
    """E.g. "未参加组织生活；未交党费；" for open flags: one EXISTS per condition, no query per row."""
    parts = [
        Case(When(Exists(InactivityFlag.objects.open().filter(member=OuterRef("pk"), condition=condition)),
                  then=Value(f"{label}；")), default=Value(""), output_field=CharField())
        for condition, label in SHORT_LABELS.items()
    ]
    return queryset.annotate(**{INACTIVITY_FLAG.key: Concat(*parts, output_field=CharField())})
