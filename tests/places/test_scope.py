"""Scope of a destination seen from a home organization in 吉林省延边朝鲜族自治州 (汪清县)."""
import pytest

from places.parser import parse_place
from places.scope import Scope, scope_of

WANGQING = "222424"


@pytest.mark.parametrize(("text", "scope"), [
    ("吉林省吉林市", Scope.CROSS_CITY),
    ("吉林", Scope.CROSS_CITY),
    ("延吉市", Scope.WITHIN_CITY),
    ("延边州", Scope.WITHIN_CITY),
    ("汪清县", Scope.WITHIN_CITY),
    ("浙江省杭州市", Scope.CROSS_PROVINCE),
    ("上海", Scope.CROSS_PROVINCE),
    ("首尔", Scope.ABROAD),
    ("韩国首尔", Scope.ABROAD),
])
def test_scope_from_yanbian(text, scope):
    place = parse_place(text)
    assert scope_of(home_code=WANGQING, destination_code=place.division_code, country_code=place.country_code) == scope


def test_home_at_city_or_town_level():
    """An organization may carry its city's code, or a town's 9 or 12 digits."""
    assert scope_of(home_code="222400", destination_code="222401") == Scope.WITHIN_CITY
    assert scope_of(home_code="222424101", destination_code="220200") == Scope.CROSS_CITY


def test_unknown_when_the_city_is_not_known():
    assert scope_of(home_code=WANGQING, destination_code="220000") is None
    assert scope_of(home_code="", destination_code="330100") is None
    assert scope_of(home_code=WANGQING, destination_code="330000") == Scope.CROSS_PROVINCE


def test_a_municipality_is_one_city():
    assert scope_of(home_code="310115", destination_code="310000") == Scope.WITHIN_CITY
