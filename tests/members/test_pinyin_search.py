"""Searching the member list by a name's pinyin or initials, as typed on a phone (issue 15)."""
import importlib

import pytest
from django.db import connection
from django.urls import reverse

from members.bulk import bulk_insert, bulk_update_rows
from members.models import Member
from members.pinyin import name_search_keys
from members.services import member_update
from tests.factories import AwayMemberFactory, MemberFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name, pinyin, initials", [
    ("张三", "zhangsan", "zs"),
    ("吕", "lv", "l"),  # ü is typed v
    ("欧阳建国", "ouyangjianguo", "oyjg"),
    ("阿依古丽·买买提", "ayigulimaimaiti", "ayglmmt"),  # the middle dot is dropped
    ("Tom张", "tomzhang", "tz"),  # letters kept, lowercased, as a word
    ("李 明2", "liming", "lm"),  # spaces and digits dropped
    ("单田芳", "dantianfang", "dtf"),  # a heteronym keeps pypinyin's common reading, not the surname's (shan)
    ("", "", ""),
])
def test_name_search_keys(name, pinyin, initials):
    assert name_search_keys(name) == (pinyin, initials)


def _found(client, q):
    return list(client.get(reverse("members:list"), {"q": q}).context["page_obj"])


@pytest.fixture
def zhangs(tree):
    """张三 held in A1, 张叁 (the same pinyin) held in B1, 张伞 held in B1 and hosted in A1, and 李四 in A1."""
    return type("Zhangs", (), dict(
        own=AwayMemberFactory(organization=tree.branch_a1, name="张三"),
        other=AwayMemberFactory(organization=tree.branch_b1, name="张叁"),
        hosted=AwayMemberFactory(organization=tree.branch_b1, host_organization=tree.branch_a1, name="张伞"),
        li=AwayMemberFactory(organization=tree.branch_a1, name="李四"),
    ))


@pytest.mark.parametrize("q", ["zhangsan", "zhangs", "ZHANG", "zhang san", "zs", "Z"])
def test_secretary_finds_own_members_by_pinyin_and_initials(client, secretary_a1, zhangs, q):
    client.force_login(secretary_a1)
    assert set(_found(client, q)) == {zhangs.own, zhangs.hosted}  # not B1's 张叁


def test_pinyin_matches_from_the_start_only(client, secretary_a1, zhangs):
    client.force_login(secretary_a1)
    assert _found(client, "san") == []
    assert _found(client, "ls") == [zhangs.li]
    assert _found(client, "lisi") == [zhangs.li]


def test_the_other_branch_finds_its_own_member_with_the_same_pinyin(client, secretary_b1, zhangs):
    client.force_login(secretary_b1)
    assert set(_found(client, "zhangsan")) == {zhangs.other, zhangs.hosted}  # not A1's 张三
    assert _found(client, "lisi") == []


def test_letters_are_not_an_id_search_for_a_masked_role(client, secretary_a1, tree):
    """``zx`` ends with X but is pinyin (张欣), not the last character of an ID number."""
    zhang_xin = AwayMemberFactory(organization=tree.branch_a1, name="张欣")
    with_x = AwayMemberFactory(organization=tree.branch_a1, name="王芳", id_number="11010519491231002X")
    client.force_login(secretary_a1)
    assert _found(client, "zx") == [zhang_xin]
    assert _found(client, "X") == [with_x]  # X alone: an ID number's last character, as before
    assert _found(client, "2X") == [with_x]  # digits then X: still the masked ID search


def test_pinyin_search_keeps_the_query_count(client, tree, secretary_a1, django_assert_max_num_queries):
    MemberFactory.create_batch(60, organization=tree.branch_a1, name="张伟")
    client.force_login(secretary_a1)
    with django_assert_max_num_queries(9):  # +1: the menu's count of members' reports waiting (portal)
        response = client.get(reverse("members:list"), {"q": "zw", "page": 2})
    assert len(response.context["page_obj"]) == 10


def test_updating_a_name_updates_its_pinyin(client, secretary_a1, zhangs):
    member = member_update(member=zhangs.own, expected_version=zhangs.own.version, acting_user=secretary_a1,
                           name="吕布")
    assert Member.objects.values_list("name_pinyin", "name_initials").get(pk=member.pk) == ("lvbu", "lb")
    client.force_login(secretary_a1)
    assert _found(client, "lvb") == [member]
    assert zhangs.own not in _found(client, "zhangsan")


def test_save_with_update_fields_writes_the_pinyin_along(zhangs):
    zhangs.own.name = "王五"
    zhangs.own.save(update_fields=["name"])
    assert Member.objects.values_list("name_pinyin", "name_initials").get(pk=zhangs.own.pk) == ("wangwu", "ww")


def test_bulk_writes_derive_the_pinyin(tree):
    """The roster import's paths (``members.bulk``) and Django's bulk methods."""
    created = MemberFactory.build(organization=tree.branch_a1, name="赵六")
    bulk_insert(Member, [created])
    assert Member.objects.values_list("name_pinyin", flat=True).get(pk=created.pk) == "zhaoliu"
    created.name = "钱七"
    bulk_update_rows(Member, [created], ["name"])
    assert Member.objects.values_list("name_pinyin", "name_initials").get(pk=created.pk) == ("qianqi", "qq")
    created.name = "孙八"
    Member.objects.bulk_update([created], ["name"])
    assert Member.objects.values_list("name_initials", flat=True).get(pk=created.pk) == "sb"
    [made] = Member.objects.bulk_create([MemberFactory.build(organization=tree.branch_a1, name="周九")])
    assert Member.objects.values_list("name_pinyin", flat=True).get(pk=made.pk) == "zhoujiu"


def test_data_migration_fills_existing_rows(zhangs):
    Member.objects.update(name_pinyin="", name_initials="")
    fill = importlib.import_module("members.migrations.0020_member_name_pinyin_fill").fill
    fill(None, connection.schema_editor())
    assert dict(Member.objects.values_list("name", "name_initials")) == {
        "张三": "zs", "张叁": "zs", "张伞": "zs", "李四": "ls"}
