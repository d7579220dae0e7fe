import pytest

from transfers.choices import Handling, Purpose
from transfers.rules import recommend_handling

CERT, TRANSFER, CARD, STAY, TEMP = (Handling.CERTIFICATE_LETTER, Handling.TRANSFER, Handling.ACTIVITY_CARD,
                                   Handling.STAY, Handling.TEMPORARY_BRANCH)

# months, purpose, fixed_place, can_transfer, returns_often, group_size → handling
TABLE = [
    # ≤ 6 months for a meeting, study, secondment, official business, holiday or family visit
    (1, Purpose.MEETING, True, True, False, 1, CERT),
    (3, Purpose.STUDY, True, True, False, 1, CERT),
    (6, Purpose.SECONDMENT, True, True, False, 1, CERT),       # exactly 6 months is still short
    (6, Purpose.OFFICIAL, False, False, False, 1, CERT),
    (2, Purpose.FAMILY_VISIT, False, False, False, 5, CERT),   # a short visit never needs a branch
    # > 6 months with a fixed place, any purpose
    (7, Purpose.WORK, True, True, False, 1, TRANSFER),          # one month over the line
    (8, Purpose.STUDY, True, True, False, 1, TRANSFER),
    (24, Purpose.OTHER, True, True, True, 1, TRANSFER),
    (12, Purpose.WORK, True, True, False, 3, TRANSFER),         # transfer wherever possible
    # ≤ 6 months working → activity card
    (6, Purpose.WORK, True, True, False, 1, CARD),
    (3, Purpose.OTHER, True, False, False, 1, CARD),
    # > 6 months but cannot transfer yet, or no fixed place → activity card
    (12, Purpose.WORK, True, False, False, 1, CARD),
    (12, Purpose.WORK, False, True, False, 1, CARD),
    (7, Purpose.STUDY, False, False, False, 2, CARD),           # 2 together is not a branch
    # very mobile, no fixed place, returns often → stays in the original branch
    (12, Purpose.WORK, False, False, True, 1, STAY),
    (4, Purpose.WORK, False, True, True, 3, STAY),
    # 3 or more together to one place → temporary branch
    (12, Purpose.WORK, False, False, False, 3, TEMP),
    (4, Purpose.WORK, True, False, False, 3, TEMP),
    (4, Purpose.WORK, True, False, False, 2, CARD),
]


@pytest.mark.parametrize("months, purpose, fixed_place, can_transfer, returns_often, group_size, expected", TABLE)
def test_recommend_handling_table(months, purpose, fixed_place, can_transfer, returns_often, group_size, expected):
    result = recommend_handling(months=months, purpose=purpose, fixed_place=fixed_place, can_transfer=can_transfer,
                                returns_often=returns_often, group_size=group_size)
    assert result.handling == expected
    assert result.reason  # always explained in plain Chinese


def test_the_reason_names_the_rule():
    result = recommend_handling(months=8, purpose=Purpose.WORK, fixed_place=True, can_transfer=True,
                                returns_often=False, group_size=1)
    assert "超过6个月" in result.reason and "组织关系" in result.reason
    assert result.handling.label == "转移组织关系"


# --- where a transferred relationship goes ------------------------------------------

from transfers.rules import destination_organization  # noqa: E402


@pytest.mark.parametrize("unit, sound, dept, locality, expected", [
    ("上海某建设集团", True, "上海建工局", "浦东新区花木街道", "上海某建设集团党组织"),
    ("上海某餐饮公司", False, "上海市商务委", "浦东新区花木街道", "上海市商务委党组织"),
    ("上海某餐饮公司", False, "", "浦东新区花木街道", "浦东新区花木街道党(工)委"),
    ("", False, "", "浦东新区", "浦东新区人才交流服务中心党组织"),
    ("", True, "", "", "流入地人才交流服务中心党组织"),
    ("上海某餐饮公司", False, "", "", ""),
])
def test_destination_organization_rule(unit, sound, dept, locality, expected):
    result = destination_organization(host_unit=unit, unit_has_party_org=sound, supervising_department=dept,
                                      unit_locality=locality)
    assert result.name == expected
    assert result.reason
