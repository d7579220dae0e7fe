"""The two tables kept in the repo (``places/data/``), read without the database.

The parser and the loader both read these files, so the data migration maps
old text with exactly the edition it loads.
"""
import json
from functools import lru_cache
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data"
DIVISIONS_FILE = DATA / "divisions.json"
COUNTRIES_FILE = DATA / "countries.json"


@lru_cache(maxsize=None)
def _read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


def divisions() -> dict:
    """``{"source", "version", "edition", "generated", "rows": [[code, name, level, parent_code], ...]}``."""
    return _read(DIVISIONS_FILE)


def countries() -> dict:
    """``{"source", "version", "edition", "generated", "rows": [[alpha_2, chinese name, english name], ...]}``."""
    return _read(COUNTRIES_FILE)
