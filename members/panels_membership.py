"""The member page's section on the member's standing and probation (two queries)."""
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from members import rules
from members.choices import MembershipStatus, MembershipType
from members.membership import DECIDE_PERMISSION, PROPOSE_PERMISSION
from members.panels import Panel


def _holds(user, member) -> bool:
    """``Member.objects.held_by(user)`` for the one member already loaded, without a query."""
    if user.organization_id is None:
        return user.is_superuser
    return member.organization.is_within(user.organization)


def membership_panel(request, member):
    user = request.user
    if not _holds(user, member):
        return None  # a host sees the shared record, not the origin's decisions about it
    decisions = list(member.membership_decisions.select_related("proposed_by", "decided_by").order_by("-id")[:20])
    letters = list(member.probation_opinion_requests.order_by("-id")[:5])
    active = member.membership_status == MembershipStatus.ACTIVE
    probationary = active and member.membership_type == MembershipType.PROBATIONARY
    opinion_opens = rules.opinion_window_opens(member.probation_end_date) if probationary else None
    suspended = member.membership_status == MembershipStatus.SUSPENDED and member.membership_status_since
    return Panel(title=_("党籍与转正"), template="members/_membership_panel.html", order=40, context={
        "member": member, "decisions": decisions, "letters": letters, "user_id": user.pk,
        "can_propose": user.has_perm(PROPOSE_PERMISSION) and member.membership_status in (
            MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED),
        "can_decide": user.has_perm(DECIDE_PERMISSION),
        "can_request_opinion": (user.has_perm(PROPOSE_PERMISSION) and probationary and member.is_mobile
                                and timezone.localdate() >= opinion_opens),
        "opinion_opens": opinion_opens if probationary and member.is_mobile else None,
        "restore_until": rules.restore_deadline(member.membership_status_since) if suspended else None,
    })
