"""A temporary branch with a leader's login of its own, reporting to its members' origin."""
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import account_create
from assistance.services import open_help_request
from members.choices import ContactChannel
from members.models import ContactAttempt, Member
from organizations.models import Organization
from reports.periods import Quarter
from reports.selectors import report_status_counts, review_board
from reports.services import report_start, report_submit, report_update
from reports.statistics import branch_statistics
from tests.factories import MemberFactory, UserFactory
from tests.transfers.helpers import register
from transfers import services
from transfers.choices import Handling

PASSWORD = "pass-12345-word"


@pytest.fixture
def away(tree, secretary_a1):
    members = [MemberFactory(organization=tree.branch_a1) for _ in range(3)]
    for member in members:
        register(member, secretary_a1, handling=Handling.ACTIVITY_CARD, override_reason="暂不能转")
    return members


@pytest.fixture
def branch(tree, away, reviewer_a, secretary_a1):
    branch = services.temporary_branch_create(origin=tree.branch_a1, city_code="310000", name="甲一村驻上海临时党支部",
                                              leader=away[0], members=away, acting_user=reviewer_a)
    # treebeard keeps siblings ordered by code: the new branch may shift the villages' paths
    for organization in (tree.branch_a1, tree.branch_a2, tree.branch_b1):
        organization.refresh_from_db()
    secretary_a1.refresh_from_db()
    return branch


@pytest.fixture
def leader(branch, reviewer_a):
    account, _password = services.temporary_branch_leader_create(
        branch=branch, username="linshi", full_name="临时负责人", phone="", acting_user=reviewer_a)
    account.set_password(PASSWORD)
    account.must_change_password = False
    account.save()
    return account


def test_committee_creates_the_branch_then_the_leaders_login(client, tree, away, secretary_a1, reviewer_a):
    outflow = away[0].outflows.get()
    client.force_login(reviewer_a)
    response = client.post(reverse("transfers:temporary_branch_create", args=[outflow.pk]), {
        "name": "甲一村驻上海临时党支部", "leader": away[0].pk, "members": [m.pk for m in away]})
    branch = Organization.objects.get(name="甲一村驻上海临时党支部")
    url = reverse("transfers:temporary_branch_leader", args=[branch.pk])
    assert response.status_code == 302 and response["Location"] == url
    assert "设立负责人账号" in client.get(branch.get_absolute_url()).content.decode()
    response = client.post(url, {"username": "shanghai01", "full_name": away[0].name, "phone": ""})
    assert response.status_code == 200 and "slip-password" in response.content.decode()
    account = User.objects.get(username="shanghai01")
    assert (account.role, account.organization, account.must_change_password) == (
        Role.TEMPORARY_BRANCH_LEADER, branch, True)
    client.force_login(secretary_a1)  # a branch secretary cannot give logins
    assert client.get(url).status_code == 403


def test_another_town_cannot_reach_the_branch(client, branch, tree):
    reviewer_b = UserFactory(organization=tree.town_b, role=Role.COMMITTEE_REVIEWER)
    client.force_login(reviewer_b)
    for name in ("transfers:temporary_branch_leader", "transfers:temporary_branch_dissolve"):
        assert client.get(reverse(name, args=[branch.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        services.temporary_branch_leader_create(branch=branch, username="x1", full_name="x", phone="",
                                                acting_user=reviewer_b)
    client.force_login(UserFactory(organization=tree.town_a, role=Role.COMMITTEE_REVIEWER))
    assert client.get(reverse("transfers:temporary_branch_leader", args=[tree.branch_a1.pk])).status_code == 404


def test_the_leader_role_only_at_a_temporary_branch(tree, county_admin):
    with pytest.raises(ValidationError):
        account_create(acting_user=county_admin, username="y1", full_name="y", phone="", organization=tree.branch_a1,
                       role=Role.TEMPORARY_BRANCH_LEADER)


def test_the_leader_sees_only_the_members_the_branch_holds(client, tree, branch, away, leader, secretary_a1):
    at_home = MemberFactory(organization=tree.branch_a1)
    elsewhere = MemberFactory(organization=tree.branch_b1)
    others_help = open_help_request(member=at_home, kind="job", text="x", source="contact", by=secretary_a1)
    report = report_start(organization=tree.branch_a1, quarter=Quarter.last_completed(), acting_user=secretary_a1)
    client.force_login(leader)
    listing = client.get(reverse("members:list")).content.decode()
    assert all(member.name in listing for member in away) and at_home.name not in listing
    assert client.get(reverse("members:detail", args=[away[1].pk])).status_code == 200
    for url in (reverse("members:detail", args=[at_home.pk]), reverse("members:detail", args=[elsewhere.pk]),
                reverse("organizations:detail", args=[tree.branch_a1.pk]),
                reverse("organizations:detail", args=[tree.town_a.pk]),
                reverse("assistance:detail", args=[others_help.pk]),
                reverse("assistance:create", args=[at_home.pk]),
                reverse("transfers:contact_add", args=[at_home.pk]),
                reverse("reports:detail", args=[report.pk])):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("members:create")).status_code == 403  # no writing of member records
    response = client.post(reverse("assistance:create", args=[away[1].pk]), {
        "kind": "wages_owed", "text": "工地欠薪", "source": "member", "opened_on": timezone.localdate().isoformat()})
    assert response.status_code == 302


def test_the_report_goes_to_the_origin_branch_and_committee(client, tree, branch, away, leader, secretary_a1,
                                                            reviewer_a):
    quarter = Quarter.containing(timezone.localdate())
    report = report_start(organization=branch, quarter=quarter, acting_user=leader)
    report = report_update(report=report, acting_user=leader, work_done="组织学习2次", problems="无")
    report = report_submit(report=report, acting_user=leader)
    client.force_login(secretary_a1)
    assert branch.name in client.get(reverse("reports:list")).content.decode()
    page = client.get(reverse("reports:detail", args=[report.pk])).content.decode()
    assert "组织学习2次" in page and reverse("reports:edit", args=[report.pk]) not in page
    assert client.get(reverse("reports:edit", args=[report.pk])).status_code == 404  # reads, never edits
    rows = {row.organization: row for row in review_board(tree.town_a, quarter, timezone.localdate()).rows}
    assert rows[branch].report == report
    client.force_login(reviewer_a)
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 200
    secretary_b1 = UserFactory(organization=tree.branch_b1, role=Role.BRANCH_SECRETARY)
    client.force_login(secretary_b1)
    assert client.get(reverse("reports:detail", args=[report.pk])).status_code == 404


def test_members_still_count_at_their_origin(tree, branch, away):
    units = Organization.objects.filter(pk__in=[tree.branch_a1.pk, branch.pk])
    figures = branch_statistics(units, Quarter.containing(timezone.localdate()))
    assert figures[tree.branch_a1.pk]["members_total"] == 3
    assert figures[branch.pk]["members_total"] == 0 and figures[branch.pk]["hosted"] == 3


def test_a_branch_without_a_leader_is_not_late(tree, branch, reviewer_a, settings):
    quarter = Quarter.last_completed()
    late = date.fromordinal(quarter.deadline.toordinal() + 1)
    rows = {row.organization: row for row in review_board(tree.town_a, quarter, late).rows}
    assert not rows[branch].overdue and rows[branch].status_label == "无需报送（未设负责人账号）"
    assert rows[tree.branch_a1].overdue
    assert sum(report_status_counts(tree.town_a, quarter).values()) == 2  # the two village branches
    account, _password = services.temporary_branch_leader_create(branch=branch, username="l2", full_name="负责人",
                                                                 phone="", acting_user=reviewer_a)
    assert sum(report_status_counts(tree.town_a, quarter).values()) == 2  # its login came after that quarter
    User.objects.filter(pk=account.pk).update(date_joined=timezone.make_aware(timezone.datetime(2000, 1, 1)))
    rows = {row.organization: row for row in review_board(tree.town_a, quarter, late).rows}
    assert rows[branch].overdue
    assert sum(report_status_counts(tree.town_a, quarter).values()) == 3


def test_dissolving_keeps_the_records_with_the_members(client, tree, branch, away, leader, reviewer_a,
                                                       secretary_a1):
    contact = services.contact_attempt_add(member=away[1], acting_user=leader, contacted_on=timezone.localdate(),
                                           channel=ContactChannel.VISIT, contact_person="负责人")
    help_request = open_help_request(member=away[1], kind="illness", text="生病", source="contact", by=leader)
    client.force_login(reviewer_a)
    response = client.post(reverse("transfers:temporary_branch_dissolve", args=[branch.pk]))
    assert response.status_code == 302
    branch.refresh_from_db()
    leader.refresh_from_db()
    assert branch.is_closed and not leader.is_active
    assert not Member.objects.filter(host_organization=branch).exists()
    assert ContactAttempt.objects.filter(pk=contact.pk, recorded_by=branch).exists()
    client.force_login(secretary_a1)
    assert client.get(reverse("assistance:detail", args=[help_request.pk])).status_code == 200
    assert "疾病" in client.get(reverse("members:detail", args=[away[1].pk])).content.decode()
