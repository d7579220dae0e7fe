"""No ID-number oracle outside the claim path: 新增党员, 修改党员 and 名册导入, seen from another town.

ID numbers are unique, so a refusal for a number held elsewhere is a signal
that cannot be removed. What these tests hold the doors to: one neutral
answer wherever the number is held (never the organization, never 已存在),
every such lookup logged, and one hourly allowance per user shared with the
inflow registration, so that switching doors does not multiply it.
"""
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from members.choices import IdLookupOutcome, IdLookupPath
from members.id_lookups import HELD_OUTSIDE_REFUSAL
from members.masking import mask_id_number
from members.models import IdNumberLookup, Member
from tests.factories import AwayMemberFactory, UserFactory, _person
from tests.members.test_roster_import import _upload, _valid_row, _xlsx
from transfers.services import inflow_register
from tests.members.test_views import _post_data

NEUTRAL = str(HELD_OUTSIDE_REFUSAL)
LIMIT_TEXT = "已达 3 次上限"
#: what the old answers gave away: that the number exists, and where
TELLTALES = ("已存在", "甲镇党委", "甲一村党支部", "甲二村党支部", "组织关系不在您管理的党组织内")


@pytest.fixture
def victim(tree):
    return AwayMemberFactory(organization=tree.branch_a1, name="甲一村党员")


@pytest.fixture
def victim_a2(tree):
    return AwayMemberFactory(organization=tree.branch_a2, name="甲二村党员")


@pytest.fixture(params=["secretary_b1", "town_b_admin"])
def writer(request, tree):
    """Another town's users who may add members: its branch secretary and its department admin."""
    if request.param == "secretary_b1":
        return request.getfixturevalue("secretary_b1")
    return UserFactory(organization=tree.town_b, role=Role.DEPARTMENT_ADMIN)


@pytest.fixture(params=["secretary_b1", "town_b_admin"])
def importer(request, tree):
    """Another town's users who may import a roster (组织员, who see masked data, may not import at all)."""
    if request.param == "secretary_b1":
        return request.getfixturevalue("secretary_b1")
    return UserFactory(organization=tree.town_b, role=Role.DEPARTMENT_ADMIN)


def _create_with(client, tree, id_number_of: Member | None = None):
    """Post 新增党员 into 乙一村 with the ID number (and matching birth date and gender) of ``id_number_of``."""
    template = AwayMemberFactory.build(organization=tree.branch_b1)
    if id_number_of is not None:
        for name in ("id_number", "birth_date", "gender", "joined_date"):  # the rest of the form stays valid
            setattr(template, name, getattr(id_number_of, name))
    return client.post(reverse("members:create"), _post_data(template, version=1))


def _row_for(tree, member: Member):
    return _valid_row(tree.branch_b1, 身份证号码=member.id_number, 出生日期=member.birth_date,
                      性别=member.get_gender_display(), 入党时间=member.joined_date, 姓名=member.name)


def _new_rows(tree, count):
    return [_row_for(tree, AwayMemberFactory.build()) for _ in range(count)]


def _inflow(client, tree, id_number):
    """A complete 流入登记 of someone new to the system: with a number held elsewhere it is refused."""
    return client.post(reverse("transfers:inflow_register"), {
        "host_organization": tree.branch_b1.pk, "id_number": id_number, "arrived_on": "2026-11-12",
        "document_kind": "none", "document_number": "", "check_code": "", "name": "某人",
        "joined_date": "2010-07-01", "education": "high_school", "origin_organization_name": "外省某村党支部"})


def _assert_neutral(content: str):
    assert NEUTRAL in content
    for telltale in TELLTALES:
        assert telltale not in content


def _id_errors(response):
    return [error.message for error in response.context["errors"] if error.column == "身份证号码"]


# --- 新增党员 and 修改党员 -----------------------------------------------------------------------------

def test_create_with_an_id_held_in_another_town_gets_the_one_neutral_answer_and_is_logged(
        client, tree, victim, victim_a2, writer):
    client.force_login(writer)
    responses = [_create_with(client, tree, id_number_of=held) for held in (victim, victim_a2)]
    for response in responses:
        assert response.status_code == 200
        assert response.context["form"].errors == {"id_number": [NEUTRAL]}
        _assert_neutral(response.content.decode())
    # the same answer wherever the number is held
    assert responses[0].context["form"].errors == responses[1].context["form"].errors
    assert Member.objects.filter(organization=tree.branch_b1).count() == 0

    lookups = list(IdNumberLookup.objects.order_by("at", "id"))
    assert [(row.path, row.outcome) for row in lookups] == [(IdLookupPath.MEMBER_CREATE, IdLookupOutcome.REFUSED)] * 2
    assert [row.id_number_masked for row in lookups] == [mask_id_number(victim.id_number),
                                                         mask_id_number(victim_a2.id_number)]
    for row in lookups:
        assert row.user == writer and row.organization == writer.organization and row.at
        assert victim.id_number not in row.id_number_masked


def test_changing_an_id_number_to_one_held_in_another_town_gets_the_neutral_answer(client, tree, victim,
                                                                                   secretary_b1):
    own = AwayMemberFactory(organization=tree.branch_b1)
    client.force_login(secretary_b1)
    data = _post_data(own, id_number=victim.id_number, birth_date=victim.birth_date.isoformat(),
                      gender=victim.gender, joined_date=victim.joined_date.isoformat())
    response = client.post(reverse("members:update", args=[own.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors == {"id_number": [NEUTRAL]}
    _assert_neutral(response.content.decode())
    own.refresh_from_db()
    assert own.id_number != victim.id_number
    assert IdNumberLookup.objects.get().path == IdLookupPath.MEMBER_UPDATE


def test_an_id_number_inside_ones_own_tree_keeps_the_useful_message(client, tree, victim, secretary_a1):
    client.force_login(secretary_a1)
    template = AwayMemberFactory.build(organization=tree.branch_a1, id_number=victim.id_number,
                                       birth_date=victim.birth_date, gender=victim.gender,
                                       joined_date=victim.joined_date)
    response = client.post(reverse("members:create"), _post_data(template, version=1))
    assert response.status_code == 200
    assert "已在甲一村党支部登记" in " ".join(response.context["form"].errors["id_number"])
    assert NEUTRAL not in response.content.decode()
    assert not IdNumberLookup.objects.exists()  # nothing learnt about anyone outside the tree


# --- 名册导入 ----------------------------------------------------------------------------------------

def test_import_rows_with_ids_held_in_another_town_get_the_neutral_answer_and_are_logged(
        client, tree, victim, victim_a2, importer):
    client.force_login(importer)
    response = _upload(client, _xlsx([_row_for(tree, victim), *_new_rows(tree, 1), _row_for(tree, victim_a2)]))
    assert response.status_code == 200
    _assert_neutral(response.content.decode())
    errors = {error.row: error.message for error in response.context["errors"] if error.column == "身份证号码"}
    assert errors == {3: NEUTRAL, 5: NEUTRAL}
    assert Member.objects.filter(organization=tree.branch_b1).count() == 0

    lookups = IdNumberLookup.objects.order_by("id_number_masked")
    assert sorted((row.path, row.outcome, row.id_number_masked, row.user_id) for row in lookups) == sorted(
        (IdLookupPath.ROSTER_IMPORT, IdLookupOutcome.REFUSED, mask_id_number(held.id_number), importer.pk)
        for held in (victim, victim_a2))


def test_an_import_of_new_members_only_is_not_counted(client, tree, secretary_b1):
    client.force_login(secretary_b1)
    response = _upload(client, _xlsx(_new_rows(tree, 3)))
    assert response.status_code == 200 and response.context["counts"]["new"] == 3
    assert not IdNumberLookup.objects.exists()


# --- one hourly allowance for every door ----------------------------------------------------------

def test_the_hourly_limit_is_shared_by_create_import_and_inflow(client, settings, tree, victim, victim_a2,
                                                                secretary_b1):
    settings.ID_LOOKUPS_PER_HOUR = 3
    third = AwayMemberFactory(organization=tree.branch_a1)
    client.force_login(secretary_b1)
    assert _create_with(client, tree, id_number_of=victim).status_code == 200           # 1: create
    assert _id_errors(_upload(client, _xlsx([_row_for(tree, victim_a2)]))) == [NEUTRAL]  # 2: import
    assert _inflow(client, tree, third.id_number).status_code == 200                     # 3: inflow

    # every door is now closed, whatever the number: a refusal only for numbers held elsewhere would answer
    for response in (_create_with(client, tree, id_number_of=third), _create_with(client, tree),
                     _upload(client, _xlsx([_row_for(tree, third)])), _upload(client, _xlsx(_new_rows(tree, 1))),
                     _inflow(client, tree, victim.id_number)):
        assert response.status_code == 429
        content = response.content.decode()
        assert "一小时内" in content and LIMIT_TEXT in content
        assert NEUTRAL not in content and "预演结果" not in content
        for telltale in TELLTALES:
            assert telltale not in content
    assert Member.objects.filter(organization=tree.branch_b1).count() == 0
    assert IdNumberLookup.objects.filter(user=secretary_b1, outcome=IdLookupOutcome.RATE_LIMITED).count() == 5
    assert set(IdNumberLookup.objects.values_list("path", flat=True)) == set(IdLookupPath.values) - {
        IdLookupPath.MEMBER_UPDATE}

    # the allowance is the user's: a colleague still gets the neutral answer; an hour later, so does the user
    colleague = UserFactory(organization=tree.branch_b1, role=Role.BRANCH_SECRETARY)
    client.force_login(colleague)
    assert _create_with(client, tree, id_number_of=third).context["form"].errors == {"id_number": [NEUTRAL]}
    IdNumberLookup.objects.filter(user=secretary_b1).update(at=timezone.now() - timedelta(hours=1, minutes=1))
    client.force_login(secretary_b1)
    assert _create_with(client, tree, id_number_of=third).context["form"].errors == {"id_number": [NEUTRAL]}
    assert _create_with(client, tree).status_code == 302


def test_a_file_with_more_outside_rows_than_left_is_refused_whole_and_still_counted(client, settings, tree,
                                                                                   secretary_b1):
    settings.ID_LOOKUPS_PER_HOUR = 3
    held = AwayMemberFactory.create_batch(4, organization=tree.branch_a1)
    client.force_login(secretary_b1)
    response = _upload(client, _xlsx([*_new_rows(tree, 2), *(_row_for(tree, member) for member in held)]))
    assert response.status_code == 429
    content = response.content.decode()
    assert LIMIT_TEXT in content and NEUTRAL not in content and "errors" not in response.context
    assert IdNumberLookup.objects.filter(outcome=IdLookupOutcome.OVER_LIMIT).count() == 4
    # counted, so that such files cannot probe for free: one known number plus a guess is no oracle
    assert _upload(client, _xlsx(_new_rows(tree, 1))).status_code == 429
    assert _create_with(client, tree).status_code == 429


def test_a_file_within_the_allowance_is_answered_row_by_row(client, settings, tree, secretary_b1):
    settings.ID_LOOKUPS_PER_HOUR = 3
    held = AwayMemberFactory.create_batch(3, organization=tree.branch_a2)
    client.force_login(secretary_b1)
    response = _upload(client, _xlsx([_row_for(tree, member) for member in held]))
    assert response.status_code == 200 and _id_errors(response) == [NEUTRAL] * 3
    assert _create_with(client, tree).status_code == 429  # used up


def test_inflows_of_members_new_to_the_system_do_not_use_up_the_allowance(settings, tree, victim, secretary_b1):
    """Only lookups that meet a member held elsewhere count: a host registering a busload of newcomers
    from outside the system (new records, as 新增党员 makes) is not locked out of anything."""
    settings.ID_LOOKUPS_PER_HOUR = 2
    for _ in range(4):
        person = _person()
        inflow_register(host_organization=tree.branch_b1, acting_user=secretary_b1, id_number=person.pop("id_number"),
                        arrived_on=date(2026, 10, 1), document_kind="none", origin_organization_name="外省某村党支部",
                        new_member_fields=dict(person, joined_date=date(2010, 7, 1), education="high_school"))
    assert IdNumberLookup.objects.filter(user=secretary_b1, outcome=IdLookupOutcome.CREATED).count() == 4
    with pytest.raises(ValidationError) as refused:
        inflow_register(host_organization=tree.branch_b1, acting_user=secretary_b1, id_number=victim.id_number,
                        arrived_on=date(2026, 10, 1), document_kind="none", origin_organization_name="外省某村党支部",
                        new_member_fields=dict(name="某人", gender=victim.gender, birth_date=victim.birth_date,
                                               joined_date=date(2010, 7, 1), education="high_school"))
    assert refused.value.code != "rate_limited"
    assert IdNumberLookup.objects.filter(user=secretary_b1, outcome=IdLookupOutcome.REFUSED).count() == 1
