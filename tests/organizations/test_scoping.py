import pytest

from organizations.models import Organization
from tests.factories import UserFactory


def test_secretary_sees_only_own_branch(tree, secretary_a1):
    assert list(Organization.objects.visible_to(secretary_a1)) == [tree.branch_a1]


def test_committee_sees_its_town_subtree(tree, reviewer_a):
    names = set(Organization.objects.visible_to(reviewer_a).values_list("name", flat=True))
    assert names == {"甲镇党委", "甲一村党支部", "甲二村党支部"}


def test_county_sees_everything(tree, county_admin):
    assert Organization.objects.visible_to(county_admin).count() == 6


def test_user_without_organization_sees_nothing(db):
    user = UserFactory(organization=None)
    assert not Organization.objects.visible_to(user).exists()


def test_prefix_of_a_sibling_path_is_not_inside(tree):
    assert tree.branch_a1.is_within(tree.town_a)
    assert not tree.branch_b1.is_within(tree.town_a)


@pytest.mark.django_db
def test_anonymous_sees_nothing(tree):
    from django.contrib.auth.models import AnonymousUser

    assert not Organization.objects.visible_to(AnonymousUser()).exists()
