import pytest
from django.urls import reverse

from tests.factories import UserFactory


def test_login_page_is_chinese(client, db):
    body = client.get("/accounts/login/").content.decode()
    assert "登录" in body and "用户名" in body and "密码" in body


def test_login_and_logout(client, tree):
    UserFactory(username="zhang", organization=tree.branch_a1)
    response = client.post("/accounts/login/", {"username": "zhang", "password": "pass-12345-word"})
    assert response.status_code == 302 and response.url == reverse("dashboard")
    assert client.get(reverse("dashboard")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("dashboard")).status_code == 302


def test_wrong_password_gives_chinese_message(client, tree):
    UserFactory(username="zhang", organization=tree.branch_a1)
    response = client.post("/accounts/login/", {"username": "zhang", "password": "wrong"})
    assert response.status_code == 200
    assert "请输入一个正确的" in response.content.decode()


def test_account_locks_after_repeated_failures(client, tree, settings):
    UserFactory(username="zhang", organization=tree.branch_a1)
    for _ in range(settings.LOGIN_FAILURES_PER_ADDRESS):
        client.post("/accounts/login/", {"username": "zhang", "password": "wrong"})
    response = client.post("/accounts/login/", {"username": "zhang", "password": "pass-12345-word"})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()
    assert client.get(reverse("dashboard")).status_code == 302


def test_password_change_page(client, tree):
    user = UserFactory(organization=tree.branch_a1)
    client.force_login(user)
    response = client.post(reverse("password_change"), {
        "old_password": "pass-12345-word", "new_password1": "Xin-mima-2026!", "new_password2": "Xin-mima-2026!"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("Xin-mima-2026!")


@pytest.mark.parametrize("role, is_staff", [("department_admin", True), ("branch_secretary", False),
                                            ("committee_reviewer", False), ("roster_staff", False)])
def test_only_administrators_reach_django_admin(tree, role, is_staff):
    assert UserFactory(organization=tree.county, role=role).is_staff is is_staff


def test_personal_data_permission_by_role(tree):
    assert UserFactory(organization=tree.branch_a1, role="branch_secretary").has_perm("members.view_personal_data")
    assert UserFactory(organization=tree.county, role="department_admin").has_perm("members.view_personal_data")
    assert not UserFactory(organization=tree.town_a, role="committee_reviewer").has_perm("members.view_personal_data")
    assert not UserFactory(organization=tree.county, role="roster_staff").has_perm("members.view_personal_data")
