"""A roster imported with members marked 外出 registers their outflows, in the import's transaction."""
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activity_cards.models import ActivityCard
from members.choices import Gender
from members.models import Member
from members.roster_import import build_plan
from members.services import roster_import_apply, roster_import_stash
from members.signals import roster_rows_imported
from reports.periods import Quarter
from tests.factories import MemberFactory
from tests.members.test_roster_import import XLSX, _id, _valid_row, _xlsx
from transfers.choices import Handling
from transfers.mobile_members import counted_member_ids
from transfers.models import Outflow, OutflowStep

pytestmark = pytest.mark.django_db


def _row_id(n: int) -> str:
    return _id(f"11010519900307{2 * n + 1:03d}")  # men born 1990-03-07, as ``_valid_row``


def _import(user, rows):
    upload = SimpleUploadedFile("名册.xlsx", _xlsx(rows), XLSX)
    plan = build_plan(upload, user=user)
    stash = roster_import_stash(acting_user=user, upload=upload, plan=plan)
    return roster_import_apply(acting_user=user, token=stash.token)


def _counted(day):
    return set(Member.objects.filter(pk__in=counted_member_ids(day)).values_list("id_number", flat=True))


def _three_away_rows(tree, secretary):
    holder = MemberFactory(organization=tree.branch_a1, id_number=_row_id(0), birth_date=date(1990, 3, 7),
                           joined_date=date(2015, 7, 1),
                           gender=Gender.MALE)
    ActivityCard.objects.create(
        number="22202500000001", member=holder, issued_by=tree.town_a, issued_by_user=secretary,
        filed_with=tree.county, issued_on=date(2025, 1, 1), purpose="work", reason="务工", destination="上海市",
        departure_date=date(2025, 1, 1), expected_months=12, recommended_handling=Handling.ACTIVITY_CARD,
        photo="cards/legacy.jpg")
    return [
        _valid_row(tree.branch_a1, 身份证号码=_row_id(0), 姓名="持证人"),
        _valid_row(tree.branch_a1, 身份证号码=_row_id(1), 姓名="出国人", 流入地省份=None,
                   **{"出国（境）国家（地区）": "日本", "流入地城市": "东京"}),
        _valid_row(tree.branch_a1, 身份证号码=_row_id(2), 姓名="外出人", 外出时间=None, **{"预计外出时长（月）": None}),
    ]


def test_three_away_rows_are_counted_from_the_import_on_and_a_second_import_adds_nothing(tree, secretary_a1):
    rows = _three_away_rows(tree, secretary_a1)
    _import(secretary_a1, rows)

    today = timezone.localdate()
    assert _counted(today) == {_row_id(0), _row_id(1), _row_id(2)}
    assert _counted(Quarter.last_completed(today).end) == set()  # a quarter ended before the import
    handlings = dict(Outflow.objects.values_list("member__id_number", "handling"))
    assert handlings == {_row_id(0): Handling.ACTIVITY_CARD, _row_id(1): Handling.ABROAD,
                         _row_id(2): Handling.TRANSFER}

    rows[2]["从事职业"] = "厨师"  # the same members again, one of them changed
    _import(secretary_a1, rows)
    assert Outflow.objects.count() == 3 and OutflowStep.objects.count() == 3


def test_a_member_with_an_open_outflow_gets_none(tree, secretary_a1):
    from tests.transfers.helpers import register

    member = MemberFactory(organization=tree.branch_a1, id_number=_row_id(0), birth_date=date(1990, 3, 7),
                           joined_date=date(2015, 7, 1),
                           gender=Gender.MALE)
    register(member, secretary_a1)
    _import(secretary_a1, [_valid_row(tree.branch_a1, 身份证号码=_row_id(0))])
    assert Outflow.objects.filter(member=member).count() == 1


def test_a_failed_import_creates_nothing(tree, secretary_a1):
    rows = [_valid_row(tree.branch_a1, 身份证号码=_row_id(n)) for n in range(3)]
    rows[1]["入党时间"] = "不是日期"
    with pytest.raises(ValidationError):
        _import(secretary_a1, rows)
    assert not Member.objects.exists() and not Outflow.objects.exists()


def test_an_error_after_the_outflows_are_written_undoes_the_whole_import(tree, secretary_a1):
    def fail(**kwargs):
        raise RuntimeError("later receiver failed")

    roster_rows_imported.connect(fail, dispatch_uid="test.fail")
    try:
        with pytest.raises(RuntimeError):
            _import(secretary_a1, [_valid_row(tree.branch_a1, 身份证号码=_row_id(n)) for n in range(2)])
    finally:
        roster_rows_imported.disconnect(dispatch_uid="test.fail")
    assert not Member.objects.exists() and not Outflow.objects.exists() and not OutflowStep.objects.exists()


def test_the_import_writes_outflows_in_a_constant_number_of_queries(tree, secretary_a1,
                                                                     django_assert_max_num_queries):
    def apply(numbers):
        upload = SimpleUploadedFile("名册.xlsx", _xlsx([_valid_row(tree.branch_a1, 身份证号码=_row_id(n),
                                                                   姓名=f"党员{n}") for n in numbers]), XLSX)
        stash = roster_import_stash(acting_user=secretary_a1, upload=upload, plan=build_plan(upload, user=secretary_a1))
        return stash.token

    token = apply(range(2))
    with CaptureQueriesContext(connection) as two:
        roster_import_apply(acting_user=secretary_a1, token=token)
    token = apply(range(2, 22))
    with django_assert_max_num_queries(len(two.captured_queries)):
        roster_import_apply(acting_user=secretary_a1, token=token)
    assert Outflow.objects.count() == 22
