"""The address parser on text as it stands in registers, including misspellings and traditional characters."""
import pytest

from places.parser import parse_place

HANGZHOU, XIHU = "330100", "330106"

CASES = [
    # (text, division, country, remainder)
    ("杭州", HANGZHOU, "", ""),
    ("浙江杭州", HANGZHOU, "", ""),
    ("浙江省杭州市", HANGZHOU, "", ""),
    ("浙江省杭州市西湖区", XIHU, "", ""),
    ("浙江省杭州市西湖区文三路100号", XIHU, "", "文三路100号"),
    ("中国浙江杭州西湖区", XIHU, "", ""),
    ("  浙江 杭州 ", HANGZHOU, "", ""),
    ("杭洲", HANGZHOU, "", ""),  # homophone misspelling, read by pinyin
    ("浙江杭洲市萧山区", "330109", "", ""),
    ("首尔", "", "KR", "首尔"),
    ("韩国首尔", "", "KR", "首尔"),
    ("韩国 首尔市江南区", "", "KR", "首尔市江南区"),
    ("大韩民国釜山", "", "KR", "釜山"),
    ("日本东京", "", "JP", "东京"),
    ("俄罗斯海参崴", "", "RU", "海参崴"),
    ("香港", "", "HK", ""),
    ("中国香港", "", "HK", ""),
    ("吉林", "220200", "", ""),  # the city, not the province it names
    ("吉林省吉林市", "220200", "", ""),
    ("吉林市船营区", "220204", "", ""),
    ("吉林延吉", "222401", "", ""),
    ("延吉", "222401", "", ""),
    ("廷吉市", "222401", "", ""),  # 延 misread as 廷
    ("延边州延吉市", "222401", "", ""),
    ("吉林省延边朝鲜族自治州汪清县", "222424", "", ""),
    ("珲椿", "222404", "", ""),
    ("上海", "310000", "", ""),
    ("上海市", "310000", "", ""),
    ("上海市浦东新区张江路", "310115", "", "张江路"),
    ("北京朝阳", "110105", "", ""),
    ("朝阳", "211300", "", ""),  # the city in Liaoning, not a district
    ("海南海口", "460100", "", ""),
    ("广东深川宝安", "440306", "", ""),
    ("深圳市南山区科技园", "440305", "", "科技园"),
    ("沈杨", "210100", "", ""),
    ("哈尔宾", "230100", "", ""),
    ("廣東省廣州市天河區", "440106", "", ""),  # traditional characters
    ("江苏昆山", "320583", "", ""),
    ("苏州昆山市", "320583", "", ""),
    ("重庆市渝北区", "500112", "", ""),
    ("内蒙古呼和浩特", "150100", "", ""),
    ("新疆乌鲁木其", "650100", "", ""),
    ("湖北仙桃", "429004", "", ""),
    ("郑州 二七区", "410103", "", ""),
    ("辽宁大连金州区", "210213", "", ""),
]


@pytest.mark.parametrize(("text", "division", "country", "remainder"), CASES, ids=[case[0] for case in CASES])
def test_reads_the_place(text, division, country, remainder):
    place = parse_place(text)
    assert (place.division_code, place.country_code, place.remainder) == (division, country, remainder)
    assert place.precise


@pytest.mark.parametrize("text", ["", "  ", "西湖区", "某某建筑公司", "外地", "吉林省"])
def test_what_it_cannot_place(text):
    """Nothing, two places (西湖区 of 杭州 and of 南昌) or a province alone: not precise enough to count."""
    assert not parse_place(text).precise


def test_a_name_of_a_province_and_of_a_city_elsewhere_is_the_province():
    assert parse_place("海南").division_code == "460000"  # not 海南藏族自治州 in 青海


def test_a_pinyin_reading_is_marked_as_guessed():
    assert parse_place("杭洲").guessed and not parse_place("杭州").guessed
