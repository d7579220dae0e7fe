"""Roster columns that apps higher in the stack fill in.

The roster shows each member's current document (letter, activity card or
transfer) and the inactivity flag, but those live in ``transfers``,
``activity_cards`` and the jobs, which ``members`` must not import. Such an
app registers an *annotator* for the column from its ``AppConfig.ready()``:
a function that takes the member queryset and returns it annotated with a
text expression named ``column.key`` (a subquery, so the export stays one
query however many rows it has). Columns nobody registered stay blank.
"""
from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import CharField, QuerySet, Value
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class ExtraColumn:
    key: str
    header: str
    width: int = 16


CURRENT_DOCUMENT = ExtraColumn("roster_current_document", _("当前证件"), width=22)
INACTIVITY_FLAG = ExtraColumn("roster_inactivity_flag", _("不活跃提示"), width=22)
TWO_WAY_EVALUATION = ExtraColumn("roster_two_way_evaluation", _("最近一次双向评议"), width=22)
EXTRA_COLUMNS: tuple[ExtraColumn, ...] = (CURRENT_DOCUMENT, INACTIVITY_FLAG, TWO_WAY_EVALUATION)

Annotator = Callable[[QuerySet], QuerySet]
_annotators: dict[str, Annotator] = {}


def register_roster_column(column: ExtraColumn, annotator: Annotator) -> Annotator:
    """Fill ``column`` with the annotation ``annotator`` adds under ``column.key``."""
    if column not in EXTRA_COLUMNS:
        raise ValueError(f"unknown roster column {column.key!r}")
    _annotators[column.key] = annotator
    return annotator


def unregister_roster_column(column: ExtraColumn) -> None:
    _annotators.pop(column.key, None)


def annotate_extra_columns(queryset: QuerySet) -> QuerySet:
    for column in EXTRA_COLUMNS:
        annotator = _annotators.get(column.key)
        if annotator is None:
            queryset = queryset.annotate(**{column.key: Value(None, output_field=CharField())})
        else:
            queryset = annotator(queryset)
    return queryset
