"""A lean, streaming reader of the worksheets of an .xlsx file.

openpyxl's read-only mode parses a sheet without a ``<dimension>`` element
(every file written in write-only mode, such as our own exports) twice, and
builds a rich-text object for every inline string; together that is most of
an import's time. This reader lets openpyxl read the workbook's parts
(shared strings, styles, which styles are dates, sheet list) and walks the
sheet's XML once itself, yielding plain values. It also reports formulas and
merged cells, which the roster import refuses below the header row.

Uploaded files are untrusted: the XML is parsed with DTDs and entities
refused (``defusedxml``; openpyxl uses it too once it is installed), row and
column numbers are bounded by Excel's own limits and by what the caller will
read, and anything that is not a well-formed worksheet raises
``DamagedSheet`` instead of whatever error the parser or a conversion hit.
"""
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import iterparse
from openpyxl.reader.excel import ExcelReader
from openpyxl.styles.stylesheet import apply_stylesheet
from openpyxl.utils.datetime import from_excel, from_ISO8601

NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW, CELL, VALUE, FORMULA, INLINE, TEXT, MERGE = (
    f"{NS}row", f"{NS}c", f"{NS}v", f"{NS}f", f"{NS}is", f"{NS}t", f"{NS}mergeCell")
DIGITS = "0123456789"
#: Excel's limits: column XFD, row 1,048,576
MAX_COLUMNS, MAX_ROWS = 16384, 1048576


class DamagedSheet(Exception):
    """The worksheet is not well-formed: broken XML, a DTD or entity, an impossible reference or value."""

    def __init__(self, row: int | None):
        super().__init__(row)
        self.row = row


class ColumnOutOfRange(Exception):
    """A cell with content lies beyond the columns the caller reads."""

    def __init__(self, row: int, column: int):
        super().__init__(row, column)
        self.row, self.column = row, column


@lru_cache(maxsize=4096)
def _letters_index(letters: str) -> int:
    """``"AB"`` → 27 (0-based); anything but one to three capitals within column XFD raises ValueError."""
    if not (0 < len(letters) <= 3 and letters.isascii() and letters.isalpha() and letters.isupper()):
        raise ValueError(letters)
    index = 0
    for char in letters:
        index = index * 26 + ord(char) - 64
    if index > MAX_COLUMNS:
        raise ValueError(letters)
    return index - 1


def _column_index(reference: str) -> int:
    """``"AB12"`` → 27 (0-based); a reference without column letters or row number raises ValueError."""
    letters = reference.rstrip(DIGITS)
    if letters == reference:
        raise ValueError(reference)
    return _letters_index(letters)


def _row_number(value: str | None, previous: int) -> int:
    """The row's ``r``, or the next one when it is left out; rows only go down, within Excel's limit."""
    if value is None:
        number = previous + 1
    elif value.isascii() and value.isdigit() and len(value) <= 7:
        number = int(value)
    else:
        raise ValueError(value)
    if not previous < number <= MAX_ROWS:
        raise ValueError(value)
    return number


@dataclass
class SheetRow:
    number: int
    values: list
    formula_columns: list[int] = field(default_factory=list)


#: Worksheets read from one workbook: a town keeps one per branch, never hundreds.
MAX_SHEETS = 100


class Workbook:
    """The worksheets of a workbook, in tab order; iterate a ``Sheet`` for its rows, then read its merged ranges."""

    def __init__(self, file, *, max_columns: int = MAX_COLUMNS):
        self.max_columns = min(max_columns, MAX_COLUMNS)
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
        self.sheets = [Sheet(self, str(sheet.name), rel.target) for sheet, rel in reader.parser.find_sheets()
                       if rel.target in reader.valid_files and "chartsheet" not in rel.Type]
        if len(self.sheets) > MAX_SHEETS:
            raise TooManySheets(len(self.sheets))

    def close(self) -> None:
        self._archive.close()


class TooManySheets(Exception):
    """More worksheets than ``MAX_SHEETS``."""


class Sheet:
    def __init__(self, book: Workbook, title: str, path: str):
        self.book, self.title, self.path = book, title, path
        self.max_columns = book.max_columns
        self.merged_ranges: list[str] = []

    def __iter__(self) -> Iterator[SheetRow]:
        number = cells = 0
        self.merged_ranges = []
        try:
            with self.book._archive.open(self.path) as source:
                for _event, element in iterparse(source, events=("end",), forbid_dtd=True):
                    tag = element.tag
                    if tag == CELL:
                        cells += 1  # a row is held whole until it ends: no more cells than Excel has columns
                        if cells > MAX_COLUMNS:
                            raise ValueError("too many cells in one row")
                    elif tag == ROW:
                        number, cells = _row_number(element.get("r"), number), 0
                        row = self._row(element, number)
                        element.clear()
                        yield row
                    elif tag == MERGE:
                        self.merged_ranges.append(element.get("ref", ""))
        except (ParseError, DefusedXmlException, ValueError, IndexError, KeyError, TypeError, OverflowError,
                EOFError, OSError, zipfile.BadZipFile) as exc:
            raise DamagedSheet(number or None) from exc

    def _row(self, element, number: int) -> SheetRow:
        row = SheetRow(number, [])
        values = row.values
        column = -1
        for cell in element:
            if cell.tag != CELL:
                continue
            reference = cell.get("r")
            column = _column_index(reference) if reference else column + 1
            if column >= self.max_columns:
                if self._value(cell) not in (None, ""):
                    raise ColumnOutOfRange(number, column)
                continue
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
            if number != number or number in (float("inf"), float("-inf")):
                raise ValueError(raw)
            style = cell.get("s")
            if style and int(style) in self.book._date_styles:
                try:
                    return from_excel(number, self.book._epoch)
                except (OverflowError, ValueError):
                    return raw
            return number
        if kind == "s":
            index = int(raw)
            strings = self.book._strings
            if not 0 <= index < len(strings):
                raise IndexError(raw)
            return str(strings[index])
        if kind == "b":
            return raw == "1"
        if kind == "d":
            value = from_ISO8601(raw)
            if value is None:
                raise ValueError(raw)
            return value
        if kind in ("str", "e"):  # a formula's cached text, an error such as #N/A
            return raw
        raise ValueError(kind)
