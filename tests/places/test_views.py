"""The picker's search endpoint, and the county's page of places still to be given a code."""
import pytest
from django.urls import reverse

from accounts.roles import Role
from members.models import Member
from tests.factories import AwayMemberFactory, UserFactory

pytestmark = pytest.mark.django_db


def search(client, **params):
    return client.get(reverse("places:search"), params).json()["results"]


def test_search_needs_a_login(client):
    assert client.get(reverse("places:search"), {"q": "hz"}).status_code == 302


@pytest.mark.parametrize("query", ["杭州", "hz", "hangzhou", "HZ"])
def test_search_finds_hangzhou_by_name_pinyin_or_initials(client, tree, secretary_a1, query):
    client.force_login(secretary_a1)
    assert "浙江省杭州市" in [row["name"] for row in search(client, q=query)]


def test_a_nul_character_in_the_search_is_ignored_not_a_500(client, secretary_a1):
    client.force_login(secretary_a1)
    assert "浙江省杭州市" in [row["name"] for row in search(client, q="杭\x00州")]


def test_search_lists_the_counties_of_a_city_and_of_a_municipality(client, secretary_a1):
    client.force_login(secretary_a1)
    assert "浙江省杭州市西湖区" in [row["name"] for row in search(client, parent="330100")]
    assert "上海市浦东新区" in [row["name"] for row in search(client, parent="310000")]


def test_search_runs_one_query(client, secretary_a1, django_assert_max_num_queries):
    client.force_login(secretary_a1)
    with django_assert_max_num_queries(4):  # session, user, the search
        search(client, q="hz")


def test_unmapped_places_are_listed_fixed_and_counted_on_the_dashboard(client, tree):
    admin = UserFactory(organization=tree.county, role=Role.DEPARTMENT_ADMIN)
    member = AwayMemberFactory(organization=tree.branch_a1, destination_province="", destination_city="工地上")
    assert member.destination_division_id is None
    client.force_login(admin)
    page = client.get(reverse("administration:unmapped_places"))
    assert page.status_code == 200 and "工地上" in page.content.decode()
    assert client.get(reverse("dashboard")).context["unmapped_places"] == 1
    url = reverse("administration:place_fix", args=["member", member.pk])
    assert client.post(url, {"division": "330106"}).status_code == 302
    member = Member.objects.get(pk=member.pk)
    assert (member.destination_division_id, member.destination_province, member.destination_city) == (
        "330106", "浙江省", "杭州市西湖区")
    assert client.get(reverse("dashboard")).context["unmapped_places"] == 0
    assert client.get(url).status_code == 404  # fixed: no longer on the list


def test_the_unmapped_list_is_for_the_county_admin(client, tree, secretary_a1):
    client.force_login(secretary_a1)
    assert client.get(reverse("administration:unmapped_places")).status_code == 403
