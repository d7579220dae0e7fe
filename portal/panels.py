"""The member's own link on the member page (one query) and on the activity card's print page."""
from django.utils.translation import gettext_lazy as _

from members.choices import MobilityStatus
from members.panels import Panel
from portal.models import PortalLink
from portal.selectors import active_link


def portal_panel(request, member):
    user = request.user
    if not user.has_perm("portal.add_portallink") or member.mobility_status != MobilityStatus.OUTFLOW:
        return None
    if not user.organization or not member.organization.path.startswith(user.organization.path):
        return None  # the host sees the member too, but only the origin issues the link
    return Panel(title=_("党员本人链接"), template="portal/_member_panel.html",
                 context={"link": active_link(member), "member": member}, order=60)


def card_print_link(request, card):
    """The QR of the member's active link, printed on the card (only for those who may see the link)."""
    if not request.user.has_perm("portal.view_portallink"):
        return None
    link = PortalLink.objects.visible_to(request.user).active().filter(member=card.member_id).first()
    if link is None:
        return None
    return Panel(title=_("党员本人联系页面"), template="portal/_card_print_link.html", context={"link": link})
