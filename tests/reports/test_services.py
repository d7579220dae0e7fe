import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.roles import Role
from reports.models import QuarterlyReport, ReportEvent, ReportStatus
from reports.services import report_approve, report_return, report_start, report_submit, report_update
from tests.factories import AwayMemberFactory, MobileMemberFactory, UserFactory
from tests.reports.conftest import Q3


def actions(report):
    return list(report.events.values_list("action", "from_status", "to_status"))


def test_start_opens_a_draft_and_logs_who(tree, secretary_a1):
    report = report_start(organization=tree.branch_a1, quarter=Q3, acting_user=secretary_a1)
    assert report.status == ReportStatus.DRAFT and report.created_by == secretary_a1
    event = report.events.get()
    assert (event.action, event.actor, event.to_status) == (ReportEvent.Action.CREATE, secretary_a1, ReportStatus.DRAFT)


def test_start_twice_is_refused(filled_draft, tree, secretary_a1):
    with pytest.raises(ValidationError, match="已经存在"):
        report_start(organization=tree.branch_a1, quarter=Q3, acting_user=secretary_a1)
    assert QuarterlyReport.objects.count() == 1


def test_start_for_another_subtree_or_a_committee_is_refused(tree, secretary_a1, reviewer_a, county_admin):
    with pytest.raises(PermissionDenied):
        report_start(organization=tree.branch_b1, quarter=Q3, acting_user=secretary_a1)
    with pytest.raises(PermissionDenied):  # a reviewer does not write branches' reports
        report_start(organization=tree.branch_a1, quarter=Q3, acting_user=reviewer_a)
    with pytest.raises(ValidationError, match="只有党支部"):
        report_start(organization=tree.town_a, quarter=Q3, acting_user=county_admin)
    assert not QuarterlyReport.objects.exists()


@pytest.mark.parametrize("blank", ["work_done", "problems"])
def test_submit_with_an_empty_required_field_is_refused(filled_draft, secretary_a1, blank):
    report_update(report=filled_draft, acting_user=secretary_a1, **{blank: "   "})
    with pytest.raises(ValidationError) as excinfo:
        report_submit(report=filled_draft, acting_user=secretary_a1)
    assert "提交前请填写" in excinfo.value.message_dict[blank][0]
    filled_draft.refresh_from_db()
    assert filled_draft.status == ReportStatus.DRAFT and filled_draft.statistics == {}
    assert filled_draft.events.count() == 1


def test_submit_freezes_the_figures_and_locks_the_report(filled_draft, tree, secretary_a1):
    MobileMemberFactory(organization=tree.branch_a1)
    report = report_submit(report=filled_draft, acting_user=secretary_a1)
    assert report.status == ReportStatus.SUBMITTED and report.submitted_at
    assert report.statistics["outflow"] == 1
    MobileMemberFactory(organization=tree.branch_a1)  # later changes do not move the filed figures
    report.refresh_from_db()
    assert report.statistics["outflow"] == 1
    assert actions(report)[-1] == (ReportEvent.Action.SUBMIT, ReportStatus.DRAFT, ReportStatus.SUBMITTED)


def test_editing_or_resubmitting_a_submitted_report_is_refused(filled_draft, secretary_a1):
    report_submit(report=filled_draft, acting_user=secretary_a1)
    with pytest.raises(ValidationError, match="不能再修改"):
        report_update(report=filled_draft, acting_user=secretary_a1, work_done="改一下")
    with pytest.raises(ValidationError, match="不能重复提交"):
        report_submit(report=filled_draft, acting_user=secretary_a1)
    filled_draft.refresh_from_db()
    assert filled_draft.work_done == "电话联系外出党员12人次"


def test_full_round_trip_return_resubmit_approve(filled_draft, secretary_a1, reviewer_a):
    report_submit(report=filled_draft, acting_user=secretary_a1)
    report = report_return(report=filled_draft, acting_user=reviewer_a, comment="请补充走访情况")
    assert report.status == ReportStatus.RETURNED and report.review_comment == "请补充走访情况"
    report = report_update(report=report, acting_user=secretary_a1, work_done="补充了走访情况")
    report = report_submit(report=report, acting_user=secretary_a1)
    report = report_approve(report=report, acting_user=reviewer_a, comment="同意")
    assert report.status == ReportStatus.APPROVED
    assert actions(report) == [
        ("create", "", "draft"), ("submit", "draft", "submitted"), ("return", "submitted", "returned"),
        ("resubmit", "returned", "submitted"), ("approve", "submitted", "approved"),
    ]
    assert [e.actor for e in report.events.all()] == [secretary_a1, secretary_a1, reviewer_a, secretary_a1, reviewer_a]
    assert report.events.get(action="return").comment == "请补充走访情况"
    with pytest.raises(ValidationError, match="不能再修改"):
        report_update(report=report, acting_user=secretary_a1, work_done="x")


def test_return_needs_a_comment(filled_draft, secretary_a1, reviewer_a):
    report_submit(report=filled_draft, acting_user=secretary_a1)
    with pytest.raises(ValidationError) as excinfo:
        report_return(report=filled_draft, acting_user=reviewer_a, comment="  ")
    assert "审核意见" in excinfo.value.message_dict["comment"][0]
    filled_draft.refresh_from_db()
    assert filled_draft.status == ReportStatus.SUBMITTED


def test_only_submitted_reports_can_be_reviewed(filled_draft, reviewer_a):
    with pytest.raises(ValidationError, match="只能审核已提交"):
        report_approve(report=filled_draft, acting_user=reviewer_a)


def test_a_secretary_cannot_approve(filled_draft, secretary_a1):
    report_submit(report=filled_draft, acting_user=secretary_a1)
    with pytest.raises(PermissionDenied, match="党支部书记不能审核"):
        report_approve(report=filled_draft, acting_user=secretary_a1)


def test_nobody_approves_their_own_branchs_report(filled_draft, tree, secretary_a1):
    own_reviewer = UserFactory(organization=tree.branch_a1, role=Role.COMMITTEE_REVIEWER)
    report_submit(report=filled_draft, acting_user=secretary_a1)
    with pytest.raises(PermissionDenied, match="不能审核本党组织自己的"):
        report_approve(report=filled_draft, acting_user=own_reviewer)
    filled_draft.refresh_from_db()
    assert filled_draft.status == ReportStatus.SUBMITTED


def test_another_towns_reviewer_cannot_review(filled_draft, tree, secretary_a1):
    reviewer_b = UserFactory(organization=tree.town_b, role=Role.COMMITTEE_REVIEWER)
    report_submit(report=filled_draft, acting_user=secretary_a1)
    with pytest.raises(PermissionDenied, match="只能审核下级"):
        report_return(report=filled_draft, acting_user=reviewer_b, comment="不行")


def test_the_county_may_review_a_branch(filled_draft, secretary_a1, county_admin):
    report_submit(report=filled_draft, acting_user=secretary_a1)
    assert report_approve(report=filled_draft, acting_user=county_admin).status == ReportStatus.APPROVED
