from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from jobs.conditions import last_reached_expression
from members.choices import ContactChannel, MobilityStatus
from members.models import ContactAttempt, DuesPayment, Member, OrganizationalLife, ThoughtReport
from notifications.models import Notification
from notifications.choices import NotificationKind
from portal.links import LinkRefused, link_for_token, portal_link_check, portal_link_issue, portal_link_revoke
from portal.models import Notice, NoticeRead, PortalLink, Submission
from portal.selectors import notices_sent, pending_submissions_count
from portal.services import (notice_open, notice_publish, submission_accept, submission_decline,
                             submission_send)
from tests.factories import AwayMemberFactory, MemberFactory
from tests.portal.conftest import png_upload
from transfers.models import LocationChange

pytestmark = pytest.mark.django_db


def test_reissue_revokes_the_old_link(away, secretary_a1, link):
    new = portal_link_issue(member=away, acting_user=secretary_a1)
    link.refresh_from_db()
    assert link.revoked_at is not None and new.revoked_at is None and new.token != link.token
    with pytest.raises(LinkRefused, match="停用"):
        link_for_token(link.token)
    portal_link_revoke(link=new, acting_user=secretary_a1)
    with pytest.raises(LinkRefused):
        link_for_token(new.token)


def test_only_the_origin_issues_and_only_to_members_away(tree, away, secretary_b1, secretary_a1):
    with pytest.raises(PermissionDenied):
        portal_link_issue(member=away, acting_user=secretary_b1)
    at_home = MemberFactory(organization=tree.branch_a1)
    with pytest.raises(PermissionDenied):
        portal_link_issue(member=at_home, acting_user=secretary_a1)


def test_link_dies_when_the_member_returns_or_is_transferred(tree, away, link):
    Member.objects.filter(pk=away.pk).update(mobility_status=MobilityStatus.RETURNED)
    with pytest.raises(LinkRefused, match="已返回"):
        link_for_token(link.token)
    Member.objects.filter(pk=away.pk).update(mobility_status=MobilityStatus.OUTFLOW, organization=tree.branch_a2)
    with pytest.raises(LinkRefused, match="转接"):
        link_for_token(link.token)


def test_five_wrong_answers_lock_the_link_for_an_hour_and_tell_the_secretary(away, link, secretary_a1):
    wrong = dict(birth_date=away.birth_date + timedelta(days=1), id_last4=away.id_number[-4:])
    for _ in range(4):
        assert portal_link_check(link=link, **wrong) is False
    assert not Notification.objects.exists()
    assert portal_link_check(link=link, **wrong) is False
    link.refresh_from_db()
    assert link.locked_until > timezone.now() + timedelta(minutes=59)
    note = Notification.objects.get()
    assert note.recipient == secretary_a1 and note.kind == NotificationKind.PORTAL_LINK_LOCKED
    with pytest.raises(LinkRefused, match="锁定"):  # even the right answer, while locked
        portal_link_check(link=link, birth_date=away.birth_date, id_last4=away.id_number[-4:])
    PortalLink.objects.filter(pk=link.pk).update(locked_until=timezone.now() - timedelta(seconds=1))
    assert portal_link_check(link=link, birth_date=away.birth_date, id_last4=away.id_number[-4:].lower())


def test_sending_counts_as_a_successful_contact_that_day_once(away, link):
    submission_send(link=link, kind=Submission.Kind.THOUGHT, data={"text": "学习体会"})
    submission_send(link=link, kind=Submission.Kind.HELP, data={"help_kind": "job", "text": "找工作"})
    contact = ContactAttempt.objects.get(member=away)
    assert contact.reached and contact.channel == ContactChannel.SELF_REPORT
    assert contact.contacted_on == timezone.localdate() and contact.created_by is None
    reached = Member.objects.annotate(last=last_reached_expression(timezone.localdate())).get(pk=away.pk).last
    assert reached == timezone.localdate()  # what the lost-contact and 12-month rules read


def test_accepting_details_writes_the_record_with_history_and_a_location_change(away, link, secretary_a1):
    submission = submission_send(link=link, kind=Submission.Kind.DETAILS, data={
        "destination_division_id": "320500", "destination_address": "苏州市干将路2号",
        "host_unit": away.host_unit, "phone": away.phone})
    assert [(str(label), new) for label, new, _old in submission.display_rows()] == [
        (str(Member._meta.get_field("destination_division").verbose_name), "江苏省苏州市"), ("流入地详细地址", "苏州市干将路2号")]
    assert pending_submissions_count(secretary_a1) == 1
    submission_accept(submission=submission, acting_user=secretary_a1)
    away.refresh_from_db()
    assert (away.destination_province, away.destination_city) == ("江苏省", "苏州市")
    latest = away.history.latest()
    assert latest.history_change_reason == f"党员本人报告，经{secretary_a1.get_full_name() or secretary_a1.username}确认"
    assert LocationChange.objects.get(member=away).place == "江苏省苏州市"
    assert pending_submissions_count(secretary_a1) == 0
    with pytest.raises(ValidationError):
        submission_accept(submission=submission, acting_user=secretary_a1)


def test_accepting_thought_life_and_dues(away, link, secretary_a1):
    today = timezone.localdate()
    thought = submission_send(link=link, kind=Submission.Kind.THOUGHT, data={"text": "思想汇报正文"},
                              photos=[png_upload()])
    assert thought.photos.get().content_type == "image/png"
    life = submission_send(link=link, kind=Submission.Kind.LIFE, data={
        "attended_on": today.isoformat(), "life_kind": "theme_day", "host": "上海某党支部", "topic": "学习"})
    month = away.dues_start_month
    dues = submission_send(link=link, kind=Submission.Kind.DUES, data={
        "first_month": month.isoformat(), "last_month": month.isoformat(), "amount": "20.00",
        "paid_on": today.isoformat(), "paid_where": "上海某党支部", "receipt_number": "No.123"})
    for submission in (thought, life, dues):
        submission_accept(submission=submission, acting_user=secretary_a1)
    assert ThoughtReport.objects.get(member=away).summary == "思想汇报正文"
    assert OrganizationalLife.objects.get(member=away).content == "上海某党支部：学习"
    payment = DuesPayment.objects.get(member=away)
    assert (payment.amount, payment.receipt_number) == (Decimal("20.00"), "No.123")
    assert away.history.latest().history_change_reason.startswith("党员本人报告，经")


def test_decline_needs_a_reason_and_other_subtrees_cannot_decide(away, link, secretary_a1, secretary_b1):
    submission = submission_send(link=link, kind=Submission.Kind.HELP, data={"help_kind": "job", "text": "求助"})
    with pytest.raises(ValidationError):
        submission_decline(submission=submission, acting_user=secretary_a1, reason="  ")
    with pytest.raises(PermissionDenied):
        submission_accept(submission=submission, acting_user=secretary_b1)
    submission_decline(submission=submission, acting_user=secretary_a1, reason="已电话联系解决")
    submission.refresh_from_db()
    assert submission.status == Submission.Status.DECLINED and submission.decline_reason == "已电话联系解决"


def test_too_many_photos_or_a_fake_photo_are_refused(link):
    with pytest.raises(ValidationError):
        submission_send(link=link, kind=Submission.Kind.THOUGHT, data={"text": "x"},
                        photos=[png_upload() for _ in range(6)])
    assert not Submission.objects.exists()


def test_committee_notice_reaches_its_branches_and_counts_openings_once(tree, away, reviewer_a):
    notice = notice_publish(acting_user=reviewer_a, title="重要通知", body="请按时交纳党费")
    other = AwayMemberFactory(organization=tree.branch_b1)
    assert list(Notice.objects.for_member(away)) == [notice]
    assert not Notice.objects.for_member(other).exists()
    notice_open(notice=notice, member=away)
    notice_open(notice=notice, member=away)
    assert NoticeRead.objects.count() == 1
    assert notices_sent(reviewer_a).get().opened == 1


def test_a_self_report_ends_the_12_month_silence(away, link):
    from jobs.deadlines import away_without_contact

    long_ago = timezone.now() - timedelta(days=800)
    Member.objects.filter(pk=away.pk).update(created_at=long_ago, departure_date=date(2024, 1, 1))
    today = timezone.localdate()
    assert away_without_contact(today).members.filter(pk=away.pk).exists()
    submission_send(link=link, kind=Submission.Kind.HELP, data={"help_kind": "job", "text": "求助"})
    assert not away_without_contact(today).members.filter(pk=away.pk).exists()


def test_an_accepted_help_request_opens_a_help_record_for_the_branch(away, link, secretary_a1, secretary_b1):
    """困难求助 from the member's page: accepted, it is a help record of the member's branch, dated the day it was sent."""
    from assistance.choices import HelpSource, HelpStatus
    from assistance.models import HelpRequest
    from reports.my_work import my_work

    submission = submission_send(link=link, kind=Submission.Kind.HELP, data={"help_kind": "wages_owed", "text": "工资被拖欠三个月"})
    work = {item["key"]: item["count"] for item in my_work(secretary_a1)}
    assert work["member_submissions"] == 1 and work["open_help_requests"] == 0
    submission_accept(submission=submission, acting_user=secretary_a1)
    request = HelpRequest.objects.get(member=away)
    assert (request.kind, request.description, request.source, request.status) == (
        "wages_owed", "工资被拖欠三个月", HelpSource.MEMBER, HelpStatus.OPEN)
    assert request.opened_on == timezone.localtime(submission.sent_at).date()
    work = {item["key"]: item["count"] for item in my_work(secretary_a1)}
    assert work["member_submissions"] == 0 and work["open_help_requests"] == 1
    assert {item["key"]: item["count"] for item in my_work(secretary_b1)}["open_help_requests"] == 0
