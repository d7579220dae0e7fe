"""Reads for the transfers pages; each runs a fixed number of queries."""
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from members.choices import MobilityStatus
from members.models import ContactAttempt, Member, ThoughtReport
from transfers.choices import OPEN_OUTFLOW_STATUSES
from transfers.models import Inflow, LocationChange, Outflow, OutflowStep


@dataclass
class TimelineEntry:
    on: date
    kind: str
    title: str
    detail: str = ""
    url: str = ""
    #: Orders entries of the same day (the steps carry their time).
    at: float = 0.0


def member_outflows(member: Member) -> list[Outflow]:
    steps = OutflowStep.objects.select_related("actor", "organization")
    return list(Outflow.objects.filter(member=member).with_relations()
                .prefetch_related(Prefetch("steps", queryset=steps)))


def member_timeline(member: Member, outflows: list[Outflow] | None = None) -> list[TimelineEntry]:
    """Everything about a member's comings and goings, newest first: six queries however long."""
    outflows = member_outflows(member) if outflows is None else outflows
    entries: list[TimelineEntry] = []
    for outflow in outflows:
        entries.append(TimelineEntry(outflow.talk_date, _("行前谈话"), _("谈话人：%(who)s") % {"who": outflow.talk_by},
                                     outflow.talk_notes))
        entries.append(TimelineEntry(
            outflow.departure_date, _("外出登记"),
            _("%(city)s · %(purpose)s · %(months)s个月 · %(handling)s（%(status)s）") % {
                "city": outflow.destination_city, "purpose": outflow.get_purpose_display(),
                "months": outflow.expected_months, "handling": outflow.get_handling_display(),
                "status": outflow.get_status_display()},
            outflow.override_reason and _("不采用建议的理由：%(r)s") % {"r": outflow.override_reason},
            outflow.get_absolute_url()))
        for step in outflow.steps.all():
            entries.append(TimelineEntry(timezone.localdate(step.at), _("办理"), step.get_action_display(),
                                         f"{step.organization.name} {step.actor} {step.reason}".strip(),
                                         at=step.at.timestamp()))
        letter = getattr(outflow, "introduction_letter", None)
        if letter is not None and letter.issued_on:
            entries.append(TimelineEntry(letter.issued_on, _("介绍信"), _("开具组织关系介绍信 %(n)s，转往%(to)s") % {
                "n": letter.number, "to": letter.receiving_organization_name}, "", letter.get_absolute_url()))
        certificate = getattr(outflow, "certificate_letter", None)
        if certificate is not None and certificate.issued_on:
            entries.append(TimelineEntry(certificate.issued_on, _("证明信"), _("开具党员证明信 %(n)s") % {
                "n": certificate.number}, "", certificate.get_absolute_url()))
        registration = getattr(outflow, "return_registration", None)
        if registration is not None:
            checks = [label % {"d": day} for day, label in (
                (registration.card_checked_on, _("%(d)s 查验证件")),
                (registration.card_taken_back_on, _("%(d)s 收回活动证")),
                (registration.report_heard_on, _("%(d)s 听取汇报"))) if day]
            entries.append(TimelineEntry(registration.returned_on, _("返回登记"), "、".join(checks) or _("返回"),
                                         registration.notes))
    for inflow in Inflow.objects.filter(member=member).select_related("host_organization"):
        entries.append(TimelineEntry(inflow.arrived_on, _("流入登记"), _("编入%(org)s，来自%(origin)s") % {
            "org": inflow.host_organization.name, "origin": inflow.origin_organization_name},
            _("隐形党员主动亮明身份") if inflow.hidden_member else inflow.notes))
    for change in LocationChange.objects.filter(member=member).select_related("recorded_by", "division", "country"):
        detail = _("%(left)s 离开") % {"left": change.left_on} if change.left_on else ""
        entries.append(TimelineEntry(change.contact_made_on, _("流动变化"), change.where,
                                     f"{detail} {change.notes}".strip()))
    for attempt in ContactAttempt.objects.filter(member=member).select_related("recorded_by"):
        reached = _("已联系上") if attempt.reached else _("未联系上")
        entries.append(TimelineEntry(attempt.contacted_on, _("行中联系"), f"{attempt.get_channel_display()} · "
                                     f"{attempt.contact_person} · {reached}", attempt.notes))
    for report in ThoughtReport.objects.filter(member=member).select_related("recorded_by"):
        entries.append(TimelineEntry(report.received_on, _("思想汇报"), _("收到思想汇报"), report.summary))
    entries.sort(key=lambda entry: (entry.on, entry.at), reverse=True)
    return entries


def open_outflow(outflows: list[Outflow]) -> Outflow | None:
    return next((outflow for outflow in outflows if outflow.status in OPEN_OUTFLOW_STATUSES), None)


def liaison_choices(organization_id: int, exclude_member_id: int | None = None):
    """Members of the origin branch who can be liaisons, with how many members away each already keeps."""
    away = Q(liaison_for__mobility_status=MobilityStatus.OUTFLOW)
    qs = (Member.objects.in_registry().filter(organization_id=organization_id).exclude(pk=exclude_member_id)
          .annotate(load=Count("liaison_for", filter=away)).order_by("name"))
    return qs


def relationship_held_outside(member: Member) -> str:
    """The name of the organization outside the system that holds the member's relationship, or "".

    A host that registered an inflow of someone from outside the system keeps
    the record (life, dues, contact) while the relationship stays where it
    was: decisions on membership belong to that organization.
    """
    inflow = (Inflow.objects.filter(member=member, from_system=False, host_organization_id=member.organization_id)
              .order_by("-arrived_on", "-id").only("origin_organization_name").first())
    return inflow.origin_organization_name if inflow else ""


def temporary_branches_reporting_to(subtree: QuerySet) -> QuerySet:
    """Ids of the temporary branches holding members whose origin is in ``subtree`` (a queryset of organizations).

    A temporary branch reports to its members' origin branch and committee
    (not only to the committee it hangs under in the tree).
    """
    return (Outflow.objects.filter(origin_organization__in=subtree.order_by().values("pk"),
                                   temporary_branch__isnull=False)
            .order_by().values("temporary_branch_id"))
