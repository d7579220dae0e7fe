"""The report's figures, checked against members built by hand."""
from datetime import date, timedelta

import pytest
from django.utils import timezone

from tests.activity_cards.conftest import issue_card
from jobs.models import InactivityFlag
from members.choices import MobilityStatus
from members.models import ContactAttempt, OrganizationalLife
from members.services import member_record_add
from organizations.models import Organization
from reports.statistics import (
    SOURCES,
    branch_statistics,
    consistency_errors,
    empty_figures,
    merge,
    reporting_units,
    rollup,
)
from tests.activity_cards.conftest import ISSUE_FIELDS, png_upload
from tests.factories import AwayMemberFactory, MemberFactory, MobileMemberFactory, UserFactory, _person, approved_on_day
from tests.transfers.helpers import register
from transfers.choices import Purpose
from transfers.mobile_members import counted_outflows
from transfers.services import inflow_register, member_claim_confirm, outflow_approve, return_register
from tests.reports.conftest import Q3


def contact(member, user, day, reached=True):
    member_record_add(record_class=ContactAttempt, member=member, acting_user=user, contacted_on=day,
                      channel="phone", contact_person="王支书", reached=reached)


def life(member, user, day):
    member_record_add(record_class=OrganizationalLife, member=member, acting_user=user, attended_on=day,
                      kind="theme_day", content="主题党日")


@pytest.fixture
def hand_built(tree, secretary_a1):
    shanghai = MobileMemberFactory(
        organization=tree.branch_a1, destination_province="上海市", destination_city="上海市",
        destination_unit_kind="non_public_enterprise", former_occupation="farmer", trade="construction",
        departure_date=date(2026, 8, 10), dues_paid_through=date(2026, 9, 1))
    changchun = MobileMemberFactory(
        organization=tree.branch_a1, destination_province="吉林省", destination_city="长春市",
        former_occupation="worker", trade="hospitality", dues_paid_through=date(2026, 1, 1))
    yanji = MobileMemberFactory(
        organization=tree.branch_a1, destination_province="吉林省", destination_city="延吉市",
        destination_unit_kind="state_enterprise", trade="")
    nowhere = MobileMemberFactory(organization=tree.branch_a1, destination_province="", destination_city="")
    MemberFactory(organization=tree.branch_a1)  # at home
    MemberFactory(organization=tree.branch_a1, mobility_status=MobilityStatus.INFLOW)
    beijing = MobileMemberFactory(organization=tree.branch_a2, destination_province="北京市", destination_city="北京市")
    MobileMemberFactory(organization=tree.branch_b1)
    contact(shanghai, secretary_a1, date(2026, 8, 1))
    contact(shanghai, secretary_a1, date(2026, 9, 1))  # the same member twice counts once
    contact(changchun, secretary_a1, date(2026, 8, 1), reached=False)
    contact(yanji, secretary_a1, date(2026, 6, 30))  # the quarter before
    life(shanghai, secretary_a1, date(2026, 7, 15))
    life(yanji, secretary_a1, date(2026, 10, 1))  # the quarter after
    return dict(shanghai=shanghai, changchun=changchun, yanji=yanji, nowhere=nowhere, beijing=beijing)


def test_branch_figures_match_the_hand_built_members(hand_built, tree):
    flag = lambda member, condition, on, cleared=None: InactivityFlag.objects.create(  # noqa: E731
        member=member, condition=condition, flagged_on=on, cleared_on=cleared)
    flag(hand_built["shanghai"], "life", date(2026, 9, 1))                       # standing at the quarter's end
    flag(hand_built["changchun"], "dues", date(2026, 8, 1), date(2026, 9, 15))   # cleared within the quarter
    flag(hand_built["yanji"], "life", date(2026, 10, 5))                         # raised after it
    flag(hand_built["nowhere"], "life", date(2026, 7, 1), date(2026, 10, 10))    # two flags, one member
    flag(hand_built["nowhere"], "dues", date(2026, 7, 1))
    figures = branch_statistics(reporting_units(tree.town_a), Q3)
    a1 = figures[tree.branch_a1.pk]
    assert {key: a1[key] for key in ("members_total", "outflow", "inflow", "contacted", "organizational_life",
                                     "dues_up_to_date", "flagged_inactive", "new_outflows")} == {
        "members_total": 6, "outflow": 4, "inflow": 1, "contacted": 1, "organizational_life": 1,
        # shanghai paid to September; yanji and nowhere to October (factory); changchun only to January
        "dues_up_to_date": 3,
        # flags of the daily scan standing on 30 September: shanghai and nowhere
        "flagged_inactive": 2,
        # shanghai left in August (the others in March, the factory's departure)
        "new_outflows": 1,
    }
    assert (a1["scope_cross_province"], a1["scope_cross_city"], a1["scope_within_city"], a1["scope_unknown"]) == (1, 1, 1, 1)
    assert (a1["unit_kind_non_public_enterprise"], a1["unit_kind_state_enterprise"], a1["unit_kind_unknown"]) == (1, 1, 2)
    assert (a1["former_farmer"], a1["former_worker"], a1["former_unknown"]) == (1, 1, 2)
    # by city code: 延吉市 is counted in its city, 延边朝鲜族自治州
    assert a1["destinations"] == {"上海市": 1, "吉林省长春市": 1, "吉林省延边朝鲜族自治州": 1, "unknown": 1}
    assert a1["trades"] == {"construction": 2, "hospitality": 1, "unknown": 1}  # nowhere: the factory's trade
    assert consistency_errors(a1) == []


def test_every_breakdown_adds_up_to_the_outflow_count(hand_built, tree):
    for figures in branch_statistics(reporting_units(tree.county), Q3).values():
        assert consistency_errors(figures) == [], figures


def test_rollup_adds_the_branches_up(hand_built, tree):
    town = rollup(tree.town_a, Q3)
    assert town["outflow"] == 5 and town["scope_cross_province"] == 2
    assert town["destinations"]["上海市"] == 1 and town["destinations"]["北京市"] == 1
    assert consistency_errors(town) == []
    county = rollup(tree.county, Q3)
    assert county["outflow"] == 6 and county["members_total"] == 8


def test_branches_with_no_members_report_zeros(tree):
    figures = branch_statistics(reporting_units(tree.county), Q3)
    assert set(figures) == {tree.branch_a1.pk, tree.branch_a2.pk, tree.branch_b1.pk}
    assert all(value == empty_figures() for value in figures.values())


@pytest.fixture
def registrations(tree, secretary_a1, secretary_b1, reviewer_a, settings, tmp_path):
    """Branch A1's departures, a return and an activity card, and B1's inflows, all through the real services.

    Each A1 outflow goes to another city, so the rules never suggest a temporary branch.
    """
    settings.MEDIA_ROOT = str(tmp_path / "media")

    def leave(city, departure, **overrides):
        member = MemberFactory(organization=tree.branch_a1)
        outflow = register(member, secretary_a1, destination_city=city, destination_province="广东省",
                           destination_address=f"{city}人民路1号", departure_date=departure,
                           talk_date=departure - timedelta(days=5), **overrides)
        return member, outflow

    def approve(outflow):  # approved on the day the member left
        outflow_approve(outflow=outflow, acting_user=reviewer_a)
        approved_on_day(outflow, outflow.departure_date)

    _letter_member, letter_outflow = leave("广州市", date(2026, 8, 1))  # transfer: introduction letter
    approve(letter_outflow)
    _certificate_member, certificate_outflow = leave("深圳市", date(2026, 9, 1), purpose=Purpose.MEETING,
                                                     expected_months=3)  # certificate letter
    approve(certificate_outflow)
    card_member, card_outflow = leave("佛山市", date(2026, 7, 10), expected_months=5)  # activity card
    approve(card_outflow)  # the card is issued from the approved outflow
    issue_card(member=card_member, acting_user=reviewer_a, photo=png_upload(), **ISSUE_FIELDS)
    leave("东莞市", date(2026, 9, 30))  # submitted, not approved: the letter is not issued yet
    leave("珠海市", date(2026, 10, 5))  # left in the next quarter
    _returner, earlier = leave("中山市", date(2026, 5, 1), expected_months=5)  # left the quarter before ...
    approve(earlier)
    return_register(outflow=earlier, acting_user=secretary_a1, returned_on=date(2026, 8, 20))  # ... back in Q3

    def arrive(day, **fields):
        return inflow_register(host_organization=tree.branch_b1, acting_user=secretary_b1, arrived_on=day, **fields)

    hidden = _person()
    arrive(date(2026, 8, 1), document_kind="none", origin_organization_name="外省某村党支部", hidden_member=True,
           id_number=hidden["id_number"], new_member_fields=dict(hidden, joined_date=date(2010, 7, 1),
                                                                 education="high_school"))
    # a member of A2 arriving with the letter of their (approved) outflow
    secretary_a2 = UserFactory(organization=tree.branch_a2)  # the registrant does not approve (separation of duties)
    from_a2 = register(AwayMemberFactory(organization=tree.branch_a2), secretary_a2, departure_date=date(2026, 9, 1),
                       talk_date=date(2026, 8, 20))
    outflow_approve(outflow=from_a2, acting_user=reviewer_a)
    approved_on_day(from_a2, from_a2.departure_date)
    claim = arrive(date(2026, 9, 10), document_kind="introduction_letter", id_number=from_a2.member.id_number,
                   document_number=from_a2.introduction_letter.number,
                   check_code=from_a2.introduction_letter.check_code)
    member_claim_confirm(claim=claim, acting_user=reviewer_a)
    later = _person()
    arrive(date(2026, 10, 1), document_kind="none", origin_organization_name="外省某村党支部", hidden_member=True,
           id_number=later["id_number"], new_member_fields=dict(later, joined_date=date(2012, 7, 1),
                                                                education="high_school"))  # Q4


def test_movements_and_documents_come_from_the_registrations(registrations, tree):
    figures = branch_statistics(reporting_units(tree.county), Q3)
    a1, a2, b1 = figures[tree.branch_a1.pk], figures[tree.branch_a2.pk], figures[tree.branch_b1.pk]
    keys = ("outflow", "new_outflows", "returned", "new_inflows", "hidden_found", "card_holders",
            "documents_introduction_letter", "documents_certificate_letter", "documents_activity_card")
    assert {key: a1[key] for key in keys + ("short_trips",)} == {
        # the letter and the card; not the certificate-letter trip (短期外出), the unapproved registration, the
        # October departure, nor the returner (back in August)
        "outflow": 2,
        "new_outflows": 2, "returned": 1, "new_inflows": 0, "hidden_found": 0, "card_holders": 1,
        "documents_introduction_letter": 1, "documents_certificate_letter": 0, "documents_activity_card": 1,
        "short_trips": 1,
    }
    assert (b1["new_inflows"], b1["hidden_found"]) == (2, 1)  # counted at the host, not at A2
    assert (a2["new_inflows"], a2["new_outflows"]) == (0, 1)  # A2's member left in September, with a letter
    for branch in figures.values():
        assert consistency_errors(branch) == [], branch
    county = rollup(tree.county, Q3)
    assert (county["new_outflows"], county["returned"], county["new_inflows"], county["hidden_found"]) == (3, 1, 2, 1)
    assert consistency_errors(county) == []
    next_quarter = rollup(tree.county, Q3.next())  # 珠海 left in October but is not approved
    assert (next_quarter["new_outflows"], next_quarter["new_inflows"], next_quarter["hidden_found"]) == (0, 1, 1)


def test_an_outflow_closed_after_the_quarter_still_counts_in_it(registrations, tree, secretary_a1):
    from transfers.models import Outflow

    before = branch_statistics(reporting_units(tree.town_a), Q3)[tree.branch_a1.pk]
    outflow = Outflow.objects.get(member__organization=tree.branch_a1, destination_city="广州市")
    return_register(outflow=outflow, acting_user=secretary_a1, returned_on=date(2026, 10, 20))
    after = branch_statistics(reporting_units(tree.town_a), Q3)[tree.branch_a1.pk]
    assert after == before and after["outflow"] == 2
    assert branch_statistics(reporting_units(tree.town_a), Q3.next())[tree.branch_a1.pk]["outflow"] == 1


def test_consistency_errors_catch_more_card_holders_than_members_away():
    figures = empty_figures()
    figures["card_holders"] = 1
    assert consistency_errors(figures) == ["card_holders"]


def test_query_count_does_not_depend_on_the_branches(registrations, tree, django_assert_num_queries):
    one = Organization.objects.filter(pk=tree.branch_a1.pk)
    # one query per source, two more for dues as of the quarter's end (the members who paid after it, and
    # their payments), one for the short trips (短期外出) beside the national table and one for the scope
    # (the branches' home division codes)
    with django_assert_num_queries(len(SOURCES) + 5):
        branch_statistics(one, Q3)
    with django_assert_num_queries(len(SOURCES) + 5):
        branch_statistics(reporting_units(tree.county), Q3)


def test_merge_adds_nested_counts():
    one, two = empty_figures(), empty_figures()
    one.update(outflow=2, destinations={"上海市 上海市": 2})
    two.update(outflow=1, destinations={"上海市 上海市": 1, "北京市 北京市": 1})
    total = merge([one, two])
    assert total["outflow"] == 3 and total["destinations"] == {"上海市 上海市": 3, "北京市 北京市": 1}


def test_the_home_is_the_branch_division_or_its_nearest_ancestors(hand_built, tree):
    """No setting: a branch in 上海市 sees 上海 as within the city, 长春 and 延吉 as cross-province."""
    tree.branch_a1.division_code = "310115"
    tree.branch_a1.save()
    a1 = branch_statistics(reporting_units(tree.town_a), Q3)[tree.branch_a1.pk]
    assert (a1["scope_cross_province"], a1["scope_within_city"], a1["scope_unknown"]) == (2, 1, 1)


def test_returned_members_are_the_returns_registered_in_the_quarter_whatever_their_status_now(
        tree, secretary_a1, reviewer_a):
    """issue 11: 已返回党员 counts the returns registered in the period, by the return's date,
    whatever the member's status is now (back at home, away again, or no longer a member)."""
    from members.choices import DecisionKind
    from members.membership import membership_status_change

    returned_in_q3, returned_in_q4, lapsed_after_return = (MemberFactory(organization=tree.branch_a1)
                                                           for _ in range(3))
    for member, back in ((returned_in_q3, Q3.end), (returned_in_q4, Q3.end + timedelta(days=1)),
                         (lapsed_after_return, Q3.start)):
        outflow = register(member, secretary_a1, departure_date=date(2026, 3, 1), talk_date=date(2026, 2, 20))
        outflow_approve(outflow=outflow, acting_user=reviewer_a)
        return_register(outflow=outflow, acting_user=secretary_a1, returned_on=back)
    membership_status_change(member=lapsed_after_return, kind=DecisionKind.LAPSE, acting_user=reviewer_a,
                             proposed_by=secretary_a1,
                             decided_on=Q3.end + timedelta(days=10), document_number="镇党委〔2026〕9号")
    assert branch_statistics(reporting_units(tree.county), Q3)[tree.branch_a1.pk]["returned"] == 2
    assert branch_statistics(reporting_units(tree.county), Q3.next())[tree.branch_a1.pk]["returned"] == 1


def test_a_past_quarter_is_unchanged_by_registrations_made_after_it(registrations, tree, secretary_a1, reviewer_a):
    """A departure in Q3 registered and approved today, after the quarter, counts from today, not in Q3."""
    member = MemberFactory(organization=tree.branch_a1)
    before = branch_statistics(reporting_units(tree.county), Q3)
    late = register(member, secretary_a1, departure_date=date(2026, 9, 1),
                    talk_date=date(2026, 8, 25), destination_city="江门市", destination_province="广东省",
                    destination_address="江门市人民路1号", expected_months=12)
    outflow_approve(outflow=late, acting_user=reviewer_a)
    assert branch_statistics(reporting_units(tree.county), Q3) == before
    assert late.pk in set(counted_outflows(timezone.localdate()).values_list("pk", flat=True))
