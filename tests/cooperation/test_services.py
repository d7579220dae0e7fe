from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cooperation.models import Agreement, Exchange
from cooperation.selectors import agreement_figures, away_members_for, branch_coverage
from cooperation.services import agreement_create, agreement_set_members, agreement_update, exchange_record
from tests.cooperation.conftest import AGREEMENT
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_agreement_is_recorded_by_the_origin_committee_with_its_history(agreement, reviewer_a):
    assert agreement.exchange_interval == "quarterly"
    assert agreement.history.first().history_user == reviewer_a
    assert {m.name for m in agreement.members.all()} == {"甲外出", "乙外出"}


def test_another_committee_cannot_record_or_edit_an_agreement_of_town_a(tree, reviewer_c, agreement):
    with pytest.raises(PermissionDenied):
        agreement_create(acting_user=reviewer_c, origin_organization=tree.town_a, host_name="某地", **AGREEMENT)
    with pytest.raises(PermissionDenied):
        agreement_update(agreement=agreement, acting_user=reviewer_c, host_duties="改")
    with pytest.raises(PermissionDenied):
        agreement_set_members(agreement=agreement, members=[], acting_user=reviewer_c)


def test_the_host_cannot_edit_the_agreement(agreement, reviewer_b):
    with pytest.raises(PermissionDenied):
        agreement_update(agreement=agreement, acting_user=reviewer_b, host_duties="改")


def test_an_agreement_needs_a_host_and_a_term(tree, reviewer_a):
    with pytest.raises(ValidationError) as caught:
        agreement_create(acting_user=reviewer_a, origin_organization=tree.town_a, **AGREEMENT)
    assert "host_name" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        agreement_create(acting_user=reviewer_a, origin_organization=tree.town_a, host_name="某地",
                         **{**AGREEMENT, "ends_on": date(2025, 1, 1)})
    assert "ends_on" in caught.value.message_dict


def test_covered_members_are_the_origins_members_away_at_the_place(agreement, away, reviewer_a, tree):
    assert set(away_members_for(agreement)) == {away.placed, away.city}
    with pytest.raises(ValidationError):
        agreement_set_members(agreement=agreement, members=[away.elsewhere], acting_user=reviewer_a)


def test_the_host_in_the_system_records_the_exchange_once_per_period(agreement, away, tree, reviewer_a):
    host_secretary = UserFactory(organization=tree.branch_b1, role="branch_secretary")
    entries = {away.placed.pk: {"took_part_in_life": True, "paid_dues": True, "met": True, "remarks": "积极"},
               away.city.pk: {"took_part_in_life": False, "paid_dues": True, "met": False, "remarks": ""}}
    with pytest.raises(PermissionDenied):  # the origin does not record for a host in the system
        exchange_record(agreement=agreement, period=date(2026, 7, 1), recorded_on=date(2026, 10, 5), remarks="",
                        entries=entries, acting_user=reviewer_a)
    exchange = exchange_record(agreement=agreement, period=date(2026, 7, 1), recorded_on=date(2026, 10, 5),
                               remarks="正常", entries=entries, acting_user=host_secretary)
    assert exchange.recorded_by_organization == tree.branch_b1
    assert {(e.member_id, e.took_part_in_life) for e in exchange.entries.all()} == {
        (away.placed.pk, True), (away.city.pk, False)}
    with pytest.raises(ValidationError):
        exchange_record(agreement=agreement, period=date(2026, 7, 1), recorded_on=date(2026, 10, 6), remarks="",
                        entries={}, acting_user=host_secretary)
    with pytest.raises(ValidationError):  # not a period start, or before the agreement began
        exchange_record(agreement=agreement, period=date(2025, 10, 1), recorded_on=date(2026, 10, 6), remarks="",
                        entries={}, acting_user=host_secretary)
    assert Exchange.objects.count() == 1


def test_entries_only_for_covered_members(agreement, away, tree):
    host_secretary = UserFactory(organization=tree.branch_b1, role="branch_secretary")
    exchange = exchange_record(agreement=agreement, period=date(2026, 1, 1), recorded_on=date(2026, 4, 2),
                               remarks="", acting_user=host_secretary,
                               entries={away.elsewhere.pk: {"took_part_in_life": True, "paid_dues": True,
                                                            "met": True, "remarks": ""}})
    assert not exchange.entries.exists()


def test_the_origin_records_the_exchange_for_a_host_outside_the_system(outside_agreement, away, reviewer_a):
    exchange = exchange_record(agreement=outside_agreement, period=date(2026, 7, 1), recorded_on=date(2026, 10, 2),
                               remarks="电话了解", acting_user=reviewer_a,
                               entries={away.city.pk: {"took_part_in_life": True, "paid_dues": True, "met": False,
                                                       "remarks": ""}})
    assert exchange.recorded_by_organization == outside_agreement.origin_organization


def test_figures_for_the_county_and_the_branch(agreement, outside_agreement, county_admin, reviewer_c, tree):
    assert agreement_figures(county_admin, date(2026, 6, 1)) == {"agreements": 2, "members": 2}
    assert agreement_figures(county_admin, date(2027, 6, 1)) == {"agreements": 0, "members": 0}
    assert agreement_figures(reviewer_c, date(2026, 6, 1)) == {"agreements": 0, "members": 0}
    assert branch_coverage(tree.branch_a1, date(2026, 6, 30)) == {"agreements": 1, "members": 1}
    assert branch_coverage(tree.branch_a2, date(2026, 6, 30)) == {"agreements": 2, "members": 1}
    assert Agreement.objects.count() == 2
