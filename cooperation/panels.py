"""The member page's section on joint management and the yearly two-way evaluation (three queries)."""
from django.utils.translation import gettext as _

from cooperation.models import Agreement, TwoWayEvaluation
from cooperation.services import evaluation_sides
from members.panels import Panel

EVALUATIONS_SHOWN = 3


def cooperation_panel(request, member) -> Panel | None:
    user = request.user
    if not user.has_perm("cooperation.view_agreement"):
        return None
    agreements = list(Agreement.objects.visible_to(user).filter(members=member).with_relations())
    evaluations = list(TwoWayEvaluation.objects.filter(member=member).select_related("host_organization")
                       [:EVALUATIONS_SHOWN])
    may_give_opinion, may_record_result = evaluation_sides(member, user)
    return Panel(
        title=_("双向共管与双向评议"),
        template="cooperation/_member_panel.html",
        order=40,
        context={"member": member, "agreements": agreements, "evaluations": evaluations,
                 "may_give_opinion": may_give_opinion, "may_record_result": may_record_result},
    )
