"""The columns of the Excel roster (流动党员登记册), shared by export and import.

One table decides the order, the Chinese header, how a value is read back
and whether the import may write it, so that an exported file can be edited
and imported again (round trip).
"""
from dataclasses import dataclass

from django.db import models
from django.utils.translation import gettext_lazy as _

from members.choices import Education, Gender, MembershipType, MobilityStatus, Trade

TEXT, DATE, MONTH, INTEGER, CHOICE, YES_NO = "text", "date", "month", "integer", "choice", "yes_no"


@dataclass(frozen=True)
class Column:
    #: the lookup read with ``values_list`` (and the model field the import writes)
    source: str
    header: str
    kind: str = TEXT
    choices: type[models.TextChoices] | None = None
    #: the import writes this column into ``field``; others are for reading only
    importable: bool = True
    required: bool = False
    width: int = 12

    @property
    def field(self) -> str:
        return "organization" if self.source == "organization__code" else self.source


COLUMNS: tuple[Column, ...] = (
    Column("name", _("姓名"), required=True, width=10),
    Column("gender", _("性别"), CHOICE, Gender, required=True, width=6),
    Column("id_number", _("身份证号码"), required=True, width=21),
    Column("birth_date", _("出生日期"), DATE, required=True),
    Column("education", _("学历"), CHOICE, Education, required=True),
    Column("joined_date", _("入党时间"), DATE, required=True),
    Column("membership_type", _("党员类别"), CHOICE, MembershipType, required=True, width=10),
    Column("probation_end_date", _("预备期满日期"), DATE),
    Column("organization__code", _("党组织代码"), required=True),
    Column("organization__name", _("所在党支部"), importable=False, width=18),
    Column("mobility_status", _("流动状态"), CHOICE, MobilityStatus, required=True, width=11),
    Column("departure_date", _("外出时间"), DATE),
    Column("expected_months", _("预计外出时长（月）"), INTEGER, width=10),
    Column("occupation", _("从事职业"), width=14),
    Column("trade", _("所在行业"), CHOICE, Trade, width=16),
    # Abroad (出国（境）) the country stands where the province would: a member abroad has no province.
    Column("destination_country", _("出国（境）国家（地区）"), width=12),
    Column("destination_province", _("流入地省份"), width=10),
    Column("destination_city", _("流入地城市"), width=10),
    Column("destination_address", _("流入地详细地址"), width=26),
    Column("host_unit", _("流入单位"), width=18),
    Column("phone", _("手机号码"), width=13),
    Column("other_contact", _("其他联系方式"), width=14),
    # The chain 支部—支委—联系人—流动党员: who in the branch is a committee member, who is in charge of whom.
    Column("is_committee_member", _("是否支部委员"), YES_NO, width=8),
    Column("committee_member__name", _("包干支委"), importable=False, width=10),
    Column("liaison__name", _("联系人"), importable=False, width=10),
    Column("dues_start_month", _("党费起算月份"), MONTH),
    # Computed from the payments (members.dues): exported, never imported.
    Column("dues_paid_through", _("党费缴至"), MONTH, importable=False),
    Column("dues_paid_where", _("党费缴纳地"), width=12),
)

#: Headers written after the data columns and ignored by the import.
COMPLETENESS_HEADER = _("六个掌握")

IMPORT_COLUMNS = tuple(column for column in COLUMNS if column.importable)
IMPORT_FIELDS = tuple(column.field for column in IMPORT_COLUMNS)
