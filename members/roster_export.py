"""Writing the member roster (流动党员登记册) as an Excel file.

The rows come from the member list's own FilterSet applied to the same query
string, so the file holds exactly what the list shows. Rows are read with a
server-side cursor and written with openpyxl's write-only mode, so memory
stays flat however many members there are.
"""
from collections.abc import Callable, Iterator

from django.http import QueryDict
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from members.choices import MOBILE_STATUSES
from members.facts import SIX_FACTS
from members.filters import MemberFilter
from members.masking import can_see_personal_data, mask_id_number, mask_phone, masked_birth_date
from members.models import Member
from members.roster_columns import EXTRA_COLUMNS, annotate_extra_columns
from members.roster_schema import CHOICE, COLUMNS, COMPLETENESS_HEADER, MONTH, YES_NO
from members.xlsx_cells import append_row, month_cell, text_cell
from organizations.models import Organization

CHUNK_SIZE = 2000


class InvalidFilters(ValueError):
    """The query string does not describe a valid member list."""


def roster_queryset(*, user, query: str | QueryDict):
    """The members the list shows for ``query``, in the list's order."""
    data = query if isinstance(query, QueryDict) else QueryDict(query)
    filterset = MemberFilter(data, queryset=Member.objects.visible_to(user), user=user)
    if not filterset.is_valid():
        raise InvalidFilters(filterset.errors.as_text())
    return filterset.qs, filterset.form.cleaned_data


def roster_title(*, user, cleaned_filters: dict) -> str:
    organization = cleaned_filters.get("organization") or user.organization
    name = organization.name if isinstance(organization, Organization) else _("全部党组织")
    today = timezone.localdate()
    return _("%(org)s 流动党员登记册（导出日期：%(date)s）") % {
        "org": name, "date": f"{today.year}年{today.month}月{today.day}日"}


def roster_filename() -> str:
    return f"流动党员登记册_{timezone.localdate():%Y%m%d}.xlsx"


def describe_filters(cleaned_filters: dict) -> dict:
    """The filters as plain JSON for the export log."""
    described = {}
    for name, value in cleaned_filters.items():
        if value in (None, "", []):
            continue
        if isinstance(value, Organization):
            value = {"id": value.pk, "name": value.name}
        elif isinstance(value, (list, tuple)):
            value = [str(v) for v in value]
        elif not isinstance(value, (bool, int)):
            value = str(value)
        described[name] = value
    return described


def _row_converter(*, show_personal_data: bool) -> Callable[[tuple], list]:
    """Build the function that turns one ``values_list`` row into the row's values.

    A masked role gets the ID number, phone and birth date masked by ``members.masking``;
    formula-like text is escaped by the cell writer (``members.xlsx_cells``).
    """
    sources = [column.source for column in COLUMNS]
    index = {source: position for position, source in enumerate(sources)}

    converters: list[tuple[int, Callable]] = []
    yes, no = str(_("是")), str(_("否"))
    for position, column in enumerate(COLUMNS):
        if column.kind == CHOICE:
            labels = {value: str(label) for value, label in column.choices.choices}
            converters.append((position, lambda value, labels=labels: labels.get(value, value) or None))
        elif column.kind == YES_NO:
            converters.append((position, lambda value: yes if value else no))
        elif column.source == "id_number" and not show_personal_data:
            converters.append((position, mask_id_number))
        elif column.source == "phone" and not show_personal_data:
            converters.append((position, lambda value: mask_phone(value) or None))
        elif column.source == "birth_date" and not show_personal_data:
            converters.append((position, lambda value: masked_birth_date(value) or None))

    status_position = index["mobility_status"]
    mobile_statuses = {str(status) for status in MOBILE_STATUSES}
    fact_checks = [
        (str(fact.label), [index["organization__code" if f == "organization" else f] for f in fact.fields],
         fact.mobile_only)
        for fact in SIX_FACTS
    ]
    complete_label = _("完整")
    missing_label = _("缺：")

    def convert(values: tuple) -> list:
        row = list(values)
        mobile = row[status_position] in mobile_statuses
        missing = [label for label, positions, mobile_only in fact_checks
                   if (mobile or not mobile_only) and any(row[p] in (None, "") for p in positions)]
        for position, converter in converters:
            row[position] = converter(row[position])
        row.insert(len(COLUMNS), missing_label + "、".join(missing) if missing else complete_label)
        return row

    return convert


def _headers() -> list[str]:
    return ([str(column.header) for column in COLUMNS] + [str(COMPLETENESS_HEADER)]
            + [str(column.header) for column in EXTRA_COLUMNS])


def _widths() -> list[int]:
    return [column.width for column in COLUMNS] + [24] + [column.width for column in EXTRA_COLUMNS]


def write_roster(
    output,
    *,
    queryset,
    title: str,
    show_personal_data: bool,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 1000,
) -> int:
    """Write the roster of ``queryset`` to the binary file ``output``; return the row count."""
    workbook = Workbook(write_only=True)
    worksheet = workbook.create_sheet(_("流动党员登记册"))
    for position, width in enumerate(_widths(), 1):
        worksheet.column_dimensions[get_column_letter(position)].width = width
    worksheet.freeze_panes = "C3"

    title_cell = text_cell(worksheet, title)  # the title holds an organization's name
    title_cell.font = Font(bold=True, size=14)
    worksheet.append([title_cell])
    header_font, header_alignment = Font(bold=True), Alignment(horizontal="center", wrap_text=True)
    header_cells = []
    for header in _headers():
        cell = WriteOnlyCell(worksheet, header)
        cell.font, cell.alignment = header_font, header_alignment
        header_cells.append(cell)
    worksheet.append(header_cells)

    convert = _row_converter(show_personal_data=show_personal_data)
    month_positions = [position for position, column in enumerate(COLUMNS) if column.kind == MONTH]
    rows = _roster_rows(queryset)
    count = 0
    for values in rows:
        row = convert(values)
        for position in month_positions:
            row[position] = month_cell(worksheet, row[position])
        append_row(worksheet, row)
        count += 1
        if progress is not None and count % progress_every == 0:
            progress(count)
    workbook.save(output)
    return count


def _roster_rows(queryset) -> Iterator[tuple]:
    sources = [column.source for column in COLUMNS] + [column.key for column in EXTRA_COLUMNS]
    queryset = annotate_extra_columns(queryset.order_by(*_ordering(queryset)))
    return queryset.values_list(*sources).iterator(chunk_size=CHUNK_SIZE)


def _ordering(queryset) -> list[str]:
    """The list's sort order (or the model's), with ``id`` last so the order is total."""
    ordering = list(queryset.query.order_by or Member._meta.ordering)
    if "id" not in ordering and "-id" not in ordering:
        ordering.append("id")
    return ordering


def export_for_user(output, *, user, query: str | QueryDict, progress=None) -> tuple[int, dict]:
    """Write the roster the user's list shows for ``query``; return (row count, filters)."""
    queryset, cleaned = roster_queryset(user=user, query=query)
    count = write_roster(
        output,
        queryset=queryset,
        title=roster_title(user=user, cleaned_filters=cleaned),
        show_personal_data=can_see_personal_data(user),
        progress=progress,
    )
    return count, describe_filters(cleaned)
