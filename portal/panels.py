"""The member page's section on the member's own link (one query)."""
from django.utils.translation import gettext_lazy as _

from members.choices import MobilityStatus
from members.panels import Panel
from portal.selectors import active_link


def portal_panel(request, member):
    user = request.user
    if not user.has_perm("portal.add_portallink") or member.mobility_status != MobilityStatus.OUTFLOW:
        return None
    if not user.organization or not member.organization.path.startswith(user.organization.path):
        return None  # the host sees the member too, but only the origin issues the link
    return Panel(title=_("党员本人链接"), template="portal/_member_panel.html",
                 context={"link": active_link(member), "member": member}, order=60)
