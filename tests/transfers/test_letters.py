"""Introduction letters: validity, reissue, and the receipt counted from the day the letter arrived.

domain.md, from the 2019 条例 and 组通字〔2006〕45号: "Introduction letter: three parts
(letter, stub, receipt 回执); valid **30 days as a rule, at most 3 months**; the receiving
grassroots committee returns the receipt **within 1 month**."

Issue 11: "An introduction letter that has expired cannot be received: the receiving side
gets a clear message and the issuer can reissue it (new number, the old one voided, both
kept). The receipt deadline (1 month) counts from the date the receiving organization got
the letter, not from the issue date, and the two reminders (letter about to expire, receipt
overdue) never fire together for the same letter."

Days are counted from the issue date (day 0): a 30-day letter is good through day 30 and
expired on day 31.
"""
from datetime import date, timedelta

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.roles import Role
from jobs.document_deadlines import letter_expired, letter_expiring, letter_receipt_overdue
from members.models import Member
from tests.factories import MemberFactory, UserFactory
from tests.transfers.helpers import register
from transfers import services
from transfers.choices import DocumentKind, LetterStatus, StepAction
from transfers.documents import document_proves_claim
from transfers.models import IntroductionLetter, OutflowStep

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver_b1(tree):
    return UserFactory(organization=tree.branch_b1, role=Role.BRANCH_SECRETARY)


def _issued(tree, secretary, reviewer, days_ago: int, **fields) -> IntroductionLetter:
    """A 30-day letter issued ``days_ago`` days before today."""
    outflow = register(MemberFactory(organization=tree.branch_a1), secretary, letter_valid_days=30, **fields)
    services.outflow_approve(outflow=outflow, acting_user=reviewer)
    IntroductionLetter.objects.filter(outflow=outflow).update(
        issued_on=timezone.localdate() - timedelta(days=days_ago))
    return IntroductionLetter.objects.get(outflow=outflow)


@pytest.mark.parametrize("day, receivable", [(30, True), (31, False)])
def test_a_letter_is_received_through_day_30_and_refused_on_day_31(tree, secretary_a1, reviewer_a, receiver_b1,
                                                                   day, receivable):
    letter = _issued(tree, secretary_a1, reviewer_a, day, receiving_organization=tree.branch_b1)
    assert letter.is_expired is not receivable
    if receivable:
        services.letter_confirm_receipt(letter=letter, acting_user=receiver_b1)
        letter.refresh_from_db()
        assert letter.status == LetterStatus.RECEIVED and letter.receipt_returned  # confirmed = receipt
        return
    with pytest.raises(ValidationError) as error:
        services.letter_confirm_receipt(letter=letter, acting_user=receiver_b1)
    message = " ".join(error.value.message_dict["received_on"])
    assert "已过期，不能接收" in message and "重新开具" in message
    assert Member.objects.get(pk=letter.outflow.member_id).organization == tree.branch_a1


def test_a_letter_got_in_time_can_be_confirmed_later_with_its_date(tree, secretary_a1, reviewer_a, receiver_b1):
    letter = _issued(tree, secretary_a1, reviewer_a, 40, receiving_organization=tree.branch_b1)
    got_on = letter.issued_on + timedelta(days=30)
    services.letter_confirm_receipt(letter=letter, acting_user=receiver_b1, received_on=got_on)
    assert IntroductionLetter.objects.get(pk=letter.pk).received_on == got_on


def test_an_outside_receipt_dated_after_expiry_is_refused(tree, secretary_a1, reviewer_a):
    letter = _issued(tree, secretary_a1, reviewer_a, 31)
    with pytest.raises(ValidationError, match="已过期"):
        services.letter_mark_receipt_returned(letter=letter, acting_user=secretary_a1,
                                              received_on=timezone.localdate())


def test_the_issuer_reissues_an_expired_letter_and_both_numbers_are_kept(tree, secretary_a1, reviewer_a,
                                                                         receiver_b1):
    letter = _issued(tree, secretary_a1, reviewer_a, 31, receiving_organization=tree.branch_b1)
    old_number, old_code = letter.number, letter.check_code
    with pytest.raises(PermissionDenied):
        services.letter_reissue(letter=letter, acting_user=secretary_a1)  # a branch does not issue letters
    new = services.letter_reissue(letter=letter, acting_user=reviewer_a)
    assert new.pk == letter.pk and new.number != old_number and new.issued_on == timezone.localdate()
    assert new.status == LetterStatus.ISSUED and not new.is_expired
    voided = IntroductionLetter.objects.get(number=old_number)
    assert voided.status == LetterStatus.VOIDED and voided.replaced_by == new and voided.check_code == old_code
    assert list(new.voided_letters.all()) == [voided]
    assert OutflowStep.objects.filter(outflow=new.outflow, action=StepAction.LETTER_REISSUED).exists()
    # the voided number proves nothing any more; the new one is received as usual
    assert not document_proves_claim(member=new.outflow.member, kind=DocumentKind.INTRODUCTION_LETTER,
                                     number=old_number, check_code=old_code, acting_user=receiver_b1)
    services.letter_confirm_receipt(letter=new, acting_user=receiver_b1)


def test_a_letter_still_valid_is_not_reissued(tree, secretary_a1, reviewer_a):
    letter = _issued(tree, secretary_a1, reviewer_a, 30)
    with pytest.raises(ValidationError, match="只有超过有效期"):
        services.letter_reissue(letter=letter, acting_user=reviewer_a)


@pytest.mark.parametrize("days_since_arrival, overdue", [
    (30, False),   # 2026-10-02 → 2026-11-01: the month is not over
    (31, True),    # 2026-10-01 → 2026-11-01: one month since the letter arrived
])
def test_the_receipt_month_counts_from_the_day_the_letter_arrived(tree, secretary_a1, reviewer_a,
                                                                  days_since_arrival, overdue):
    today = date(2026, 11, 1)
    letter = _issued(tree, secretary_a1, reviewer_a, 5)
    arrived = today - timedelta(days=days_since_arrival)
    IntroductionLetter.objects.filter(pk=letter.pk).update(issued_on=arrived - timedelta(days=20),
                                                           received_on=arrived)
    member = Member.objects.filter(pk=letter.outflow.member_id)
    assert letter_receipt_overdue(today).members.filter(pk__in=member).exists() == overdue
    assert not letter_expired(today).members.filter(pk__in=member).exists()


@pytest.mark.parametrize("day, expiring, expired", [
    (22, False, False),   # 8 days left
    (23, True, False),    # the last 7 days of validity
    (30, True, False),    # its last valid day: still about to expire
    (31, False, True),    # expired: only a reissued letter can be received
])
def test_the_letter_is_about_to_expire_before_day_30_never_after(tree, secretary_a1, reviewer_a, day, expiring,
                                                                 expired):
    """Valid 30 days as a rule: the reminder comes while the member can still report with the letter."""
    letter = _issued(tree, secretary_a1, reviewer_a, day)
    member = Member.objects.filter(pk=letter.outflow.member_id)
    today = timezone.localdate()
    assert letter_expiring(today).members.filter(pk__in=member).exists() == expiring
    assert letter_expired(today).members.filter(pk__in=member).exists() == expired
    assert not letter_receipt_overdue(today).members.filter(pk__in=member).exists()


@pytest.mark.parametrize("day_since_arrival", [30, 31])
def test_a_letter_that_has_arrived_is_never_about_to_expire(tree, secretary_a1, reviewer_a, day_since_arrival):
    """The two reminders (letter about to expire, receipt overdue) never fire together for one letter."""
    today = timezone.localdate()
    letter = _issued(tree, secretary_a1, reviewer_a, day_since_arrival)
    IntroductionLetter.objects.filter(pk=letter.pk).update(received_on=letter.issued_on)
    member = Member.objects.filter(pk=letter.outflow.member_id)
    overdue = letter_receipt_overdue(today).members.filter(pk__in=member).exists()
    assert not letter_expiring(today).members.filter(pk__in=member).exists()
    assert not letter_expired(today).members.filter(pk__in=member).exists()
    # a month from the day it arrived: day 30 may still be inside the month (months are 28-31 days long)
    assert overdue == (letter.issued_on + relativedelta(months=1) <= today)


def test_a_receipt_is_not_due_a_month_after_issue_when_the_letter_has_not_arrived(tree, secretary_a1, reviewer_a):
    letter = _issued(tree, secretary_a1, reviewer_a, 40)
    member = Member.objects.filter(pk=letter.outflow.member_id)
    today = timezone.localdate()
    assert letter_expired(today).members.filter(pk__in=member).exists()
    assert not letter_receipt_overdue(today).members.filter(pk__in=member).exists(), "never both for one letter"


def test_the_sender_records_the_arrival_then_the_receipt(tree, secretary_a1, reviewer_a):
    letter = _issued(tree, secretary_a1, reviewer_a, 10)
    arrived = timezone.localdate() - timedelta(days=2)
    services.letter_record_arrival(letter=letter, acting_user=secretary_a1, received_on=arrived)
    letter.refresh_from_db()
    assert letter.received_on == arrived and letter.status == LetterStatus.ISSUED
    assert arrived + timedelta(days=28) <= letter.receipt_due_on <= arrived + timedelta(days=31)
    assert not letter.is_expired
    services.letter_mark_receipt_returned(letter=letter, acting_user=secretary_a1, received_on=arrived)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.RECEIVED and letter.receipt_returned


def test_the_receiving_side_sees_why_an_expired_letter_is_refused_and_the_issuer_sees_reissue(
        client, tree, secretary_a1, reviewer_a, receiver_b1):
    letter = _issued(tree, secretary_a1, reviewer_a, 31, receiving_organization=tree.branch_b1)
    client.force_login(receiver_b1)
    page = client.get(letter.get_absolute_url()).content.decode()
    assert "已过期，不能再接收" in page and "重新开具介绍信" not in page
    response = client.post(f"/transfers/letters/{letter.pk}/confirm/",
                           {"received_on": timezone.localdate().isoformat()})
    assert response.status_code == 200 and "已过期，不能接收" in response.content.decode()
    client.force_login(reviewer_a)
    page = client.get(letter.get_absolute_url()).content.decode()
    assert "重新开具介绍信" in page
    response = client.post(f"/transfers/letters/{letter.pk}/reissue/")
    assert response.status_code == 302
    page = client.get(letter.get_absolute_url()).content.decode()
    assert "已作废的介绍信" in page


def test_the_arrival_page_records_the_day_and_says_what_it_is_on_a_refusal(client, tree, secretary_a1, reviewer_a):
    """The sender records the day an organization outside the system got the letter: the receipt's month runs
    from it."""
    letter = _issued(tree, secretary_a1, reviewer_a, 10)
    client.force_login(secretary_a1)
    too_early = letter.issued_on - timedelta(days=1)
    response = client.post(f"/transfers/letters/{letter.pk}/arrived/", {"received_on": too_early.isoformat()})
    page = response.content.decode()
    assert response.status_code == 200 and "接收日期不能早于介绍信开具日期" in page
    assert f"登记接收日期：介绍信 {letter.number}" in page and "确认接收介绍信" not in page
    arrived = timezone.localdate() - timedelta(days=2)
    response = client.post(f"/transfers/letters/{letter.pk}/arrived/", {"received_on": arrived.isoformat()},
                           follow=True)
    assert response.redirect_chain[-1][0] == letter.get_absolute_url()
    assert "已登记接收日期，回执应在1个月内寄回。" in response.content.decode()
    letter.refresh_from_db()
    assert (letter.received_on, letter.status) == (arrived, LetterStatus.ISSUED)
