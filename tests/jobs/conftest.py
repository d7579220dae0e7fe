from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from members.models import ContactAttempt, DuesPayment, ExcusedAbsence, Member, OrganizationalLife, WorkAssignment
from members.services import member_record_add
from tests.factories import AwayMemberFactory

LONG_AGO = datetime(2020, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def make_member(tree):
    """A member registered long ago (so only the records decide), paid up unless told otherwise."""

    def make(organization=None, registered=LONG_AGO, **fields):
        fields.setdefault("dues_paid_through", date(2030, 12, 1))
        member = AwayMemberFactory(organization=organization or tree.branch_a1, **fields)
        Member.objects.filter(pk=member.pk).update(created_at=registered)
        member.refresh_from_db()
        return member

    return make


class Records:
    """Adds records through the real service, as a branch secretary would."""

    def __init__(self, user):
        self.user = user

    def add(self, record_class, member, **fields):
        return member_record_add(record_class=record_class, member=member, acting_user=self.user, **fields)

    def life(self, member, on):
        return self.add(OrganizationalLife, member, attended_on=on, kind="branch_meeting", content="学习")

    def dues(self, member, first, last, paid_on=None):
        return self.add(DuesPayment, member, first_month=first, last_month=last, amount=Decimal("10.00"),
                        paid_on=paid_on or last, paid_where="本支部")

    def work(self, member, assigned_on, completed_on=None):
        return self.add(WorkAssignment, member, assigned_on=assigned_on, description="走访", completed_on=completed_on)

    def excuse(self, member, starts_on, ends_on):
        return self.add(ExcusedAbsence, member, kind="illness", starts_on=starts_on, ends_on=ends_on)

    def contact(self, member, on, reached):
        return self.add(ContactAttempt, member, contacted_on=on, channel="phone", contact_person="王支书",
                        reached=reached)


@pytest.fixture
def records(secretary_a1):
    return Records(secretary_a1)
