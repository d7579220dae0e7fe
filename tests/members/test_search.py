"""The search box as secretaries type (issue 12): 张三 by 「张三」「zhangsan」「zs」「zhang」, by the last digits of the
ID number or phone, and by the traditional form of a character; on every list that shows members, and in the top bar."""
import pytest
from django.db import connection
from django.urls import reverse

from members.models import Member
from members.search import search_members
from tests.factories import AwayMemberFactory, MemberFactory, approved_outflow

pytestmark = pytest.mark.django_db

ID_NUMBER = "110105198507120418"
PHONE = "13912345678"


@pytest.fixture
def zhang_san(tree):
    MemberFactory(organization=tree.branch_a1, name="李四", phone="13700000000")
    return AwayMemberFactory(organization=tree.branch_a1, name="张三", id_number=ID_NUMBER, phone=PHONE)


def _found(client, q, url="members:list"):
    return list(client.get(reverse(url), {"q": q}).context["page_obj"])


@pytest.mark.parametrize("q", ["张三", "张", "zhangsan", "zs", "zhang", "ZHANG SAN",
                               "0418", "20418", "120418", ID_NUMBER,  # the last 4-6 digits of the ID number, or all
                               "5678", "45678", "345678", PHONE, "1391234"])  # of the phone
def test_a_secretary_finds_zhang_san(client, secretary_a1, zhang_san, q):
    client.force_login(secretary_a1)
    assert _found(client, q) == [zhang_san]


def test_digits_in_the_middle_are_not_searched(client, secretary_a1, zhang_san):
    client.force_login(secretary_a1)
    assert _found(client, "19850712") == []


def test_the_traditional_form_of_a_character_finds_the_simplified_name(client, secretary_a1, tree):
    su = AwayMemberFactory(organization=tree.branch_a1, name="苏明")
    AwayMemberFactory(organization=tree.branch_a1, name="张明")
    client.force_login(secretary_a1)
    assert _found(client, "蘇") == [su]
    assert _found(client, "蘇明") == [su]
    assert _found(client, "苏明") == [su]


def test_a_masked_role_finds_by_the_shown_last_four_digits_of_the_phone_only(client, staff_user, zhang_san):
    client.force_login(staff_user)
    assert _found(client, "5678") == [zhang_san]  # shown: 139****5678
    assert _found(client, "0418") == []  # hidden digits of the ID number
    assert _found(client, "345678") == []  # two hidden digits of the phone


def test_the_suffix_search_is_an_index_scan(zhang_san):
    """With sequential scans priced out, the planner answers from the indexes of migration members.0022."""
    queryset = search_members(Member.objects.order_by(), "120418", show_personal_data=True)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")  # left: bitmap scans of the indexes that fit
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "member_id_suffix_idx" in plan and "member_phone_suffix_idx" in plan, plan
    assert "Seq Scan" not in plan, plan


def test_search_keeps_the_query_count(client, tree, secretary_a1, django_assert_max_num_queries):
    for index in range(60):
        MemberFactory(organization=tree.branch_a1, name="张伟", phone=f"139000{index:05d}")
    client.force_login(secretary_a1)
    for q in ("zw", "张伟", "0059", "張偉"):
        with django_assert_max_num_queries(9):
            response = client.get(reverse("members:list"), {"q": q, "page": 1})
        assert response.status_code == 200 and len(response.context["page_obj"]) >= 1, q


def test_the_outflow_inflow_and_card_lists_search_the_same_way(client, tree, secretary_a1, zhang_san,
                                                                django_assert_max_num_queries):
    other = AwayMemberFactory(organization=tree.branch_a1, name="王五")
    approved_outflow(zhang_san)
    approved_outflow(other)
    client.force_login(secretary_a1)
    for q in ("zs", "蘇", "5678"):
        with django_assert_max_num_queries(12):
            outflows = [outflow.member for outflow in _found(client, q, "transfers:outflow_list")]
        assert outflows == ([] if q == "蘇" else [zhang_san]), q
    assert client.get(reverse("transfers:inflow_list"), {"q": "zs"}).status_code == 200
    assert client.get(reverse("activity_cards:list"), {"q": "zs"}).status_code == 200


def test_the_top_bar_jumps_to_the_one_member_found(client, secretary_a1, zhang_san, tree):
    client.force_login(secretary_a1)
    assert 'action="/members/jump/"' in client.get(reverse("members:list")).content.decode()
    response = client.get(reverse("members:jump"), {"q": "zs"})
    assert response.status_code == 302 and response.url == zhang_san.get_absolute_url()
    AwayMemberFactory(organization=tree.branch_a1, name="张松")
    response = client.get(reverse("members:jump"), {"q": "zs"})
    assert response.status_code == 302 and response.url == reverse("members:list") + "?q=zs"


def test_the_top_bar_does_not_jump_outside_the_subtree(client, secretary_b1, zhang_san):
    client.force_login(secretary_b1)
    response = client.get(reverse("members:jump"), {"q": "zhangsan"})
    assert response.url == reverse("members:list") + "?q=zhangsan"
