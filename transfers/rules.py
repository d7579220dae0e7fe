"""How a member leaving is handled: the table of the 1994 provisional rules
and the activity-card notice (domain.md, "Handling when a member leaves").

Pure functions, no database: ``recommend_handling`` is checked row by row in
tests/transfers/test_rules.py.
"""
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from transfers.choices import Handling, Purpose

#: Six months is the line between a short and a long absence: "≤ 6" is short.
SHORT_ABSENCE_MONTHS = 6
#: Three or more members leaving together to one place form a temporary branch.
TEMPORARY_BRANCH_SIZE = 3
#: Purposes for which a short absence is covered by a certificate letter.
CERTIFICATE_PURPOSES = frozenset(
    {Purpose.MEETING, Purpose.STUDY, Purpose.SECONDMENT, Purpose.OFFICIAL, Purpose.FAMILY_VISIT}
)


@dataclass(frozen=True)
class Recommendation:
    handling: Handling
    reason: str


def recommend_handling(*, months: int, purpose: str, fixed_place: bool, can_transfer: bool,
                       returns_often: bool, group_size: int = 1) -> Recommendation:
    """The document a member leaving should get, and why, in plain Chinese.

    The rows are tried in the order of the table; the first that fits wins.
    Transfer comes before the temporary branch because the 2024 rules say
    transfer wherever possible (应转尽转).
    """
    short = months <= SHORT_ABSENCE_MONTHS
    if short and purpose in CERTIFICATE_PURPOSES:
        return Recommendation(Handling.CERTIFICATE_LETTER, str(_(
            "外出不超过6个月，且为参加会议、学习、借调、出差或探亲休假，开具党员证明信即可，不转移组织关系。")))
    if not short and fixed_place and can_transfer:
        return Recommendation(Handling.TRANSFER, str(_(
            "外出超过6个月且有相对固定的地点，无论外出原因，都应转移组织关系（应转尽转），开具组织关系介绍信。")))
    if returns_often and not fixed_place:
        return Recommendation(Handling.STAY, str(_(
            "流动性很大、没有固定地点，但经常返回原单位，不开具证件，仍在原支部参加组织生活。")))
    if group_size >= TEMPORARY_BRANCH_SIZE:
        return Recommendation(Handling.TEMPORARY_BRANCH, str(_(
            "3名以上党员一起外出到同一地点，应成立临时党支部或党小组。")))
    if short:
        reason = _("外出不超过6个月，从事务工经商等活动，发放流动党员活动证。")
    elif not fixed_place:
        reason = _("外出超过6个月但没有固定地点，暂不能转移组织关系，发放流动党员活动证。")
    else:
        reason = _("外出超过6个月，但组织关系暂时无法转移，发放流动党员活动证。")
    return Recommendation(Handling.ACTIVITY_CARD, str(reason))
