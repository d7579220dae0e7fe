"""Deadline reminders for activity cards and introduction letters."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.activity_cards.conftest import issue_card
from activity_cards.services import card_verify
from jobs.reminders import deadline_reminders_send
from notifications.choices import NotificationKind as K
from notifications.models import Notification
from tests.activity_cards.conftest import ISSUE_FIELDS, png_upload
from tests.factories import AwayMemberFactory
from tests.transfers.helpers import register
from transfers.services import outflow_approve

pytestmark = pytest.mark.django_db


def kinds_for(user):
    return sorted(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def letter_kinds_for(user):
    return [kind for kind in kinds_for(user) if kind.startswith("letter_")]


@pytest.fixture
def card(tree, reviewer_a, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)
    member = AwayMemberFactory(organization=tree.branch_a1)
    return issue_card(member=member, acting_user=reviewer_a, photo=png_upload(), **ISSUE_FIELDS)  # issued 2026-03-01


@pytest.mark.parametrize("today, due", [
    (date(2027, 1, 29), False),   # 334 days after issue: not yet within 30 days of the year
    (date(2027, 1, 30), True),    # 335 days: the yearly check falls due within 30 days
])
def test_card_verification_due_a_month_ahead(card, secretary_a1, today, due):
    deadline_reminders_send(today=today)
    assert (K.CARD_VERIFICATION_DUE in kinds_for(secretary_a1)) is due


def test_a_verification_restarts_the_year(card, secretary_a1, reviewer_a):
    card_verify(card=card, acting_user=reviewer_a, verified_on=date(2026, 11, 1), result="passed", notes="")
    deadline_reminders_send(today=date(2027, 3, 1))
    assert K.CARD_VERIFICATION_DUE not in kinds_for(secretary_a1)


@pytest.mark.parametrize("today, due", [(date(2029, 1, 29), False), (date(2029, 1, 30), True)])
def test_card_replacement_due_before_three_years(card, secretary_a1, reviewer_a, today, due):
    card_verify(card=card, acting_user=reviewer_a, verified_on=timezone.localdate(), result="passed", notes="")
    deadline_reminders_send(today=today)
    assert (K.CARD_REPLACEMENT_DUE in kinds_for(secretary_a1)) is due


@pytest.fixture
def issued_letter(tree, secretary_a1, reviewer_a):
    """Sent to an organization outside the system, valid 30 days from today."""
    member = AwayMemberFactory(organization=tree.branch_a1)
    outflow = register(member, secretary_a1, departure_date=date(2026, 3, 1), talk_date=date(2026, 2, 20))
    outflow_approve(outflow=outflow, acting_user=reviewer_a)
    letter = outflow.introduction_letter
    letter.refresh_from_db()
    return letter


def test_letter_expiry_and_missing_receipt(issued_letter, secretary_a1):
    """组通字〔2006〕45号: the letter is valid 30 days as a rule; issued on day 0 it is good through day 30."""
    issued = issued_letter.issued_on
    deadline_reminders_send(today=issued + timedelta(days=issued_letter.valid_days - 8))
    assert letter_kinds_for(secretary_a1) == []   # day 22: more than 7 days left
    deadline_reminders_send(today=issued + timedelta(days=issued_letter.valid_days))
    assert letter_kinds_for(secretary_a1) == [K.LETTER_EXPIRING]  # its last day: about to expire, not expired
    body = Notification.objects.get(kind=K.LETTER_EXPIRING).body
    valid_until = issued + timedelta(days=issued_letter.valid_days)
    assert f"介绍信有效期至{valid_until.year}年{valid_until.month}月{valid_until.day}日" in body
    deadline_reminders_send(today=issued + timedelta(days=issued_letter.valid_days + 1))
    assert letter_kinds_for(secretary_a1) == [K.LETTER_EXPIRED, K.LETTER_EXPIRING]
    # the receipt month counts from the day the letter arrived, which is not known: never both reminders
    assert K.LETTER_RECEIPT_OVERDUE not in kinds_for(secretary_a1)


def test_document_reminders_are_sent_once_a_month(issued_letter, secretary_a1):
    later = issued_letter.issued_on + timedelta(days=45)
    deadline_reminders_send(today=later)
    count = Notification.objects.count()
    deadline_reminders_send(today=later + timedelta(days=1))
    assert Notification.objects.count() == count
