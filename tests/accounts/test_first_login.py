"""A login with an initial or reset password sets its own password before anything else."""
import pytest
from django.urls import reverse

from accounts.services import account_reset_password
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def login(client, user, password):
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302


@pytest.fixture
def fresh(tree, county_admin):
    user = UserFactory(organization=tree.branch_a1)
    password = account_reset_password(account=user, acting_user=county_admin)
    return user, password


def test_every_page_sends_to_the_password_change_until_it_is_done(client, fresh):
    user, password = fresh
    login(client, user, password)
    for address in (reverse("dashboard"), reverse("members:list"), "/admin/", reverse("notifications:list")):
        response = client.get(address)
        assert response.status_code == 302 and response["Location"] == reverse("password_change"), address
    assert client.post(reverse("members:create"), {}).status_code == 302
    page = client.get(reverse("password_change")).content.decode()
    assert "请先设置自己的新密码" in page
    assert client.get(reverse("logout")).status_code in (200, 302, 405)


@pytest.mark.parametrize("new, message", [("abc12", "太短"), ("abcdefghijk", "字母和数字"), ("12345678901", "字母和数字"),
                                          ("password123", "太常见")])
def test_rules_in_chinese(client, fresh, new, message):
    user, password = fresh
    login(client, user, password)
    response = client.post(reverse("password_change"), {"old_password": password, "new_password1": new,
                                                        "new_password2": new})
    assert response.status_code == 200 and message in response.content.decode()
    user.refresh_from_db()
    assert user.must_change_password


def test_after_the_change_the_site_opens(client, fresh):
    user, password = fresh
    login(client, user, password)
    response = client.post(reverse("password_change"), {"old_password": password, "new_password1": "Cunzhishu2027",
                                                        "new_password2": "Cunzhishu2027"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("Cunzhishu2027")
    assert client.get(reverse("dashboard")).status_code == 200


def test_the_initial_hash_is_the_light_one_and_is_replaced_at_the_first_login(client, fresh):
    user, password = fresh
    assert user.password.startswith("pbkdf2_sha256_initial$20000$")
    login(client, user, password)
    user.refresh_from_db()
    assert not user.password.startswith("pbkdf2_sha256_initial") and user.check_password(password)
