"""The table 流动党员情况（二） as a committee files it upward, and the check that its rows add up.

One row per unit the filer answers for: a branch files its own row; a town
one row per branch and the total; the county one row per town (the town's
total) and the county's total. The columns are those of the national
table: the members away (外出党员, ``transfers.mobile_members``) by scope,
of whom the card holders, by kind of destination unit and by former
occupation, and the branches receiving mobile members; the short trips
(短期外出) stand in a last column, outside the totals.

The figures are the review board's (``reports.selectors.review_board``):
frozen for the reports filed, counted as of the quarter's last day for the others.
"""
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext_lazy as _

from organizations.models import Organization
from reports.periods import Quarter
from reports.selectors import review_board
from reports.statistics import DOCUMENT_KINDS, FORMER_OCCUPATIONS, SCOPES, UNIT_KINDS, consistency_errors

SCOPE_GROUP, UNIT_GROUP, FORMER_GROUP = _("按流动范围"), _("按流向单位"), _("按原从事职业")

#: (column group, figure key, label), in the national table's order.
COLUMNS = (
    ("", "outflow", _("外出党员总数")),
    *((SCOPE_GROUP, f"scope_{key}", label) for key, label in SCOPES),
    (SCOPE_GROUP, "card_holders", _("其中：持《流动党员活动证》")),
    *((UNIT_GROUP, f"unit_kind_{key}", label) for key, label in UNIT_KINDS),
    *((FORMER_GROUP, f"former_{key}", label) for key, label in FORMER_OCCUPATIONS),
    ("", "receiving_branches", _("接收流动党员的党支部（个）")),
    ("", "short_trips", _("短期外出（不计入合计）")),
)

#: What each name of ``consistency_errors`` means on the page.
CHECK_LABELS = {
    "scope": _("按流动范围各项之和不等于外出党员总数"),
    "unit_kind": _("按流向单位各项之和不等于外出党员总数"),
    "former": _("按原从事职业各项之和不等于外出党员总数"),
    "destinations": _("流向地分布之和不等于外出党员总数"),
    "trades": _("从事行业之和不等于外出党员总数"),
    "card_holders": _("持《流动党员活动证》的多于外出党员总数"),
    **{f"documents_{key}": _("持%(document)s的多于外出党员总数") % {"document": label}
       for key, label in DOCUMENT_KINDS},
}


def header_rows() -> tuple[list[tuple[str, int, int]], list[str]]:
    """The two header rows of the page: ``(label, colspan, rowspan)`` above, the grouped columns' labels below."""
    top: list[list] = []
    bottom: list[str] = []
    for group, _key, label in COLUMNS:
        if not group:
            top.append([str(label), 1, 2])
            continue
        bottom.append(str(label))
        if top and top[-1][0] == str(group) and top[-1][2] == 1:
            top[-1][1] += 1
        else:
            top.append([str(group), 1, 1])
    return [tuple(cell) for cell in top], bottom


@dataclass
class TableRow:
    label: str
    figures: dict
    total: bool = False

    @property
    def values(self) -> list[int]:
        return [self.figures.get(key, 0) for _group, key, _label in COLUMNS]

    @property
    def errors(self) -> list[str]:
        return [str(CHECK_LABELS[name]) for name in consistency_errors(self.figures)]


@dataclass
class NationalTable:
    root: Organization
    quarter: Quarter
    rows: list[TableRow]

    @property
    def failed_checks(self) -> list[tuple[str, list[str]]]:
        """(row, what does not add up) for every row that fails the check; empty when all hold."""
        return [(row.label, row.errors) for row in self.rows if row.errors]


def national_table(root: Organization, quarter: Quarter, today: date) -> NationalTable:
    """The rows ``root`` files for ``quarter`` (a fixed number of queries, see ``review_board``)."""
    board = review_board(root, quarter, today)
    if root.holds_members:
        rows = [TableRow(row.organization.name, row.figures) for row in board.rows]
    elif len(board.groups) > 1:
        rows = [TableRow(group.committee.name, group.totals) for group in board.groups]
    else:
        rows = [TableRow(row.organization.name, row.figures) for row in board.rows]
    if not root.holds_members:
        rows.append(TableRow(str(_("合计")), board.totals, total=True))
    return NationalTable(root=root, quarter=quarter, rows=rows)
