"""The member page's section about activity cards and activity records (three queries)."""
from django.urls import reverse
from django.utils.translation import gettext as _

from activity_cards.models import ActivityCard
from activity_cards.selectors import outflows_awaiting_card
from activity_cards.services import can_issue_cards, card_outflow_ready
from members.models import DuesPayment, OrganizationalLife
from members.panels import Panel
from transfers.models import Outflow
from transfers.outflow_actions import OutflowAction

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
            "card_outflow": _card_outflow(user, member, cards),
            "life": list(OrganizationalLife.objects.filter(member=member)
                         .select_related("recorded_by")[:RECENT_RECORDS]),
            "dues": list(DuesPayment.objects.filter(member=member).select_related("recorded_by")[:RECENT_RECORDS]),
        },
    )


def _may_issue(user, member) -> bool:
    return user.has_perm("activity_cards.add_activitycard") and can_issue_cards(user, member)


def _card_outflow(user, member, cards) -> Outflow | None:
    """The approved outflow a card may be issued from, for a user who may issue it (one query, only then)."""
    if any(card.is_valid for card in cards) or not _may_issue(user, member):
        return None
    return outflows_awaiting_card().filter(member=member).first()


def issue_card_action(request, outflow) -> OutflowAction | None:
    """发放活动证 on an approved outflow with that handling, for whoever may issue the member's card."""
    if not (card_outflow_ready(outflow) and _may_issue(request.user, outflow.member)
            and outflows_awaiting_card().filter(pk=outflow.pk).exists()):
        return None
    return OutflowAction(_("发放活动证"), reverse("activity_cards:issue", args=[outflow.pk]))
