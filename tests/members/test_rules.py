"""The membership lifecycle's tables, row by row (members/rules.py)."""
from datetime import date

import pytest

from members import rules
from members.choices import DecisionKind as K, MembershipStatus as S, MembershipType as T


@pytest.mark.parametrize("kind, status, membership_type, refusal", [
    # 停止党籍: 失去联系6个月以上的在册党员
    (K.SUSPEND, S.ACTIVE, T.FULL, None),
    (K.SUSPEND, S.SUSPENDED, T.FULL, "status"),
    # 恢复党籍: only a suspended member
    (K.RESTORE, S.SUSPENDED, T.FULL, None),
    (K.RESTORE, S.ACTIVE, T.FULL, "status"),
    (K.RESTORE, S.REMOVED, T.FULL, "status"),
    # 自行脱党
    (K.LAPSE, S.ACTIVE, T.FULL, None),
    (K.LAPSE, S.LAPSED, T.FULL, "status"),
    # 除名: also after the suspension
    (K.REMOVE, S.SUSPENDED, T.FULL, None),
    (K.REMOVE, S.TRANSFERRED_OUT, T.FULL, "status"),
    # 转正 / 延长预备期 / 取消预备党员资格: probationary members only
    (K.FULL_MEMBERSHIP, S.ACTIVE, T.PROBATIONARY, None),
    (K.FULL_MEMBERSHIP, S.ACTIVE, T.FULL, "not_probationary"),
    (K.EXTEND_PROBATION, S.ACTIVE, T.PROBATIONARY, None),
    (K.CANCEL_PROBATION, S.ACTIVE, T.PROBATIONARY, None),
    (K.CANCEL_PROBATION, S.SUSPENDED, T.PROBATIONARY, "status"),
    (K.TRANSFER_OUT, S.ACTIVE, T.FULL, None),
    (K.DECEASED, S.SUSPENDED, T.FULL, None),
    (K.DECEASED, S.DECEASED, T.FULL, "status"),
])
def test_transitions(kind, status, membership_type, refusal):
    assert rules.transition_refusal(kind, status, membership_type) == refusal


@pytest.mark.parametrize("kind, by_committee", [
    (K.SUSPEND, True), (K.RESTORE, True), (K.LAPSE, True), (K.REMOVE, True), (K.FULL_MEMBERSHIP, True),
    (K.EXTEND_PROBATION, True), (K.CANCEL_PROBATION, True), (K.TRANSFER_OUT, False), (K.DECEASED, False),
])
def test_branch_proposes_committee_decides(kind, by_committee):
    """经流出地党支部党员大会讨论，并报上级组织批准 — the committee decides every change but the recorded facts."""
    assert rules.TRANSITIONS[kind].by_committee is by_committee


@pytest.mark.parametrize("suspended_on, decided_on, allowed", [
    (date(2024, 12, 3), date(2026, 12, 2), True),
    (date(2024, 12, 3), date(2026, 12, 3), True),   # the last day of the 2 years
    (date(2024, 12, 3), date(2026, 12, 4), False),  # 停止党籍后两年内确实无法取得联系的，予以除名
    (date(2024, 2, 29), date(2026, 2, 28), True),
])
def test_restore_within_two_years_of_the_suspension(suspended_on, decided_on, allowed):
    assert rules.can_restore(suspended_on, decided_on) is allowed


@pytest.mark.parametrize("current_end, new_end, extended_before, refusal", [
    (date(2026, 12, 1), date(2027, 6, 1), False, None),
    (date(2026, 12, 1), date(2027, 12, 1), False, None),        # exactly one year
    (date(2026, 12, 1), date(2027, 12, 2), False, "too_long"),  # 预备期延长不能超过一年
    (date(2026, 12, 1), date(2026, 12, 1), False, "not_later"),
    (date(2026, 12, 1), None, False, "missing"),
    (date(2027, 6, 1), date(2027, 9, 1), True, "twice"),         # only once
])
def test_probation_extension(current_end, new_end, extended_before, refusal):
    assert rules.extension_refusal(current_end=current_end, new_end=new_end,
                                   extended_before=extended_before) == refusal


@pytest.mark.parametrize("ends, opens", [(date(2027, 3, 1), date(2026, 12, 31)), (date(2026, 12, 1), date(2026, 10, 2))])
def test_opinion_window_opens_60_days_before_the_end(ends, opens):
    assert rules.opinion_window_opens(ends) == opens


@pytest.mark.parametrize("away, required", [(True, True), (False, False)])
def test_asking_the_host_in_writing(away, required):
    """未转出党员组织关系的，由流出地党组织负责其转正，讨论转正前应书面征求流入地党组织的意见。"""
    assert rules.opinion_required(away=away) is required
