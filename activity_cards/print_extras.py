"""Sections that apps higher in the stack add to the card's print page (the member's own link, for one).

``activity_cards`` must not import them; they register a provider from their ``AppConfig.ready()``, as
member page panels do (``members.panels``). A provider is ``(request, card) -> Panel | None`` and runs a
fixed number of queries.
"""
from members.panels import Panel

_providers = []


def register_card_print_extra(provider) -> None:
    if provider not in _providers:
        _providers.append(provider)


def card_print_extras(request, card) -> list[Panel]:
    return [panel for provider in _providers if (panel := provider(request, card)) is not None]
