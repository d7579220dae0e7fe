from accounts.models import User
from members.models import Member
from tests.factories import AwayMemberFactory, UserFactory


def test_town_admin_cannot_see_or_create_users_elsewhere(client, tree):
    town_admin = UserFactory(organization=tree.town_a, role="department_admin")
    outsider = UserFactory(organization=tree.branch_b1)
    client.force_login(town_admin)
    assert client.get(f"/admin/accounts/user/{outsider.pk}/change/").status_code == 404  # the same answer as a missing user
    response = client.post("/admin/accounts/user/add/", {
        "username": "newbie", "password1": "Xin-mima-2026!", "password2": "Xin-mima-2026!",
        "organization": tree.branch_b1.pk, "role": "branch_secretary", "usable_password": "true"})
    assert response.status_code == 200  # the other town is not a valid choice
    assert not User.objects.filter(username="newbie").exists()


def test_admin_user_form_has_no_superuser_switch(client, county_admin):
    client.force_login(county_admin)
    body = client.get(f"/admin/accounts/user/{county_admin.pk}/change/").content.decode()
    assert "is_superuser" not in body and "user_permissions" not in body


def test_member_admin_is_read_only_and_keeps_history(client, county_admin, tree):
    member = AwayMemberFactory(organization=tree.branch_a1)
    client.force_login(county_admin)
    assert client.get(f"/admin/members/member/{member.pk}/change/").status_code == 200
    client.post(f"/admin/members/member/{member.pk}/change/", {"name": "改"})
    assert Member.objects.get(pk=member.pk).name == member.name
    assert client.get(f"/admin/members/member/{member.pk}/history/").status_code == 200


def test_organization_change_is_kept_with_who(client, county_admin, tree):
    client.force_login(county_admin)
    branch = tree.branch_a1
    response = client.post(f"/admin/organizations/organization/{branch.pk}/change/", {
        "name": "甲一村党支部（新）", "code": branch.code, "kind": branch.kind, "secretary_name": "王书记",
        "secretary_phone": "13812345678", "address": "", "treebeard_position": "sorted-child", "treebeard_ref_node": tree.town_a.pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    branch.refresh_from_db()
    assert branch.name == "甲一村党支部（新）"
    assert branch.history.latest().history_user == county_admin


def test_a_password_set_in_the_admin_must_be_replaced_at_the_next_login(client, county_admin, tree):
    """Like an initial or reset password: whoever chose it for someone else must not keep knowing it."""
    secretary = UserFactory(organization=tree.branch_a1)
    client.force_login(county_admin)
    response = client.post(f"/admin/accounts/user/{secretary.pk}/password/", {
        "password1": "Xin-mima-2026!", "password2": "Xin-mima-2026!", "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(pk=secretary.pk).must_change_password
    response = client.post("/admin/accounts/user/add/", {
        "username": "newbie", "password1": "Xin-mima-2026!", "password2": "Xin-mima-2026!",
        "organization": tree.branch_a1.pk, "role": "branch_secretary", "usable_password": "true"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert User.objects.get(username="newbie").must_change_password


def test_an_administrator_changing_their_own_password_in_the_admin_is_not_asked_again(client, county_admin):
    client.force_login(county_admin)
    response = client.post(f"/admin/accounts/user/{county_admin.pk}/password/", {
        "password1": "Xin-mima-2026!", "password2": "Xin-mima-2026!", "usable_password": "true"})
    assert response.status_code == 302
    assert not User.objects.get(pk=county_admin.pk).must_change_password
