"""Reads for the secretary's inbox and the member's page."""
from django.db.models import Count

from members import dues, dues_ledger
from members.models import Member
from portal.models import Notice, PortalLink, Submission


def pending_submissions_count(user) -> int:
    """What members of the user's subtree sent and nobody handled yet (the menu's and 待我处理's number)."""
    if not user.has_perm("portal.view_submission"):
        return 0
    return Submission.objects.visible_to(user).pending().count()


def inbox(user, *, status: str = Submission.Status.PENDING):
    return Submission.objects.visible_to(user).filter(status=status).with_relations()


def active_link(member: Member) -> PortalLink | None:
    return PortalLink.objects.filter(member=member).active().first()


def member_notices(member: Member):
    return Notice.objects.for_member(member).select_related("organization")


def notices_sent(user):
    """The notices of the user's subtree with how many members opened each."""
    return Notice.objects.visible_to(user).select_related("organization", "created_by").annotate(
        opened=Count("reads")).order_by("-created_at", "-id")


def dues_months(member: Member, today) -> dict:
    """What the origin recorded (payments' months, 党费缴至) and the months owed, for the member's page."""
    spans = sorted(dues_ledger.spans_by_member([member.pk])[member.pk], reverse=True)
    return {
        "paid": [(dues.month_label(first), dues.month_label(last)) for first, last in spans],
        "paid_through": dues.month_label(member.dues_paid_through) if member.dues_paid_through else "",
        "owed": [dues.month_label(month) for month in
                 dues.unpaid_months(start_month=member.dues_start_month, spans=spans, today=today) or []],
    }
