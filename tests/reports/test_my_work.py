"""待我处理 on the dashboard: each role's counts, each a link to the filtered list, in a fixed number of queries."""
from django.urls import reverse

from reports.my_work import WorkItem, my_work, register_work_item
from reports.services import report_submit
from tests.factories import MemberFactory
from tests.transfers.helpers import register
from transfers.services import outflow_return_for_revision


def _counts(user):
    return {item["key"]: item["count"] for item in my_work(user)}


def test_the_committee_sees_what_waits_for_approval(tree, secretary_a1, reviewer_a, filled_draft):
    register(MemberFactory(organization=tree.branch_a1), secretary_a1)
    report_submit(report=filled_draft, acting_user=secretary_a1)
    counts = _counts(reviewer_a)
    assert counts["outflows_to_approve"] == 1 and counts["reports_to_review"] == 1
    assert counts["recent_reminders"] == 2  # the two notices of the submissions
    assert "outflows_returned" not in counts  # a reviewer does not edit outflows


def test_the_secretary_sees_what_came_back(tree, secretary_a1, reviewer_a, secretary_b1):
    outflow = register(MemberFactory(organization=tree.branch_a1), secretary_a1)
    outflow_return_for_revision(outflow=outflow, acting_user=reviewer_a, reason="请补充联系人")
    assert _counts(secretary_a1)["outflows_returned"] == 1
    assert _counts(secretary_b1)["outflows_returned"] == 0
    assert "outflows_to_approve" not in _counts(secretary_a1)


def test_the_dashboard_links_each_count_to_its_filtered_list(client, tree, secretary_a1, reviewer_a, filled_draft):
    report_submit(report=filled_draft, acting_user=secretary_a1)
    client.force_login(reviewer_a)
    page = client.get(reverse("dashboard")).content.decode()
    assert "待我处理" in page
    assert f'href="{reverse("reports:list")}?status=submitted"' in page
    listed = client.get(reverse("reports:list"), {"status": "submitted"})
    assert list(listed.context["object_list"]) == [filled_draft]


def test_another_app_adds_its_own_item(secretary_a1, monkeypatch):
    from reports import my_work as module

    monkeypatch.setattr(module, "_items", list(module._items))
    register_work_item(WorkItem("help_requests", "待办的帮扶申请", None, lambda user: 3, lambda: "/help/"))
    assert {"key": "help_requests", "label": "待办的帮扶申请", "count": 3, "url": "/help/"} in my_work(secretary_a1)


def test_the_counts_take_one_query_each_however_much_waits(tree, secretary_a1, reviewer_a, filled_draft,
                                                           django_assert_max_num_queries):
    from reports.my_work import _items

    for _ in range(5):
        register(MemberFactory(organization=tree.branch_a1), secretary_a1)
    report_submit(report=filled_draft, acting_user=secretary_a1)
    with django_assert_max_num_queries(len(_items) + 2):  # + the user's permissions, read once
        my_work(reviewer_a)
