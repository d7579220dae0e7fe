"""Who counts as a mobile member on a day (``transfers.mobile_members``), case by case from the documents."""
from datetime import date

import pytest

from tests.factories import AwayMemberFactory, approved_outflow
from transfers.choices import Handling, OutflowStatus
from transfers.mobile_members import counted_outflows, is_counted, short_trips
from transfers.models import ReturnRegistration

pytestmark = pytest.mark.django_db

LEFT = date(2026, 3, 10)


def _outflow(tree, **fields):
    member = AwayMemberFactory(organization=tree.branch_a1, departure_date=LEFT)
    return approved_outflow(member, **fields)


def test_an_activity_card_counts_from_the_approval_day(tree):
    outflow = _outflow(tree, handling=Handling.ACTIVITY_CARD, expected_months=3, approved_on=date(2026, 3, 20))
    assert not is_counted(outflow, date(2026, 3, 19))
    assert is_counted(outflow, date(2026, 3, 20))


@pytest.mark.parametrize("months, counted", [(5, False), (6, True), (7, True)])
def test_the_sixth_month_of_expected_absence_makes_it_long_term(tree, months, counted):
    outflow = _outflow(tree, handling=Handling.TRANSFER, expected_months=months)
    assert is_counted(outflow, date(2026, 4, 1)) is counted


def test_a_short_absence_counts_once_the_sixth_month_away_is_complete(tree):
    outflow = _outflow(tree, handling=Handling.TEMPORARY_BRANCH, expected_months=4)
    assert not is_counted(outflow, date(2026, 9, 9))  # in the 6th month
    assert is_counted(outflow, date(2026, 9, 10))  # 6 months away: the 7th month begins


def test_abroad_counts_whatever_the_duration(tree):
    member = AwayMemberFactory(organization=tree.branch_a1, departure_date=LEFT, destination_country="日本",
                               destination_province="", expected_months=2)
    assert is_counted(approved_outflow(member), date(2026, 4, 1))


@pytest.mark.parametrize("handling", [Handling.CERTIFICATE_LETTER, Handling.STAY])
def test_certificate_letter_trips_and_members_staying_in_the_branch_are_short_trips(tree, handling):
    outflow = _outflow(tree, handling=handling, expected_months=12)
    day = date(2026, 12, 1)
    assert not is_counted(outflow, day)
    assert list(short_trips(day)) == [outflow]


@pytest.mark.parametrize("status", [OutflowStatus.SUBMITTED, OutflowStatus.RETURNED])
def test_an_unapproved_registration_is_not_counted(tree, status):
    outflow = _outflow(tree, handling=Handling.ACTIVITY_CARD)
    outflow.steps.all().delete()
    type(outflow).objects.filter(pk=outflow.pk).update(status=status)
    assert not counted_outflows(date(2026, 4, 1)).exists()
    assert not short_trips(date(2026, 4, 1)).exists()


def test_a_departure_after_the_day_is_not_counted_on_it(tree):
    outflow = _outflow(tree, handling=Handling.ACTIVITY_CARD, departure_date=date(2026, 4, 2),
                       approved_on=date(2026, 3, 25))
    assert not is_counted(outflow, date(2026, 3, 31))
    assert is_counted(outflow, date(2026, 4, 2))


def test_a_return_ends_the_count_from_the_next_day(tree, secretary_a1):
    outflow = _outflow(tree, handling=Handling.ACTIVITY_CARD)
    ReturnRegistration.objects.create(outflow=outflow, returned_on=date(2026, 5, 15), created_by=secretary_a1)
    type(outflow).objects.filter(pk=outflow.pk).update(status=OutflowStatus.CLOSED)
    assert is_counted(outflow, date(2026, 5, 15))  # closed on the day itself: still counted on it
    assert not is_counted(outflow, date(2026, 5, 16))
    assert is_counted(outflow, date(2026, 3, 31))  # a past day keeps its answer


def test_a_received_transfer_ends_the_count(tree, secretary_a1):
    from transfers.models import IntroductionLetter

    outflow = _outflow(tree, handling=Handling.TRANSFER, expected_months=12)
    IntroductionLetter.objects.create(outflow=outflow, number="JS2026-99999", receiving_organization_name="某党委",
                                      status="received", issued_on=LEFT, received_on=date(2026, 4, 20))
    type(outflow).objects.filter(pk=outflow.pk).update(status=OutflowStatus.TRANSFERRED)
    assert is_counted(outflow, date(2026, 3, 31))
    assert not is_counted(outflow, date(2026, 6, 30))
