"""Separation of duties: whoever registered, sent or proposed a thing does not approve it, whatever their role.

The attacker holds both rights: a town's department admin who registers an outflow for one of the town's
branches (the town committee approves outflows, so the admin also holds the approval right), or a
branch secretary promoted to the town committee who finds their own report or lapse proposal in the queue.
Each refusal is tested in the service and on the page (the message is shown, nothing changes); another
reviewer still approves.
"""
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from jobs.choices import CaseStatus, FlagStatus, InactivityCondition
from jobs.models import InactivityFlag, LostContactCase
from jobs.services import case_decide, case_propose_suspension, flag_decide_lapse, flag_propose_lapse, flag_record_talk
from reports.models import ReportStatus
from reports.periods import Quarter
from reports.services import report_approve, report_start, report_submit, report_update
from tests.factories import AwayMemberFactory, UserFactory
from tests.transfers.helpers import outflow_fields, register
from transfers.choices import OutflowStatus
from transfers.services import outflow_approve, outflow_resubmit, outflow_return_for_revision

pytestmark = pytest.mark.django_db


@pytest.fixture
def town_admin(tree):
    return UserFactory(organization=tree.town_a, role=Role.DEPARTMENT_ADMIN)


def promote_to_town_reviewer(user, town):
    """The same person, later a reviewer of the town committee above their old branch."""
    user.organization, user.role = town, Role.COMMITTEE_REVIEWER
    user.save()
    return User.objects.get(pk=user.pk)  # a fresh login: permissions are cached on the object


# Outflows ---------------------------------------------------------------------

def test_department_admin_cannot_approve_the_outflow_they_registered(client, tree, town_admin):
    outflow = register(AwayMemberFactory(organization=tree.branch_a1), town_admin)
    with pytest.raises(PermissionDenied, match="不能审批本人登记或报送的外出登记"):
        outflow_approve(outflow=outflow, acting_user=town_admin)

    client.force_login(town_admin)
    response = client.post(reverse("transfers:outflow_approve", args=[outflow.pk]), follow=True)
    assert "不能审批本人登记或报送的外出登记" in response.content.decode()
    outflow.refresh_from_db()
    assert outflow.status == OutflowStatus.SUBMITTED
    assert not outflow.steps.filter(action="approved").exists()


def test_the_registrant_is_shown_no_approval_form(client, tree, town_admin, reviewer_a):
    outflow = register(AwayMemberFactory(organization=tree.branch_a1), town_admin)
    client.force_login(town_admin)
    page = client.get(reverse("transfers:outflow_detail", args=[outflow.pk])).content.decode()
    assert reverse("transfers:outflow_approve", args=[outflow.pk]) not in page
    assert "须由上级党(工)委的其他审核人审批" in page
    client.force_login(reviewer_a)
    page = client.get(reverse("transfers:outflow_detail", args=[outflow.pk])).content.decode()
    assert reverse("transfers:outflow_approve", args=[outflow.pk]) in page


def test_whoever_resubmitted_an_outflow_cannot_approve_it(tree, secretary_a1, reviewer_a, town_admin):
    outflow = register(AwayMemberFactory(organization=tree.branch_a1), secretary_a1)
    outflow_return_for_revision(outflow=outflow, acting_user=reviewer_a, reason="外出地址不详")
    outflow_resubmit(outflow=outflow, acting_user=town_admin, **outflow_fields(destination_address="上海市浦东新区1号"))
    with pytest.raises(PermissionDenied, match="不能审批本人登记或报送的外出登记"):
        outflow_approve(outflow=outflow, acting_user=town_admin)
    assert outflow_approve(outflow=outflow, acting_user=reviewer_a).status == OutflowStatus.APPROVED


def test_another_reviewer_approves_the_department_admins_outflow(tree, town_admin, reviewer_a):
    outflow = register(AwayMemberFactory(organization=tree.branch_a1), town_admin)
    assert outflow_approve(outflow=outflow, acting_user=reviewer_a).status == OutflowStatus.APPROVED


# Quarterly reports -------------------------------------------------------------

@pytest.fixture
def submitted_report(tree, secretary_a1):
    report = report_start(organization=tree.branch_a1, quarter=Quarter(2026, 3), acting_user=secretary_a1)
    report_update(report=report, acting_user=secretary_a1, work_done="电话联系外出党员12人次", problems="无")
    return report_submit(report=report, acting_user=secretary_a1)


def test_reviewer_cannot_approve_the_report_they_wrote(client, tree, secretary_a1, submitted_report):
    reviewer = promote_to_town_reviewer(secretary_a1, tree.town_a)
    with pytest.raises(PermissionDenied, match="不能审核通过本人填写或提交的季度报告"):
        report_approve(report=submitted_report, acting_user=reviewer)

    client.force_login(reviewer)
    response = client.post(reverse("reports:review_action", args=[submitted_report.pk]), {"decision": "approve"})
    assert response.status_code == 403
    assert "不能审核通过本人填写或提交的季度报告" in response.content.decode()
    submitted_report.refresh_from_db()
    assert submitted_report.status == ReportStatus.SUBMITTED


def test_another_reviewer_approves_the_report(submitted_report, reviewer_a):
    assert report_approve(report=submitted_report, acting_user=reviewer_a).status == ReportStatus.APPROVED


# Lapse (and suspension) proposals ----------------------------------------------

@pytest.fixture
def proposed_flag(tree, secretary_a1):
    member = AwayMemberFactory(organization=tree.branch_a1)
    flag = InactivityFlag.objects.create(member=member, condition=InactivityCondition.DUES,
                                         flagged_on=date(2026, 11, 1), last_record_on=date(2026, 3, 1))
    flag_record_talk(flag=flag, acting_user=secretary_a1, talk_on=date(2026, 11, 2), notes="批评教育")
    return flag_propose_lapse(flag=flag, acting_user=secretary_a1, reason="连续6个月未交党费，教育后仍不改正")


def test_reviewer_cannot_decide_the_lapse_they_proposed(client, tree, secretary_a1, proposed_flag):
    reviewer = promote_to_town_reviewer(secretary_a1, tree.town_a)
    with pytest.raises(ValidationError, match="不能审批本人提出的处理意见"):
        flag_decide_lapse(flag=proposed_flag, acting_user=reviewer, approve=True, notes="")

    client.force_login(reviewer)
    response = client.post(proposed_flag.get_absolute_url(), {"action": "decide", "decide-decision": "approve"})
    assert response.status_code == 200
    assert "不能审批本人提出的处理意见" in response.content.decode()
    proposed_flag.refresh_from_db()
    assert proposed_flag.status == FlagStatus.LAPSE_PROPOSED and proposed_flag.decided_by is None


def test_another_reviewer_decides_the_lapse(proposed_flag, reviewer_a):
    flag = flag_decide_lapse(flag=proposed_flag, acting_user=reviewer_a, approve=True, notes="同意",
                             document_number="镇党委〔2026〕5号")
    assert flag.status == FlagStatus.LAPSE_APPROVED


def test_reviewer_cannot_decide_the_suspension_they_proposed(tree, secretary_a1, reviewer_a):
    case = LostContactCase.objects.create(member=AwayMemberFactory(organization=tree.branch_a1),
                                          opened_on=date(2026, 5, 1))
    case_propose_suspension(case=case, acting_user=secretary_a1, reason="6个月以上无法取得联系")
    reviewer = promote_to_town_reviewer(secretary_a1, tree.town_a)
    with pytest.raises(ValidationError, match="不能审批本人提出的处理意见"):
        case_decide(case=case, acting_user=reviewer, approve=True, notes="")
    case.refresh_from_db()
    assert case.status == CaseStatus.SUSPENSION_PROPOSED
    assert case_decide(case=case, acting_user=reviewer_a, approve=True, notes="同意",
                       document_number="镇党委〔2026〕6号").status == CaseStatus.SUSPENDED


def test_a_second_department_admin_is_not_the_registrant(tree, town_admin):
    """The rule is about the person, not the role: a colleague with the same role approves."""
    colleague = UserFactory(organization=tree.town_a, role=Role.DEPARTMENT_ADMIN)
    outflow = register(AwayMemberFactory(organization=tree.branch_a1), town_admin)
    assert outflow_approve(outflow=outflow, acting_user=colleague).status == OutflowStatus.APPROVED
