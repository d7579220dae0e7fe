from datetime import date

from accounts.roles import Role
from reports import charts
from reports.selectors import report_status_counts, review_board
from reports.services import report_approve, report_start, report_submit
from reports.statistics import branch_statistics, reporting_units, rollup
from tests.factories import AwayMemberFactory, MobileMemberFactory, UserFactory
from tests.reports.conftest import Q3


def test_report_status_counts_cover_every_branch(tree, filled_draft, secretary_a1, reviewer_a, county_admin):
    report_submit(report=filled_draft, acting_user=secretary_a1)
    report_approve(report=filled_draft, acting_user=reviewer_a)
    secretary_b1 = UserFactory(organization=tree.branch_b1, role=Role.BRANCH_SECRETARY)
    report_start(organization=tree.branch_b1, quarter=Q3, acting_user=secretary_b1)
    assert report_status_counts(tree.county, Q3) == {
        "not_started": 1, "draft": 1, "returned": 0, "submitted": 0, "approved": 1}
    assert report_status_counts(tree.town_a, Q3) == {
        "not_started": 1, "draft": 0, "returned": 0, "submitted": 0, "approved": 1}
    assert report_status_counts(tree.town_a, Q3.next())["not_started"] == 2


def test_review_board_groups_branches_under_their_town(tree, filled_draft, settings):
    settings.REPORT_DEADLINE_DAY = 15
    board = review_board(tree.county, Q3, today=date(2026, 10, 15))
    assert [group.committee for group in board.groups] == [tree.town_a, tree.town_b]
    assert [row.organization for row in board.groups[0].rows] == [tree.branch_a1, tree.branch_a2]
    assert [row.status for row in board.rows] == ["draft", "not_started", "not_started"]
    assert board.overdue_count == 0  # the deadline day itself is still on time
    assert review_board(tree.county, Q3, today=date(2026, 10, 16)).overdue_count == 3


def test_a_town_board_holds_only_its_branches(tree):
    board = review_board(tree.town_b, Q3, today=date(2026, 11, 1))
    assert [row.organization for row in board.rows] == [tree.branch_b1]


def test_charts_escape_labels_and_handle_no_data():
    svg = charts.bars([("<script>alert(1)</script>", 3)], "去向")
    assert "<script>" not in svg and "&lt;script&gt;" in svg
    assert "暂无数据" in charts.bars([], "去向")
    assert "<circle" in charts.donut([("外出", 0), ("在家", 0)], "流动")  # an empty ring, no division by zero
    assert "<circle" in charts.donut([("外出", 5), ("在家", 0)], "流动")  # 100 % is a full ring
    assert charts.line([("1月", 50.0), ("2月", 120.0)], "联系率").count("<circle") == 2
    assert "已提交 2" in charts.stacked([("submitted", "已提交", 2), ("draft", "草稿", 0)], "状态")


def test_filed_branches_count_with_their_frozen_figures(tree, filled_draft, secretary_a1):
    MobileMemberFactory(organization=tree.branch_a1)
    report_submit(report=filled_draft, acting_user=secretary_a1)
    MobileMemberFactory(organization=tree.branch_a1)  # after submission
    MobileMemberFactory(organization=tree.branch_a2)
    board = review_board(tree.town_a, Q3, today=date(2026, 11, 1))
    a1, a2 = board.rows
    assert (a1.frozen, a1.figures["outflow"]) == (True, 1)
    assert (a2.frozen, a2.figures["outflow"]) == (False, 1)
    assert board.totals["outflow"] == 2


def test_hosting_branches_count_as_receiving(tree):
    MobileMemberFactory(organization=tree.branch_b1, host_organization=tree.branch_a2)
    figures = branch_statistics(reporting_units(tree.county), Q3)
    assert figures[tree.branch_a2.pk]["hosted"] == 1 and figures[tree.branch_a2.pk]["receiving_branches"] == 1
    assert figures[tree.branch_a1.pk]["receiving_branches"] == 0
    assert rollup(tree.county, Q3)["receiving_branches"] == 1


def test_the_status_bar_marks_unfiled_branches_red_once_the_deadline_has_passed():
    from reports import charts

    segments = [("not_started", "未开始", 2), ("returned", "已退回", 1), ("approved", "已审核通过", 3)]
    before = charts.stacked(segments, "状态")
    after = charts.stacked(segments, "状态", overdue=True)
    assert charts.OVERDUE_COLOUR not in before and "逾期" not in before
    assert charts.STATUS_COLOURS["returned"] in before and charts.STATUS_COLOURS["approved"] in before
    assert "未开始（逾期） 2" in after and "已退回（逾期） 1" in after and "已审核通过 3" in after
    assert after.count(f'fill="{charts.OVERDUE_COLOUR}"') == 4  # two segments, two legend keys
