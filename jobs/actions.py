"""The buttons on a flag's or case's page: which form, which permission, which service."""
from dataclasses import dataclass
from collections.abc import Callable
from datetime import date

from dateutil.relativedelta import relativedelta
from django.utils.translation import gettext_lazy as _

from jobs import forms, services
from jobs.choices import CaseStatus, FlagStatus
from jobs.deadlines import REMOVAL_AFTER_YEARS


@dataclass(frozen=True)
class Action:
    name: str
    title: str
    form: type
    permission: str
    statuses: tuple
    run: Callable
    done: str
    needs_open: bool = True
    ready: Callable = lambda obj, today: True

    def available(self, obj, user, today: date) -> bool:
        return (obj.status in self.statuses and (obj.is_open or not self.needs_open)
                and user.has_perm(self.permission) and self.ready(obj, today))


FLAG_ACTIONS = {a.name: a for a in [
    Action("talk", _("登记谈话教育"), forms.TalkForm, "jobs.change_inactivityflag",
           (FlagStatus.FLAGGED, FlagStatus.TALK_HELD),
           lambda obj, user, d: services.flag_record_talk(flag=obj, acting_user=user, talk_on=d["talk_on"],
                                                          notes=d["talk_notes"]), _("已登记谈话教育。")),
    Action("resolve", _("登记已纠正"), forms.ResolveForm, "jobs.change_inactivityflag", (FlagStatus.TALK_HELD,),
           lambda obj, user, d: services.flag_resolve(flag=obj, acting_user=user, notes=d["resolution_notes"]),
           _("已登记纠正情况。")),
    Action("propose", _("提出按自行脱党处理的意见"), forms.ProposeForm, "jobs.change_inactivityflag",
           (FlagStatus.TALK_HELD,),
           lambda obj, user, d: services.flag_propose_lapse(flag=obj, acting_user=user, reason=d["proposal_reason"]),
           _("已报党(工)委审批。"), ready=lambda obj, today: not obj.relationship_held_outside),
    Action("decide", _("审批"), forms.DecideForm, "jobs.decide_lapse", (FlagStatus.LAPSE_PROPOSED,),
           lambda obj, user, d: services.flag_decide_lapse(flag=obj, acting_user=user,
                                                           approve=d["decision"] == "approve",
                                                           notes=d["decision_notes"],
                                                           document_number=d["document_number"]),
           _("已审批。"), needs_open=False),
]}

CASE_ACTIONS = {a.name: a for a in [
    Action("propose", _("提出停止党籍意见"), forms.ProposeForm, "jobs.change_lostcontactcase", (CaseStatus.OPEN,),
           lambda obj, user, d: services.case_propose_suspension(case=obj, acting_user=user,
                                                                 reason=d["proposal_reason"]),
           _("已报党(工)委审批。")),
    Action("propose_removal", _("提出除名意见"), forms.ProposeForm, "jobs.change_lostcontactcase",
           (CaseStatus.SUSPENDED,),
           lambda obj, user, d: services.case_propose_removal(case=obj, acting_user=user,
                                                              reason=d["proposal_reason"]),
           _("已报党(工)委审批。"),
           ready=lambda obj, today: obj.suspended_on + relativedelta(years=REMOVAL_AFTER_YEARS) <= today),
    Action("decide", _("审批"), forms.DecideForm, "jobs.decide_suspension",
           (CaseStatus.SUSPENSION_PROPOSED, CaseStatus.REMOVAL_PROPOSED),
           lambda obj, user, d: services.case_decide(case=obj, acting_user=user, approve=d["decision"] == "approve",
                                                     notes=d["decision_notes"],
                                                     document_number=d["document_number"]),
           _("已审批。")),
]}
