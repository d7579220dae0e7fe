"""The member page's 困难帮扶 panel (registered from AssistanceConfig.ready)."""
from django.utils.translation import gettext as _

from assistance.selectors import member_help_requests
from members.panels import Panel


def help_panel(request, member) -> Panel | None:
    if not request.user.has_perm("assistance.view_helprequest"):
        return None
    return Panel(title=_("困难帮扶"), template="assistance/_member_panel.html",
                 context={"member": member, "requests": member_help_requests(member)}, order=40)
