"""Reading an uploaded roster and planning what the import would do (dry run).

The file is checked as a whole first (type, size, encryption, corruption,
merged cells, headers, formulas, blank rows); any of those stops the import
with one clear message. Then each row is read, validated and matched to an
existing member by ID number, giving an outcome per row: new, update,
unchanged or error, with every error as row, column and a Chinese message.

Validation is set-based so that large rosters stay fast: one query finds the
members the ID numbers belong to, organizations come from one query of the
user's subtree, and each row runs the model's own field validators and
``clean()`` (the database lookups ``full_clean`` would add per row, for
foreign keys and uniqueness, are done for the whole file at once).

ID numbers held by members outside the user's tree get one neutral message
and are listed in ``ImportPlan.held_outside``: the dry-run page logs and
counts them (``members.id_lookups``) before it shows the plan.
"""
import hashlib
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import dues, dues_ledger
from members.id_lookups import HELD_OUTSIDE_REFUSAL
from members.masking import mask_phone
from members.models import Member
from members.roster_columns import EXTRA_COLUMNS
from members.roster_schema import CHOICE, COLUMNS, COMPLETENESS_HEADER, DATE, INTEGER, MONTH, Column
from members.services import MemberChange
from members.xlsx_reader import ColumnOutOfRange, DamagedSheet, FirstSheet, SheetRow
from organizations.models import Organization
from organizations.validators import validate_date_in_range

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
OUTCOME_LABELS = {NEW: gettext_lazy("新增"), UPDATE: gettext_lazy("更新"), UNCHANGED: gettext_lazy("无变化"),
                  ERROR: gettext_lazy("错误")}

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d", "%Y-%m", "%Y/%m", "%Y年%m月")
#: columns read from the sheet: the roster has about 30, so content far to the right is refused (not padded)
ROSTER_MAX_COLUMNS = 100
#: foreign keys checked for the whole file at once instead of one query per row
SET_CHECKED_FIELDS = ["organization", "host_organization", "liaison"]


class RosterFileError(Exception):
    """The file as a whole cannot be imported; the message says why and what to do."""


@dataclass
class CellError:
    row: int
    column: str
    message: str


@dataclass
class RowResult:
    row: int
    outcome: str
    name: str = ""
    id_number: str = ""
    errors: list[CellError] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    changed_fields: list[str] = field(default_factory=list)
    member: Member | None = None
    expected_version: int | None = None

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


@dataclass
class ImportPlan:
    rows: list[RowResult]
    #: the file's ID numbers held by members outside the user's tree: lookups to log and count before showing
    held_outside: list[str] = field(default_factory=list)

    @property
    def errors(self) -> list[CellError]:
        return [error for row in self.rows for error in row.errors]

    @property
    def has_errors(self) -> bool:
        return any(row.outcome == ERROR for row in self.rows)

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys((NEW, UPDATE, UNCHANGED, ERROR), 0)
        for row in self.rows:
            counts[row.outcome] += 1
        return counts

    @property
    def creates(self) -> list[Member]:
        return [row.member for row in self.rows if row.outcome == NEW]

    @property
    def updates(self) -> list[MemberChange]:
        return [MemberChange(row.member, row.expected_version, row.changed_fields)
                for row in self.rows if row.outcome == UPDATE]

    def fingerprint(self) -> str:
        """Identifies what the plan would write, to tell whether data changed since the dry run."""
        digest = hashlib.sha256()
        for row in self.rows:
            member_id = row.member.pk if row.member is not None else None
            digest.update(f"{row.row}|{row.outcome}|{member_id}|{row.expected_version}|{row.changed}\n".encode())
        return digest.hexdigest()


# --- the file as a whole --------------------------------------------------------------------


def _megabytes(size: int) -> str:
    return f"{size / 1024 / 1024:.1f}"


def check_upload(upload) -> None:
    """Reject what is not a readable, unprotected .xlsx workbook within the size limit."""
    limit = settings.ROSTER_IMPORT_MAX_BYTES
    if upload.size > limit:
        raise RosterFileError(
            _("文件大小为 %(size)s MB，超过了 %(limit)s MB 的上限。请把名册分成几个文件分别导入。")
            % {"size": _megabytes(upload.size), "limit": _megabytes(limit)})
    if upload.size == 0:
        raise RosterFileError(_("上传的文件是空的，请重新选择文件。"))
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head == OLE_SIGNATURE:
        if ENCRYPTED_PACKAGE in upload.read():
            upload.seek(0)
            raise RosterFileError(_("文件设置了打开密码，系统无法读取。请在 Excel 中取消密码（文件 › 信息 › 保护工作簿）后重新上传。"))
        upload.seek(0)
        raise RosterFileError(_("这是旧版 Excel（.xls）文件。请在 Excel 中“另存为” .xlsx 格式后再上传。"))
    if not upload.name.lower().endswith(".xlsx"):
        raise RosterFileError(_("只能导入 Excel 工作簿（.xlsx 文件）。请下载导入模板，填好后上传。"))
    if not zipfile.is_zipfile(upload):
        upload.seek(0)
        raise RosterFileError(_("文件已损坏或不是 Excel 工作簿，无法读取。请用 Excel 打开检查后重新保存再上传。"))
    upload.seek(0)
    with zipfile.ZipFile(upload) as archive:
        names = set(archive.namelist())
        if "xl/workbook.xml" not in names:
            raise RosterFileError(_("文件不是 Excel 工作簿（缺少工作簿内容）。请下载导入模板，填好后上传。"))
        unpacked = sum(info.file_size for info in archive.infolist())
        if unpacked > settings.ROSTER_IMPORT_MAX_UNPACKED_BYTES:
            raise RosterFileError(_("文件解压后过大，超过系统上限。请把名册分成几个文件分别导入。"))
        try:
            bad_member = archive.testzip()
        except (zipfile.BadZipFile, OSError, EOFError):
            bad_member = True
        if bad_member:
            raise RosterFileError(_("文件已损坏，无法读取。请用 Excel 打开检查后重新保存再上传。"))
    upload.seek(0)


def open_roster_sheet(upload) -> FirstSheet:
    """The first worksheet of the uploaded workbook, streamed (formulas kept as formulas)."""
    check_upload(upload)
    try:
        return FirstSheet(upload, max_columns=ROSTER_MAX_COLUMNS)
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
        raise RosterFileError(_("文件已损坏或格式不正确，无法读取。请用 Excel 打开检查后重新保存再上传。")) from exc


# --- headers and rows -------------------------------------------------------------------------


def _normalize_header(value) -> str:
    return re.sub(r"[\s*＊]", "", str(value)) if value is not None else ""


def _known_headers() -> dict[str, Column | None]:
    """Header text → the column it fills (None for the columns the import ignores)."""
    known: dict[str, Column | None] = {_normalize_header(column.header): None for column in EXTRA_COLUMNS}
    known[_normalize_header(COMPLETENESS_HEADER)] = None
    for column in COLUMNS:
        known[_normalize_header(column.header)] = column if column.importable else None
    return known


def _is_blank(values) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _map_headers(header_values, header_row: int) -> dict[int, Column]:
    known = _known_headers()
    positions: dict[int, Column] = {}
    unknown, seen = [], {}
    for position, value in enumerate(header_values):
        text = _normalize_header(value)
        if not text:
            continue
        if text not in known:
            unknown.append(str(value).strip())
            continue
        if text in seen:
            raise RosterFileError(_("第%(row)d行的列名「%(name)s」出现了两次，请删除重复的列。")
                                  % {"row": header_row, "name": text})
        seen[text] = position
        if known[text] is not None:
            positions[position] = known[text]
    if unknown:
        raise RosterFileError(
            _("第%(row)d行有无法识别的列名：%(names)s。请使用导入模板中的列名，不要修改或增加列。")
            % {"row": header_row, "names": "、".join(f"「{name}」" for name in unknown)})
    present = {column.source for column in positions.values()}
    missing = [str(column.header) for column in COLUMNS if column.required and column.source not in present]
    if missing:
        raise RosterFileError(_("缺少必填的列：%(names)s。请下载导入模板，按模板的列名填写。")
                              % {"names": "、".join(missing)})
    return positions


def _read_rows(sheet: FirstSheet) -> tuple[dict[int, Column], list[SheetRow]]:
    """The header mapping and the data rows."""
    rows = iter(sheet)
    header_map = None
    required_texts = {_normalize_header(COLUMNS[0].header), _normalize_header(COLUMNS[2].header)}
    for row in rows:
        if required_texts <= {_normalize_header(value) for value in row.values}:
            header_map = _map_headers(row.values, row.number)
            break
        if row.number >= 3:
            break
    if header_map is None:
        raise RosterFileError(_("找不到表头：第1行（或标题下的第2行）应为列名，且包含「姓名」和「身份证号码」。请下载导入模板对照。"))

    max_rows = settings.ROSTER_IMPORT_MAX_ROWS
    data, blank_rows, formulas = [], [], []
    last_number = row.number
    for row in rows:
        # Excel leaves wholly empty rows out of the file: a gap in the numbers is blank rows too.
        blank_rows.extend(range(last_number + 1, row.number))
        last_number = row.number
        if _is_blank(row.values):
            blank_rows.append(row.number)
            continue
        if blank_rows:
            raise RosterFileError(
                _("第%(rows)s行是空行。名册中间不能有空行，请删除空行后重新上传。")
                % {"rows": "、".join(str(n) for n in blank_rows[:10])})
        formulas.extend(f"{header_map[column].header}（第{row.number}行）"
                        for column in row.formula_columns if column in header_map)
        data.append(row)
        if len(data) > max_rows:
            raise RosterFileError(_("名册超过 %(max)d 行，请分成几个文件分别导入。") % {"max": max_rows})
    if sheet.merged_ranges:
        raise RosterFileError(
            _("工作表含有合并单元格（%(range)s）。请取消所有合并单元格，每个单元格只填一项后再上传。")
            % {"range": "、".join(sheet.merged_ranges[:5])})
    if formulas:
        raise RosterFileError(
            _("以下单元格是公式：%(cells)s。请把公式“粘贴为数值”后再上传。")
            % {"cells": "、".join(formulas[:10]) + ("等" if len(formulas) > 10 else "")})
    if not data:
        raise RosterFileError(_("文件中没有党员数据，请在表头下方逐行填写后再上传。"))
    return header_map, data


# --- values ---------------------------------------------------------------------------------


class _CellValueError(ValueError):
    pass


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (datetime, date)):
        return value.strftime("%Y-%m-%d")
    return str(value).strip()


def _date(value) -> date | None:
    if value is None or value == "":
        return None
    day = _parse_date(value)
    if day is None:
        raise _CellValueError(_("「%(value)s」不是有效日期，请填写如 2026-03-01 的日期。") % {"value": value})
    try:
        validate_date_in_range(day)
    except ValidationError as exc:
        raise _CellValueError(exc.messages[0]) from exc
    return day


MONTH_TEXT = re.compile(r"^\s*(\d{4})\s*(?:年|-|/|\.)\s*(\d{1,2})\s*月?\s*$")


def _month(value) -> date | None:
    """A month cell: a date cell (any day of the month) or text such as 2026年10月 / 2026-10."""
    match = MONTH_TEXT.match(value) if isinstance(value, str) else None
    if match and 1 <= int(match[2]) <= 12:
        value = date(int(match[1]), int(match[2]), 1)
    if value is None or value == "":
        return None
    month = _parse_date(value)
    if month is None:
        raise _CellValueError(_("「%(value)s」不是有效月份，请填写如 2026年10月 的月份。") % {"value": value})
    return _date(month.replace(day=1))


def _parse_date(value) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for fmt in DATE_FORMATS:
            try:
                return datetime.strptime(text, fmt).date()
            except ValueError:
                continue
    return None


def _integer(value) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise _CellValueError(_("请填写整数。"))
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise _CellValueError(_("「%(value)s」不是整数，请填写如 12 的整数。") % {"value": value})


def _choice_reader(column: Column):
    by_label = {str(label): value for value, label in column.choices.choices}
    by_value = {value: value for value in column.choices.values}
    allowed = "、".join(by_label)

    def read(value) -> str:
        text = _text(value)
        if not text:
            return ""
        if text in by_label or text in by_value:
            return by_label.get(text) or by_value[text]
        raise _CellValueError(_("「%(value)s」不是可选的值，请填写：%(allowed)s。") % {"value": text, "allowed": allowed})

    return read


def _reader(column: Column):
    if column.kind == DATE:
        return _date
    if column.kind == MONTH:
        return _month
    if column.kind == INTEGER:
        return _integer
    if column.kind == CHOICE:
        return _choice_reader(column)
    if column.source == "id_number":
        return _id_number
    return _text


def _id_number(value) -> str:
    if isinstance(value, (int, float)):
        raise _CellValueError(_("身份证号码被存成了数字，末尾几位可能已丢失。请把该列设为“文本”格式后重新填写。"))
    text = _text(value).upper()
    if "*" in text:
        raise _CellValueError(_("这是脱敏后的身份证号码（含 *），无法用于匹配。请填写完整号码，或使用可查看完整信息的账号导出名册。"))
    return text


# --- the plan ---------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _fields_by_header() -> dict[str, str]:
    return {str(column.header): column.field for column in COLUMNS}


def _header_of(field_name: str) -> str:
    for column in COLUMNS:
        if column.field == field_name:
            return str(column.header)
    return ""


def _parse_row(row_number: int, cells: list, header_map, readers) -> tuple[dict, list[CellError]]:
    values, errors = {}, []
    width = len(cells)
    for position, column in header_map.items():
        raw = cells[position] if position < width else None
        try:
            value = readers[column.source](raw)
        except _CellValueError as exc:
            errors.append(CellError(row_number, str(column.header), str(exc)))
            continue
        if column.required and value in (None, ""):
            errors.append(CellError(row_number, str(column.header), _("必填，不能为空。")))
            continue
        values[column.source] = value
    return values, errors


def build_plan(upload, *, user) -> ImportPlan:
    """Read ``upload`` and decide each row's outcome; write nothing."""
    sheet = open_roster_sheet(upload)
    try:
        header_map, data = _read_rows(sheet)
    except DamagedSheet as exc:
        near = _("（第%(row)d行附近）") % {"row": exc.row} if exc.row else ""
        raise RosterFileError(_("文件已损坏，工作表内容无法读取%(near)s。请用 Excel 打开检查后重新保存再上传。")
                              % {"near": near}) from exc
    except ColumnOutOfRange as exc:
        raise RosterFileError(_("第%(row)d行第%(column)d列超出了名册的范围（最多 %(max)d 列）。请删除名册右侧多余的内容后再上传。")
                              % {"row": exc.row, "column": exc.column + 1, "max": ROSTER_MAX_COLUMNS}) from exc
    finally:
        sheet.close()
    readers = {column.source: _reader(column) for column in header_map.values()}
    parsed = [(row.number, *_parse_row(row.number, row.values, header_map, readers)) for row in data]
    return _plan(parsed, header_map=header_map, user=user)


def _plan(parsed, *, header_map, user) -> ImportPlan:
    organizations = {
        org.code: org for org in Organization.objects.visible_to(user).member_holding().only("id", "code", "name", "path")
    }
    id_numbers = [values["id_number"] for _row, values, _errors in parsed if values.get("id_number")]
    held = {}
    for start in range(0, len(id_numbers), 5000):
        chunk = id_numbers[start:start + 5000]
        held.update((m.id_number, m) for m in Member.objects.held_by(user).filter(id_number__in=chunk))
    hosted, outside = set(), set()  # not held by the user: hosted in the tree, or held outside it
    visible = Member.objects.visible_to(user).values("pk")
    for start in range(0, len(id_numbers), 5000):
        chunk = [number for number in id_numbers[start:start + 5000] if number not in held]
        if chunk:
            for number, is_visible in (Member.objects.filter(id_number__in=chunk)
                                       .annotate(is_visible=Exists(visible.filter(pk=OuterRef("pk"))))
                                       .values_list("id_number", "is_visible")):
                (hosted if is_visible else outside).add(number)

    present_fields = [column.field for column in header_map.values()]
    # 党费缴至 follows the start of dues and the payments (members.dues): read them once for the whole file.
    spans = dues_ledger.spans_by_member(m.pk for m in held.values()) if "dues_start_month" in present_fields else {}
    first_seen: dict[str, int] = {}
    results = []
    for row_number, values, errors in parsed:
        id_number = values.get("id_number", "")
        result = RowResult(row=row_number, outcome=ERROR, name=values.get("name", ""), id_number=id_number,
                           errors=list(errors))
        results.append(result)
        if id_number:
            if id_number in first_seen:
                result.errors.append(CellError(row_number, _header_of("id_number"),
                                               _("与第%(row)d行的身份证号码重复。") % {"row": first_seen[id_number]}))
            else:
                first_seen[id_number] = row_number
            if id_number in hosted:
                result.errors.append(CellError(
                    row_number, _header_of("id_number"),
                    _("该党员的组织关系不在您管理的党组织内，不能通过导入新增或修改。")))
            elif id_number in outside:
                result.errors.append(CellError(row_number, _header_of("id_number"), str(HELD_OUTSIDE_REFUSAL)))
        code = values.pop("organization__code", None)
        if code is not None:
            organization = organizations.get(code)
            if organization is None:
                result.errors.append(CellError(row_number, _header_of("organization"),
                                               _("党组织代码「%(code)s」不存在或不在您管理的范围内。") % {"code": code}))
            else:
                values["organization"] = organization
        _plan_member(result, values, existing=held.get(id_number), present_fields=present_fields, spans=spans)
    return ImportPlan(results, held_outside=sorted(outside))


def _plan_member(result: RowResult, values: dict, *, existing: Member | None, present_fields, spans) -> None:
    if existing is not None:
        member = existing  # loaded for this plan only: changed in place, written only on confirmation
        before = {name: getattr(existing, name if name != "organization" else "organization_id")
                  for name in present_fields}
        phone = values.get("phone", "")
        if "*" in phone and phone == mask_phone(existing.phone):
            values["phone"] = existing.phone  # a masked export: keep the number on record
    else:
        member = Member()
        before = None
    if "*" in values.get("phone", ""):
        result.errors.append(CellError(result.row, _header_of("phone"),
                                       _("这是脱敏后的手机号码（含 *），请填写完整号码。")))
        values.pop("phone")
    for name, value in values.items():
        setattr(member, name, value)
    if "dues_start_month" in values:
        member.dues_paid_through = dues.paid_through(start_month=member.dues_start_month,
                                                     spans=spans.get(member.pk, []))
    # Validate what could be read, so that the user sees every error of the row at once.
    failed = {_fields_by_header().get(error.column) for error in result.errors}
    for check in (lambda: member.clean_fields(exclude=[*SET_CHECKED_FIELDS, *failed]), member.clean):
        try:
            check()
        except ValidationError as exc:
            result.errors.extend(CellError(result.row, _header_of(field_name), message)
                                 for field_name, messages in exc.message_dict.items() if field_name not in failed
                                 for message in messages)
    if result.errors:
        return
    result.member = member
    if before is None:
        result.outcome = NEW
        return
    result.expected_version = existing.version
    after = {name: getattr(member, name if name != "organization" else "organization_id") for name in present_fields}
    result.changed_fields = [name for name in present_fields if before[name] != after[name]]
    if "dues_start_month" in result.changed_fields:
        result.changed_fields.append("dues_paid_through")
    result.changed = [_header_of(name) for name in result.changed_fields]
    result.outcome = UPDATE if result.changed else UNCHANGED
