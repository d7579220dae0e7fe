"""Load the tables of ``places/data/`` into the database: idempotent, used by the migration and ``load_places``."""
from places import tables
from places.aliases import COUNTRY_NAMES
from places.names import GROUPING_NAMES, city_key, pinyin_keys, short_name


def full_names(rows) -> dict[str, str]:
    """``{code: "浙江省杭州市西湖区"}``: the names down the chain, without grouping rows (市辖区, 县)."""
    names = {code: name for code, name, _level, _parent in rows}
    parents = {code: parent for code, _name, _level, parent in rows}
    result = {}
    for code, name, _level, parent in rows:
        chain = [name]
        while parent:
            if names[parent] not in GROUPING_NAMES:
                chain.append(names[parent])
            parent = parents[parent]
        result[code] = "".join(reversed(chain))
    return result


def load_places(Division, Country, TableEdition) -> None:
    """Insert or update every division and country of the kept edition (the model classes are passed in,
    so a migration hands over its historical ones). Rows the edition no longer has are kept: old
    records may point at them."""
    data = tables.divisions()
    rows = data["rows"]
    names = full_names(rows)
    by_level = sorted(rows, key=lambda row: row[2])  # parents first
    objects = []
    for code, name, level, parent in by_level:
        pinyin, initials = pinyin_keys(short_name(name))
        objects.append(Division(
            code=code, name=name, full_name=names[code], level=level, parent_id=parent, city_code=city_key(code),
            pinyin=pinyin[:100], initials=initials[:30],
            selectable=name not in GROUPING_NAMES))
    Division.objects.bulk_create(objects, batch_size=1000, update_conflicts=True, unique_fields=["code"],
                                 update_fields=["name", "full_name", "level", "parent", "city_code", "pinyin",
                                                "initials", "selectable"])
    _edition(TableEdition, "divisions", data)

    data = tables.countries()
    Country.objects.bulk_create(
        [Country(code=code, name=COUNTRY_NAMES.get(code, name), name_en=name_en) for code, name, name_en in data["rows"]],
        update_conflicts=True, unique_fields=["code"], update_fields=["name", "name_en"])
    _edition(TableEdition, "countries", data)


def _edition(TableEdition, table, data):
    TableEdition.objects.update_or_create(table=table, defaults={
        "source": data["source"], "version": data["version"], "edition": data["edition"],
        "generated": data["generated"], "rows": len(data["rows"])})
