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
#: Retired members living elsewhere for more than a year transfer (seed 4 §五).
RETIRED_ELSEWHERE_MONTHS = 12
#: Members abroad are contacted at least every 6 months (seed 4 §三, the 2024 rules).
ABROAD_CONTACT_MONTHS = 6


@dataclass(frozen=True)
class Recommendation:
    handling: Handling
    reason: str


def recommend_handling(*, months: int, purpose: str, fixed_place: bool, can_transfer: bool,
                       returns_often: bool, group_size: int = 1, abroad: bool = False,
                       retiree: bool = False) -> Recommendation:
    """The document a member leaving should get, and why, in plain Chinese.

    The rows are tried in the order of the table; the first that fits wins.
    Going abroad comes first: a relationship is never transferred abroad
    (seed 4 §三). A retiree (``retiree``: the member is 离退休, whatever the
    purpose given) away for over a year transfers: living elsewhere to the
    place of residence, hired elsewhere to the employer (seed 4 §五).
    Transfer comes before the temporary branch because the 2024
    rules say transfer wherever possible (应转尽转).
    """
    short = months <= SHORT_ABSENCE_MONTHS
    if abroad:
        length = _("时间在6个月以内的") if short else _("时间超过6个月但流动性大的也可")
        return Recommendation(Handling.ABROAD, str(_(
            "出国（境）工作学习，%(length)s不向国外境外转移组织关系，仍由原党组织管理，至少每6个月联系一次；"
            "需要证明党员身份的，由党委组织部出具党员证明信。") % {"length": length}))
    if (retiree or purpose == Purpose.RETIRED_RESIDENCE) and months > RETIRED_ELSEWHERE_MONTHS:
        if purpose == Purpose.WORK:
            return Recommendation(Handling.TRANSFER, str(_(
                "离退休党员在外地受聘工作1年以上，组织关系应转入聘用单位党组织，聘用期满后再转回，开具组织关系介绍信。")))
        return Recommendation(Handling.TRANSFER, str(_(
            "离退休党员异地居住超过1年，组织关系应转移到居住地党组织，开具组织关系介绍信。")))
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


#: An introduction letter is valid 30 days as a rule and at most 3 months.
LETTER_DEFAULT_VALID_DAYS = 30
LETTER_MAX_VALID_DAYS = 90
#: The receiving committee returns the receipt (回执) within one month of getting the letter.
RECEIPT_RETURN_MONTHS = 1
#: A letter not yet received reminds the sender this many days before its last valid day, and through that day.
LETTER_EXPIRY_NOTICE_DAYS = 7


@dataclass(frozen=True)
class Destination:
    name: str
    reason: str


def destination_organization(*, host_unit: str, unit_has_party_org: bool, supervising_department: str = "",
                             unit_locality: str = "") -> Destination:
    """Where a transferred relationship goes (domain.md, "Where to transfer").

    The unit's own organization if it has a sound one; else the organization
    of the unit's supervising department; else the town/street where the unit
    is; a member without a unit goes to the local talent-exchange centre.
    """
    host_unit, supervising_department, unit_locality = (
        host_unit.strip(), supervising_department.strip(), unit_locality.strip())
    if host_unit and unit_has_party_org:
        return Destination(str(_("%(unit)s党组织") % {"unit": host_unit}),
                           str(_("流入单位有健全的党组织，组织关系转到该单位党组织。")))
    if host_unit and supervising_department:
        return Destination(str(_("%(dept)s党组织") % {"dept": supervising_department}),
                           str(_("流入单位没有健全的党组织，转到其上级主管部门党组织。")))
    if host_unit and unit_locality:
        return Destination(str(_("%(place)s党(工)委") % {"place": unit_locality}),
                           str(_("流入单位没有健全的党组织且无主管部门，转到单位所在地乡镇（街道）党组织。")))
    if not host_unit:
        place = unit_locality or _("流入地")
        return Destination(str(_("%(place)s人才交流服务中心党组织") % {"place": place}),
                           str(_("没有工作单位，组织关系可转到当地人才交流服务中心党组织。")))
    return Destination("", str(_("流入单位没有健全的党组织，请填写单位的上级主管部门或所在乡镇（街道），"
                                     "或直接选择、填写接收党组织。")))
