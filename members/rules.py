"""The membership lifecycle as tables: which decision leads where, who decides it, and probation's limits.

Pure functions over plain values, tested row by row (tests/members/test_rules.py).
"""
from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from members.choices import DecisionKind, MembershipStatus, MembershipType

#: 停止党籍后两年内确实无法取得联系的，予以除名: restoring is possible within these years of the suspension.
RESTORE_WITHIN_YEARS = 2
#: 预备期可以延长，但不能超过一年 (党章第七条), and only once.
MAX_PROBATION_EXTENSION_YEARS = 1
#: The origin asks the host in writing for its opinion from this many days before probation ends.
PROBATION_OPINION_WINDOW_DAYS = 60


#: What a decision migrated without its document carries until the committee records the real number and date
#: (``membership.membership_document_record``); never accepted as a number typed for a decision.
PENDING_DOCUMENT = "系统升级前已决定（文号待补录）"


def is_placeholder_document(number: str) -> bool:
    """A number that says the document is still to come (待补), not a committee's document number."""
    return number.strip() == PENDING_DOCUMENT or "待补" in number


@dataclass(frozen=True)
class Transition:
    from_statuses: tuple[str, ...]
    to_status: str
    #: Branch proposes, committee decides; otherwise the branch records a fact with its document.
    by_committee: bool = True
    probationary_only: bool = False


TRANSITIONS: dict[str, Transition] = {
    DecisionKind.SUSPEND: Transition((MembershipStatus.ACTIVE,), MembershipStatus.SUSPENDED),
    DecisionKind.RESTORE: Transition((MembershipStatus.SUSPENDED,), MembershipStatus.ACTIVE),
    DecisionKind.LAPSE: Transition((MembershipStatus.ACTIVE,), MembershipStatus.LAPSED),
    DecisionKind.REMOVE: Transition((MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED), MembershipStatus.REMOVED),
    DecisionKind.FULL_MEMBERSHIP: Transition((MembershipStatus.ACTIVE,), MembershipStatus.ACTIVE,
                                             probationary_only=True),
    DecisionKind.EXTEND_PROBATION: Transition((MembershipStatus.ACTIVE,), MembershipStatus.ACTIVE,
                                              probationary_only=True),
    DecisionKind.CANCEL_PROBATION: Transition((MembershipStatus.ACTIVE,), MembershipStatus.PROBATION_CANCELLED,
                                              probationary_only=True),
    DecisionKind.TRANSFER_OUT: Transition((MembershipStatus.ACTIVE,), MembershipStatus.TRANSFERRED_OUT,
                                          by_committee=False),
    DecisionKind.DECEASED: Transition((MembershipStatus.ACTIVE, MembershipStatus.SUSPENDED),
                                      MembershipStatus.DECEASED, by_committee=False),
}

PROBATION_KINDS = (DecisionKind.FULL_MEMBERSHIP, DecisionKind.EXTEND_PROBATION, DecisionKind.CANCEL_PROBATION)


def transition_refusal(kind: str, status: str, membership_type: str) -> str | None:
    """Why ``kind`` cannot be decided for a member in ``status``, or None when it can."""
    rule = TRANSITIONS[kind]
    if status not in rule.from_statuses:
        return "status"
    if rule.probationary_only and membership_type != MembershipType.PROBATIONARY:
        return "not_probationary"
    return None


def restore_deadline(suspended_on: date) -> date:
    """The last day a suspended member can be restored (恢复党籍)."""
    return suspended_on + relativedelta(years=RESTORE_WITHIN_YEARS)


def can_restore(suspended_on: date, decided_on: date) -> bool:
    return decided_on <= restore_deadline(suspended_on)


def latest_extended_end(current_end: date) -> date:
    return current_end + relativedelta(years=MAX_PROBATION_EXTENSION_YEARS)


def extension_refusal(*, current_end: date, new_end: date | None, extended_before: bool) -> str | None:
    """Why an extension of probation is refused, or None: once only, later than now, at most one year."""
    if extended_before:
        return "twice"
    if new_end is None:
        return "missing"
    if new_end <= current_end:
        return "not_later"
    if new_end > latest_extended_end(current_end):
        return "too_long"
    return None


def opinion_window_opens(probation_end_date: date) -> date:
    return probation_end_date - relativedelta(days=PROBATION_OPINION_WINDOW_DAYS)


def opinion_required(*, away: bool) -> bool:
    """未转出组织关系的，由流出地党组织负责其转正，讨论转正前应书面征求流入地党组织的意见."""
    return away
