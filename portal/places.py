"""The member's current place on their page, kept in one spot so that the place picker can replace it.

Today the member corrects the place with the record's own fields (province and city); the picker of
GB/T 2260 division codes will swap ``place_form_fields`` and ``PLACE_FIELDS`` and nothing else.
"""
from django import forms
from django.utils.translation import gettext_lazy as _

PLACE_FIELDS = ("destination_province", "destination_city")


def place_form_fields() -> dict[str, forms.Field]:
    return {
        "destination_province": forms.CharField(label=_("现在所在的省份"), max_length=30, required=False),
        "destination_city": forms.CharField(label=_("现在所在的城市"), max_length=30),
    }


def place_label(values: dict) -> str:
    return "".join(values.get(name, "") for name in PLACE_FIELDS)


def place_changed(changed: dict) -> bool:
    return any(name in changed for name in PLACE_FIELDS)
