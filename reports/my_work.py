"""待我处理: what waits for the signed-in user, counted for the top of the dashboard.

One registry of ``WorkItem`` (a label, a permission, a count over what the
user may see, the filtered list that shows those items). The dashboard shows
the items whose permission the user holds, one query each, so the page's
query count grows with the registry, never with the data. Another app adds
its own (members' submissions, open help requests …) from its
``AppConfig.ready()`` with ``register_work_item``.
"""
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assistance.choices import HelpStatus
from assistance.selectors import open_help_request_count
from notifications.models import Notification
from portal.selectors import pending_submissions_count
from reports.models import QuarterlyReport, ReportStatus
from transfers.choices import ClaimStatus, OutflowStatus
from transfers.models import MemberClaim, Outflow

#: A reminder counts as "this week's" for this many days after it was sent.
RECENT_REMINDER_DAYS = 7


@dataclass(frozen=True)
class WorkItem:
    key: str
    label: str
    permission: str | None
    count: Callable  # (user) -> int
    url: Callable  # () -> str: the list filtered to these items


_items: list[WorkItem] = []


def register_work_item(item: WorkItem) -> WorkItem:
    if all(existing.key != item.key for existing in _items):
        _items.append(item)
    return item


def my_work(user) -> list[dict]:
    """The items the user may act on, with their counts (zero counts included: "nothing waits" is news too)."""
    return [{"key": item.key, "label": item.label, "count": item.count(user), "url": item.url()}
            for item in _items if item.permission is None or user.has_perm(item.permission)]


def _outflows(user, status):
    return Outflow.objects.visible_to(user).filter(status=status).count()


def _reports(user, status):
    return QuarterlyReport.objects.visible_to(user).filter(status=status).count()


def _recent_reminders(user):
    since = timezone.now() - timedelta(days=RECENT_REMINDER_DAYS)
    return Notification.objects.visible_to(user).unread().filter(created_at__gte=since).count()


for _item in (
    WorkItem("outflows_to_approve", _("待审批的外出登记"), "transfers.approve_outflow",
             lambda user: _outflows(user, OutflowStatus.SUBMITTED),
             lambda: reverse("transfers:outflow_list") + f"?status={OutflowStatus.SUBMITTED}"),
    WorkItem("reports_to_review", _("待审核的季度报告"), "reports.review_quarterlyreport",
             lambda user: _reports(user, ReportStatus.SUBMITTED),
             lambda: reverse("reports:list") + f"?status={ReportStatus.SUBMITTED}"),
    WorkItem("claims_to_decide", _("待确认的认领申请"), "transfers.decide_member_claim",
             lambda user: MemberClaim.objects.for_origin(user).filter(status=ClaimStatus.PENDING).count(),
             lambda: reverse("transfers:claim_list")),
    WorkItem("outflows_returned", _("被退回的外出登记"), "transfers.change_outflow",
             lambda user: _outflows(user, OutflowStatus.RETURNED),
             lambda: reverse("transfers:outflow_list") + f"?status={OutflowStatus.RETURNED}"),
    WorkItem("reports_returned", _("被退回的季度报告"), "reports.change_quarterlyreport",
             lambda user: _reports(user, ReportStatus.RETURNED),
             lambda: reverse("reports:list") + f"?status={ReportStatus.RETURNED}"),
    WorkItem("recent_reminders", _("本周未读提醒"), None, _recent_reminders,
             lambda: reverse("notifications:list") + "?unread=1"),
    WorkItem("member_submissions", _("待处理的党员本人报告"), "portal.change_submission",
             pending_submissions_count, lambda: reverse("portal:inbox")),
    WorkItem("open_help_requests", _("未解决的困难求助"), "assistance.change_helprequest",
             open_help_request_count, lambda: reverse("assistance:list") + f"?status={HelpStatus.OPEN}"),
):
    register_work_item(_item)
