"""The member page's 外出流动 timeline panel (registered from TransfersConfig.ready)."""
from django.utils.translation import gettext as _

from members.panels import Panel
from transfers.selectors import member_outflows, member_timeline, open_outflow


def timeline_panel(request, member) -> Panel:
    outflows = member_outflows(member)
    return Panel(
        title=_("外出流动记录"),
        template="transfers/_timeline_panel.html",
        context={"member": member, "entries": member_timeline(member, outflows),
                 "open_outflow": open_outflow(outflows)},
        order=10,
    )
