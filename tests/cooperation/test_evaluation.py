"""The yearly two-way evaluation: the host's opinion, the origin's result beside it, on the page and roster."""
from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from cooperation.models import TwoWayEvaluation
from cooperation.services import evaluation_result_record, host_opinion_record
from members.models import Member
from members.roster_export import write_roster
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def host_secretary(tree):
    return UserFactory(organization=tree.branch_b1, role="branch_secretary")


def test_host_gives_its_opinion_and_the_origin_records_the_result(away, host_secretary, secretary_a1, tree):
    host_opinion_record(member=away.placed, year=2026, grade="excellent", opinion="带头参加志愿服务",
                        recorded_on=date(2026, 11, 2), acting_user=host_secretary)
    evaluation = evaluation_result_record(member=away.placed, year=2026, grade="qualified", notes="",
                                          recorded_on=date(2026, 12, 1), acting_user=secretary_a1)
    assert (evaluation.host_organization, evaluation.host_grade, evaluation.result_grade) == (
        tree.branch_b1, "excellent", "qualified")
    assert TwoWayEvaluation.objects.count() == 1
    assert evaluation.history.first().history_user == secretary_a1


def test_each_side_writes_only_its_own_part(away, host_secretary, secretary_a1, secretary_b1, tree):
    with pytest.raises(PermissionDenied):  # the origin does not write the opinion of a host in the system
        host_opinion_record(member=away.placed, year=2026, grade="excellent", opinion="好",
                            recorded_on=date(2026, 11, 2), acting_user=secretary_a1)
    with pytest.raises(PermissionDenied):  # the host does not record the result
        evaluation_result_record(member=away.placed, year=2026, grade="qualified", notes="",
                                 recorded_on=date(2026, 12, 1), acting_user=host_secretary)
    other = UserFactory(organization=tree.branch_a2, role="branch_secretary")
    with pytest.raises(PermissionDenied):
        host_opinion_record(member=away.placed, year=2026, grade="excellent", opinion="好",
                            recorded_on=date(2026, 11, 2), acting_user=other)


def test_for_a_host_outside_the_system_the_origin_records_its_written_opinion(away, secretary_a1):
    with pytest.raises(ValidationError):
        host_opinion_record(member=away.elsewhere, year=2026, grade="qualified", opinion="好",
                            recorded_on=date(2026, 11, 2), acting_user=secretary_a1)
    evaluation = host_opinion_record(member=away.elsewhere, year=2026, grade="qualified", opinion="好",
                                     host_name="深圳某社区党委", recorded_on=date(2026, 11, 2),
                                     acting_user=secretary_a1)
    assert evaluation.host_display == "深圳某社区党委"


def test_member_page_and_roster_show_the_latest_result(client, away, host_secretary, secretary_a1):
    for year, grade in ((2025, "basically_qualified"), (2026, "excellent")):
        evaluation_result_record(member=away.placed, year=year, grade=grade, notes="", recorded_on=date(year, 12, 1),
                                 acting_user=secretary_a1)
    host_opinion_record(member=away.placed, year=2026, grade="qualified", opinion="表现良好",
                        recorded_on=date(2026, 11, 2), acting_user=host_secretary)
    client.force_login(secretary_a1)
    page = client.get(reverse("members:detail", args=[away.placed.pk])).content.decode()
    assert "优秀" in page and "表现良好" in page
    output = BytesIO()
    write_roster(output, queryset=Member.objects.filter(pk=away.placed.pk), title="名册", show_personal_data=True)
    rows = [[cell.value for cell in row] for row in load_workbook(BytesIO(output.getvalue())).active.iter_rows()]
    header = next(row for row in rows if row and "姓名" in row)
    assert rows[rows.index(header) + 1][header.index("最近一次双向评议")] == "2026年 优秀（流入地：合格）"


def test_host_opinion_page(client, away, host_secretary, secretary_b1):
    client.force_login(host_secretary)
    url = reverse("cooperation:host_opinion", args=[away.placed.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"year": 2026, "grade": "excellent", "opinion": "好", "recorded_on": "2026-11-02"})
    assert response.status_code == 302
    client.force_login(UserFactory(role="branch_secretary"))  # an organization elsewhere: the member is a 404
    assert client.get(url).status_code == 404
