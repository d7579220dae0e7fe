import pytest

from reports.periods import Quarter
from reports.services import report_start, report_update

Q3 = Quarter(2026, 3)


@pytest.fixture
def quarter():
    return Q3


@pytest.fixture
def filled_draft(tree, secretary_a1):
    """Branch A1's Q3 2026 report with its text filled in, still a draft."""
    report = report_start(organization=tree.branch_a1, quarter=Q3, acting_user=secretary_a1)
    return report_update(report=report, acting_user=secretary_a1, work_done="电话联系外出党员12人次",
                         problems="个别党员联系不上")
