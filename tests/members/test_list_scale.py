"""The member list at province scale: an index-friendly scope, a bounded count, stable pages (issue 15)."""
import re

import pytest
from django.db import connection
from django.test import override_settings
from django.urls import reverse

from jobs.models import InactivityFlag
from members.models import Member
from tests.factories import AwayMemberFactory, MemberFactory, OrganizationFactory
from transfers.models import Outflow

pytestmark = pytest.mark.django_db


@pytest.fixture
def shared(tree):
    """Held in A1; hosted in A1 though held in B1; held and hosted in A1 (both sides); held in B1 only."""
    return type("Shared", (), dict(
        own=AwayMemberFactory(organization=tree.branch_a1, name="本支部"),
        hosted=AwayMemberFactory(organization=tree.branch_b1, host_organization=tree.branch_a1, name="流入"),
        both=AwayMemberFactory(organization=tree.branch_a1, host_organization=tree.branch_a1, name="两边"),
        other=AwayMemberFactory(organization=tree.branch_b1, name="他支部"),
    ))


def _names(response):
    return [member.name for member in response.context["page_obj"]]


# --- the scope ------------------------------------------------------------------------

def test_scope_is_held_and_hosted_members_once_each(secretary_a1, shared):
    visible = list(Member.objects.visible_to(secretary_a1).values_list("pk", flat=True))
    assert sorted(visible) == sorted([shared.own.pk, shared.hosted.pk, shared.both.pk])


def test_scope_of_a_committee_reaches_every_branch_below(reviewer_a, county_admin, tree, shared):
    deeper = OrganizationFactory(parent=tree.branch_a2, name="甲二村第一党小组")
    grouped = MemberFactory(organization=deeper)
    assert set(Member.objects.visible_to(reviewer_a)) == {shared.own, shared.hosted, shared.both, grouped}
    assert Member.objects.visible_to(county_admin).count() == 5


def test_scope_is_one_index_condition_per_side(secretary_a1):
    sql = str(Member.objects.visible_to(secretary_a1).query)
    if connection.vendor == "postgresql":
        assert sql.count("= ANY(ARRAY(SELECT") == 2
    else:
        assert sql.count(" IN (SELECT") == 2


def test_records_follow_the_same_scope(secretary_a1, shared, tree):
    for member in (shared.own, shared.hosted, shared.other):
        Outflow.objects.create(
            member=member, origin_organization=member.organization, created_by=secretary_a1,
            talk_date="2026-03-01", talk_by="书记", departure_date="2026-03-01", expected_months=12, purpose="work",
            destination_province="上海市", destination_city="上海市", destination_address="人民路1号",
            occupation="工人", trade="construction", recommended_handling="activity_card", handling="activity_card")
    visible = Outflow.objects.visible_to(secretary_a1)
    assert sorted(visible.values_list("member_id", flat=True)) == sorted([shared.own.pk, shared.hosted.pk])


def test_flags_are_seen_only_where_the_relationship_is_held(secretary_a1, secretary_b1, shared):
    flag = InactivityFlag.objects.create(member=shared.hosted, condition="life", flagged_on="2026-11-01")
    assert not InactivityFlag.objects.visible_to(secretary_a1).exists()
    assert list(InactivityFlag.objects.visible_to(secretary_b1)) == [flag]


def test_list_shows_held_and_hosted_members_without_duplicates(client, secretary_a1, shared):
    client.force_login(secretary_a1)
    response = client.get(reverse("members:list"))
    assert sorted(_names(response)) == sorted(["本支部", "流入", "两边"])
    assert "他支部" not in response.content.decode()


def test_host_sees_the_hosted_member_and_a_third_branch_gets_404(client, tree, secretary_a1, shared):
    client.force_login(secretary_a1)
    assert client.get(reverse("members:detail", args=[shared.hosted.pk])).status_code == 200
    assert client.get(reverse("members:detail", args=[shared.other.pk])).status_code == 404


# --- the count ------------------------------------------------------------------------

def test_small_count_is_exact(client, secretary_a1, shared):
    client.force_login(secretary_a1)
    page = client.get(reverse("members:list")).content.decode()
    assert "共 3 名党员" in page and "约" not in re.sub(r"<[^>]+>", "", page).split("共 3 名党员")[0][-20:]


@override_settings(LIST_EXACT_COUNT_LIMIT=10)
def test_large_count_is_an_estimate_in_chinese(client, county_admin, tree):
    MemberFactory.create_batch(30, organization=tree.branch_a1)
    client.force_login(county_admin)
    response = client.get(reverse("members:list"))
    page = response.content.decode()
    paginator = response.context["paginator"]
    if connection.vendor != "postgresql":  # no planner estimate: counted exactly
        assert "共 30 名党员" in page
        return
    assert paginator.count_is_estimate and paginator.count > 10
    assert f"约 {paginator.count:,} 名党员" in page and "共 30 名党员" not in page


@override_settings(LIST_EXACT_COUNT_LIMIT=10)
def test_estimated_pages_know_their_end_from_the_rows(client, county_admin, tree):
    MemberFactory.create_batch(60, organization=tree.branch_a1)
    client.force_login(county_admin)
    first = client.get(reverse("members:list"))
    second = client.get(reverse("members:list"), {"page": 2})
    assert first.context["page_obj"].has_next()
    assert len(second.context["page_obj"]) == 10 and not second.context["page_obj"].has_next()
    shown = {m.pk for m in first.context["page_obj"]} | {m.pk for m in second.context["page_obj"]}
    assert shown == set(Member.objects.values_list("pk", flat=True))


def test_rounded_estimate():
    from organizations.pagination import rounded

    assert (rounded(983_412), rounded(12_345), rounded(99)) == (980_000, 12_000, 99)


# --- pages ----------------------------------------------------------------------------

@pytest.fixture
def many(tree):
    """120 members in A1 with only three names, so that the name sort has long runs of ties."""
    return [MemberFactory(organization=tree.branch_a1, name=("张伟", "王芳", "李强")[i % 3]) for i in range(120)]


@pytest.mark.parametrize("sort", ["", "name", "-name", "updated_at", "-updated_at", "mobility_status",
                                  "departure_date", "-organization"])
def test_pages_cover_every_member_once_in_order(client, secretary_a1, many, sort):
    client.force_login(secretary_a1)
    seen = []
    for number in (1, 2, 3):
        response = client.get(reverse("members:list"), {"page": number, "sort": sort} if sort else {"page": number})
        seen += [m.pk for m in response.context["page_obj"]]
    assert len(seen) == 120 and set(seen) == {m.pk for m in many}
    if sort in ("", "name"):
        key = (lambda m: (m.organization_id, m.name, m.pk)) if not sort else (lambda m: (m.name, m.pk))
        assert seen == [m.pk for m in sorted(many, key=key)]


def test_deep_and_last_page_show_the_right_rows(client, secretary_a1, many):
    client.force_login(secretary_a1)
    ordered = [m.pk for m in sorted(many, key=lambda m: (m.name, m.pk))]
    second = client.get(reverse("members:list"), {"sort": "name", "page": 2})
    last = client.get(reverse("members:list"), {"sort": "name", "page": 3})
    assert [m.pk for m in second.context["page_obj"]] == ordered[50:100]
    assert [m.pk for m in last.context["page_obj"]] == ordered[100:]
    assert not last.context["page_obj"].has_next() and "第 3 / 3 页" in last.content.decode()


def test_a_page_past_the_end_shows_the_last_page(client, secretary_a1, many):
    client.force_login(secretary_a1)
    response = client.get(reverse("members:list"), {"page": 99})
    assert response.context["page_obj"].number == 3 and len(response.context["page_obj"]) == 20


def test_search_still_matches_names_and_masked_digits(client, secretary_a1, staff_user, tree):
    member = AwayMemberFactory(organization=tree.branch_a1, name="欧阳明")
    client.force_login(secretary_a1)
    assert _names(client.get(reverse("members:list"), {"q": "欧阳"})) == ["欧阳明"]
    assert _names(client.get(reverse("members:list"), {"q": member.id_number[-6:]})) == ["欧阳明"]
    client.force_login(staff_user)  # masked: only the shown characters match
    assert _names(client.get(reverse("members:list"), {"q": member.id_number[-6:]})) == []
    assert _names(client.get(reverse("members:list"), {"q": member.phone[-4:]})) == ["欧阳明"]


# --- query counts ---------------------------------------------------------------------

@pytest.mark.parametrize("count, page", [(3, 1), (120, 5)])
def test_secretary_list_query_count_with_hosted_members(client, tree, secretary_a1, count, page,
                                                        django_assert_max_num_queries):
    MemberFactory.create_batch(count, organization=tree.branch_a1)
    MemberFactory.create_batch(count, organization=tree.branch_b1, host_organization=tree.branch_a1)
    client.force_login(secretary_a1)
    with django_assert_max_num_queries(9):  # +1: the menu's count of members' reports waiting (portal)
        assert client.get(reverse("members:list"), {"page": page}).status_code == 200


@override_settings(LIST_EXACT_COUNT_LIMIT=10)
def test_estimated_count_costs_one_query_more(client, county_admin, tree, django_assert_max_num_queries):
    MemberFactory.create_batch(30, organization=tree.branch_a1)
    client.force_login(county_admin)
    with django_assert_max_num_queries(10):  # +1: the menu's count of members' reports waiting (portal)
        assert client.get(reverse("members:list")).status_code == 200


@override_settings(LIST_EXACT_COUNT_LIMIT=10)
def test_a_page_past_the_end_of_an_estimated_list_shows_its_last_rows(client, county_admin, tree):
    members = MemberFactory.create_batch(30, organization=tree.branch_a1)
    client.force_login(county_admin)
    page = client.get(reverse("members:list"), {"page": 999, "sort": "name"}).context["page_obj"]
    assert not page.has_next() and len(page) >= 1
    assert [m.pk for m in page] == [m.pk for m in sorted(members, key=lambda m: (m.name, m.pk))][-len(page):]


def test_a_page_past_the_end_costs_one_query_more_than_a_page(client, secretary_a1, many,
                                                              django_assert_max_num_queries):
    client.force_login(secretary_a1)
    with django_assert_max_num_queries(10):  # the menu's count (portal), the empty read, then the last page read backwards with its count
        assert client.get(reverse("members:list"), {"page": 99}).context["page_obj"].number == 3
