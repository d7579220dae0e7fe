"""Reads for the review page, the report page and the dashboard: a fixed number of queries each."""
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from django.db.models import Count, Exists, FilteredRelation, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from accounts.roles import Role
from organizations.choices import OrganizationKind
from organizations.models import Organization
from reports.models import FILED_STATUSES, NOT_STARTED, NOT_STARTED_LABEL, QuarterlyReport, ReportStatus
from reports.periods import Quarter
from reports.aggregates import stored_unit_statistics
from reports.statistics import empty_figures, merge, reporting_units

#: Order of the statuses on the review page and in the charts.
STATUS_ORDER = (NOT_STARTED, ReportStatus.DRAFT, ReportStatus.RETURNED, ReportStatus.SUBMITTED, ReportStatus.APPROVED)
STATUS_LABELS = {NOT_STARTED: NOT_STARTED_LABEL, **dict(ReportStatus.choices)}
#: A temporary branch without a leader's login has no one to file: shown so, never late.
NOT_OWED_LABEL = _("无需报送（未设负责人账号）")


def leader_login_by(quarter: Quarter) -> Exists:
    """An active 临时党支部负责人 login of the organization (``OuterRef("pk")``) created by the quarter's end."""
    return Exists(User.objects.filter(organization=OuterRef("pk"), role=Role.TEMPORARY_BRANCH_LEADER, is_active=True,
                                      date_joined__date__lte=quarter.end))


def owing_units(units, quarter: Quarter):
    """The units that owe a report on ``quarter``: every branch, and a temporary branch once it has a leader.

    A temporary branch reports through its leader's own login (to its
    members' origin branch and committee); before it has one nobody can file,
    so it is not counted as late.
    """
    return units.exclude(Q(kind=OrganizationKind.TEMPORARY_BRANCH) & ~leader_login_by(quarter))


def is_overdue(status: str, quarter: Quarter, today: date) -> bool:
    """Not filed (not started, draft or returned) after the deadline."""
    return today > quarter.deadline and status not in FILED_STATUSES


@dataclass
class UnitRow:
    organization: Organization
    report: QuarterlyReport | None
    figures: dict
    overdue: bool
    owes: bool = True

    @property
    def frozen(self) -> bool:
        """True when the figures are those the branch filed, not live ones."""
        return bool(self.report and self.report.statistics)

    @property
    def status(self) -> str:
        return self.report.status if self.report else NOT_STARTED

    @property
    def status_label(self):
        if not self.owes and self.report is None:
            return NOT_OWED_LABEL
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
        if row.owes or row.report:
            counts[row.status] += 1
    return counts


def review_board(root: Organization, quarter: Quarter, today: date) -> ReviewBoard:
    """Every reporting branch below ``root`` with its report for ``quarter`` and its figures.

    A branch that has submitted counts with the figures it filed (frozen at
    submission); the others with live figures. Branches are grouped under their nearest committee (the town for a
    county): 3 queries plus one per statistics source, however many branches.
    """
    units = reporting_units(root)
    organizations = list(Organization.objects.open().filter(path__startswith=root.path)
                         .annotate(has_leader=leader_login_by(quarter)).order_by("path"))
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
        owes = org.kind != OrganizationKind.TEMPORARY_BRANCH or org.has_leader
        group.rows.append(UnitRow(org, report, row_figures, owes and is_overdue(status, quarter, today), owes))
    groups = [group for group in committees.values() if group.rows]
    return ReviewBoard(root=root, quarter=quarter, groups=groups)


def report_status_counts(root: Organization, quarter: Quarter) -> dict[str, int]:
    """How many reporting branches below ``root`` are in each status (one query)."""
    rows = (owing_units(reporting_units(root), quarter)
            .annotate(report=FilteredRelation("quarterly_reports", condition=Q(
                quarterly_reports__year=quarter.year, quarterly_reports__quarter=quarter.number)))
            .order_by().values("report__status").annotate(n=Count("id")))
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for row in rows:
        counts[row["report__status"] or NOT_STARTED] += row["n"]
    return counts
