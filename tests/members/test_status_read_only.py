"""Going away is only ever an outflow registration.

Issue 11: "Setting 流动状态 to 外出 in the member form no longer bypasses the outflow: going away is
only ever an outflow registration; the member form shows the status read-only with a link to
register one." (domain.md: "Outflow registrations in real systems go through the branch and then
the committee … every step is logged.")
"""
import pytest
from django.urls import reverse

from members.choices import MobilityStatus
from members.models import Member
from tests.factories import MemberFactory
from tests.members.test_views import _post_data

pytestmark = pytest.mark.django_db


def test_the_member_form_does_not_send_a_member_away(client, tree, secretary_a1):
    member = MemberFactory(organization=tree.branch_a1)
    assert member.mobility_status == MobilityStatus.AT_HOME
    client.force_login(secretary_a1)
    page = client.get(reverse("members:update", args=[member.pk])).content.decode()
    assert reverse("transfers:outflow_register", args=[member.pk]) in page and "办理外出登记" in page
    response = client.post(reverse("members:update", args=[member.pk]),
                           _post_data(member, mobility_status=MobilityStatus.OUTFLOW, occupation="厨师"))
    assert response.status_code == 302
    member = Member.objects.get(pk=member.pk)
    assert member.mobility_status == MobilityStatus.AT_HOME and member.occupation == "厨师"


def test_the_status_field_is_shown_read_only(client, tree, secretary_a1):
    member = MemberFactory(organization=tree.branch_a1)
    client.force_login(secretary_a1)
    form = client.get(reverse("members:update", args=[member.pk])).context["form"]
    assert form.fields["mobility_status"].disabled
