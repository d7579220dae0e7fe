"""Names as people write them: short forms without 省/市/自治州, display names, the city a code belongs to."""
import re

PROVINCE, CITY, COUNTY = 1, 2, 3
#: The four municipalities: their province is the city (上海 and 上海市 are one place).
MUNICIPALITIES = {"110000", "120000", "310000", "500000"}
#: City-level rows that are only groupings, not places (``上海市 / 市辖区``, ``重庆市 / 县``, ``湖北省 / 省直辖…``).
GROUPING_NAMES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}

_ETHNIC = r"(?:[\u4e00-\u9fff]{1,8}?族)+"
_SUFFIXES = [
    re.compile(r"^(?P<s>.{2,}?)(?:壮族|回族|维吾尔)?自治区$"),
    re.compile(rf"^(?P<s>.{{2,}}?){_ETHNIC}自治[州县旗]$"),
    re.compile(r"^(?P<s>.{2,}?)特别行政区$"),
    re.compile(r"^(?P<s>.{2,}?)(?:省|市|地区|盟|自治州|自治县|自治旗|林区|特区|新区|区|县|旗)$"),
]


def short_name(name: str) -> str:
    """``浙江省`` → ``浙江``, ``延边朝鲜族自治州`` → ``延边``, ``西湖区`` → ``西湖``; a short name keeps 2 characters."""
    for pattern in _SUFFIXES:
        match = pattern.match(name)
        if match and len(match["s"]) >= 2:
            return match["s"]
    return name


def city_key(code: str) -> str:
    """The 6-digit code of the city a division lies in, the unit of "within the city".

    A municipality is its own city (``310115`` → ``310000``); a county-level city
    directly under a province (``429004`` 仙桃市) is a city of its own.
    """
    code = (code or "")[:6]
    if len(code) < 6:
        return ""
    if code[:2] + "0000" in MUNICIPALITIES:
        return code[:2] + "0000"
    if code[2:4] == "90":
        return code if code[4:] != "00" else ""
    return code[:4] + "00" if code[2:4] != "00" else ""


def province_key(code: str) -> str:
    return code[:2] + "0000" if code else ""


def pinyin_words(text: str) -> list[str]:
    """``杭州`` → ``["hang", "zhou"]``, without tones; other characters come back as they are.

    pypinyin is imported here, not at the top: its phrase table takes about 55 MB, which a process that never
    converts a name (a worker sending reminders) should not carry."""
    from pypinyin import Style, lazy_pinyin

    return lazy_pinyin(text, style=Style.NORMAL)


def pinyin_keys(name: str) -> tuple[str, str]:
    """``杭州`` → ``("hangzhou", "hz")``, for the picker's search (of the short name)."""
    words = [w for w in pinyin_words(name) if w.isascii() and w.isalpha()]
    return "".join(words).lower(), "".join(w[0] for w in words).lower()
