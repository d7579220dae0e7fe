"""Who decides a lapse when the relationship is held outside the system.

Rule (issue 11, from domain.md "Inactivity" and "Who uses it"): "When a host
registers an inflow of someone whose relationship stays with an organization
outside the system, the host records life, dues and contact, but the
inactivity proposals (自行脱党) go to the organization that holds the
relationship: the host sees a notice to inform it instead of a button to
propose it."
"""
from datetime import date

import pytest
from django.core.exceptions import ValidationError

from jobs import services
from jobs.choices import FlagStatus, InactivityCondition
from jobs.models import InactivityFlag
from tests.factories import _person
from transfers.services import inflow_register

pytestmark = pytest.mark.django_db

OUTSIDE_HOLDER = "外省某村党支部"


def _talked_flag(member, user):
    flag = InactivityFlag.objects.create(member=member, condition=InactivityCondition.DUES,
                                         flagged_on=date(2026, 11, 1))
    services.flag_record_talk(flag=flag, acting_user=user, talk_on=date(2026, 11, 2), notes="谈心谈话")
    return flag


@pytest.fixture
def outside_member(tree, secretary_a1):
    person = _person()
    inflow = inflow_register(
        host_organization=tree.branch_a1, acting_user=secretary_a1, id_number=person.pop("id_number"),
        arrived_on=date(2026, 3, 1), document_kind="none", origin_organization_name=OUTSIDE_HOLDER,
        hidden_member=False, new_member_fields=dict(person, joined_date=date(2010, 7, 1), education="high_school"))
    return inflow.member


def test_the_host_cannot_propose_a_lapse_for_a_member_held_outside(outside_member, secretary_a1):
    flag = _talked_flag(outside_member, secretary_a1)
    with pytest.raises(ValidationError, match=OUTSIDE_HOLDER):
        services.flag_propose_lapse(flag=flag, acting_user=secretary_a1, reason="经教育仍不改正")
    flag.refresh_from_db()
    assert flag.status == FlagStatus.TALK_HELD


def test_the_flag_page_shows_a_notice_instead_of_the_button(client, outside_member, secretary_a1):
    flag = _talked_flag(outside_member, secretary_a1)
    client.force_login(secretary_a1)
    page = client.get(flag.get_absolute_url()).content.decode()
    assert "请告知组织关系所在的党组织" in page and OUTSIDE_HOLDER in page
    assert "提出按自行脱党处理的意见" not in page
    response = client.post(flag.get_absolute_url(), {"action": "propose", "propose-proposal_reason": "不改正"})
    assert response.status_code == 200


def test_a_member_held_in_the_system_is_proposed_as_before(client, make_member, secretary_a1):
    flag = _talked_flag(make_member(), secretary_a1)
    client.force_login(secretary_a1)
    page = client.get(flag.get_absolute_url()).content.decode()
    assert "提出按自行脱党处理的意见" in page and "请告知组织关系所在的党组织" not in page
    services.flag_propose_lapse(flag=flag, acting_user=secretary_a1, reason="经教育仍不改正")
    assert flag.status == FlagStatus.LAPSE_PROPOSED
