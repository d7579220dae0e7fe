"""The report's figures, checked against members built by hand."""
from datetime import date

import pytest
from django.utils import timezone

from members.choices import MobilityStatus
from members.models import ContactAttempt, OrganizationalLife
from members.services import member_record_add, member_update
from organizations.models import Organization
from reports.periods import Quarter
from reports.statistics import (
    branch_statistics,
    consistency_errors,
    empty_figures,
    merge,
    reporting_units,
    rollup,
)
from tests.factories import AwayMemberFactory, MemberFactory
from tests.reports.conftest import Q3


def contact(member, user, day, reached=True):
    member_record_add(record_class=ContactAttempt, member=member, acting_user=user, contacted_on=day,
                      channel="phone", contact_person="王支书", reached=reached)


def life(member, user, day):
    member_record_add(record_class=OrganizationalLife, member=member, acting_user=user, attended_on=day,
                      kind="theme_day", content="主题党日")


@pytest.fixture
def hand_built(tree, secretary_a1, settings):
    settings.HOME_PROVINCE = "吉林省"
    settings.HOME_CITY_PLACES = ["延边朝鲜族自治州", "延吉市"]
    shanghai = AwayMemberFactory(
        organization=tree.branch_a1, destination_province="上海市", destination_city="上海市",
        destination_unit_kind="non_public_enterprise", former_occupation="farmer", trade="construction",
        departure_date=date(2026, 8, 10), dues_paid_through=date(2026, 9, 1))
    changchun = AwayMemberFactory(
        organization=tree.branch_a1, destination_province="吉林省", destination_city="长春市",
        former_occupation="worker", trade="hospitality", dues_paid_through=date(2026, 1, 1))
    yanji = AwayMemberFactory(
        organization=tree.branch_a1, destination_province="吉林省", destination_city="延吉市",
        destination_unit_kind="state_enterprise", trade="")
    nowhere = AwayMemberFactory(organization=tree.branch_a1, destination_province="", destination_city="")
    MemberFactory(organization=tree.branch_a1)  # at home
    MemberFactory(organization=tree.branch_a1, mobility_status=MobilityStatus.INFLOW)
    beijing = AwayMemberFactory(organization=tree.branch_a2, destination_province="北京市", destination_city="北京市")
    AwayMemberFactory(organization=tree.branch_b1)
    contact(shanghai, secretary_a1, date(2026, 8, 1))
    contact(shanghai, secretary_a1, date(2026, 9, 1))  # the same member twice counts once
    contact(changchun, secretary_a1, date(2026, 8, 1), reached=False)
    contact(yanji, secretary_a1, date(2026, 6, 30))  # the quarter before
    life(shanghai, secretary_a1, date(2026, 7, 15))
    life(yanji, secretary_a1, date(2026, 10, 1))  # the quarter after
    return dict(shanghai=shanghai, changchun=changchun, yanji=yanji, nowhere=nowhere, beijing=beijing)


def test_branch_figures_match_the_hand_built_members(hand_built, tree):
    figures = branch_statistics(reporting_units(tree.town_a), Q3)
    a1 = figures[tree.branch_a1.pk]
    assert {key: a1[key] for key in ("members_total", "outflow", "inflow", "contacted", "organizational_life",
                                     "dues_up_to_date", "flagged_inactive", "new_outflows")} == {
        "members_total": 6, "outflow": 4, "inflow": 1, "contacted": 1, "organizational_life": 1,
        # shanghai paid to September; yanji and nowhere to October (factory); changchun only to January
        "dues_up_to_date": 3,
        # everyone away without organizational life since April, or dues behind since before April
        "flagged_inactive": 3,
        "new_outflows": 1,
    }
    assert (a1["scope_cross_province"], a1["scope_cross_city"], a1["scope_within_city"], a1["scope_unknown"]) == (1, 1, 1, 1)
    assert (a1["unit_kind_non_public_enterprise"], a1["unit_kind_state_enterprise"], a1["unit_kind_unknown"]) == (1, 1, 2)
    assert (a1["former_farmer"], a1["former_worker"], a1["former_unknown"]) == (1, 1, 2)
    assert a1["destinations"] == {"上海市 上海市": 1, "吉林省 长春市": 1, "吉林省 延吉市": 1, "unknown": 1}
    assert a1["trades"] == {"construction": 2, "hospitality": 1, "unknown": 1}  # nowhere: the factory's trade
    assert consistency_errors(a1) == []


def test_every_breakdown_adds_up_to_the_outflow_count(hand_built, tree):
    for figures in branch_statistics(reporting_units(tree.county), Q3).values():
        assert consistency_errors(figures) == [], figures


def test_rollup_adds_the_branches_up(hand_built, tree):
    town = rollup(tree.town_a, Q3)
    assert town["outflow"] == 5 and town["scope_cross_province"] == 2
    assert town["destinations"]["上海市 上海市"] == 1 and town["destinations"]["北京市 北京市"] == 1
    assert consistency_errors(town) == []
    county = rollup(tree.county, Q3)
    assert county["outflow"] == 6 and county["members_total"] == 8


def test_branches_with_no_members_report_zeros(tree):
    figures = branch_statistics(reporting_units(tree.county), Q3)
    assert set(figures) == {tree.branch_a1.pk, tree.branch_a2.pk, tree.branch_b1.pk}
    assert all(value == empty_figures() for value in figures.values())


def test_returns_and_new_inflows_come_from_status_changes(tree, secretary_a1):
    away = AwayMemberFactory(organization=tree.branch_a1)
    arriving = MemberFactory(organization=tree.branch_a1)
    AwayMemberFactory(organization=tree.branch_a1, mobility_status=MobilityStatus.INFLOW)  # registered as inflow
    member_update(member=away, expected_version=1, acting_user=secretary_a1, mobility_status=MobilityStatus.RETURNED)
    arriving = member_update(member=arriving, expected_version=1, acting_user=secretary_a1,
                             mobility_status=MobilityStatus.INFLOW, departure_date=date(2026, 1, 1))
    member_update(member=arriving, expected_version=2, acting_user=secretary_a1, phone="13800000000")  # no change
    this_quarter = Quarter.containing(timezone.localdate())
    a1 = branch_statistics(Organization.objects.filter(pk=tree.branch_a1.pk), this_quarter)[tree.branch_a1.pk]
    assert (a1["returns"], a1["new_inflows"]) == (1, 2)
    before = branch_statistics(Organization.objects.filter(pk=tree.branch_a1.pk), this_quarter.previous())
    assert (before[tree.branch_a1.pk]["returns"], before[tree.branch_a1.pk]["new_inflows"]) == (0, 0)


def test_merge_adds_nested_counts():
    one, two = empty_figures(), empty_figures()
    one.update(outflow=2, destinations={"上海市 上海市": 2})
    two.update(outflow=1, destinations={"上海市 上海市": 1, "北京市 北京市": 1})
    total = merge([one, two])
    assert total["outflow"] == 3 and total["destinations"] == {"上海市 上海市": 3, "北京市 北京市": 1}


def test_home_province_is_a_setting(hand_built, tree, settings):
    settings.HOME_PROVINCE = "上海市"
    settings.HOME_CITY_PLACES = ["上海市"]
    a1 = branch_statistics(reporting_units(tree.town_a), Q3)[tree.branch_a1.pk]
    assert (a1["scope_cross_province"], a1["scope_within_city"], a1["scope_unknown"]) == (2, 1, 1)
