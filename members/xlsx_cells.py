"""The one cell writer for every Excel file the system produces.

Text that starts with ``= + - @`` (or a tab / carriage return) is read by
spreadsheets as a formula: a member's occupation or a report's text such as
``=HYPERLINK("http://x","y")`` would become a live link or command. Every
export (roster, import template, quarterly report, roll-up) writes its rows
through ``append_row`` so such text always lands as plain text.
"""
from collections.abc import Iterable

from openpyxl.cell import Cell, WriteOnlyCell

#: Leading characters that make a spreadsheet treat a cell as a formula.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(value) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def text_cell(worksheet, value: str) -> Cell:
    """A cell that holds ``value`` as text even though it looks like a formula.

    The cell is a string cell (never a formula), and ``quotePrefix`` tells
    Excel to keep it as text when someone edits it. Works for normal and
    write-only worksheets alike.
    """
    cell = WriteOnlyCell(worksheet, value)
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


#: How a month (stored as its 1st) shows in every Excel file: 2026年10月, still a real date cell.
MONTH_FORMAT = 'yyyy"年"m"月"'


def month_cell(worksheet, value):
    """A date cell showing ``value``'s month as 2026年10月 (``None`` stays an empty cell)."""
    if value is None:
        return None
    cell = WriteOnlyCell(worksheet, value)
    cell.number_format = MONTH_FORMAT
    return cell


def safe_cell(worksheet, value):
    """``value`` ready for ``worksheet.append``: formula-like text becomes a text cell."""
    return text_cell(worksheet, value) if is_formula_like(value) else value


def append_row(worksheet, values: Iterable) -> None:
    """Append one row, escaping every formula-like text cell."""
    worksheet.append([safe_cell(worksheet, value) for value in values])


def write_cell(worksheet, *, row: int, column: int, value):
    """Set one cell of a normal worksheet, escaping formula-like text; return the cell."""
    cell = worksheet.cell(row=row, column=column)
    cell.value = value
    if is_formula_like(value):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell
