"""The member page's section on inactivity flags and lost-contact cases (two queries)."""
from django.utils.translation import gettext_lazy as _

from jobs.models import InactivityFlag, LostContactCase
from members.panels import Panel


def supervision_panel(request, member):
    user = request.user
    if not user.has_perm("jobs.view_inactivityflag"):
        return None
    flags = list(InactivityFlag.objects.visible_to(user).filter(member=member).order_by("-flagged_on", "-id")[:10])
    cases = list(LostContactCase.objects.visible_to(user).filter(member=member).order_by("-opened_on", "-id")[:5])
    return Panel(title=_("不活跃与失联提示"), template="jobs/_member_panel.html",
                 context={"flags": flags, "cases": cases}, order=50)
