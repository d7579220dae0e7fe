"""The member page's section about activity cards and activity records (three queries)."""
from django.utils.translation import gettext as _

from activity_cards.models import ActivityCard
from activity_cards.services import can_issue_cards
from members.models import DuesPayment, OrganizationalLife
from members.panels import Panel

RECENT_RECORDS = 5


def card_panel(request, member) -> Panel | None:
    user = request.user
    if not user.has_perm("activity_cards.view_activitycard"):
        return None
    cards = list(ActivityCard.objects.filter(member=member).select_related("issued_by").order_by("-issued_on", "-id"))
    return Panel(
        title=_("流动党员活动证与活动记录"),
        template="activity_cards/_member_panel.html",
        order=20,
        context={
            "member": member,
            "cards": cards,
            "has_valid_card": any(card.is_valid for card in cards),
            "can_issue": can_issue_cards(user, member),
            "life": list(OrganizationalLife.objects.filter(member=member)
                         .select_related("recorded_by")[:RECENT_RECORDS]),
            "dues": list(DuesPayment.objects.filter(member=member).select_related("recorded_by")[:RECENT_RECORDS]),
        },
    )
