"""A claim tells the origin; a refused attempt tells nobody (guessing cannot be used to spam the origin)."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from notifications.choices import NotificationKind
from notifications.models import Notification
from transfers import services
from tests.factories import MemberFactory
from tests.transfers.helpers import register


def test_a_claim_notifies_the_origins_secretary_and_committee_once(tree, secretary_a1, reviewer_a, secretary_b1):
    outflow = register(MemberFactory(organization=tree.branch_a1), secretary_a1)
    services.outflow_approve(outflow=outflow, acting_user=reviewer_a)
    letter = outflow.introduction_letter
    fields = dict(host_organization=tree.branch_b1, acting_user=secretary_b1, id_number=outflow.member.id_number,
                  arrived_on=date(2026, 11, 12), document_kind="introduction_letter", document_number=letter.number)
    with pytest.raises(ValidationError):
        services.inflow_register(check_code="AAAAAAAA", **fields)
    assert not Notification.objects.filter(period__startswith="claim-").exists()  # (the outflow's own notices aside)
    claim = services.inflow_register(check_code=letter.check_code, **fields)
    notices = Notification.objects.filter(kind=NotificationKind.APPROVAL_NEEDED, period=f"claim-{claim.pk}")
    assert set(notices.values_list("recipient", flat=True)) == {secretary_a1.pk, reviewer_a.pk}
    assert all(tree.branch_b1.name in n.title and n.link == "/transfers/claims/" for n in notices)
