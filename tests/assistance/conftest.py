import pytest

from tests.factories import AwayMemberFactory


@pytest.fixture
def member_a1(tree):
    return AwayMemberFactory(organization=tree.branch_a1)


@pytest.fixture
def member_b1(tree):
    return AwayMemberFactory(organization=tree.branch_b1)
