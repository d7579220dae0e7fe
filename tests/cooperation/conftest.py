from datetime import date

import pytest

from accounts.roles import Role
from cooperation.services import agreement_create, agreement_set_members
from organizations.choices import OrganizationKind
from tests.factories import AwayMemberFactory, OrganizationFactory, UserFactory

AGREEMENT = dict(host_place="上海市浦东新区", host_contact_person="周书记", host_contact_phone="02112345678",
                 starts_on=date(2026, 1, 10), ends_on=date(2027, 1, 9), origin_duties="行前教育、行中联系",
                 host_duties="协助管理、关心帮扶")


@pytest.fixture
def town_c(tree):
    """A third town: sees nothing of town A's agreements."""
    return OrganizationFactory(parent=tree.county, name="丙镇党委", kind=OrganizationKind.TOWN_COMMITTEE)


@pytest.fixture
def reviewer_c(town_c):
    return UserFactory(organization=town_c, role=Role.COMMITTEE_REVIEWER)


@pytest.fixture
def reviewer_b(tree):
    return UserFactory(organization=tree.town_b, role=Role.COMMITTEE_REVIEWER)


@pytest.fixture
def away(tree):
    """Two members of town A away in Shanghai (one placed at branch B1), one away elsewhere."""
    placed = AwayMemberFactory(organization=tree.branch_a1, name="甲外出", host_organization=tree.branch_b1)
    city = AwayMemberFactory(organization=tree.branch_a2, name="乙外出")
    elsewhere = AwayMemberFactory(organization=tree.branch_a1, name="丙外出", destination_province="广东省",
                                  destination_city="深圳市")
    return type("Away", (), dict(placed=placed, city=city, elsewhere=elsewhere))


@pytest.fixture
def agreement(tree, reviewer_a, away):
    """Town A's agreement with branch B1 (in the system), covering both members in Shanghai."""
    made = agreement_create(acting_user=reviewer_a, origin_organization=tree.town_a,
                            host_organization=tree.branch_b1, **AGREEMENT)
    return agreement_set_members(agreement=made, members=[away.placed, away.city], acting_user=reviewer_a)


@pytest.fixture
def outside_agreement(tree, reviewer_a, away):
    """Town A's agreement with a host outside the system."""
    made = agreement_create(acting_user=reviewer_a, origin_organization=tree.town_a, host_name="浦东某园区党委",
                            **AGREEMENT)
    return agreement_set_members(agreement=made, members=[away.city], acting_user=reviewer_a)
