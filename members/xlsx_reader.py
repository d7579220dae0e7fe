"""A lean, streaming reader of the first worksheet of an .xlsx file.

openpyxl's read-only mode parses a sheet without a ``<dimension>`` element
(every file written in write-only mode, such as our own exports) twice, and
builds a rich-text object for every inline string; together that is most of
an import's time. This reader lets openpyxl read the workbook's parts
(shared strings, styles, which styles are dates, sheet list) and walks the
sheet's XML once itself, yielding plain values. It also reports formulas and
merged cells, which the roster import refuses.
"""
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from xml.etree.ElementTree import iterparse

from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.datetime import from_excel, from_ISO8601

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW, CELL, VALUE, FORMULA, INLINE, TEXT, MERGE = (
    f"{NS}row", f"{NS}c", f"{NS}v", f"{NS}f", f"{NS}is", f"{NS}t", f"{NS}mergeCell")
DIGITS = "0123456789"


@lru_cache(maxsize=4096)
def _letters_index(letters: str) -> int:
    """``"AB"`` → 27 (0-based)."""
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    return index - 1


def _column_index(reference: str) -> int:
    """``"AB12"`` → 27 (0-based)."""
    return _letters_index(reference.rstrip(DIGITS))


@dataclass
class SheetRow:
    number: int
    values: list
    formula_columns: list[int] = field(default_factory=list)


class FirstSheet:
    """The first worksheet of a workbook; iterate it for its rows, then read ``merged_ranges``."""

    def __init__(self, file):
        reader = ExcelReader(file, read_only=True, data_only=False)
        reader.read_manifest()
        reader.read_strings()
        reader.read_workbook()
        reader.read_theme()
        apply_stylesheet(reader.archive, reader.wb)
        self._archive = reader.archive
        self._strings = reader.shared_strings
        self._date_styles = set(reader.wb._date_formats)
        self._epoch = reader.wb.epoch
        self.path = next(rel.target for _sheet, rel in reader.parser.find_sheets()
                         if rel.target in reader.valid_files and "chartsheet" not in rel.Type)
        self.merged_ranges: list[str] = []

    def close(self) -> None:
        self._archive.close()

    def __iter__(self) -> Iterator[SheetRow]:
        expected_row = 0
        with self._archive.open(self.path) as source:
            for _event, element in iterparse(source, events=("end",)):
                tag = element.tag
                if tag == ROW:
                    expected_row = int(element.get("r") or expected_row + 1)
                    yield self._row(element, expected_row)
                    element.clear()
                elif tag == MERGE:
                    self.merged_ranges.append(element.get("ref", ""))

    def _row(self, element, number: int) -> SheetRow:
        row = SheetRow(number, [])
        values = row.values
        column = -1
        for cell in element:
            if cell.tag != CELL:
                continue
            reference = cell.get("r")
            column = _column_index(reference) if reference else column + 1
            if column >= len(values):
                values.extend([None] * (column + 1 - len(values)))
            if cell.find(FORMULA) is not None:
                row.formula_columns.append(column)
            values[column] = self._value(cell)
        return row

    def _value(self, cell):
        kind = cell.get("t", "n")
        if kind == "inlineStr":
            inline = cell.find(INLINE)
            if inline is None:
                return None
            if len(inline) == 1 and inline[0].tag == TEXT:  # plain text, the usual case
                return inline[0].text or ""
            return "".join(text.text or "" for text in inline.iter(TEXT))  # rich text runs
        raw = cell.findtext(VALUE)
        if raw is None or raw == "":
            return None
        if kind == "n":
            number = float(raw) if any(char in raw for char in ".eE") else int(raw)
            style = cell.get("s")
            if style and int(style) in self._date_styles:
                try:
                    return from_excel(number, self._epoch)
                except (OverflowError, ValueError):
                    return raw
            return number
        if kind == "s":
            return str(self._strings[int(raw)])
        if kind == "b":
            return raw == "1"
        if kind == "d":
            return from_ISO8601(raw)
        return raw  # "str" (a formula's cached text) and "e" (an error such as #N/A)
