"""Buttons that apps above transfers add to the outflow page (registered from their ``AppConfig.ready``).

The transfers app does not know about activity cards; the cards app adds
its 发放活动证 button here, so the imports keep pointing one way.
"""
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class OutflowAction:
    label: str
    url: str


OutflowActionFinder = Callable[..., OutflowAction | None]
_finders: list[OutflowActionFinder] = []


def register_outflow_action(finder: OutflowActionFinder) -> None:
    if finder not in _finders:
        _finders.append(finder)


def outflow_actions(request, outflow) -> list[OutflowAction]:
    """The buttons the user may use on this outflow now."""
    return [action for finder in _finders if (action := finder(request, outflow)) is not None]
