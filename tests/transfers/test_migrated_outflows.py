"""Members marked away without a registration get the approved outflow their roster stands for."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from activity_cards.models import ActivityCard
from members.choices import MobilityStatus
from members.models import Member
from tests.factories import AwayMemberFactory, MemberFactory, UserFactory
from tests.transfers.helpers import register
from transfers.choices import Handling, OutflowStatus, StepAction
from transfers.migrated import MIGRATED_NOTE, register_migrated_outflows
from transfers.mobile_members import counted_member_ids
from transfers.models import Outflow, OutflowStep

pytestmark = pytest.mark.django_db


def _card(member, user):
    return ActivityCard.objects.create(
        number=f"22{member.pk:014d}"[:16], member=member, issued_by=member.organization, issued_by_user=user,
        filed_with=member.organization, issued_on=date(2025, 1, 1), purpose="work", reason="务工",
        destination="上海市", departure_date=date(2025, 1, 1), expected_months=12,
        recommended_handling=Handling.ACTIVITY_CARD, photo="cards/legacy.jpg")


def test_each_away_member_gets_an_approved_outflow_with_the_handling_its_record_shows(tree, secretary_a1):
    holder = AwayMemberFactory(organization=tree.branch_a1)
    _card(holder, secretary_a1)
    abroad = AwayMemberFactory(organization=tree.branch_a1, destination_country="日本", destination_province="")
    plain = AwayMemberFactory(organization=tree.branch_a1, departure_date=None, expected_months=None)
    MemberFactory(organization=tree.branch_a1)  # at home: nothing

    written = register_migrated_outflows(Member.objects.all(), acting_user=secretary_a1)

    assert written == 3
    outflows = {o.member_id: o for o in Outflow.objects.all()}
    assert {m: o.handling for m, o in outflows.items()} == {
        holder.pk: Handling.ACTIVITY_CARD, abroad.pk: Handling.ABROAD, plain.pk: Handling.TRANSFER}
    assert all(o.status == OutflowStatus.APPROVED and o.created_by == secretary_a1 for o in outflows.values())
    assert outflows[holder.pk].departure_date == holder.departure_date
    assert outflows[plain.pk].departure_date == timezone.localdate()
    assert outflows[abroad.pk].destination_country == "日本"
    assert outflows[holder.pk].destination_address == holder.destination_address
    steps = OutflowStep.objects.filter(outflow__in=outflows.values())
    assert sorted(steps.values_list("action", "reason", "actor")) == [
        (StepAction.APPROVED, MIGRATED_NOTE, secretary_a1.pk)] * 3
    today = timezone.localdate()
    assert set(Member.objects.filter(pk__in=counted_member_ids(today)).values_list("pk", flat=True)) == {holder.pk, abroad.pk, plain.pk}
    assert not counted_member_ids(today - timedelta(days=1)).exists()  # past days do not move


def test_a_member_with_an_open_outflow_gets_none_and_a_second_run_writes_nothing(tree, secretary_a1):
    registered = MemberFactory(organization=tree.branch_a1)
    register(registered, secretary_a1)
    other = AwayMemberFactory(organization=tree.branch_a1)
    assert register_migrated_outflows(Member.objects.all(), acting_user=secretary_a1) == 1
    assert register_migrated_outflows(Member.objects.all(), acting_user=secretary_a1) == 0
    assert Outflow.objects.filter(member=registered).count() == 1
    assert Outflow.objects.filter(member=other).count() == 1
    assert OutflowStep.objects.filter(outflow__member=other).count() == 1


def test_without_an_acting_user_the_installation_account_records_it(tree):
    admin = UserFactory(organization=tree.county, is_superuser=True)
    member = AwayMemberFactory(organization=tree.branch_a1)
    assert register_migrated_outflows(Member.objects.all()) == 1
    step = OutflowStep.objects.get(outflow__member=member)
    assert (step.actor, step.organization) == (admin, tree.branch_a1)


def test_members_out_of_the_registry_or_at_home_are_left_alone(tree, secretary_a1):
    AwayMemberFactory(organization=tree.branch_a1, membership_status="lapsed")
    MemberFactory(organization=tree.branch_a1, mobility_status=MobilityStatus.RETURNED)
    assert register_migrated_outflows(Member.objects.all(), acting_user=secretary_a1) == 0
