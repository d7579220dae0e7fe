"""Free text → a place code: ``parse_place("浙江杭州西湖区文三路1号")`` → 330106 + ``文三路1号``.

Reads the tables of ``places/data/`` (no database), so the data migration maps
old text with the edition it loads. How a text is read:

1. ``中国`` in front is dropped; known misspellings that are not homophones are
   corrected (``places.aliases.VARIANTS``);
2. a country (``韩国``, ``大韩民国``, ``美国``) or a foreign city written alone
   (``首尔``) at the start: abroad, the rest is the city text;
3. otherwise a chain of divisions read from the start, each inside the
   previous one, by full name (``浙江省``), short name without 省/市/自治州/区/县
   (``浙江``, ``延边``, also ``延边州``), or, when no name matches, by pinyin
   (``杭洲`` reads hangzhou: 杭州). A level may be skipped (``浙江西湖区``).
   Of all readings the one that reads the most characters wins, then the one
   with fewer pinyin guesses and more full names, then the bigger place
   (``海南`` is 海南省, not 海南藏族自治州) -- except that a province's
   short name that is also a city inside it (``吉林``) means the city.
   Two readings left that differ (``西湖区``: 杭州 or 南昌) read as nothing.
"""
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from places import tables
from places.aliases import COUNTRY_ALIASES, COUNTRY_NAMES, FOREIGN_CITIES, VARIANTS
from places.names import CITY, COUNTY, GROUPING_NAMES, PROVINCE, city_key, pinyin_words, short_name

SEPARATORS = " \t,，、.。;；:：-_/|()（）[]【】"
_CHINA = re.compile(r"^(中华人民共和国|中国大陆|中国)(?!台湾)")
_MAX_NAME = 16
_LEVEL_PREFERENCE = {PROVINCE: 3, CITY: 2, COUNTY: 1}


@dataclass(frozen=True)
class ParsedPlace:
    division_code: str = ""
    country_code: str = ""
    remainder: str = ""
    guessed: bool = False  # read by pinyin: worth a look

    @property
    def abroad(self) -> bool:
        return bool(self.country_code)

    @property
    def precise(self) -> bool:
        """Abroad, or known down to a city at least (a province alone says too little for the scope)."""
        return self.abroad or bool(city_key(self.division_code))


class _Index:
    def __init__(self):
        rows = [row for row in tables.divisions()["rows"] if row[1] not in GROUPING_NAMES]
        self.parent = {code: parent for code, _name, _level, parent in tables.divisions()["rows"]}
        self.level = {code: level for code, _name, level, _parent in rows}
        self.exact: dict[str, dict[str, bool]] = {}  # name -> {code: is_full_name}
        self.sound: dict[str, set[str]] = {}
        for code, name, _level, _parent in rows:
            short = short_name(name)
            forms = {name: True, short: False}
            if name.endswith("自治州") and short != name:
                forms[short + "州"] = False
            if name.endswith("自治县") and short != name:
                forms[short + "县"] = False
            for form, full in forms.items():
                if len(form) >= 2:
                    self.exact.setdefault(form, {})[code] = self.exact.get(form, {}).get(code, False) or full
                    self.sound.setdefault(_sound(form), set()).add(code)
        countries = tables.countries()["rows"]
        self.countries = {name: code for code, name, _en in countries}
        self.countries.update({name: code for code, name in COUNTRY_NAMES.items()})
        self.countries.update(COUNTRY_ALIASES)

    def below(self, code: str, ancestor: str | None) -> bool:
        if ancestor is None:
            return True
        code = self.parent.get(code)
        while code:
            if code == ancestor:
                return True
            code = self.parent.get(code)
        return False


@lru_cache(maxsize=None)
def _index() -> _Index:
    return _Index()


@lru_cache(maxsize=50_000)
def _sound(text: str) -> str:
    return " ".join(pinyin_words(text))


def normalize(text: str) -> str:
    text = unicodedata.normalize("NFKC", text or "").strip().strip(SEPARATORS)
    text = _CHINA.sub("", text).lstrip(SEPARATORS)
    for wrong, right in VARIANTS.items():
        text = text.replace(wrong, right)
    return text


def parse_place(text: str) -> ParsedPlace:
    """Read a place written as free text; an empty ``ParsedPlace`` when nothing could be read."""
    text = normalize(text)
    if not text:
        return ParsedPlace()
    abroad = _country(text)
    if abroad:
        return abroad
    chain = _best(text, 0, None)
    if not chain or chain[0] is None:
        return ParsedPlace(remainder=text)
    steps, end = chain
    code = steps[-1][0]
    return ParsedPlace(division_code=code, remainder=text[end:].strip(SEPARATORS),
                       guessed=any(not exact for _code, exact, _full in steps))


def _country(text: str) -> ParsedPlace | None:
    index = _index()
    for length in range(min(len(text), 12), 1, -1):
        code = index.countries.get(text[:length])
        if code:
            return ParsedPlace(country_code=code, remainder=text[length:].strip(SEPARATORS))
    for length in range(min(len(text), 10), 1, -1):
        code = FOREIGN_CITIES.get(text[:length])
        if code:
            return ParsedPlace(country_code=code, remainder=text)
    return None


def _score(steps, end):
    exact = sum(1 for _code, exact, _full in steps if exact)
    full = sum(1 for _code, _exact, full in steps if full)
    return (end, exact - len(steps), full)


def _best(text, start, parent):
    """The best reading of ``text[start:]`` inside ``parent``: ``(steps, end)``, ``None`` when nothing reads,
    ``(None, end)`` when two readings tie."""
    index = _index()
    while start < len(text) and text[start] in SEPARATORS:
        start += 1
    readings = []
    for length in range(min(_MAX_NAME, len(text) - start), 1, -1):
        piece = text[start:start + length]
        matches = {code: (True, full) for code, full in index.exact.get(piece, {}).items()}
        if not matches:
            matches = {code: (False, False) for code in index.sound.get(_sound(piece), ())}
        for code, (exact, full) in matches.items():
            if not index.below(code, parent):
                continue
            rest = _best(text, start + length, code)
            if rest and rest[0] is not None:
                readings.append(([(code, exact, full), *rest[0]], rest[1]))
            else:
                readings.append(([(code, exact, full)], start + length))
    if not readings:
        return None
    top = max(_score(*reading) for reading in readings)
    best = [reading for reading in readings if _score(*reading) == top]
    cities = {steps[0][0] for steps, _end in best if len(steps) == 1 and index.level[steps[0][0]] == CITY}
    best = [(steps, end) for steps, end in best  # 吉林 alone: the city 吉林市 rather than its province
            if not (len(steps) == 1 and index.level[steps[0][0]] == PROVINCE
                    and any(index.below(city, steps[0][0]) for city in cities))]
    bigger = max(_LEVEL_PREFERENCE[index.level[steps[0][0]]] for steps, _end in best)
    best = [(steps, end) for steps, end in best if _LEVEL_PREFERENCE[index.level[steps[0][0]]] == bigger]
    if len({steps[-1][0] for steps, _end in best}) == 1:
        return best[0]
    return (None, best[0][1])
