"""What the organization-tree and account imports share: reading the workbook, the dry-run report, and the
signed copy of the checked rows that the confirmation writes.

Both imports are django-import-export resources (the library other systems' users know); this module turns
its result into the rows our pages show, with every message in Chinese, and keeps all-or-nothing: the write
runs in one transaction that is rolled back if any row fails.
"""
from dataclasses import dataclass, field

import tablib
from django.core import signing
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import resources
from import_export.results import RowResult

from members.roster_import import RosterFileError, open_roster_workbook
from members.xlsx_reader import DamagedSheet
from organizations.models import Organization

SIGNING_SALT = "administration.import"
#: A dry run is confirmed within this many seconds, or the file is uploaded again.
CONFIRM_MAX_AGE = 3600
MAX_ROWS = 5000
OUTCOME_LABELS = {
    RowResult.IMPORT_TYPE_NEW: gettext_lazy("新增"),
    RowResult.IMPORT_TYPE_UPDATE: gettext_lazy("修改"),
    RowResult.IMPORT_TYPE_SKIP: gettext_lazy("无变化"),
    RowResult.IMPORT_TYPE_INVALID: gettext_lazy("错误"),
    RowResult.IMPORT_TYPE_ERROR: gettext_lazy("错误"),
}


def cell_text(value) -> str:
    """A cell as the text a person typed: codes typed as numbers lose Excel's ``.0``; blanks are ''."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_workbook(upload, required: list[str]) -> tablib.Dataset:
    """The first sheet as text, under the layout's headers; a file that is no workbook or misses a column is
    refused with a message saying what to do.

    Read with the roster import's guarded reader (``members.xlsx_reader``: unpacked size bounded, XML
    without DTDs, streamed), stopping as soon as the file holds more rows than one import may.
    """
    unreadable = _("文件无法读取：请上传用 Excel 保存的 .xlsx 文件（可先下载模板或导出现有数据再修改）。")
    try:
        book = open_roster_workbook(upload)
    except RosterFileError as exc:
        raise ValidationError(unreadable) from exc
    try:
        found, rows = _first_sheet(book)
    except DamagedSheet as exc:
        raise ValidationError(unreadable) from exc
    finally:
        book.close()
    missing = [h for h in required if h not in found]
    if missing:
        raise ValidationError(_("第1行缺少列：%(columns)s。请使用模板的表头。") % {"columns": "、".join(missing)})
    if not rows:
        raise ValidationError(_("文件中没有数据行。"))
    dataset = tablib.Dataset(headers=found)
    for row in rows:
        dataset.append((row + [""] * len(found))[:len(found)])
    return dataset


def _first_sheet(book) -> tuple[list[str], list[list[str]]]:
    """The first sheet's header row and its non-blank rows as text."""
    found, rows = None, []
    for sheet_row in (book.sheets[0] if book.sheets else ()):
        values = [cell_text(value) for value in sheet_row.values]
        if found is None:
            found = values
        elif any(values):
            rows.append(values)
            if len(rows) > MAX_ROWS:
                raise ValidationError(_("一次最多导入 %(n)d 行，请分成几个文件。") % {"n": MAX_ROWS})
    return found or [], rows


def sign_dataset(dataset: tablib.Dataset, *, user) -> str:
    return signing.dumps({"user": user.pk, "headers": dataset.headers, "rows": [list(r) for r in dataset]},
                         salt=SIGNING_SALT, compress=True)


def unsign_dataset(token: str, *, user) -> tablib.Dataset:
    try:
        data = signing.loads(token, salt=SIGNING_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.BadSignature:
        raise ValidationError(_("预演结果已过期或无效，请重新上传文件。"))
    if data.get("user") != user.pk:
        raise ValidationError(_("预演结果已过期或无效，请重新上传文件。"))
    return tablib.Dataset(*[tuple(row) for row in data["rows"]], headers=data["headers"])


class RowNumberedResource(resources.ModelResource):
    """A resource whose row results carry the Excel row number, and whose rows are built by
    ``build_instance`` (so every message is ours, keyed by the column's header)."""

    #: The columns that name a row in the report.
    summary_columns: tuple[str, ...] = ()

    def __init__(self, *, user, **kwargs):
        super().__init__(**kwargs)
        self.user = user

    def get_import_id_fields(self):
        return []

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        result.number = kwargs["row_number"] + 1  # the header is row 1
        result.summary = " ".join(cell_text(row.get(column)) for column in self.summary_columns)
        return result

    def get_or_init_instance(self, instance_loader, row):
        instance = self.find_instance(row)
        return (instance, False) if instance is not None else (self.init_instance(row), True)

    def after_init_instance(self, instance, new, row, **kwargs):
        instance._import_snapshot = None if new else self.snapshot(instance)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if import_validation_errors or instance._import_snapshot is None:
            return False
        return self.snapshot(instance) == instance._import_snapshot

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        if import_validation_errors:
            raise ValidationError(import_validation_errors)

    def import_instance(self, instance, row, **kwargs):
        errors: dict[str, list[str]] = {}
        self.build_instance(instance, {k: cell_text(v) for k, v in row.items()}, errors)
        if errors:
            raise ValidationError(errors)

    def find_instance(self, row):
        raise NotImplementedError

    def snapshot(self, instance) -> tuple:
        raise NotImplementedError

    def build_instance(self, instance, row: dict[str, str], errors: dict[str, list[str]]) -> None:
        raise NotImplementedError


def add_error(errors: dict, column: str, message) -> None:
    errors.setdefault(column, []).append(str(message))


def find_organization(user, text: str, errors: dict, column: str, not_found: str):
    """An open organization of the user's subtree by its code, or by its name when that is unique there."""
    visible = Organization.objects.visible_to(user).open()
    found = visible.filter(code=text).first()
    if found is None:
        named = list(visible.filter(name=text)[:2])
        if len(named) > 1:
            add_error(errors, column, _("名称为“%(name)s”的党组织不止一个，请改填它的组织代码。") % {"name": text})
            return None
        found = named[0] if named else None
        if found is None:
            add_error(errors, column, not_found)
    return found


def model_errors(exc: ValidationError, columns: dict[str, str]) -> list[tuple[str, str]]:
    """A model's ``full_clean`` errors, named by the file's column instead of the field."""
    if not hasattr(exc, "error_dict"):
        return [("", m) for m in exc.messages]
    return [(columns.get(name, ""), m) for name, messages in exc.message_dict.items() for m in messages]


@dataclass
class ReportRow:
    number: int
    outcome: str
    label: str
    summary: str
    errors: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[ReportRow]
    file_errors: list[str]

    @property
    def error_count(self) -> int:
        return len(self.file_errors) + sum(len(row.errors) for row in self.rows)

    @property
    def ok(self) -> bool:
        return self.error_count == 0

    def count(self, outcome: str) -> int:
        return sum(1 for row in self.rows if row.outcome == outcome)

    @property
    def counts(self) -> dict[str, int]:
        return {"new": self.count(RowResult.IMPORT_TYPE_NEW), "update": self.count(RowResult.IMPORT_TYPE_UPDATE),
                "skip": self.count(RowResult.IMPORT_TYPE_SKIP),
                "error": sum(1 for row in self.rows if row.errors)}


def run_import(resource: RowNumberedResource, dataset: tablib.Dataset, *, dry_run: bool) -> ImportReport:
    """Import (or rehearse) the whole file in one transaction, rolled back if any row fails."""
    result = resource.import_data(dataset, dry_run=dry_run, use_transactions=True, rollback_on_validation_errors=True)
    rows = []
    for row_result in result.rows:
        errors = []
        if row_result.validation_error is not None:
            error = row_result.validation_error
            items = error.message_dict.items() if hasattr(error, "error_dict") else [(NON_FIELD_ERRORS, error.messages)]
            errors = [("" if column == NON_FIELD_ERRORS else column, m) for column, messages in items for m in messages]
        if row_result.errors:
            errors.append(("", _("这一行无法写入，请核对后重新上传（%(detail)s）。") % {
                "detail": "；".join(str(e.error) for e in row_result.errors)}))
        rows.append(ReportRow(number=getattr(row_result, "number", 0), outcome=row_result.import_type,
                              label=str(OUTCOME_LABELS.get(row_result.import_type, "")),
                              summary=getattr(row_result, "summary", ""), errors=errors))
    file_errors = [_("文件无法导入（%(detail)s）。") % {"detail": e.error} for e in result.base_errors]
    return ImportReport(rows=rows, file_errors=file_errors)
