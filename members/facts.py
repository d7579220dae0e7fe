"""The six facts (六个掌握) every mobile member's record must hold.

One table drives both the per-record check (``missing_facts``) and the
database filter for incomplete records (``incomplete_q``), so the two cannot
disagree. Facts 2–4 (departure, occupation, destination) apply only to
members who are away or incoming.
"""
from dataclasses import dataclass

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from members.choices import MOBILE_STATUSES


@dataclass(frozen=True)
class Fact:
    number: int
    label: str
    fields: tuple[str, ...]
    mobile_only: bool = False
    #: Fields of which one is enough (a province at home, or a country abroad).
    either: tuple[str, ...] = ()


SIX_FACTS = (
    Fact(1, _("基本信息"), ("name", "gender", "birth_date", "id_number", "education", "joined_date", "organization")),
    Fact(2, _("外出时间"), ("departure_date", "expected_months"), mobile_only=True),
    Fact(3, _("从事职业"), ("occupation", "trade"), mobile_only=True),
    Fact(4, _("流入地址"), ("destination_city", "destination_address"), mobile_only=True,
         either=("destination_province", "destination_country")),
    Fact(5, _("联系方式"), ("phone",)),
    Fact(6, _("党费缴纳"), ("dues_paid_through",)),
)

# Fields stored as text use "" for missing; the rest use NULL.
_TEXT_FIELDS = {
    "name", "gender", "id_number", "education", "occupation", "trade",
    "destination_country", "destination_province", "destination_city", "destination_address", "phone",
}


def _field_missing_q(field: str) -> Q:
    q = Q(**{f"{field}__isnull": True})
    if field in _TEXT_FIELDS:
        q |= Q(**{field: ""})
    return q


def _fact_missing_q(fact: Fact) -> Q:
    q = Q()
    for field in fact.fields:
        q |= _field_missing_q(field)
    if fact.either:
        all_missing = Q()
        for field in fact.either:
            all_missing &= _field_missing_q(field)
        q |= all_missing
    return q


def incomplete_q() -> Q:
    """Members missing at least one of the facts that apply to them."""
    q = Q()
    for fact in SIX_FACTS:
        missing = _fact_missing_q(fact)
        if fact.mobile_only:
            missing &= Q(mobility_status__in=MOBILE_STATUSES)
        q |= missing
    return q


def missing_facts(member) -> list[Fact]:
    """The facts this member's record lacks, in order."""
    mobile = member.mobility_status in MOBILE_STATUSES
    missing = []
    for fact in SIX_FACTS:
        if fact.mobile_only and not mobile:
            continue
        if any(getattr(member, _attname(field)) in (None, "") for field in fact.fields) or (
                fact.either and all(getattr(member, field) in (None, "") for field in fact.either)):
            missing.append(fact)
    return missing


def _attname(field: str) -> str:
    return "organization_id" if field == "organization" else field
