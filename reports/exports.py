"""Excel files in the layout the committee files: one report, and a roll-up of branches."""
from io import BytesIO
from itertools import groupby

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from members.xlsx_cells import append_row, write_cell
from reports.models import QuarterlyReport
from reports.national_table import COLUMNS, NationalTable
from reports.selectors import ReviewBoard
from reports.statistics import FORMER_OCCUPATIONS, HEADLINE, HELP, SCOPES, TRADE_LABELS, UNIT_KINDS, top

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
BOLD = Font(bold=True)
TITLE = Font(bold=True, size=14)
HEAD_FILL = PatternFill("solid", fgColor="EEF0F3")
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)


def national_table_rows(figures: dict) -> list[tuple[str, str, int]]:
    """(section, label, count) rows of 流动党员情况（二）."""
    rows = [("", _("外出党员总数"), figures["outflow"])]
    rows += [(_("按流动范围"), str(label), figures[f"scope_{key}"]) for key, label in SCOPES]
    rows.append((_("按流动范围"), _("其中：持《流动党员活动证》"), figures["card_holders"]))
    rows += [(_("按流向单位"), str(label), figures[f"unit_kind_{key}"]) for key, label in UNIT_KINDS]
    rows += [(_("按原从事职业"), str(label), figures[f"former_{key}"]) for key, label in FORMER_OCCUPATIONS]
    rows.append(("", _("接收流动党员的党支部（个）"), figures["receiving_branches"]))
    rows.append(("", _("短期外出（不计入合计）"), figures.get("short_trips", 0)))
    return rows


def _title(sheet, text: str, width: int) -> None:
    append_row(sheet, [text])
    sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width)
    cell = sheet.cell(row=sheet.max_row, column=1)
    cell.font, cell.alignment = TITLE, CENTRE
    sheet.row_dimensions[sheet.max_row].height = 28


def _table(sheet, header: list[str], rows: list[list]) -> None:
    append_row(sheet, header)
    for cell in sheet[sheet.max_row]:
        cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEAD_FILL, BORDER, CENTRE
    for row in rows:
        append_row(sheet, row)
        for cell in sheet[sheet.max_row]:
            cell.border = BORDER
    append_row(sheet, [])


def _section(sheet, text: str) -> None:
    append_row(sheet, [text])
    sheet.cell(row=sheet.max_row, column=1).font = BOLD


def _save(workbook: Workbook) -> bytes:
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def report_workbook(report: QuarterlyReport, figures: dict, events) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("季度报告")
    _title(sheet, _("%(org)s%(quarter)s流动党员工作情况报告") % {"org": report.organization, "quarter": report.period.label}, 3)
    submitted = timezone.localtime(report.submitted_at).strftime("%Y-%m-%d %H:%M") if report.submitted_at else "—"
    append_row(sheet, [_("填报单位：%s") % report.organization, _("状态：%s") % report.get_status_display(),
                  _("提交时间：%s") % submitted])
    append_row(sheet, [])
    _section(sheet, _("一、基本情况"))
    _table(sheet, [_("指标"), _("人数")], [[str(label), figures[key]] for key, label in HEADLINE])
    _section(sheet, _("二、流动党员情况（二）"))
    _table(sheet, [_("分类"), _("项目"), _("人数")], [list(row) for row in national_table_rows(figures)])
    _section(sheet, _("三、流向地分布"))
    _table(sheet, [_("流入地"), _("人数")], [[place if place != "unknown" else _("未填写"), n]
                                          for place, n in top(figures["destinations"], limit=1000)])
    _section(sheet, _("四、从事行业"))
    _table(sheet, [_("行业"), _("人数")], [[str(TRADE_LABELS.get(trade, trade)), n]
                                         for trade, n in top(figures["trades"], limit=1000)])
    _section(sheet, _("五、工作开展情况"))
    _table(sheet, [_("项目"), _("内容")], [
        *([str(QuarterlyReport._meta.get_field(name).verbose_name), getattr(report, name)]
          for name in ("work_done", "problems")),
        *([str(label), figures.get(key, 0)] for key, label in HELP),
    ])
    _section(sheet, _("六、流转记录"))
    _table(sheet, [_("时间"), _("操作"), _("操作人"), _("意见")], [
        [timezone.localtime(event.at).strftime("%Y-%m-%d %H:%M"), event.get_action_display(), str(event.actor), event.comment]
        for event in events
    ])
    sheet.column_dimensions["A"].width = 34
    sheet.column_dimensions["B"].width = 60
    sheet.column_dimensions["C"].width = 22
    sheet.column_dimensions["D"].width = 30
    for row in sheet.iter_rows():
        for cell in row:
            if cell.alignment != CENTRE:
                cell.alignment = WRAP
    return _save(workbook)


def rollup_columns() -> list[tuple[str, str, str]]:
    """(column group, figure key, label) of the roll-up table, after the organization and status."""
    columns = [("", "members_total", _("党员总数")), ("", "outflow", _("外出党员"))]
    columns += [(_("按流动范围"), f"scope_{key}", str(label)) for key, label in SCOPES]
    columns.append((_("按流动范围"), "card_holders", _("持活动证")))
    columns += [(_("按流向单位"), f"unit_kind_{key}", str(label)) for key, label in UNIT_KINDS]
    columns += [(_("按原从事职业"), f"former_{key}", str(label)) for key, label in FORMER_OCCUPATIONS]
    columns += [(_("本季度工作"), key, str(label)) for key, label in HEADLINE
                if key in ("contacted", "organizational_life", "dues_up_to_date", "flagged_inactive",
                           "new_outflows", "new_inflows", "returned", "hidden_found", "hosted", "receiving_branches")]
    columns += [(_("帮扶服务"), "visits_made", _("走访（人次）")), (_("帮扶服务"), "problems_solved", _("解决困难（件）")),
                (_("帮扶服务"), "errands_run", _("代办事项（件）"))]
    return columns


def _figure_row(name: str, status: str, figures: dict, columns) -> list:
    return [name, status] + [figures.get(key, 0) for _group, key, _label in columns]


def _grouped_header(sheet, leading: list[str], columns) -> int:
    """Two header rows: each column group's name over its columns, a lone column spanning both; returns the first."""
    previous_groups = [None] + [group for group, _key, _label in columns]
    append_row(sheet, leading + [
        str(group) if group != previous else None for group, previous in zip(previous_groups[1:], previous_groups)])
    append_row(sheet, [""] * len(leading) + [str(label) for _group, _key, label in columns])
    for row_index in (sheet.max_row - 1, sheet.max_row):
        for cell in sheet[row_index]:
            cell.font, cell.fill, cell.border, cell.alignment = BOLD, HEAD_FILL, BORDER, CENTRE
    header_row = sheet.max_row - 1
    for column in range(1, len(leading) + 1):
        sheet.merge_cells(start_row=header_row, start_column=column, end_row=header_row + 1, end_column=column)
    column = len(leading) + 1
    for group, items in groupby(columns, key=lambda item: item[0]):
        items = list(items)
        if not group:  # a column of its own: its label spans both header rows
            for offset, (_group, _key, label) in enumerate(items):
                write_cell(sheet, row=header_row, column=column + offset, value=str(label))
                sheet.merge_cells(start_row=header_row, start_column=column + offset,
                                  end_row=header_row + 1, end_column=column + offset)
        elif len(items) > 1:
            sheet.merge_cells(start_row=header_row, start_column=column, end_row=header_row,
                              end_column=column + len(items) - 1)
        column += len(items)
    return header_row


def national_table_workbook(table: NationalTable) -> bytes:
    """流动党员情况（二）: one row per unit filed for, the total, and the check of each row."""
    width = len(COLUMNS) + 1
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("流动党员情况（二）")
    _title(sheet, _("流动党员情况（二）"), width)
    append_row(sheet, [_("填报单位：%s") % table.root, _("统计时期：%s") % table.quarter.label,
                       _("截至：%s") % table.quarter.end.isoformat()])
    header_row = _grouped_header(sheet, [_("单位")], COLUMNS)
    for row in table.rows:
        append_row(sheet, [row.label, *row.values])
        for cell in sheet[sheet.max_row]:
            cell.border = BORDER
            if row.total:
                cell.font = BOLD
    append_row(sheet, [])
    checks = table.failed_checks
    append_row(sheet, [_("校验：各分项之和均等于外出党员总数") if not checks else _("校验：以下各行不相符")])
    sheet.cell(row=sheet.max_row, column=1).font = BOLD
    for label, errors in checks:
        append_row(sheet, [label, "；".join(errors)])
    append_row(sheet, [_("注：外出党员按季度最后一天的外出登记统计（已批准、未返回、长期外出、持活动证或出国（境））；"
                         "开具党员证明信和留在原支部过组织生活的为短期外出，不计入合计。")])
    sheet.freeze_panes = sheet.cell(row=header_row + 2, column=2)
    sheet.column_dimensions["A"].width = 26
    for column in range(2, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 10
    return _save(workbook)


def rollup_workbook(board: ReviewBoard) -> bytes:
    columns = rollup_columns()
    width = len(columns) + 2
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = _("汇总表")
    _title(sheet, _("%(org)s%(quarter)s流动党员情况汇总表") % {"org": board.root, "quarter": board.quarter.label}, width)
    append_row(sheet, [_("截止日期：%s") % board.quarter.deadline.isoformat(),
                  _("导出时间：%s") % timezone.localtime().strftime("%Y-%m-%d %H:%M")])
    header_row = _grouped_header(sheet, [_("党组织"), _("报告状态")], columns)
    for group in board.groups:
        for row in group.rows:
            label = str(row.status_label) + (_("（逾期）") if row.overdue else "")
            append_row(sheet, _figure_row(row.organization.name, label, row.figures, columns))
        if len(board.groups) > 1:
            append_row(sheet, _figure_row(_("%s 小计") % group.committee.name, "", group.totals, columns))
            for cell in sheet[sheet.max_row]:
                cell.font = BOLD
    append_row(sheet, _figure_row(_("合计"), "", board.totals, columns))
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
    for row in sheet.iter_rows(min_row=header_row + 2, max_row=sheet.max_row):
        for cell in row:
            cell.border = BORDER
    sheet.freeze_panes = sheet.cell(row=header_row + 2, column=3)
    sheet.column_dimensions["A"].width = 26
    sheet.column_dimensions["B"].width = 14
    for column in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 10
    return _save(workbook)
