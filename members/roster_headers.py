"""Which column of a town's roster is which: the header row and the other names of each column.

Towns keep their own rosters: a title row and a 填报单位 line above the
headers, 公民身份号码 for 身份证号码, 所在党支部 by name instead of 党组织代码.
``find_header`` picks the header row among the first rows of a sheet and
``HEADER_ALIASES`` — the one table of the names each column goes by — says
what each header means. A header the table does not know (or two columns
meaning the same field) makes the column *uncertain*: the import then asks
the user, and remembers the answer for the user's organization
(``RosterColumnChoice``), which outranks the table.
"""
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext_lazy as _

from members.roster_columns import EXTRA_COLUMNS
from members.roster_schema import COLUMNS, COMPLETENESS_HEADER, IMPORT_COLUMNS, MONTH, YES_NO, Column

#: a column read for nothing (序号, 备注 …); also the mapping step's 忽略
IGNORE = "ignore"
#: the first rows of a sheet searched for the header row (title, unit line, blank lines above it)
HEADER_SEARCH_ROWS = 10

_schema = {column.source: column for column in COLUMNS}
#: columns the import reads to fill a field another way than the schema's own column
HELPER_COLUMNS: tuple[Column, ...] = (
    Column("organization__name", _schema["organization__name"].header),  # the branch by name
    Column("dues_paid_through", _schema["dues_paid_through"].header, MONTH),  # new members: dues start after it
    Column("is_probationary", _("是否预备党员"), YES_NO),
    Column("is_away", _("是否外出"), YES_NO),
)
#: every column the import can read, in the order the mapping step offers them
TARGETS: dict[str, Column] = {column.source: column for column in (*IMPORT_COLUMNS, *HELPER_COLUMNS)}

#: The names each column goes by in the rosters towns keep (our own header first).
HEADER_ALIASES: dict[str, tuple[str, ...]] = {
    "name": ("姓名", "党员姓名"),
    "gender": ("性别",),
    "id_number": ("身份证号码", "公民身份号码", "身份证号", "身份证", "公民身份证号码", "身份证件号码"),
    "birth_date": ("出生日期", "出生年月", "出生年月日", "出生时间"),
    "education": ("学历", "文化程度", "最高学历"),
    "joined_date": ("入党时间", "入党日期", "入党年月"),
    "membership_type": ("党员类别", "党员类型", "党员身份"),
    "is_probationary": ("是否预备党员",),
    "probation_end_date": ("预备期满日期", "预备期满时间"),
    "organization__code": ("党组织代码", "支部代码", "党支部代码", "组织代码"),
    "organization__name": ("所在党支部", "党支部", "支部名称", "所在支部", "所在党组织", "党组织名称", "党支部名称"),
    "mobility_status": ("流动状态",),
    "is_away": ("是否外出", "是否流出", "是否流动党员"),
    "departure_date": ("外出时间", "外出日期", "流出时间", "外出年月"),
    "expected_months": ("预计外出时长（月）", "预计外出时长", "预计外出时间（月）", "预计外出月数"),
    "occupation": ("从事职业", "职业", "从事工作"),
    "trade": ("所在行业", "行业"),
    "destination_country": ("出国（境）国家（地区）", "出国（境）国家", "出国国家", "所在国家（地区）"),
    "destination_province": ("流入地省份", "流入省份"),
    "destination_city": ("流入地城市", "流入城市"),
    "destination_address": ("流入地详细地址", "流入地", "外出地点", "流向地", "流入地址", "外出地址", "务工地点"),
    "host_unit": ("流入单位", "工作单位", "务工单位", "流入地单位"),
    "phone": ("手机号码", "联系电话", "手机", "手机号", "电话", "电话号码"),
    "other_contact": ("其他联系方式", "微信号", "微信"),
    "is_committee_member": ("是否支部委员", "支部委员", "是否支委", "支委"),
    "dues_start_month": ("党费起算月份",),
    "dues_paid_through": ("党费缴至", "党费交至", "党费缴纳至", "党费交纳至", "党费缴至月份"),
    "dues_paid_where": ("党费缴纳地", "党费交纳地", "党费缴纳地点"),
    IGNORE: ("序号", "编号", "备注", "联系人", "包干支委", str(COMPLETENESS_HEADER), *(str(c.header) for c in EXTRA_COLUMNS)),
}

#: the fields every member needs, each with the columns that can give it (gender and birth date come from
#: the ID number when no column gives them, the branch from the sheet's name)
REQUIRED: dict[str, tuple[str, ...]] = {
    "name": ("name",),
    "id_number": ("id_number",),
    "education": ("education",),
    "joined_date": ("joined_date",),
    "membership_type": ("membership_type", "is_probationary"),
    "organization": ("organization__code", "organization__name"),
    "mobility_status": ("mobility_status", "is_away"),
}


def normalize_header(value) -> str:
    """Header text compared without spaces, asterisks, full-width forms or a trailing colon."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"[\s*:]", "", text)


@lru_cache(maxsize=1)
def alias_index() -> dict[str, str]:
    """Normalized header → target (or ``IGNORE``)."""
    index = {}
    for target, names in HEADER_ALIASES.items():
        for name in names:
            index[normalize_header(name)] = target
    return index


def target_label(target: str) -> str:
    return str(_("忽略")) if target == IGNORE else str(TARGETS[target].header)


@dataclass
class SheetColumn:
    position: int
    header: str
    #: the column's meaning, or "" when it is uncertain
    target: str = ""


def resolve_columns(header_values, choices: dict[str, str]) -> list[SheetColumn]:
    """The header row's columns, each with its target: the organization's choice, then the alias table.

    Two columns with the same target are both uncertain (which one holds the phone number?).
    """
    aliases = alias_index()
    columns = []
    for position, value in enumerate(header_values):
        text = normalize_header(value)
        if text:
            # choices are stored under the header's first 100 characters (RosterColumnChoice.header)
            columns.append(SheetColumn(position, str(value).strip(), choices.get(text[:100]) or aliases.get(text, "")))
    targets = [column.target for column in columns if column.target and column.target != IGNORE]
    doubled = {target for target in targets if targets.count(target) > 1}
    for column in columns:
        if column.target in doubled:
            column.target = ""
    return columns


def find_header(rows, choices: dict[str, str]):
    """The header row among ``rows`` (the sheet's first ones), or ``None``.

    The row most of whose cells are known headers — at least 姓名 or the ID
    number and one more — wins. Failing that, the first row of at least three
    short text cells is taken as a header of unknown columns (for the mapping
    step); title and unit lines are one or two cells and never qualify.
    """
    best, best_score = None, 1
    for row in rows:
        known = {column.target for column in resolve_columns(row.values, choices) if column.target}
        score = len(known - {IGNORE})
        if score > best_score and known & {"name", "id_number"}:
            best, best_score = row, score
    if best is not None:
        return best
    for row in rows:
        texts = [value for value in row.values if value not in (None, "")]
        if len(texts) >= 3 and all(isinstance(value, str) and len(value) <= 30 for value in texts):
            return row
    return None
