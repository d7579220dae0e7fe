"""Every response that shows a full ID number or phone leaves a record, and nobody can wipe it.

Attacks: a secretary (or a county administrator) who reads members' personal
data on a page other than the detail page and hopes to leave no trace; one who
deletes the member to blank the record; other roles trying to read the log;
anyone trying to add, edit or delete records through the app or the admin.
"""
from datetime import timedelta
from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from members.masking import mask_id_number
from members.models import PersonalDataAccess
from members.services import member_delete, personal_data_access_log_many
from tests.factories import AwayMemberFactory, MemberFactory, UserFactory
from tests.transfers.helpers import register
from transfers.choices import Purpose
from transfers.services import outflow_approve, outflow_return_for_revision

LOG_TABLE = PersonalDataAccess._meta.db_table


def inserts_into_log(queries) -> int:
    return sum(1 for query in queries if query["sql"].startswith(f'INSERT INTO "{LOG_TABLE}"'))


def records(user, member=None, **filters):
    queryset = PersonalDataAccess.objects.filter(user=user, **filters)
    return queryset.filter(member=member) if member is not None else queryset


def shows_in_full(response, member) -> bool:
    body = b"".join(response.streaming_content) if response.streaming else response.content
    text = body.decode(errors="ignore")
    return member.id_number in text or (member.phone and member.phone in text)


@pytest.fixture
def documents(tree, secretary_a1, reviewer_a):
    lettered = MemberFactory(organization=tree.branch_a1)
    letter = register(lettered, secretary_a1).introduction_letter
    certified = MemberFactory(organization=tree.branch_a1)
    short = register(certified, secretary_a1, expected_months=2, purpose=Purpose.MEETING)
    outflow_approve(outflow=short, acting_user=reviewer_a)
    returned_member = MemberFactory(organization=tree.branch_a1)
    returned = outflow_return_for_revision(outflow=register(returned_member, secretary_a1), acting_user=reviewer_a,
                                           reason="请补充谈话记录")
    at_home = MemberFactory(organization=tree.branch_a1)
    return type("Documents", (), dict(lettered=lettered, letter=letter, certified=certified,
                                      certificate=short.certificate_letter, returned=returned, at_home=at_home))


def pages(documents):
    """(url name, url, member shown) of every page that prints a member's ID number or phone in full."""
    d = documents
    return [
        ("members:list", reverse("members:list") + f"?q={d.at_home.name}", d.at_home),
        ("members:list", reverse("members:list") + f"?q={d.at_home.phone[-6:]}", d.at_home),
        ("members:detail", reverse("members:detail", args=[d.at_home.pk]), d.at_home),
        ("members:update", reverse("members:update", args=[d.at_home.pk]), d.at_home),
        ("transfers:outflow_register", reverse("transfers:outflow_register", args=[d.at_home.pk]), d.at_home),
        ("transfers:outflow_resubmit", reverse("transfers:outflow_resubmit", args=[d.returned.pk]), d.returned.member),
        ("transfers:letter_detail", reverse("transfers:letter_detail", args=[d.letter.pk]), d.lettered),
        ("transfers:certificate_detail", reverse("transfers:certificate_detail", args=[d.certificate.pk]),
         d.certified),
    ]


def test_every_page_showing_full_personal_data_is_logged(client, documents, secretary_a1):
    client.force_login(secretary_a1)
    for page, url, member in pages(documents):
        before = records(secretary_a1, member, page=page).count()
        response = client.get(url)
        assert response.status_code == 200, url
        assert shows_in_full(response, member), url
        assert records(secretary_a1, member, page=page).count() == before + 1, url
    assert records(secretary_a1).filter(member_name="").count() == 0


def test_search_results_are_logged_with_the_search(client, tree, secretary_a1):
    member = AwayMemberFactory(organization=tree.branch_a1)
    client.force_login(secretary_a1)
    client.get(reverse("members:list"), {"q": member.id_number[-6:]})
    record = records(secretary_a1, member, action=PersonalDataAccess.Action.LIST).get()
    assert record.detail == {"q": member.id_number[-6:]} and record.page == "members:list"


def test_a_list_page_of_50_is_logged_in_one_insert(client, tree, county_admin, django_assert_max_num_queries):
    AwayMemberFactory.create_batch(60, organization=tree.branch_a1)
    client.force_login(county_admin)
    with django_assert_max_num_queries(9), CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("members:list"))
    assert response.status_code == 200
    assert inserts_into_log(queries.captured_queries) == 1
    assert records(county_admin, action=PersonalDataAccess.Action.LIST).count() == 50


def test_masked_roles_pages_write_no_full_data_record(client, tree, reviewer_a, staff_user):
    member = AwayMemberFactory(organization=tree.branch_a1)
    for user in (reviewer_a, staff_user):
        client.force_login(user)
        for url in (reverse("members:list"), reverse("members:detail", args=[member.pk])):
            response = client.get(url)
            assert response.status_code == 200 and not shows_in_full(response, member)
    assert not PersonalDataAccess.objects.exclude(action=PersonalDataAccess.Action.EXPORT).exists()


def test_import_preview_is_logged(client, tree, secretary_a1):
    from tests.members.test_roster_import import _upload

    members = AwayMemberFactory.create_batch(3, organization=tree.branch_a1)
    client.force_login(secretary_a1)
    exported = b"".join(client.get(reverse("members:export")).streaming_content)
    with CaptureQueriesContext(connection) as queries:
        response = _upload(client, exported)
    assert response.status_code == 200 and all(m.id_number in response.content.decode() for m in members)
    assert inserts_into_log(queries.captured_queries) == 1
    logged = records(secretary_a1, action=PersonalDataAccess.Action.IMPORT, page="members:import")
    assert set(logged.values_list("member", flat=True)) == {m.pk for m in members}


def test_admin_member_pages_are_logged(client, tree, county_admin):
    member = AwayMemberFactory(organization=tree.branch_a1)
    client.force_login(county_admin)
    for name in ("admin:members_member_change", "admin:members_member_history"):
        response = client.get(reverse(name, args=[member.pk]))
        assert response.status_code == 200
        assert records(county_admin, member, action=PersonalDataAccess.Action.ADMIN, page=name).count() == 1


def test_deleting_the_member_keeps_the_snapshot(client, tree, secretary_a1):
    member = MemberFactory(organization=tree.branch_a1)
    name, id_number = member.name, member.id_number
    client.force_login(secretary_a1)
    client.get(reverse("members:detail", args=[member.pk]))
    member_delete(member=member, acting_user=secretary_a1)
    record = records(secretary_a1, action=PersonalDataAccess.Action.VIEW).get()
    assert record.member is None
    assert (record.member_name, record.member_id_masked) == (name, mask_id_number(id_number))
    assert id_number not in record.member_id_masked


def test_existing_records_get_their_snapshot_when_migrated(tree, secretary_a1):
    member = MemberFactory(organization=tree.branch_a1)
    old = PersonalDataAccess.objects.create(user=secretary_a1, action="view", member=member)
    gone = PersonalDataAccess.objects.create(user=secretary_a1, action="export", row_count=5)
    migration = import_module("members.migrations.0010_access_log_snapshot_and_page")
    migration.fill_snapshots(apps, None)
    old.refresh_from_db()
    gone.refresh_from_db()
    assert (old.member_name, old.member_id_masked, old.page) == (member.name, mask_id_number(member.id_number),
                                                                  "members:detail")
    assert (gone.member_name, gone.page) == ("", "members:export")


# --- the 个人信息访问记录 page -------------------------------------------------------------------

@pytest.fixture
def town_admin_a(tree):
    """A department administrator at town level: sees only town A's users' records."""
    return UserFactory(organization=tree.town_a, role=Role.DEPARTMENT_ADMIN)


@pytest.fixture
def logged(tree, secretary_a1, secretary_b1):
    a_members = MemberFactory.create_batch(3, organization=tree.branch_a1)
    b_member = MemberFactory(organization=tree.branch_b1, name="乙镇某某")
    personal_data_access_log_many(acting_user=secretary_a1, action=PersonalDataAccess.Action.LIST,
                                  page="members:list", members=a_members)
    personal_data_access_log_many(acting_user=secretary_b1, action=PersonalDataAccess.Action.VIEW,
                                  page="members:detail", members=[b_member])
    return type("Logged", (), dict(a_members=a_members, b_member=b_member))


def test_the_log_page_is_in_the_menu_for_department_admins_only(client, county_admin, secretary_a1):
    client.force_login(county_admin)
    assert reverse("members:access_log") in client.get(reverse("dashboard")).content.decode()
    client.force_login(secretary_a1)
    assert reverse("members:access_log") not in client.get(reverse("dashboard")).content.decode()


@pytest.mark.parametrize("role", ["secretary_a1", "reviewer_a", "staff_user"])
def test_other_roles_cannot_read_the_log(client, request, logged, role):
    client.force_login(request.getfixturevalue(role))
    assert client.get(reverse("members:access_log")).status_code == 403


def test_anonymous_is_sent_to_login(client, db):
    response = client.get(reverse("members:access_log"))
    assert response.status_code == 302 and reverse("login") in response.url


def test_a_town_admin_sees_only_its_own_users_records(client, logged, town_admin_a, secretary_b1):
    client.force_login(town_admin_a)
    body = client.get(reverse("members:access_log")).content.decode()
    assert all(member.name in body for member in logged.a_members)
    assert logged.b_member.name not in body
    response = client.get(reverse("members:access_log"), {"user": secretary_b1.pk})
    assert logged.b_member.name not in response.content.decode()  # not a choice: a field error, no rows


def test_the_log_page_filters(client, logged, county_admin, secretary_a1, secretary_b1):
    client.force_login(county_admin)
    url = reverse("members:access_log")

    def names(**query):
        body = client.get(url, query).content.decode()
        return {m.name for m in [*logged.a_members, logged.b_member] if m.name in body}

    everyone = {m.name for m in logged.a_members} | {logged.b_member.name}
    assert names() == everyone
    assert names(user=secretary_b1.pk) == {logged.b_member.name}
    assert names(action="list") == {m.name for m in logged.a_members}
    assert names(member_name="乙镇") == {logged.b_member.name}
    today = timezone.localdate()
    assert names(at_from=today.isoformat(), at_to=today.isoformat()) == everyone
    assert names(at_from=(today + timedelta(days=1)).isoformat()) == set()


@pytest.mark.parametrize("count", [5, 120])
def test_the_log_page_runs_constant_queries(client, tree, county_admin, secretary_a1, count,
                                            django_assert_max_num_queries):
    personal_data_access_log_many(acting_user=secretary_a1, action=PersonalDataAccess.Action.LIST,
                                  page="members:list",
                                  members=MemberFactory.create_batch(count, organization=tree.branch_a1))
    client.force_login(county_admin)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("members:access_log"), {"page": 2}).status_code == 200


def test_the_log_page_is_read_only(client, logged, county_admin):
    client.force_login(county_admin)
    before = list(PersonalDataAccess.objects.values_list("id", "member_name"))
    for method in (client.post, client.put, client.delete):
        assert method(reverse("members:access_log")).status_code == 405
    assert list(PersonalDataAccess.objects.values_list("id", "member_name")) == before


# --- the admin: view only, every write refused ------------------------------------------------------

def test_admin_cannot_add_change_or_delete_records(client, logged, county_admin):
    client.force_login(county_admin)
    record = PersonalDataAccess.objects.filter(user__organization__in=[logged.a_members[0].organization]).first()
    assert client.get(reverse("admin:members_personaldataaccess_changelist")).status_code == 200
    assert client.get(reverse("admin:members_personaldataaccess_change", args=[record.pk])).status_code == 200
    assert client.get(reverse("admin:members_personaldataaccess_add")).status_code == 403
    assert client.get(reverse("admin:members_personaldataaccess_delete", args=[record.pk])).status_code == 403
    before = list(PersonalDataAccess.objects.order_by("id").values_list("id", "member_name", "action"))
    posts = [
        (reverse("admin:members_personaldataaccess_add"), {"action": "view", "member_name": "伪造"}),
        (reverse("admin:members_personaldataaccess_change", args=[record.pk]), {"member_name": "改写"}),
        (reverse("admin:members_personaldataaccess_delete", args=[record.pk]), {"post": "yes"}),
        (reverse("admin:members_personaldataaccess_changelist"),
         {"action": "delete_selected", "_selected_action": [record.pk], "post": "yes"}),
    ]
    for url, data in posts:
        assert client.post(url, data).status_code == 403, url
    assert list(PersonalDataAccess.objects.order_by("id").values_list("id", "member_name", "action")) == before
