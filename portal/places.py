"""The member's current place on their page: a GB/T 2260 division, chosen from a plain select.

The place is kept in one spot: what the member sends is the division's code
(``destination_division_id``); the text columns follow from it when the
secretary accepts (``places.display.fill_place_text`` in ``member_update``).
The select has no search box here: the picker's search is for logged-in staff.
"""
from django import forms
from django.utils.translation import gettext_lazy as _

from places.display import full_name
from places.forms import DivisionField
from places.models import Division

PLACE_FIELDS = ("destination_division_id",)


class _DivisionCodeField(DivisionField):
    """The division's code, as the submission keeps it (JSON), not the model instance."""

    def clean(self, value):
        division = super().clean(value)
        return division.pk if division else ""


def place_form_fields() -> dict[str, forms.Field]:
    return {"destination_division_id": _DivisionCodeField(label=_("现在所在的地方（省、市）"), widget=forms.Select())}


def place_label(values: dict) -> str:
    return full_name(values.get("destination_division_id") or "")


def place_changed(changed: dict) -> bool:
    return any(name in changed for name in PLACE_FIELDS)


def place_division(values: dict) -> Division | None:
    return Division.objects.filter(pk=values.get("destination_division_id") or "").first()


def display_value(name: str, value) -> str:
    """How the inbox shows a sent value: a division by its name, anything else as it is."""
    return place_label({name: value}) if name in PLACE_FIELDS else ("" if value is None else str(value))
