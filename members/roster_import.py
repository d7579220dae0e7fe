"""Reading an uploaded roster and planning what the import would do (dry run).

The file is checked as a whole first (type, size, encryption, corruption);
then every worksheet (a town keeps one per branch) is searched for its
header row (``members.roster_headers``) below any title and unit lines.
Merged cells and formulas below the header, or a missing required column,
stop the import with one clear message; a column whose meaning is uncertain
stops it at the mapping step (``MappingNeeded``). Spacer rows and the
totals or notes rows at a sheet's end are skipped and listed. Then each row
is read (``members.roster_values``), validated and matched to an existing
member by ID number, giving an outcome per row: new, update, unchanged or
error, with every error as sheet, row, column and a Chinese message. A
member the file puts in another branch than the one holding them is a
conflict, never a silent move.

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
from datetime import date
from functools import cached_property
from itertools import chain, islice

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from members import dues, dues_ledger
from members.choices import MembershipType, MobilityStatus
from members.id_lookups import HELD_OUTSIDE_REFUSAL
from members.masking import mask_phone
from members.masking import mask_id_number
from members.models import Member, RosterColumnChoice
from members.roster_headers import (
    HEADER_SEARCH_ROWS,
    IGNORE,
    REQUIRED,
    TARGETS,
    SheetColumn,
    find_header,
    normalize_header,
    resolve_columns,
    target_label,
)
from members.roster_schema import CHOICE, DATE, INTEGER, MONTH, YES_NO, Column
from members.roster_values import (
    CellValueError,
    MonthOnly,
    birth_date_from_id,
    choice_words,
    gender_from_id,
    normalize_text,
    parse_choice,
    parse_date,
    parse_id_number,
    parse_integer,
    parse_month,
    parse_phone,
    parse_text,
    parse_yes_no,
)
from members.services import MemberChange
from members.xlsx_reader import ColumnOutOfRange, DamagedSheet, Sheet, SheetRow, TooManySheets, Workbook
from organizations.choices import MEMBER_HOLDING_KINDS
from organizations.models import Organization
from organizations.validators import validate_date_in_range
from places.display import read_place_text

NEW, UPDATE, UNCHANGED, ERROR = "new", "update", "unchanged", "error"
OUTCOME_LABELS = {NEW: gettext_lazy("新增"), UPDATE: gettext_lazy("更新"), UNCHANGED: gettext_lazy("无变化"),
                  ERROR: gettext_lazy("错误")}

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
ENCRYPTED_PACKAGE = "EncryptedPackage".encode("utf-16-le")
#: columns read from the sheet: the roster has about 30, so content far to the right is refused (not padded)
ROSTER_MAX_COLUMNS = 100
#: Foreign keys checked for the whole file at once instead of one query per row (the place codes too).
SET_CHECKED_FIELDS = ["organization", "host_organization", "liaison", "destination_division", "abroad_country"]


#: a row whose first cell starts so is the sheet's totals or notes: it and every row below are skipped
TRAILER_WORDS = ("合计", "总计", "小计", "共计", "备注", "注:", "说明", "填表说明", "填表人", "填报人", "制表人",
                 "审核人", "负责人", "填表日期", "填报日期", "联系人:", "联系电话:")
#: sample values shown for each column at the mapping step
MAPPING_SAMPLES = 3


class RosterFileError(Exception):
    """The file as a whole cannot be imported; the message says why and what to do."""


@dataclass
class MappingColumn:
    """One column of the file at the mapping step: its header, a few values and what it seems to be."""

    key: str
    header: str
    samples: list[str]
    target: str


class MappingNeeded(RosterFileError):
    """Some columns' meaning is uncertain: the user chooses a field (or 忽略) for each before the dry run."""

    def __init__(self, columns: list[MappingColumn]):
        super().__init__(_("名册中有些列无法确定对应哪一项信息，请为每一列选择对应的信息项后再预演。"))
        self.columns = columns


@dataclass
class CellError:
    row: int
    column: str
    message: str
    sheet: str = ""
    #: the model field the error is about, so that validation does not report it twice
    field: str = ""


@dataclass
class SkippedRows:
    """Rows left out of the import on purpose: spacer lines, and the totals or notes at a sheet's end."""

    sheet: str
    first: int
    last: int
    reason: str

    @property
    def rows(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


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
    sheet: str = ""
    #: the member is held by another branch of the user's tree than the one the file names
    conflict: bool = False

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS[self.outcome]


@dataclass
class ImportPlan:
    rows: list[RowResult]
    #: the file's ID numbers held by members outside the user's tree: lookups to log and count before showing
    held_outside: list[str] = field(default_factory=list)
    skipped: list[SkippedRows] = field(default_factory=list)
    #: the worksheets read, and those without a roster header (left out)
    sheets: list[str] = field(default_factory=list)
    skipped_sheets: list[str] = field(default_factory=list)

    @property
    def several_sheets(self) -> bool:
        return len(self.sheets) > 1

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
            digest.update(f"{row.sheet}|{row.row}|{row.outcome}|{member_id}|{row.expected_version}|{row.changed}\n"
                          .encode())
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


def open_roster_workbook(upload) -> Workbook:
    """The uploaded workbook, its sheets streamed one by one (formulas kept as formulas)."""
    check_upload(upload)
    try:
        return Workbook(upload, max_columns=ROSTER_MAX_COLUMNS)
    except TooManySheets as exc:
        raise RosterFileError(_("工作簿中的工作表太多（%(n)d 个）。请只保留名册所在的工作表后再上传。")
                              % {"n": exc.args[0]}) from exc
    except Exception as exc:  # openpyxl raises many kinds of errors on a damaged file
        raise RosterFileError(_("文件已损坏或格式不正确，无法读取。请用 Excel 打开检查后重新保存再上传。")) from exc


# --- sheets, headers and rows ---------------------------------------------------------------


@dataclass
class SheetData:
    """One worksheet's roster: its columns (with their meaning) and its data rows."""

    title: str
    header_row: int
    columns: list[SheetColumn]
    rows: list[SheetRow]
    skipped: list[SkippedRows]
    #: the branch named by the sheet's title, for a sheet without a branch column
    organization: Organization | None = None

    @property
    def targets(self) -> set[str]:
        return {column.target for column in self.columns}

    def label(self, field_name: str) -> str:
        """The header this sheet gives the field (公民身份号码 if the file says so), else ours."""
        return self._labels.get(field_name, field_name)

    @cached_property
    def _labels(self) -> dict[str, str]:
        labels = {}
        for column in reversed(TARGETS.values()):
            labels[_field_of(column.source)] = str(column.header)
        for column in reversed(self.columns):
            if column.target != IGNORE:
                labels[_field_of(column.target)] = column.header
        return labels


def _field_of(target: str) -> str:
    """The model field a column fills."""
    return {"organization__code": "organization", "organization__name": "organization",
            "is_probationary": "membership_type", "is_away": "mobility_status"}.get(target, target)


def _is_blank(values) -> bool:
    return all(value is None or (isinstance(value, str) and not value.strip()) for value in values)


def _is_trailer(values) -> bool:
    first = next((value for value in values if value not in (None, "")), None)
    return isinstance(first, str) and normalize_text(first).replace("：", ":").replace(" ", "").startswith(TRAILER_WORDS)


def _read_sheet(sheet: Sheet, choices: dict[str, str], budget: list[int]) -> SheetData | None:
    """The sheet's roster, or ``None`` for a sheet without a header row (a note, a list of codes)."""
    rows = iter(sheet)
    head = list(islice(rows, HEADER_SEARCH_ROWS))
    header = find_header(head, choices)
    if header is None:
        return None
    columns = resolve_columns(header.values, choices)
    seen = {}
    for column in columns:
        key = normalize_header(column.header)
        if key in seen:
            raise RosterFileError(_("工作表「%(sheet)s」第%(row)d行的列名「%(name)s」出现了两次，请删除重复的列。")
                                  % {"sheet": sheet.title, "row": header.number, "name": column.header})
        seen[key] = column
    read = [column.position for column in columns if column.target != IGNORE]
    data, skipped, formulas, spacers = [], [], [], []
    tail = None
    last_number = header.number
    for row in chain((row for row in head if row.number > header.number), rows):
        previous, last_number = last_number, row.number
        if tail is not None:
            continue  # the totals and notes: everything below the first such row
        # Excel leaves wholly empty rows out of the file: a gap in the numbers is blank rows too.
        if row.number > previous + 1:
            spacers.append((previous + 1, row.number - 1))
        values = row.values
        if _is_trailer(values):
            tail = spacers[0][0] if spacers else row.number  # blank lines just above the totals belong to them
            continue
        if _is_blank([values[position] for position in read if position < len(values)]):
            spacers.append((row.number, row.number))
            continue
        skipped.extend(SkippedRows(sheet.title, first, last, _("空行")) for first, last in spacers)
        spacers = []
        formulas.extend(f"{sheet.title}!{_letters(position)}{row.number}" for position in row.formula_columns
                        if position in read)
        data.append(row)
        budget[0] -= 1
        if budget[0] < 0:
            raise RosterFileError(_("名册超过 %(max)d 行，请分成几个文件分别导入。")
                                  % {"max": settings.ROSTER_IMPORT_MAX_ROWS})
    if tail is not None:
        skipped.append(SkippedRows(sheet.title, tail, last_number, _("合计、备注等表尾")))
    below = [ref for ref in sheet.merged_ranges if _first_row(ref) > header.number]
    if below:
        raise RosterFileError(
            _("工作表「%(sheet)s」的表头以下含有合并单元格（%(range)s）。请取消这些合并单元格，每个单元格只填一项后再上传。")
            % {"sheet": sheet.title, "range": "、".join(below[:5])})
    if formulas:
        raise RosterFileError(
            _("以下单元格是公式：%(cells)s。请把公式“粘贴为数值”后再上传。")
            % {"cells": "、".join(formulas[:10]) + ("等" if len(formulas) > 10 else "")})
    return SheetData(sheet.title, header.number, columns, data, skipped)


def _letters(position: int) -> str:
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _first_row(reference: str) -> int:
    match = re.match(r"^[A-Z]+(\d+)", reference)
    return int(match[1]) if match else 0


def _read_sheets(book: Workbook, choices: dict[str, str]) -> tuple[list[SheetData], list[str]]:
    """Every sheet's roster and the titles of the sheets without one."""
    budget = [settings.ROSTER_IMPORT_MAX_ROWS]
    read, left_out = [], []
    for sheet in book.sheets:
        try:
            data = _read_sheet(sheet, choices, budget)
        except DamagedSheet as exc:
            near = _("（第%(row)d行附近）") % {"row": exc.row} if exc.row else ""
            raise RosterFileError(_("文件已损坏，工作表内容无法读取%(near)s。请用 Excel 打开检查后重新保存再上传。")
                                  % {"near": near}) from exc
        except ColumnOutOfRange as exc:
            raise RosterFileError(
                _("工作表「%(sheet)s」第%(row)d行第%(column)d列超出了名册的范围（最多 %(max)d 列）。请删除名册右侧多余的内容后再上传。")
                % {"sheet": sheet.title, "row": exc.row, "column": exc.column + 1, "max": ROSTER_MAX_COLUMNS}) from exc
        (read if data is not None else left_out).append(data if data is not None else sheet.title)
    if not read:
        raise RosterFileError(_("找不到表头：前%(n)d行中应有一行列名，且包含「姓名」和「身份证号码」。请下载导入模板对照。")
                              % {"n": HEADER_SEARCH_ROWS})
    return read, left_out


def _sample(value) -> str:
    """A value shown at the mapping step: ID numbers and phone numbers masked."""
    text = parse_text(value)[:30]
    if re.fullmatch(r"\d{17}[\dXx]", text):
        return mask_id_number(text)
    return mask_phone(text) if re.fullmatch(r"1\d{10}", text) else text


def mapping_columns(sheets: list[SheetData]) -> list[MappingColumn]:
    """Each distinct header of the file once, with sample values and its meaning (or "" when uncertain)."""
    columns: dict[str, MappingColumn] = {}
    for sheet in sheets:
        for column in sheet.columns:
            key = normalize_header(column.header)
            entry = columns.setdefault(key, MappingColumn(key, column.header, [], column.target))
            for row in sheet.rows:
                if len(entry.samples) >= MAPPING_SAMPLES:
                    break
                value = row.values[column.position] if column.position < len(row.values) else None
                if value not in (None, "") and _sample(value) not in entry.samples:
                    entry.samples.append(_sample(value))
    return list(columns.values())


def remembered_choices(organization) -> dict[str, str]:
    """The organization's answers at earlier mapping steps: normalized header → target."""
    if organization is None:
        return {}
    return dict(RosterColumnChoice.objects.filter(organization=organization).values_list("header", "target"))


def _check_required(sheet: SheetData, organizations: "_Organizations") -> None:
    targets = sheet.targets
    missing = [field_name for field_name, sources in REQUIRED.items() if not targets & set(sources)]
    if "organization" in missing:
        sheet.organization = organizations.by_sheet_title(sheet.title)
        if sheet.organization is not None:
            missing.remove("organization")
    if missing:
        names = "、".join(target_label(REQUIRED[name][0]) for name in missing)
        raise RosterFileError(_("工作表「%(sheet)s」缺少必填的列：%(names)s。请下载导入模板，按模板的列名填写。")
                              % {"sheet": sheet.title, "names": names})


# --- values ---------------------------------------------------------------------------------


def _in_range(day: date | None) -> date | None:
    if day is not None:
        try:
            validate_date_in_range(date(day.year, day.month, day.day))
        except ValidationError as exc:
            raise CellValueError(exc.messages[0]) from exc
    return day


def _date(value) -> date | None:
    day = _in_range(parse_date(value))
    return date(day.year, day.month, day.day) if isinstance(day, MonthOnly) else day


def _birth_date(value) -> date | None:
    """Kept a ``MonthOnly`` when written to the month: the ID number completes it."""
    return _in_range(parse_date(value))


def _month(value) -> date | None:
    return _in_range(parse_month(value))


def _choice_reader(column: Column):
    words = choice_words(column.choices)
    allowed = "、".join(str(label) for label in column.choices.labels)
    return lambda value: parse_choice(value, words, allowed)


def _reader(column: Column):
    special = {"id_number": parse_id_number, "phone": parse_phone, "birth_date": _birth_date}
    if column.source in special:
        return special[column.source]
    if column.kind == CHOICE:
        return _choice_reader(column)
    return {DATE: _date, MONTH: _month, INTEGER: parse_integer, YES_NO: parse_yes_no}.get(column.kind, parse_text)


def _parse_row(sheet: SheetData, row: SheetRow, readers) -> tuple[dict, list[CellError]]:
    values, errors = {}, []
    cells = row.values
    width = len(cells)
    for column in sheet.columns:
        if column.target == IGNORE:
            continue
        raw = cells[column.position] if column.position < width else None
        try:
            value = readers[column.target](raw)
        except CellValueError as exc:
            errors.append(CellError(row.number, column.header, str(exc), sheet.title, _field_of(column.target)))
            continue
        if value not in (None, ""):
            values[column.target] = value
    return values, errors


# --- organizations --------------------------------------------------------------------------


class _Organizations:
    """The user's member-holding organizations, found by code, by name (unique in the tree) or by a sheet's title."""

    def __init__(self, user):
        visible = list(Organization.objects.visible_to(user).only("id", "code", "name", "path", "kind"))
        self.by_path = {org.path: org for org in visible}
        self.by_code, self.by_id, self.by_name = {}, {}, {}
        for org in visible:
            if org.kind in MEMBER_HOLDING_KINDS:
                self.by_code[org.code] = self.by_id[org.pk] = org
                self.by_name.setdefault(normalize_header(org.name), []).append(org)

    def full_name(self, org: Organization) -> str:
        parent = self.by_path.get(org.path[:-org.steplen])
        return f"{parent.name} › {org.name}" if parent is not None else org.name

    def named(self, name: str) -> list[Organization]:
        """The branches of that name; failing that, those whose name it begins (甲一村 → 甲一村党支部)."""
        key = normalize_header(name)
        return self.by_name.get(key) or [org for other, orgs in self.by_name.items() if other.startswith(key)
                                         for org in orgs]

    def by_sheet_title(self, title: str) -> Organization | None:
        found = self.named(title)
        return found[0] if len(found) == 1 else None

    def find(self, values: dict, sheet: SheetData, row: int) -> tuple[Organization | None, CellError | None]:
        code = values.pop("organization__code", "")
        name = values.pop("organization__name", "")
        if code:
            org = self.by_code.get(code)
            message = _("党组织代码「%(code)s」不存在或不在您管理的范围内。") % {"code": code}
        elif name:
            found = self.named(name)
            org = found[0] if len(found) == 1 else None
            if len(found) > 1:
                message = _("您管理的范围内有%(n)d个「%(name)s」：%(names)s。请改填党组织代码以区分。") % {
                    "n": len(found), "name": name,
                    "names": "、".join(f"{self.full_name(o)}（代码 {o.code}）" for o in found)}
            else:
                message = _("党支部「%(name)s」不存在或不在您管理的范围内。") % {"name": name}
        else:
            return sheet.organization, None if sheet.organization else CellError(
                row, sheet.label("organization"), _("必填，不能为空。"), sheet.title, "organization")
        if org is not None:
            return org, None
        return None, CellError(row, sheet.label("organization"), message, sheet.title, "organization")


# --- the plan ---------------------------------------------------------------------------------


def _sheets_of(upload, user) -> tuple[list[SheetData], list[str]]:
    book = open_roster_workbook(upload)
    try:
        return _read_sheets(book, remembered_choices(user.organization))
    finally:
        book.close()


def read_mapping(upload, *, user) -> list[MappingColumn]:
    """The file's columns as the mapping step shows them (with what each is now taken to mean)."""
    return mapping_columns(_sheets_of(upload, user)[0])


def build_plan(upload, *, user) -> ImportPlan:
    """Read ``upload`` and decide each row's outcome; write nothing.

    Raises ``MappingNeeded`` when a column's meaning is uncertain and
    ``RosterFileError`` when the file as a whole cannot be imported.
    """
    sheets, left_out = _sheets_of(upload, user)
    if any(not column.target for sheet in sheets for column in sheet.columns):
        raise MappingNeeded(mapping_columns(sheets))
    organizations = _Organizations(user)
    for sheet in sheets:
        _check_required(sheet, organizations)
    if not any(sheet.rows for sheet in sheets):
        raise RosterFileError(_("文件中没有党员数据，请在表头下方逐行填写后再上传。"))
    parsed = []
    for sheet in sheets:
        readers = {column.target: _reader(TARGETS[column.target]) for column in sheet.columns
                   if column.target != IGNORE}
        parsed.extend((sheet, row.number, *_parse_row(sheet, row, readers)) for row in sheet.rows)
    plan = _plan(parsed, organizations=organizations, user=user)
    plan.skipped = [skip for sheet in sheets for skip in sheet.skipped]
    plan.sheets, plan.skipped_sheets = [sheet.title for sheet in sheets], left_out
    return plan


def _present_fields(sheet: SheetData) -> list[str]:
    """The model fields the sheet's columns give (compared with the record to tell what an update changes)."""
    fields = [_field_of(target) for target in sheet.targets if target not in (IGNORE, "dues_paid_through")]
    if PLACE_TEXT & set(fields):
        fields += [*PLACE_TEXT, *PLACE_CODES]  # the text is read into codes, and written back as their names
    return list(dict.fromkeys(sorted(fields)))


PLACE_TEXT = {"destination_country", "destination_province", "destination_city"}
PLACE_CODES = ("destination_division", "abroad_country")
FOREIGN_KEYS = {"organization", *PLACE_CODES}


def _value(member: Member, name: str):
    return getattr(member, f"{name}_id" if name in FOREIGN_KEYS else name)


def _plan(parsed, *, organizations: _Organizations, user) -> ImportPlan:
    id_numbers = [values["id_number"] for _sheet, _row, values, _errors in parsed if values.get("id_number")]
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

    present = {id(sheet): _present_fields(sheet) for sheet, *_rest in parsed}
    # 党费缴至 follows the start of dues and the payments (members.dues): read them once for the whole file.
    spans = (dues_ledger.spans_by_member(m.pk for m in held.values())
             if any("dues_start_month" in fields for fields in present.values()) else {})
    first_seen: dict[str, tuple[SheetData, int]] = {}
    results = []
    for sheet, row_number, values, errors in parsed:
        id_number = values.get("id_number", "")
        result = RowResult(row=row_number, outcome=ERROR, name=values.get("name", ""), id_number=id_number,
                           errors=list(errors), sheet=sheet.title)
        results.append(result)
        id_label = sheet.label("id_number")
        if id_number:
            if id_number in first_seen:
                other, other_row = first_seen[id_number]
                message = (_("与第%(row)d行的身份证号码重复。") % {"row": other_row} if other is sheet else
                           _("与工作表「%(sheet)s」第%(row)d行的身份证号码重复。") % {"sheet": other.title, "row": other_row})
                result.errors.append(CellError(row_number, id_label, message, sheet.title, "id_number"))
            else:
                first_seen[id_number] = (sheet, row_number)
            if id_number in hosted:
                result.errors.append(CellError(
                    row_number, id_label, _("该党员的组织关系不在您管理的党组织内，不能通过导入新增或修改。"),
                    sheet.title, "id_number"))
            elif id_number in outside:
                result.errors.append(CellError(row_number, id_label, str(HELD_OUTSIDE_REFUSAL), sheet.title,
                                               "id_number"))
        organization, error = organizations.find(values, sheet, row_number)
        if error is not None:
            result.errors.append(error)
        elif organization is not None:
            values["organization"] = organization
        existing = held.get(id_number)
        _resolve(values, result, sheet, creating=existing is None)
        if existing is not None and organization is not None and existing.organization_id != organization.pk:
            result.conflict = True
            result.errors.append(CellError(row_number, sheet.label("organization"), _(
                "该党员已在「%(held)s」登记，本表填在「%(named)s」。导入不会调动党员：如确需调整，请先在党员信息中"
                "办理；如本表填错，请改正后重新上传。") % {
                    "held": organizations.full_name(organizations.by_id[existing.organization_id]),
                    "named": organizations.full_name(organization)}, sheet.title, "organization"))
        _plan_member(result, values, existing=existing, present_fields=present[id(sheet)], spans=spans,
                     sheet=sheet)
    return ImportPlan(results, held_outside=sorted(outside))


def _resolve(values: dict, result: RowResult, sheet: SheetData, *, creating: bool) -> None:
    """Fill the fields the row gives another way, then check the required ones."""
    if "is_probationary" in values:
        probationary = values.pop("is_probationary")
        values.setdefault("membership_type", MembershipType.PROBATIONARY if probationary else MembershipType.FULL)
    if "is_away" in values:
        away = values.pop("is_away")
        values.setdefault("mobility_status", MobilityStatus.OUTFLOW if away else MobilityStatus.AT_HOME)
    paid_through = values.pop("dues_paid_through", None)
    if creating and paid_through is not None and "dues_start_month" not in values:
        values["dues_start_month"] = dues.add_months(paid_through, 1)
    id_number = values.get("id_number", "")
    if "gender" not in values and (gender := gender_from_id(id_number)):
        values["gender"] = gender
    birth = birth_date_from_id(id_number, values.get("birth_date"))
    if birth is not None:
        values["birth_date"] = birth
    failed = {error.field for error in result.errors}
    # Without their column, gender and birth date come from the ID number, whose own errors say what is wrong.
    derived = [name for name in ("gender", "birth_date") if name in sheet.targets]
    for field_name in (*REQUIRED, *derived):
        if field_name not in values and field_name not in failed:
            result.errors.append(CellError(result.row, sheet.label(field_name), _("必填，不能为空。"), sheet.title,
                                           field_name))


def _plan_member(result: RowResult, values: dict, *, existing: Member | None, present_fields, spans,
                 sheet: SheetData) -> None:
    if existing is not None:
        member = existing  # loaded for this plan only: changed in place, written only on confirmation
        before = {name: _value(existing, name) for name in present_fields}
        phone = values.get("phone", "")
        if "*" in phone and phone == mask_phone(existing.phone):
            values["phone"] = existing.phone  # a masked export: keep the number on record
    else:
        member = Member()
        before = None
    if "*" in values.get("phone", ""):
        result.errors.append(CellError(result.row, sheet.label("phone"),
                                       _("这是脱敏后的手机号码（含 *），请填写完整号码。"), sheet.title, "phone"))
        values.pop("phone")
    for name, value in values.items():
        setattr(member, name, value)
    if PLACE_TEXT & values.keys():
        read_place_text(member)  # the destination as the town wrote it, read into codes
    if "dues_start_month" in values:
        member.dues_paid_through = dues.paid_through(start_month=member.dues_start_month,
                                                     spans=spans.get(member.pk, []))
    # Validate what could be read, so that the user sees every error of the row at once.
    failed = {error.field for error in result.errors}
    if "id_number" in failed:
        failed |= {"gender", "birth_date"}  # read from the ID number: its error says it all
    for check in (lambda: member.clean_fields(exclude=[*SET_CHECKED_FIELDS, *failed]), member.clean):
        try:
            check()
        except ValidationError as exc:
            result.errors.extend(CellError(result.row, sheet.label(field_name), message, sheet.title, field_name)
                                 for field_name, messages in exc.message_dict.items() if field_name not in failed
                                 for message in messages)
    if result.errors:
        return
    result.member = member
    if before is None:
        result.outcome = NEW
        return
    result.expected_version = existing.version
    after = {name: _value(member, name) for name in present_fields}
    result.changed_fields = [name for name in present_fields if before[name] != after[name]]
    if "dues_start_month" in result.changed_fields:
        result.changed_fields.append("dues_paid_through")
    result.changed = [sheet.label(name) for name in result.changed_fields]
    result.outcome = UPDATE if result.changed else UNCHANGED
