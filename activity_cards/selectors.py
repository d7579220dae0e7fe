"""Reads of activity cards, each with a fixed number of queries."""
from datetime import date, timedelta

from django.db.models import Exists, Max, OuterRef, Q
from django.db.models.functions import Coalesce

from activity_cards.models import (
    DUE_SOON_DAYS,
    REPLACE_AFTER_YEARS,
    VERIFY_EVERY_DAYS,
    ActivityCard,
    years_after,
)
from members.models import DuesPayment, OrganizationalLife
from transfers.choices import Handling, OutflowStatus
from transfers.models import LocationChange, Outflow


def outflows_awaiting_card():
    """Approved outflows whose handling is 发放活动证 and whose member holds no valid card: a card is to be issued."""
    return Outflow.objects.filter(status=OutflowStatus.APPROVED, handling=Handling.ACTIVITY_CARD).exclude(
        Exists(ActivityCard.objects.valid().filter(member=OuterRef("member"))))


def cards_due(*, user, today: date):
    """Valid cards whose annual verification or 3-year replacement is due within 30 days or overdue.

    One query; ``last_checked`` is the last verification, or the issue date.
    """
    verify_cutoff = today - timedelta(days=VERIFY_EVERY_DAYS - DUE_SOON_DAYS)
    replace_cutoff = years_after(today + timedelta(days=DUE_SOON_DAYS), -REPLACE_AFTER_YEARS)
    return (
        ActivityCard.objects.visible_to(user).valid().with_relations()
        .annotate(last_checked=Coalesce(Max("verifications__verified_on"), "issued_on"))
        .filter(Q(last_checked__lte=verify_cutoff) | Q(issued_on__lte=replace_cutoff))
        .order_by("last_checked", "id")
    )


def due_state(card: ActivityCard, today: date) -> dict:
    """When the card's next verification and replacement fall, and whether they are overdue."""
    verify_due_on = card.last_checked + timedelta(days=VERIFY_EVERY_DAYS)
    replace_due_on = card.replace_due_on
    return {
        "verify_due_on": verify_due_on,
        "verify_overdue": verify_due_on < today,
        "replace_due_on": replace_due_on,
        "replace_due": replace_due_on <= today + timedelta(days=DUE_SOON_DAYS),
        "replace_overdue": replace_due_on < today,
    }


def card_records(card: ActivityCard) -> dict:
    """The record tables of the card, in the order of the printed card (six queries)."""
    period = Q(member_id=card.member_id)
    life = OrganizationalLife.objects.filter(period, attended_on__gte=card.issued_on)
    dues = DuesPayment.objects.filter(period, last_month__gte=card.issued_on.replace(day=1))
    locations = LocationChange.objects.filter(period, contact_made_on__gte=card.issued_on)
    if card.closed_on:
        life = life.filter(attended_on__lte=card.closed_on)
        dues = dues.filter(first_month__lte=card.closed_on)
        locations = locations.filter(contact_made_on__lte=card.closed_on)
    return {
        "life": list(life.select_related("recorded_by").order_by("attended_on", "id")),
        "dues": list(dues.select_related("recorded_by").order_by("first_month", "id")),
        "locations": list(locations.select_related("recorded_by", "division", "country").order_by("contact_made_on", "id")),
        "remarks": list(card.cardremark_set.select_related("recorded_by")),
        "verifications": list(card.verifications.select_related("verified_by", "organization")),
        "events": list(card.events.select_related("user", "organization")),
    }
