"""The report's 走访 / 解决困难 / 代办事项 are counted from contact and help records, never typed in."""
from datetime import timedelta

import pytest
from django.utils import timezone

from assistance.choices import DifficultyKind, HelpActionKind, HelpSource
from assistance.services import open_help_request, record_help_action, resolve_help_request
from members.choices import ContactChannel
from organizations.models import Organization
from reports.aggregates import stored_unit_statistics
from reports.periods import Quarter
from reports.selectors import review_board
from reports.services import report_start, report_submit, report_update
from reports.statistics import branch_statistics
from tests.factories import AwayMemberFactory
from transfers.services import contact_attempt_add


@pytest.fixture
def today():
    return timezone.localdate()


def _help(member, by, on):
    request = open_help_request(member=member, kind=DifficultyKind.WAGES_OWED, text="欠薪", source=HelpSource.MEMBER,
                                by=by, opened_on=on)
    record_help_action(request=request, kind=HelpActionKind.VISIT, done_on=on, done_by="支委", what_done="上门", by=by)
    record_help_action(request=request, kind=HelpActionKind.ERRAND, done_on=on, done_by="书记", what_done="代办投诉",
                       by=by)
    return request


def _figures(branch, quarter):
    return branch_statistics(Organization.objects.filter(pk=branch.pk), quarter)[branch.pk]


def test_figures_come_from_the_records_of_the_quarter(tree, secretary_a1, secretary_b1, today):
    quarter = Quarter.containing(today)
    member = AwayMemberFactory(organization=tree.branch_a1)
    request = _help(member, secretary_a1, today)
    resolve_help_request(request=request, solved_on=today, outcome="工资追回", by=secretary_a1)
    contact_attempt_add(member=member, acting_user=secretary_a1, contacted_on=today, channel=ContactChannel.VISIT,
                        contact_person="书记", reached=True)
    contact_attempt_add(member=member, acting_user=secretary_a1, contacted_on=today, channel=ContactChannel.PHONE,
                        contact_person="书记", reached=True)  # a call is not a visit
    contact_attempt_add(member=member, acting_user=secretary_a1, contacted_on=today, channel=ContactChannel.VISIT,
                        contact_person="书记", reached=False)  # nobody met: not a visit made
    earlier = quarter.start - timedelta(days=1)
    old = open_help_request(member=member, kind=DifficultyKind.JOB, text="找工作", source=HelpSource.CONTACT,
                            by=secretary_a1, opened_on=earlier)
    record_help_action(request=old, kind=HelpActionKind.ERRAND, done_on=earlier, done_by="书记", what_done="x",
                       by=secretary_a1, solved=True)  # last quarter's
    _help(AwayMemberFactory(organization=tree.branch_b1), secretary_b1, today)  # another town's

    figures = _figures(tree.branch_a1, quarter)
    assert (figures["visits_made"], figures["problems_solved"], figures["errands_run"]) == (2, 1, 1)
    assert _figures(tree.branch_a1, quarter.previous())["problems_solved"] == 1
    assert _figures(tree.branch_a2, quarter)["visits_made"] == 0
    # the stored figures follow the records too (triggers on the contact and help tables)
    assert stored_unit_statistics([tree.branch_a1.pk], quarter)[tree.branch_a1.pk]["errands_run"] == 1
    record_help_action(request=open_help_request(member=member, kind="legal", text="y", source="contact",
                                                 by=secretary_a1),
                       kind=HelpActionKind.ERRAND, done_on=today, done_by="书记", what_done="z", by=secretary_a1)
    assert stored_unit_statistics([tree.branch_a1.pk], quarter)[tree.branch_a1.pk]["errands_run"] == 2


def test_submission_freezes_the_help_figures_and_the_board_adds_them(tree, secretary_a1, today):
    quarter = Quarter.containing(today)
    member = AwayMemberFactory(organization=tree.branch_a1)
    _help(member, secretary_a1, today)
    report = report_start(organization=tree.branch_a1, quarter=quarter, acting_user=secretary_a1)
    report = report_update(report=report, acting_user=secretary_a1, work_done="走访", problems="无")
    report = report_submit(report=report, acting_user=secretary_a1)
    assert (report.statistics["visits_made"], report.statistics["errands_run"]) == (1, 1)
    _help(member, secretary_a1, today)  # after submission: the filed report does not change
    board = review_board(tree.town_a, quarter, today)
    filed = next(row for row in board.rows if row.organization == tree.branch_a1)
    assert filed.frozen and filed.figures["errands_run"] == 1
    assert board.totals["visits_made"] == 1 and board.totals["errands_run"] == 1


def test_dashboard_shows_open_requests_by_age(client, tree, secretary_a1, secretary_b1, reviewer_a, today):
    for days in (1, 10, 40, 50):
        open_help_request(member=AwayMemberFactory(organization=tree.branch_a1), kind=DifficultyKind.ILLNESS,
                          text="生病", source=HelpSource.MEMBER, by=secretary_a1, opened_on=today - timedelta(days=days))
    open_help_request(member=AwayMemberFactory(organization=tree.branch_b1), kind=DifficultyKind.ILLNESS, text="x",
                      source=HelpSource.MEMBER, by=secretary_b1)  # another town's
    client.force_login(reviewer_a)
    response = client.get("/")
    assert [n for _label, n in response.context["help_ages"]] == [1, 1, 2]
    assert "未解决的困难求助" in response.content.decode()
