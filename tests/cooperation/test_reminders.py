"""Reminders of joint management and the two-way evaluation: set-based, each sent once."""
from datetime import date

import pytest

from cooperation.services import exchange_record, host_opinion_record
from jobs.cooperation_deadlines import (
    agreement_expiring_notify,
    exchange_overdue_notify,
    host_opinion_missing_notify,
)
from jobs.reminders import deadline_reminders_send
from notifications.choices import NotificationKind as K
from notifications.models import Notification
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def host_secretary(tree):
    return UserFactory(organization=tree.branch_b1, role="branch_secretary")


def overdue(user=None):
    qs = Notification.objects.filter(kind=K.AGREEMENT_EXCHANGE_OVERDUE)
    return qs.filter(recipient=user) if user else qs


def test_an_exchange_not_recorded_on_time_is_reminded_once(agreement, host_secretary, reviewer_a):
    assert exchange_overdue_notify(date(2026, 10, 15)) == 0  # the third quarter's is due on 15 October
    deadline_reminders_send(today=date(2026, 10, 16))
    deadline_reminders_send(today=date(2026, 10, 16))
    deadline_reminders_send(today=date(2026, 11, 20))
    note = overdue(host_secretary).get()
    assert note.title == "2026年第3季度双向共管信息互通逾期未登记：甲镇党委"
    assert note.get_absolute_url() == agreement.get_absolute_url()
    assert not overdue(reviewer_a).exists()  # the host records it, the host is told


def test_a_recorded_exchange_is_not_reminded(agreement, host_secretary):
    exchange_record(agreement=agreement, period=date(2026, 7, 1), recorded_on=date(2026, 10, 3), remarks="",
                    entries={}, acting_user=host_secretary)
    assert exchange_overdue_notify(date(2026, 10, 16)) == 0


def test_outside_host_the_origin_committee_is_reminded(outside_agreement, reviewer_a):
    assert exchange_overdue_notify(date(2026, 10, 16)) == 1
    assert overdue(reviewer_a).get().title.endswith("浦东某园区党委")


def test_an_agreement_about_to_expire_tells_both_sides_once(agreement, host_secretary, reviewer_a):
    assert agreement_expiring_notify(date(2026, 12, 9)) == 0  # ends 2027-01-09: more than 30 days away
    assert agreement_expiring_notify(date(2026, 12, 10)) == 2
    assert agreement_expiring_notify(date(2026, 12, 20)) == 0
    assert set(Notification.objects.filter(kind=K.AGREEMENT_EXPIRING).values_list("recipient", flat=True)) == {
        host_secretary.pk, reviewer_a.pk}


def test_missing_host_opinions_are_reminded_in_the_fourth_quarter(away, host_secretary, tree):
    assert host_opinion_missing_notify(date(2026, 9, 30)) == 0
    assert host_opinion_missing_notify(date(2026, 10, 1)) == 1
    assert host_opinion_missing_notify(date(2026, 10, 20)) == 0  # once a month
    note = Notification.objects.get(kind=K.HOST_OPINION_MISSING)
    assert note.recipient == host_secretary and "1名" in note.title
    host_opinion_record(member=away.placed, year=2026, grade="qualified", opinion="按时参加组织生活",
                        recorded_on=date(2026, 10, 21), acting_user=host_secretary)
    assert host_opinion_missing_notify(date(2026, 11, 1)) == 0


@pytest.mark.parametrize("agreements", [1, 6])
def test_query_count_does_not_grow(tree, reviewer_a, away, agreements, django_assert_max_num_queries):
    from cooperation.services import agreement_create, agreement_set_members
    from tests.cooperation.conftest import AGREEMENT
    for _ in range(agreements):
        made = agreement_create(acting_user=reviewer_a, origin_organization=tree.town_a,
                                host_organization=tree.branch_b1, **AGREEMENT)
        agreement_set_members(agreement=made, members=[away.placed], acting_user=reviewer_a)
    with django_assert_max_num_queries(11):
        exchange_overdue_notify(date(2026, 10, 16))
        agreement_expiring_notify(date(2026, 12, 20))
        host_opinion_missing_notify(date(2026, 10, 1))
