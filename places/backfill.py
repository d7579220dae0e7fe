"""The data migrations' part: map old free text to codes with the parser, one UPDATE per distinct text.

Rows the parser cannot place precisely (down to a city, or abroad) keep their
text and no code: ``places.unmapped`` lists them for the county to fix.
"""
from places.parser import parse_place


def backfill(model, *, texts: tuple[str, ...], division: str = "destination_division",
             country: str = "abroad_country", only_missing: bool = True) -> tuple[int, int]:
    """Give codes to ``model``'s rows from the text in ``texts`` read together; ``(rows mapped, rows left)``."""
    rows = model.objects.all()
    if only_missing:
        rows = rows.filter(**{f"{division}__isnull": True, f"{country}__isnull": True})
    mapped = left = 0
    for values in rows.order_by().values_list(*texts).distinct():
        text = "".join(value or "" for value in values)
        if not text.strip():
            continue
        place = parse_place(text)
        matching = rows.filter(**dict(zip(texts, values)))
        if not place.precise:
            left += matching.count()
            continue
        mapped += matching.update(**{f"{division}_id": place.division_code or None,
                                     f"{country}_id": place.country_code or None})
    return mapped, left
