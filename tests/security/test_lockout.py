"""Attacks on the login: guessing one user's password from one address, from many, and locking others out."""
import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "pass-12345-word"
OFFICE, HOME, ELSEWHERE = "203.0.113.10", "198.51.100.20", "192.0.2.{}"


@pytest.fixture
def zhang(tree):
    return UserFactory(username="zhang", organization=tree.branch_a1)


@pytest.fixture
def li(tree):
    return UserFactory(username="li", organization=tree.branch_a1)


def _login(client, username, password, address):
    client.logout()
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def _fail(client, username, address, times):
    for _ in range(times):
        assert _login(client, username, "wrong-guess", address).status_code in (200, 429)


def _logged_in(response) -> bool:
    return response.status_code == 302 and response.url == reverse("dashboard")


def test_five_failures_lock_the_name_from_that_address_only(client, settings, zhang):
    _fail(client, "zhang", OFFICE, settings.LOGIN_FAILURES_PER_ADDRESS)
    locked = _login(client, "zhang", PASSWORD, OFFICE)
    assert locked.status_code == 429 and "锁定" in locked.content.decode()
    assert _logged_in(_login(client, "zhang", PASSWORD, HOME))


def test_failures_for_one_name_do_not_lock_a_colleague_at_the_same_office(client, settings, zhang, li):
    _fail(client, "zhang", OFFICE, settings.LOGIN_FAILURES_PER_ADDRESS)
    assert _logged_in(_login(client, "li", PASSWORD, OFFICE))


def test_four_failures_do_not_lock(client, settings, zhang):
    _fail(client, "zhang", OFFICE, settings.LOGIN_FAILURES_PER_ADDRESS - 1)
    assert _logged_in(_login(client, "zhang", PASSWORD, OFFICE))


def test_twenty_failures_spread_over_addresses_lock_the_name_everywhere(client, settings, zhang, li):
    per_address = settings.LOGIN_FAILURES_PER_ADDRESS - 1  # never enough to lock any one address
    addresses = [ELSEWHERE.format(n) for n in range(1, settings.LOGIN_FAILURES_PER_USERNAME // per_address + 1)]
    for address in addresses:
        _fail(client, "zhang", address, per_address)
    assert len(addresses) * per_address >= settings.LOGIN_FAILURES_PER_USERNAME
    for address in (OFFICE, HOME, addresses[0]):
        response = _login(client, "zhang", PASSWORD, address)
        assert response.status_code == 429 and "锁定" in response.content.decode()
    assert _logged_in(_login(client, "li", PASSWORD, OFFICE))


def test_below_the_per_name_limit_the_name_still_logs_in_from_a_new_address(client, settings, zhang):
    per_address = settings.LOGIN_FAILURES_PER_ADDRESS - 1
    remaining = settings.LOGIN_FAILURES_PER_USERNAME - 1
    n = 0
    while remaining > 0:
        n += 1
        _fail(client, "zhang", ELSEWHERE.format(n), min(per_address, remaining))
        remaining -= per_address
    assert _logged_in(_login(client, "zhang", PASSWORD, HOME))
