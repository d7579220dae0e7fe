"""Sections that apps higher in the stack add to the member page.

``members`` must not import ``transfers``, ``activity_cards`` or the jobs;
they register a panel here from their ``AppConfig.ready()`` instead. A panel
is a callable ``(request, member) -> Panel | None`` and must run a fixed
number of queries, so the page's query count stays constant.
"""
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Panel:
    title: str
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


PanelProvider = Callable[..., Panel | None]
_providers: list[PanelProvider] = []


def register_member_panel(provider: PanelProvider) -> PanelProvider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def member_panels(request, member) -> list[Panel]:
    panels = [panel for provider in _providers if (panel := provider(request, member)) is not None]
    return sorted(panels, key=lambda panel: panel.order)
