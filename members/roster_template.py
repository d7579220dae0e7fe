"""The empty roster the import accepts, with drop-down lists and a sheet of organization codes."""
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from members.roster_schema import CHOICE, DATE, IMPORT_COLUMNS, MONTH
from members.xlsx_cells import MONTH_FORMAT, append_row
from organizations.models import Organization

TEMPLATE_ROWS = 2000


def write_template(output, *, user) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("流动党员登记册")
    append_row(sheet, [_("流动党员登记册（导入模板）：第2行为列名，请勿修改；带 * 的列必填；从第3行起每行填写一名党员")])
    sheet["A1"].font = Font(bold=True)
    append_row(sheet, [f"{column.header}*" if column.required else str(column.header) for column in IMPORT_COLUMNS])
    last_row = TEMPLATE_ROWS + 2
    for position, column in enumerate(IMPORT_COLUMNS, 1):
        letter = get_column_letter(position)
        sheet.cell(row=2, column=position).font = Font(bold=True)
        sheet.column_dimensions[letter].width = column.width + 2
        cells = f"{letter}3:{letter}{last_row}"
        if column.kind == CHOICE:
            labels = ",".join(str(label) for label in column.choices.labels)
            validation = DataValidation(type="list", formula1=f'"{labels}"', allow_blank=not column.required,
                                        showErrorMessage=True, error=_("请从下拉列表中选择。"))
            validation.add(cells)
            sheet.add_data_validation(validation)
        elif column.kind in (DATE, MONTH):
            number_format = MONTH_FORMAT if column.kind == MONTH else "yyyy-mm-dd"
            for row in range(3, last_row + 1):
                sheet.cell(row=row, column=position).number_format = number_format
        elif column.source in ("id_number", "phone", "organization__code"):
            for row in range(3, last_row + 1):
                sheet.cell(row=row, column=position).number_format = "@"
    sheet.freeze_panes = "B3"

    codes = workbook.create_sheet(_("党组织代码"))
    append_row(codes, [_("党组织代码"), _("党组织名称")])
    for code, name in Organization.objects.visible_to(user).member_holding().order_by("path").values_list("code", "name"):
        append_row(codes, [code, name])
    codes.column_dimensions["A"].width = 16
    codes.column_dimensions["B"].width = 30
    workbook.save(output)
