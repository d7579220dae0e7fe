"""Places still written as text that the migration (or an import) could not read into codes.

One entry per kind of record: where its text is, which fields take the codes,
and how to name a row on the page. Every query is scoped to the user's subtree.
"""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from activity_cards.models import ActivityCard
from members.models import Member
from places.unmapped import unmapped_q
from transfers.models import LocationChange, Outflow

DESTINATION_TEXT = ("destination_country", "destination_province", "destination_city")
SHOWN = 100


@dataclass(frozen=True)
class Kind:
    key: str
    label: str
    model: type
    texts: tuple[str, ...]
    division: str = "destination_division"
    country: str = "abroad_country"
    city: str = "destination_city"

    def unmapped(self, user):
        return (self.model.objects.visible_to(user).order_by()
                .filter(unmapped_q(texts=self.texts, division=self.division, country=self.country)))

    def text_of(self, obj) -> str:
        return " ".join(filter(None, (getattr(obj, name) for name in self.texts)))


KINDS = {kind.key: kind for kind in (
    Kind("member", _("党员流入地"), Member, DESTINATION_TEXT),
    Kind("outflow", _("外出登记流入地"), Outflow, DESTINATION_TEXT),
    Kind("location", _("流动情况变化"), LocationChange, ("place",), "division", "country", "place"),
    Kind("card", _("活动证外出地点"), ActivityCard, ("destination",), city="destination"),
)}


def unmapped_count(user) -> int:
    """How many records in the user's subtree still have a place without a code (one count per kind)."""
    return sum(kind.unmapped(user).count() for kind in KINDS.values())


def unmapped_rows(user) -> list[tuple[Kind, int, list]]:
    """Per kind: the count and the first rows, each with the member it concerns."""
    result = []
    for kind in KINDS.values():
        rows = kind.unmapped(user)
        related = "member" if kind.model is not Member else None
        listed = (rows.select_related(related) if related else rows).order_by("pk")[:SHOWN]
        result.append((kind, rows.count(), [(obj, kind.text_of(obj)) for obj in listed]))
    return result
