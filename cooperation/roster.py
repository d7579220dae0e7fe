"""The roster's column 最近一次双向评议: the latest year's result, with the host's grade beside it."""
from django.db.models import Case, CharField, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce, Concat
from django.utils.translation import gettext as _

from cooperation.choices import EvaluationGrade
from cooperation.models import TwoWayEvaluation
from members.roster_columns import TWO_WAY_EVALUATION


def _label(field: str):
    return Case(*(When(**{field: value}, then=Value(str(label))) for value, label in EvaluationGrade.choices),
                default=Value(""), output_field=CharField())


def annotate_latest_evaluation(queryset):
    """E.g. "2026年 合格（流入地：优秀）": one subquery, no query per row."""
    latest = (TwoWayEvaluation.objects.filter(member=OuterRef("pk")).order_by("-year")
              .annotate(text=Concat(Cast("year", CharField()), Value(_("年 ")), _label("result_grade"),
                                    Case(When(host_grade="", then=Value("")),
                                         default=Concat(Value(_("（流入地：")), _label("host_grade"), Value("）")),
                                         output_field=CharField()),
                                    output_field=CharField()))
              .values("text")[:1])
    return queryset.annotate(**{TWO_WAY_EVALUATION.key: Coalesce(Subquery(latest), Value(""),
                                                                 output_field=CharField())})
