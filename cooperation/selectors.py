"""Reads for agreements and evaluations; each a fixed number of queries."""
from datetime import date

from django.db.models import Count, Q, QuerySet

from cooperation.models import Agreement, Exchange, TwoWayEvaluation
from members.choices import MobilityStatus
from members.models import Member
from organizations.choices import COMMITTEE_KINDS
from organizations.models import Organization


def committees_for(user) -> QuerySet:
    """The open committees in the user's subtree: the origins the user may record agreements for."""
    return Organization.objects.visible_to(user).open().filter(kind__in=COMMITTEE_KINDS)


def away_members_for(agreement: Agreement) -> QuerySet:
    """The origin's members away at the agreement's place: placed at its host, or gone to a city the place names.

    The place is one text field today (a division code later): a member's
    destination city or province written inside it counts as that place.
    """
    origin = agreement.origin_organization
    at_place = Q(destination_city__gt="") & Q(destination_city__in=_place_words(agreement.host_place))
    if agreement.host_organization_id:  # placed at the host or at an organization below it
        host_path = agreement.host_organization.path
        at_place |= Q(host_organization__in=Organization.objects.filter(path__startswith=host_path).values("pk"))
    return (Member.objects.in_registry()
            .filter(organization__in=Organization.objects.filter(path__startswith=origin.path).values("pk"),
                    mobility_status=MobilityStatus.OUTFLOW)
            .filter(at_place).select_related("organization").order_by("organization__path", "name"))


def _place_words(place: str) -> list[str]:
    """Every leading part of the place that ends a level (省、市、州、盟、区、县): 浙江省宁波市 → 浙江省, 浙江省宁波市, 宁波市."""
    words, cut = [], 0
    for end, char in enumerate(place, start=1):
        if char in "省市州盟区县":
            words.extend([place[:end], place[cut:end]])
            cut = end
    return [word for word in words if word] or [place]


def agreement_detail(agreement: Agreement) -> dict:
    """Covered members and exchanges with their entries: three queries."""
    exchanges = list(Exchange.objects.filter(agreement=agreement).select_related("recorded_by_organization", "created_by")
                     .prefetch_related("entries__member"))
    return {"covered": list(agreement.members.select_related("organization").order_by("name")),
            "exchanges": exchanges}


def agreement_figures(user, day: date) -> dict:
    """Agreements in force on ``day`` that the user sees, and the members they cover (one query)."""
    agreements = Agreement.objects.visible_to(user).in_force_on(day)
    return agreements.aggregate(agreements=Count("pk", distinct=True), members=Count("members", distinct=True))


def branch_coverage(organization: Organization, day: date) -> dict:
    """For a branch's quarterly report: its members away covered by agreements in force, and those agreements."""
    covered = Member.objects.in_registry().filter(organization=organization,
                                                  mobility_status=MobilityStatus.OUTFLOW)
    agreements = Agreement.objects.in_force_on(day).filter(members__in=covered.values("pk"))
    return agreements.aggregate(agreements=Count("pk", distinct=True), members=Count("members", distinct=True,
                                filter=Q(members__in=covered.values("pk"))))


def latest_evaluation(member: Member) -> TwoWayEvaluation | None:
    return (TwoWayEvaluation.objects.filter(member=member).select_related("host_organization")
            .order_by("-year").first())
