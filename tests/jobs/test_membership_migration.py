"""The data migration gives existing members the standing their records already say, losing no row."""
import importlib
from datetime import date

import pytest
from django.apps import apps

from jobs.choices import CaseStatus, FlagStatus, InactivityCondition
from jobs.models import InactivityFlag, LostContactCase
from members.choices import DecisionKind, MembershipStatus, MobilityStatus
from members.models import Member, MembershipDecision
from tests.factories import MemberFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("jobs.migrations.0003_membership_status_from_existing_records")


def test_existing_statuses_are_migrated_with_their_decisions(tree):
    at_home, transferred, lapsed, suspended, removed = (MemberFactory(organization=tree.branch_a1) for _ in range(5))
    Member.objects.filter(pk=transferred.pk).update(mobility_status="transferred_out")
    InactivityFlag.objects.create(member=lapsed, condition=InactivityCondition.DUES, flagged_on=date(2026, 1, 1),
                                  status=FlagStatus.LAPSE_APPROVED, decided_on=date(2026, 5, 1))
    LostContactCase.objects.create(member=suspended, opened_on=date(2025, 1, 1), status=CaseStatus.SUSPENDED,
                                   suspended_on=date(2025, 3, 1))
    LostContactCase.objects.create(member=removed, opened_on=date(2022, 1, 1), status=CaseStatus.REMOVED,
                                   suspended_on=date(2022, 3, 1), decided_on=date(2024, 4, 1))
    before = Member.objects.count()

    migration.forwards(apps, None)

    assert Member.objects.count() == before
    got = {m.pk: (m.membership_status, m.membership_status_since, m.mobility_status)
           for m in Member.objects.all()}
    assert got[at_home.pk][0] == MembershipStatus.ACTIVE
    assert got[transferred.pk][0] == MembershipStatus.TRANSFERRED_OUT
    assert got[transferred.pk][2] == MobilityStatus.AT_HOME
    assert got[lapsed.pk][:2] == (MembershipStatus.LAPSED, date(2026, 5, 1))
    assert got[suspended.pk][:2] == (MembershipStatus.SUSPENDED, date(2025, 3, 1))
    assert got[removed.pk][:2] == (MembershipStatus.REMOVED, date(2024, 4, 1))
    kinds = sorted(MembershipDecision.objects.values_list("kind", flat=True))
    assert kinds == sorted([DecisionKind.TRANSFER_OUT, DecisionKind.LAPSE, DecisionKind.SUSPEND,
                            DecisionKind.SUSPEND, DecisionKind.REMOVE])
    assert all(d.document_number for d in MembershipDecision.objects.all())
    migration.forwards(apps, None)  # a second run changes nothing
    assert MembershipDecision.objects.count() == 5
