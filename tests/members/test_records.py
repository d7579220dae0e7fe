from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from members.models import ContactAttempt, DuesPayment, ExcusedAbsence
from members.services import member_record_add
from tests.factories import AwayMemberFactory


def test_contact_attempt_is_recorded_by_the_users_organization(tree, secretary_a1):
    member = AwayMemberFactory(organization=tree.branch_a1)
    attempt = member_record_add(record_class=ContactAttempt, member=member, acting_user=secretary_a1,
                                contacted_on=date(2026, 11, 1), channel="phone", contact_person="王支书", reached=False)
    assert attempt.recorded_by == tree.branch_a1 and attempt.created_by == secretary_a1
    assert list(ContactAttempt.objects.visible_to(secretary_a1)) == [attempt]


def test_other_subtree_cannot_add_records(tree, secretary_b1):
    member = AwayMemberFactory(organization=tree.branch_a1)
    with pytest.raises(PermissionDenied):
        member_record_add(record_class=ContactAttempt, member=member, acting_user=secretary_b1,
                          contacted_on=date(2026, 11, 1), channel="phone", contact_person="李")
    assert not ContactAttempt.objects.exists()


@pytest.mark.parametrize("record_class, fields", [
    (DuesPayment, dict(first_month=date(2026, 5, 1), last_month=date(2026, 4, 1), amount=10, paid_on=date(2026, 5, 2), paid_where="本支部")),
    (DuesPayment, dict(first_month=date(2026, 5, 1), last_month=date(2026, 5, 1), amount=0, paid_on=date(2026, 5, 2), paid_where="本支部")),
    (ExcusedAbsence, dict(kind="illness", starts_on=date(2026, 5, 1), ends_on=date(2026, 4, 1))),
])
def test_inconsistent_records_are_refused(tree, secretary_a1, record_class, fields):
    member = AwayMemberFactory(organization=tree.branch_a1)
    with pytest.raises(ValidationError):
        member_record_add(record_class=record_class, member=member, acting_user=secretary_a1, **fields)
    assert not record_class.objects.exists()
