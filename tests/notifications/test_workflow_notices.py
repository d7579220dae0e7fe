"""Workflow events notify the person who must act, once, with a link; the notice clears when acted on."""
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from activity_cards.services import card_issue
from notifications.choices import NotificationKind
from notifications.models import Notification
from reports.services import report_approve, report_return, report_submit
from tests.activity_cards.conftest import png_bytes
from tests.factories import MemberFactory
from tests.reports.conftest import filled_draft  # noqa: F401  (a fixture)
from tests.transfers.helpers import register
from transfers.choices import Handling
from transfers.services import outflow_approve, outflow_resubmit, outflow_return_for_revision


@pytest.fixture
def member_a1(tree):
    return MemberFactory(organization=tree.branch_a1)


def _of(user, kind=None):
    qs = Notification.objects.filter(recipient=user)
    return qs.filter(kind=kind) if kind else qs


def test_a_submitted_outflow_waits_for_the_committee_once(member_a1, secretary_a1, reviewer_a, secretary_b1):
    outflow = register(member_a1, secretary_a1)
    waiting = _of(reviewer_a, NotificationKind.APPROVAL_NEEDED).get()
    assert waiting.link == outflow.get_absolute_url() and waiting.read_at is None and waiting.emailed_at is None
    assert member_a1.name in waiting.title
    assert not _of(secretary_a1).exists() and not _of(secretary_b1).exists()


def test_approval_tells_the_secretary_and_clears_the_committees_notice(member_a1, secretary_a1, reviewer_a):
    outflow = register(member_a1, secretary_a1)
    outflow_approve(outflow=outflow, acting_user=reviewer_a)
    assert _of(reviewer_a, NotificationKind.APPROVAL_NEEDED).get().read_at is not None
    approved = _of(secretary_a1, NotificationKind.WORK_APPROVED).get()
    assert approved.link == outflow.get_absolute_url() and approved.read_at is None


def test_a_return_goes_back_to_the_secretary_and_clears_on_resubmission(member_a1, secretary_a1, reviewer_a):
    outflow = register(member_a1, secretary_a1)
    outflow_return_for_revision(outflow=outflow, acting_user=reviewer_a, reason="外出时长填写有误")
    returned = _of(secretary_a1, NotificationKind.WORK_RETURNED).get()
    assert returned.body == "外出时长填写有误" and returned.read_at is None
    outflow.expected_months = 9
    outflow_resubmit(outflow=outflow, acting_user=secretary_a1)
    returned.refresh_from_db()
    assert returned.read_at is not None
    assert _of(reviewer_a, NotificationKind.APPROVAL_NEEDED).filter(read_at__isnull=True).count() == 1


def test_an_approved_card_outflow_waits_for_the_card_until_it_is_issued(member_a1, secretary_a1, reviewer_a,
                                                                        settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    outflow = register(member_a1, secretary_a1, handling=Handling.ACTIVITY_CARD, fixed_place=False,
                       can_transfer=False, override_reason="单位暂不能接收组织关系", receiving_organization_name="")
    outflow_approve(outflow=outflow, acting_user=reviewer_a)
    to_issue = _of(reviewer_a, NotificationKind.CARD_TO_ISSUE).get()
    assert to_issue.link == reverse("activity_cards:issue", args=[outflow.pk]) and to_issue.read_at is None
    card_issue(outflow=outflow, acting_user=reviewer_a, issued_on=date(2026, 11, 12),
               photo=SimpleUploadedFile("p.png", png_bytes(), content_type="image/png"))
    to_issue.refresh_from_db()
    assert to_issue.read_at is not None


def test_a_report_goes_to_the_committee_and_its_answer_back_to_the_secretary(filled_draft, secretary_a1, reviewer_a):
    report = report_submit(report=filled_draft, acting_user=secretary_a1)
    waiting = _of(reviewer_a, NotificationKind.APPROVAL_NEEDED).get()
    assert waiting.link == report.get_absolute_url()
    report = report_return(report=report, acting_user=reviewer_a, comment="请补充帮扶情况")
    waiting.refresh_from_db()
    assert waiting.read_at is not None
    assert _of(secretary_a1, NotificationKind.WORK_RETURNED).get().body == "请补充帮扶情况"
    report = report_submit(report=report, acting_user=secretary_a1)
    assert _of(secretary_a1, NotificationKind.WORK_RETURNED).get().read_at is not None
    report_approve(report=report, acting_user=reviewer_a)
    assert _of(secretary_a1, NotificationKind.WORK_APPROVED).get().link == report.get_absolute_url()
    assert not _of(reviewer_a).filter(read_at__isnull=True).exists()
