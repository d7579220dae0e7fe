"""Going abroad (出国出境) and retired members living elsewhere (异地居住).

Seed 4 §三 "出国、出境党员的管理": "因公出国出境工作学习，时间在6个月以内的党员不向国外境外转移
组织关系；时间超过6个月，但工作流动性大的党员也可不向国外境外转移组织关系。如工作需要证明党员身份的，
由党委组织部出具党员证明信". domain.md: "Members studying abroad are contacted at least every 6 months.
Abroad is its own scope in statistics, never a province."

Seed 4 §五: "异地居住的离退休党员，其党员组织关系应转移到接受居住地的党组织。"
"""
from datetime import date, datetime, timezone

import pytest
from django.core.exceptions import ValidationError

from jobs.deadlines import abroad_without_contact, away_without_contact, retiree_living_elsewhere
from members.facts import incomplete_q, missing_facts
from members.models import Member
from reports.statistics import branch_statistics, consistency_errors, reporting_units
from tests.factories import AwayMemberFactory, MobileMemberFactory, MemberFactory
from tests.reports.conftest import Q3
from tests.transfers.helpers import register
from transfers.choices import Handling, Purpose
from transfers.rules import recommend_handling
from transfers.services import outflow_approve

pytestmark = pytest.mark.django_db

ABROAD, TRANSFER, CARD, CERT = Handling.ABROAD, Handling.TRANSFER, Handling.ACTIVITY_CARD, Handling.CERTIFICATE_LETTER

# months, purpose, fixed_place, can_transfer, abroad → handling
TABLE = [
    # abroad for ≤ 6 months: the relationship is not transferred abroad
    (1, Purpose.OFFICIAL, True, True, True, ABROAD),
    (6, Purpose.STUDY, True, True, True, ABROAD),           # exactly 6 months
    # > 6 months, very mobile: "也可不向国外境外转移组织关系"; never a transfer abroad
    (7, Purpose.WORK, True, True, True, ABROAD),
    (36, Purpose.STUDY, False, False, True, ABROAD),
    # the same departures at home follow the domestic table
    (6, Purpose.STUDY, True, True, False, CERT),
    (7, Purpose.WORK, True, True, False, TRANSFER),
    # retired, living elsewhere for over a year → transfer to the place of residence
    (13, Purpose.RETIRED_RESIDENCE, False, False, False, TRANSFER),
    (24, Purpose.RETIRED_RESIDENCE, True, True, False, TRANSFER),
    # a year or less is not yet "异地居住" in the sense of the rule: the domestic rows apply
    (12, Purpose.RETIRED_RESIDENCE, False, False, False, CARD),
    (6, Purpose.RETIRED_RESIDENCE, True, True, False, CARD),
]


@pytest.mark.parametrize("months, purpose, fixed_place, can_transfer, abroad, expected", TABLE)
def test_abroad_and_retired_rows(months, purpose, fixed_place, can_transfer, abroad, expected):
    result = recommend_handling(months=months, purpose=purpose, fixed_place=fixed_place, can_transfer=can_transfer,
                                returns_often=False, abroad=abroad)
    assert result.handling == expected
    assert result.reason


def test_the_abroad_reason_names_who_keeps_the_relationship_and_the_contact_rhythm():
    reason = recommend_handling(months=3, purpose=Purpose.STUDY, fixed_place=True, can_transfer=True,
                                returns_often=False, abroad=True).reason
    assert "不向国外境外转移组织关系" in reason and "原党组织" in reason and "每6个月" in reason
    assert "党员证明信" in reason


ABROAD_FIELDS = dict(destination_country="日本", destination_province="", destination_city="东京",
                     destination_address="东京都新宿区1-1", receiving_organization_name="", expected_months=10,
                     purpose=Purpose.STUDY)


def test_an_abroad_outflow_keeps_the_relationship_and_copies_the_country(tree, secretary_a1, reviewer_a):
    member = MemberFactory(organization=tree.branch_a1)
    outflow = register(member, secretary_a1, **ABROAD_FIELDS)
    assert outflow.abroad and outflow.handling == ABROAD
    assert not hasattr(outflow, "introduction_letter") or outflow.introduction_letter is None
    outflow_approve(outflow=outflow, acting_user=reviewer_a)
    member.refresh_from_db()
    assert member.destination_country == "日本" and member.organization == tree.branch_a1


def test_an_abroad_outflow_cannot_transfer_or_carry_a_card(tree, secretary_a1):
    member = MemberFactory(organization=tree.branch_a1)
    for handling in (TRANSFER, CARD):
        with pytest.raises(ValidationError) as error:
            register(member, secretary_a1, handling=handling, override_reason="单位要求", **ABROAD_FIELDS)
        assert "不向国外境外转移组织关系" in str(error.value)


def test_a_domestic_outflow_needs_a_division_and_an_abroad_one_none(tree, secretary_a1):
    member = MemberFactory(organization=tree.branch_a1)
    with pytest.raises(ValidationError, match="请选择流入地"):
        register(member, secretary_a1, destination_division=None, abroad_country=None, destination_province="",
                 destination_city="")
    with pytest.raises(ValidationError, match="不选省市"):
        register(member, secretary_a1, **dict(ABROAD_FIELDS, destination_division_id="310000",
                                                abroad_country_id="JP"))
    with pytest.raises(ValidationError, match="至少选到市"):
        register(member, secretary_a1, destination_division_id="220000")


def test_abroad_is_its_own_scope_never_a_province(tree):
    MobileMemberFactory(organization=tree.branch_a1, destination_country="日本", destination_province="",
                      destination_city="东京")
    MobileMemberFactory(organization=tree.branch_a1, destination_country="新加坡", destination_province="",
                      destination_city="")
    MobileMemberFactory(organization=tree.branch_a1, destination_province="上海市", destination_city="上海市")
    a1 = branch_statistics(reporting_units(tree.town_a), Q3)[tree.branch_a1.pk]
    assert (a1["scope_abroad"], a1["scope_cross_province"], a1["scope_unknown"]) == (2, 1, 0)
    assert a1["destinations"] == {"日本": 1, "新加坡": 1, "上海市": 1}  # abroad by country
    assert consistency_errors(a1) == []


def test_a_member_abroad_has_the_destination_fact_with_a_country_instead_of_a_province(tree):
    abroad = AwayMemberFactory(organization=tree.branch_a1, destination_country="日本", destination_province="",
                               destination_city="东京", destination_address="新宿区1-1")
    nowhere = AwayMemberFactory(organization=tree.branch_a1, destination_country="", destination_province="",
                                destination_city="东京", destination_address="新宿区1-1")
    assert 4 not in [fact.number for fact in missing_facts(abroad)]
    assert 4 in [fact.number for fact in missing_facts(nowhere)]
    incomplete = set(Member.objects.filter(incomplete_q()).values_list("pk", flat=True))
    assert nowhere.pk in incomplete and (abroad.pk in incomplete) == bool(missing_facts(abroad))


@pytest.mark.parametrize("departed, due", [
    (date(2026, 5, 2), False),   # 6 months less a day without contact
    (date(2026, 5, 1), True),    # 6 months: contact at least every 6 months
])
def test_members_abroad_are_reminded_after_6_months_without_contact(tree, departed, due):
    """"出国（境）学习的党员至少每6个月联系一次" (domain.md, the 2024 rules)."""
    member = AwayMemberFactory(organization=tree.branch_a1, destination_country="日本", destination_province="",
                               departure_date=departed)
    Member.objects.filter(pk=member.pk).update(created_at=datetime(2026, 1, 1, tzinfo=timezone.utc))
    today = date(2026, 11, 1)
    assert abroad_without_contact(today).members.filter(pk=member.pk).exists() == due
    assert not away_without_contact(today).members.filter(pk=member.pk).exists(), "one reminder, not two"


def test_a_domestic_outflow_cannot_take_the_handling_meant_for_members_abroad(tree, secretary_a1):
    """Seed 4 §三: the relationship "保留在原党组织" is the handling of 出国、出境党员 only."""
    member = MemberFactory(organization=tree.branch_a1)
    with pytest.raises(ValidationError, match="只有出国（境）的外出登记可以选择此处理方式"):
        register(member, secretary_a1, handling=ABROAD, override_reason="单位要求")


# retiree (the member is 离退休), months, purpose → handling
RETIREE_TABLE = [
    # seed 4 §五(一) "异地居住的离退休党员，其党员组织关系应转移到接受居住地的党组织", whatever purpose is typed
    (True, 13, Purpose.FAMILY_VISIT, TRANSFER),
    (True, 13, Purpose.OTHER, TRANSFER),
    # §五(三) hired elsewhere "时间在一年以上的，应将组织关系转入聘用单位"
    (True, 13, Purpose.WORK, TRANSFER),
    # a year or less: the domestic rows
    (True, 12, Purpose.FAMILY_VISIT, CARD),
    (True, 6, Purpose.FAMILY_VISIT, CERT),
    # not a retiree: the domestic rows
    (False, 13, Purpose.FAMILY_VISIT, CARD),
]


@pytest.mark.parametrize("retiree, months, purpose, expected", RETIREE_TABLE)
def test_a_retiree_away_for_over_a_year_transfers(retiree, months, purpose, expected):
    result = recommend_handling(months=months, purpose=purpose, fixed_place=False, can_transfer=False,
                                returns_often=False, retiree=retiree)
    assert result.handling == expected
    if expected == TRANSFER:
        assert "离退休党员" in result.reason


def test_the_outflow_of_a_retiree_recommends_the_transfer(tree, secretary_a1):
    """The member is recorded as 离退休 (former occupation or dues on a pension): the outflow page recommends it."""
    member = MemberFactory(organization=tree.branch_a1, former_occupation="retiree")
    outflow = register(member, secretary_a1, purpose=Purpose.FAMILY_VISIT, expected_months=24, fixed_place=False,
                       can_transfer=False)
    assert outflow.recommended_handling == TRANSFER and "居住地党组织" in outflow.recommendation_reason


@pytest.mark.parametrize("departed, due", [
    (date(2025, 11, 1), False),   # exactly a year on 2026-11-01
    (date(2025, 10, 31), True),   # over a year
])
def test_a_retiree_living_elsewhere_for_over_a_year_is_a_reminder_to_transfer(tree, departed, due):
    """Seed 4 §五: a retiree living elsewhere transfers the relationship to the place of residence;
    one already away (registered before, or without a transfer) is a reminder once a year."""
    today = date(2026, 11, 1)
    retiree = AwayMemberFactory(organization=tree.branch_a1, dues_bracket="retired", dues_monthly_income=3000,
                                departure_date=departed)
    worker = AwayMemberFactory(organization=tree.branch_a1, departure_date=departed)
    abroad = AwayMemberFactory(organization=tree.branch_a1, former_occupation="retiree", departure_date=departed,
                               destination_country="日本", destination_province="")
    found = set(retiree_living_elsewhere(today).members.values_list("pk", flat=True))
    assert (retiree.pk in found) == due and worker.pk not in found and abroad.pk not in found


def test_a_retiree_whose_transfer_is_under_way_is_not_reminded(tree, secretary_a1):
    member = MemberFactory(organization=tree.branch_a1, former_occupation="retiree")
    register(member, secretary_a1, purpose=Purpose.RETIRED_RESIDENCE, expected_months=24,
             departure_date=date(2025, 6, 1), talk_date=date(2025, 5, 20))
    assert not retiree_living_elsewhere(date(2026, 11, 1)).members.filter(pk=member.pk).exists()
