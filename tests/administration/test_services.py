"""The tree's changes: add, move with members and history, merge, close (out of lists and counts)."""
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import User
from accounts.roles import Role
from accounts.services import account_set_active
from administration import services
from assistance.models import HelpRequest
from assistance.services import open_help_request
from members.choices import MembershipStatus
from jobs.reminders import monthly_reminders_send
from members.models import Member
from notifications.models import Notification
from organizations import services as org_services
from organizations.choices import OrganizationKind
from organizations.models import Organization
from reports.statistics import reporting_units
from tests.factories import MemberFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_add_checks_the_parent_kind_and_subtree(tree, county_admin):
    branch = org_services.organization_add(acting_user=county_admin, parent=tree.town_a, kind=OrganizationKind.BRANCH,
                                           name="甲三村党支部", code="A3")
    assert branch.is_within(tree.town_a) and branch.history.first().history_user == county_admin
    with pytest.raises(ValidationError, match="之下不能设立"):
        org_services.organization_add(acting_user=county_admin, parent=branch, kind=OrganizationKind.BRANCH,
                                      name="错", code="X1")
    town_admin = UserFactory(organization=tree.town_b, role=Role.DEPARTMENT_ADMIN)
    with pytest.raises(ValidationError, match="本组织或下级组织"):
        org_services.organization_add(acting_user=town_admin, parent=tree.town_a, kind=OrganizationKind.BRANCH,
                                      name="越权", code="X2")


def test_a_division_code_must_be_in_the_division_table(tree, county_admin):
    """The scope of every outflow is derived from it: a mistyped code is refused, not counted wrong."""
    with pytest.raises(ValidationError, match="行政区划代码 229999 的前6位不是已载入的省、市或区县代码"):
        org_services.organization_update(organization=tree.branch_a1, acting_user=county_admin,
                                         division_code="229999")
    org_services.organization_update(organization=tree.branch_a1, acting_user=county_admin,
                                     division_code="222424101")  # a town's 9 digits: the county's 6 are known
    tree.branch_a1.refresh_from_db()
    assert tree.branch_a1.division_code == "222424101"


def test_move_takes_members_and_history_along(tree, county_admin):
    member = MemberFactory(organization=tree.branch_a1)
    history_before = member.history.count()
    org_services.organization_move(organization=tree.branch_a1, new_parent=tree.town_b, acting_user=county_admin)
    moved = Organization.objects.get(pk=tree.branch_a1.pk)
    assert moved.is_within(Organization.objects.get(pk=tree.town_b.pk))
    member.refresh_from_db()
    assert member.organization_id == moved.pk and member.history.count() == history_before
    assert Member.objects.visible_to(UserFactory(organization=tree.town_b, role=Role.COMMITTEE_REVIEWER)).filter(
        pk=member.pk).exists()
    assert not Member.objects.visible_to(UserFactory(organization=tree.town_a, role=Role.COMMITTEE_REVIEWER)).filter(
        pk=member.pk).exists()
    assert "移至乙镇党委" in moved.history.first().history_change_reason


def test_move_refuses_below_itself_and_the_admins_own_organization(tree, county_admin):
    with pytest.raises(ValidationError):
        org_services.organization_move(organization=tree.town_a, new_parent=tree.branch_a1, acting_user=county_admin)
    with pytest.raises(PermissionDenied):
        org_services.organization_move(organization=tree.county, new_parent=tree.town_a, acting_user=county_admin)


def test_merge_moves_members_with_a_history_line_and_closes_the_source(tree, county_admin):
    kept = MemberFactory(organization=tree.branch_a2)
    moved = MemberFactory(organization=tree.branch_a1)
    secretary = UserFactory(organization=tree.branch_a1, role=Role.BRANCH_SECRETARY)
    result = services.organization_merge(source=tree.branch_a1, target=tree.branch_a2, acting_user=county_admin)
    assert result == {"moved": 1, "hosted": 0, "disabled": 1}
    moved.refresh_from_db()
    assert moved.organization_id == tree.branch_a2.pk
    last = moved.history.first()
    assert last.history_user == county_admin and "并入" in last.history_change_reason
    assert moved.history.count() == 2  # the old record with the old branch stays
    assert moved.history.last().organization_id == tree.branch_a1.pk
    source = Organization.objects.get(pk=tree.branch_a1.pk)
    assert source.is_closed and source.history.first().history_change_reason.endswith("并入甲二村党支部")
    secretary.refresh_from_db()
    assert not secretary.is_active
    assert kept.organization_id == tree.branch_a2.pk


def test_close_refuses_while_members_are_on_the_roll(tree, county_admin):
    member = MemberFactory(organization=tree.branch_a1)
    with pytest.raises(ValidationError, match="在册党员"):
        services.organization_close(organization=tree.branch_a1, acting_user=county_admin)
    Member.objects.filter(pk=member.pk).update(membership_status=MembershipStatus.TRANSFERRED_OUT)
    services.organization_close(organization=tree.branch_a1, acting_user=county_admin)
    assert Organization.objects.get(pk=tree.branch_a1.pk).is_closed
    assert Member.objects.get(pk=member.pk).organization_id == tree.branch_a1.pk  # history kept


def test_closed_branch_leaves_lists_counts_and_choices(tree, county_admin):
    services.organization_close(organization=tree.branch_b1, acting_user=county_admin)
    assert tree.branch_b1.pk not in set(Organization.objects.visible_to(county_admin).member_holding()
                                        .values_list("pk", flat=True))
    assert tree.branch_b1.pk not in set(reporting_units(tree.county).values_list("pk", flat=True))
    with pytest.raises(PermissionDenied):
        services.organization_close(organization=tree.branch_b1, acting_user=county_admin)


def test_close_refuses_an_organization_with_open_children(tree, county_admin):
    with pytest.raises(ValidationError, match="下级党组织"):
        services.organization_close(organization=tree.town_a, acting_user=county_admin)


def test_another_towns_admin_cannot_merge_or_close_here(tree):
    town_admin = UserFactory(organization=tree.town_b, role=Role.DEPARTMENT_ADMIN)
    with pytest.raises(PermissionDenied):
        services.organization_close(organization=tree.branch_a1, acting_user=town_admin)
    with pytest.raises(PermissionDenied):
        services.organization_merge(source=tree.branch_a1, target=tree.branch_b1, acting_user=town_admin)
    with pytest.raises(ValidationError):
        services.organization_merge(source=tree.branch_b1, target=tree.branch_a1, acting_user=town_admin)


def test_a_closed_branch_gets_no_reminders_and_its_logins_cannot_be_enabled(tree, county_admin, secretary_b1):
    services.organization_close(organization=tree.branch_b1, acting_user=county_admin)
    User.objects.filter(pk=secretary_b1.pk).update(is_active=True)  # even if re-enabled behind the pages' back
    monthly_reminders_send(today=date(2026, 12, 1))
    assert not Notification.objects.filter(recipient=secretary_b1).exists()
    secretary_b1.refresh_from_db()
    with pytest.raises(ValidationError):
        account_set_active(account=secretary_b1, acting_user=county_admin, active=True)


def test_closing_a_temporary_branch_releases_its_members_and_keeps_their_records(tree, county_admin):
    branch = OrganizationFactory(parent=tree.town_a, kind=OrganizationKind.TEMPORARY_BRANCH)
    leader = UserFactory(organization=branch, role=Role.TEMPORARY_BRANCH_LEADER)
    member = MemberFactory(organization=tree.branch_a1, host_organization=branch)
    help_request = open_help_request(member=member, kind="job", text="找工作", source="contact", by=leader)
    assert services.organization_close(organization=branch, acting_user=county_admin) == 1
    member.refresh_from_db()
    branch.refresh_from_db()
    assert member.host_organization is None and branch.is_closed
    assert HelpRequest.objects.visible_to(county_admin).get() == help_request
