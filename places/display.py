"""The readable text kept next to a place's codes (lists, letters, Excel): ``浙江省`` + ``杭州市西湖区``."""
from functools import lru_cache

from places import tables
from places.loader import full_names
from places.names import province_key
from places.parser import parse_place


@lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    return full_names(tables.divisions()["rows"])


def full_name(code: str) -> str:
    return _names().get(code, "")


def province_and_rest(code: str) -> tuple[str, str]:
    """``330106`` → ``("浙江省", "杭州市西湖区")``; ``310000`` → ``("上海市", "")``."""
    name = full_name(code)
    province = full_name(province_key(code))
    return province, name[len(province):] if name.startswith(province) else name


def fill_place_text(obj, *, division: str = "destination_division", country: str = "abroad_country",
                    texts: tuple[str, str, str] = ("destination_country", "destination_province", "destination_city")):
    """Write the display text of ``obj``'s chosen codes into its text columns (abroad: the typed city stays).

    Rows without any code keep their text as it is: that is the text still to be mapped by hand.
    """
    country_text, province_text, city_text = texts
    division_code, country_obj = getattr(obj, f"{division}_id"), getattr(obj, country)
    if country_obj is not None:
        setattr(obj, country_text, country_obj.name)
        setattr(obj, province_text, "")
    elif division_code:
        province, rest = province_and_rest(division_code)
        setattr(obj, country_text, "")
        setattr(obj, province_text, province)
        setattr(obj, city_text, rest or province)  # 上海市 alone: the city is the municipality


def read_place_text(obj) -> None:
    """Codes for ``obj``'s destination text as towns write it (``浙江杭州``, ``韩国 首尔``), read by
    ``places.parser``; text it cannot place down to a city (or a country) stays as written, without codes,
    for the county to fix (``places.unmapped``)."""
    place = parse_place("".join((obj.destination_country, obj.destination_province, obj.destination_city)))
    precise = place.precise
    obj.destination_division_id = place.division_code if precise and place.division_code else None
    obj.abroad_country_id = place.country_code if precise and place.country_code else None
    if precise:
        if place.abroad:
            obj.destination_city = obj.destination_city or place.remainder[:30]
        fill_place_text(obj)
