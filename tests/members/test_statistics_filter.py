"""The member list's 统计口径 filter reads the one definition of a mobile member (``transfers.mobile_members``)."""
from django.urls import reverse
from django.utils import timezone

from members.choices import MobilityStatus
from tests.factories import AwayMemberFactory, MemberFactory, approved_outflow
from transfers.choices import Handling


def _names(client, **query):
    page = client.get(reverse("members:list"), query).content.decode()
    return page


def test_the_list_filters_by_the_statistics_definition(client, tree, secretary_a1, secretary_b1,
                                                       django_assert_max_num_queries):
    today = timezone.localdate()
    counted = AwayMemberFactory(organization=tree.branch_a1, name="计入甲")
    approved_outflow(counted, approved_on=today, handling=Handling.ACTIVITY_CARD)
    short = AwayMemberFactory(organization=tree.branch_a1, name="短期乙")
    approved_outflow(short, approved_on=today, handling=Handling.CERTIFICATE_LETTER)
    AwayMemberFactory(organization=tree.branch_a1, name="未登记丙")  # marked away, no approved registration
    MemberFactory(organization=tree.branch_a1, name="在家丁", mobility_status=MobilityStatus.AT_HOME)
    elsewhere = AwayMemberFactory(organization=tree.branch_b1, name="别镇戊")
    approved_outflow(elsewhere, approved_on=today, handling=Handling.ACTIVITY_CARD)

    client.force_login(secretary_a1)
    with django_assert_max_num_queries(10):
        page = _names(client, statistics="counted")
    assert "计入甲" in page and not any(name in page for name in ("短期乙", "未登记丙", "在家丁", "别镇戊"))
    page = _names(client, statistics="short_trips")
    assert "短期乙" in page and not any(name in page for name in ("计入甲", "未登记丙", "在家丁"))
    page = _names(client)
    assert all(name in page for name in ("计入甲", "短期乙", "未登记丙", "在家丁")) and "别镇戊" not in page
