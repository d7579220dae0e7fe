"""Reads for the review page, the report page and the dashboard: a fixed number of queries each."""
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db.models import Count, FilteredRelation, Q

from organizations.models import Organization
from reports.models import FILED_STATUSES, NOT_STARTED, NOT_STARTED_LABEL, QuarterlyReport, ReportStatus
from reports.periods import Quarter
from reports.aggregates import stored_unit_statistics
from reports.statistics import empty_figures, merge, reporting_units

#: Order of the statuses on the review page and in the charts.
STATUS_ORDER = (NOT_STARTED, ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.SUBMITTED, ReportStatus.APPROVED)
STATUS_LABELS = {NOT_STARTED: NOT_STARTED_LABEL, **dict(ReportStatus.choices)}


def is_overdue(status: str, quarter: Quarter, today: date) -> bool:
    """Not filed (not started, draft or returned) after the deadline."""
    return today > quarter.deadline and status not in FILED_STATUSES


@dataclass
class UnitRow:
    organization: Organization
    report: QuarterlyReport | None
    figures: dict
    overdue: bool

    @property
    def frozen(self) -> bool:
        """True when the figures are those the branch filed, not live ones."""
        return bool(self.report and self.report.statistics)

    @property
    def status(self) -> str:
        return self.report.status if self.report else NOT_STARTED

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]


@dataclass
class Group:
    """A committee and the branches directly under it (the county page shows one per town)."""

    committee: Organization
    rows: list[UnitRow] = field(default_factory=list)

    @cached_property
    def totals(self) -> dict:
        """Added up once per page (the template reads it several times)."""
        return merge(row.figures for row in self.rows)

    @property
    def status_counts(self) -> dict[str, int]:
        return _status_counts(self.rows)

    @property
    def status_summary(self) -> list[tuple[str, str, int]]:
        return status_summary(self.status_counts)

    @property
    def overdue_count(self) -> int:
        return sum(row.overdue for row in self.rows)


@dataclass
class ReviewBoard:
    root: Organization
    quarter: Quarter
    groups: list[Group]

    @property
    def rows(self) -> list[UnitRow]:
        return [row for group in self.groups for row in group.rows]

    @cached_property
    def totals(self) -> dict:
        """Added up once per page (the template reads it several times)."""
        return merge(row.figures for row in self.rows)

    @property
    def status_counts(self) -> dict[str, int]:
        return _status_counts(self.rows)

    @property
    def overdue_count(self) -> int:
        return sum(row.overdue for row in self.rows)


def status_summary(counts: dict[str, int]) -> list[tuple[str, str, int]]:
    """(status, label, count) in display order."""
    return [(key, STATUS_LABELS[key], counts[key]) for key in STATUS_ORDER]


def _status_counts(rows) -> dict[str, int]:
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for row in rows:
        counts[row.status] += 1
    return counts


def review_board(root: Organization, quarter: Quarter, today: date) -> ReviewBoard:
    """Every reporting branch below ``root`` with its report for ``quarter`` and its figures.

    A branch that has submitted counts with the figures it filed (frozen at
    submission); the others with live figures. Branches are grouped under their nearest committee (the town for a
    county): 3 queries plus one per statistics source, however many branches.
    """
    units = reporting_units(root)
    organizations = list(Organization.objects.open().filter(path__startswith=root.path).order_by("path"))
    reports = {report.organization_id: report
               for report in QuarterlyReport.objects.for_quarter(quarter).filter(organization__in=units.values("pk"))}
    figures = stored_unit_statistics([org.pk for org in organizations if org.holds_members], quarter)
    committees = {org.path: Group(org) for org in organizations if not org.holds_members}
    steplen = Organization.steplen
    for org in organizations:
        if not org.holds_members:
            continue
        group = next((committees[org.path[:end]] for end in range(len(org.path) - steplen, 0, -steplen)
                      if org.path[:end] in committees), None)
        if group is None:  # a branch as the user's own organization
            group = committees.setdefault(org.path, Group(org))
        report = reports.get(org.pk)
        status = report.status if report else NOT_STARTED
        row_figures = {**empty_figures(), **report.statistics} if report and report.statistics else figures[org.pk]
        group.rows.append(UnitRow(org, report, row_figures, is_overdue(status, quarter, today)))
    groups = [group for group in committees.values() if group.rows]
    return ReviewBoard(root=root, quarter=quarter, groups=groups)


def report_status_counts(root: Organization, quarter: Quarter) -> dict[str, int]:
    """How many reporting branches below ``root`` are in each status (one query)."""
    rows = (reporting_units(root)
            .annotate(report=FilteredRelation("quarterly_reports", condition=Q(
                quarterly_reports__year=quarter.year, quarterly_reports__quarter=quarter.number)))
            .order_by().values("report__status").annotate(n=Count("id")))
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for row in rows:
        counts[row["report__status"] or NOT_STARTED] += row["n"]
    return counts
