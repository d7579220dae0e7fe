"""The figures of a quarterly report, computed for many branches at once.

Each ``*_figures`` function runs ONE aggregated query over all the given
branches, grouped by branch, and returns ``{organization_id: {key: n}}``; a
county roll-up of 100,000 members is therefore a fixed handful of passes
whatever the number of branches. ``branch_statistics`` combines them;
``merge`` adds branches up into a committee's or the county's roll-up.

The members away (外出党员) are those ``transfers.mobile_members`` counts, as
of the quarter's last day (``figures_day``; today while the quarter is under
way), from the registrations' own dates: a report prepared on 10 April and one
on 14 April give the same Q1 figures, and a registration made after a
quarter never shows in it. They count at the branch that registered the outflow.

The national table 流动党员情况（二） counts them by scope, by kind of
destination unit and by former occupation (as registered on the outflow);
each breakdown has an "unknown" bucket, so every breakdown adds up to
``outflow`` (see ``consistency_errors``); the approved trips not counted
(短期外出) are ``short_trips``, outside the totals.

Outflows, inflows, returns, hidden members and documents come from the
transfers and activity_cards registrations; ``flagged_inactive`` from the
inactivity flags of the daily scan (``jobs``). The help figures (``HELP``:
走访, 解决困难, 代办事项) come from the contact and help records, counted at
the organization that did the work (``recorded_by``), so nobody types them.
"""
from collections.abc import Iterable
from datetime import date

from django.db.models import Case, Count, Exists, F, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Concat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from activity_cards.models import ActivityCard
from assistance.choices import HelpActionKind
from assistance.models import HelpAction, HelpRequest
from jobs.models import InactivityFlag
from members import dues_ledger
from members.choices import ContactChannel, DestinationUnitKind, FormerOccupation, MobilityStatus, Trade
from members.facts import incomplete_q
from members.models import ContactAttempt, Member, OrganizationalLife
from organizations.choices import MEMBER_HOLDING_KINDS
from organizations.models import Organization
from places.display import full_name
from places.scope import scope_of
from places.unmapped import unmapped_q
from reports.periods import Quarter
from transfers.mobile_members import SHORT_TRIP_HANDLINGS, counted_departures, counted_outflows, short_trips
from transfers.models import Inflow, Outflow

UNKNOWN = "unknown"

SCOPES = (
    ("abroad", _("出国（境）")),
    ("cross_province", _("跨省（区、市）流动")),
    ("cross_city", _("省内跨市（地、州）流动")),
    ("within_city", _("市（地、州）内流动")),
    (UNKNOWN, _("流向未填写")),
)
UNIT_KINDS = (*DestinationUnitKind.choices, (UNKNOWN, _("未填写")))
FORMER_OCCUPATIONS = (*FormerOccupation.choices, (UNKNOWN, _("未填写")))
DOCUMENT_KINDS = (
    ("introduction_letter", _("组织关系介绍信")),
    ("certificate_letter", _("党员证明信")),
    ("activity_card", _("流动党员活动证")),
)

#: The headline figures, in the order the report and the Excel file show them.
HEADLINE = (
    ("members_total", _("党员总数")),
    ("outflow", _("外出党员")),
    ("inflow", _("流入党员")),
    ("returned", _("已返回党员")),
    ("incomplete", _("“六个掌握”信息不全")),
    ("contacted", _("本季度联系上的外出党员")),
    ("organizational_life", _("本季度参加组织生活的外出党员")),
    ("dues_up_to_date", _("党费按时缴纳的外出党员")),
    ("flagged_inactive", _("疑似不参加组织生活等满6个月")),
    ("new_outflows", _("本季度新外出")),
    ("new_inflows", _("本季度新流入")),
    ("hidden_found", _("本季度查找出的隐形党员")),
    ("hosted", _("在本支部参加组织生活的外地党员")),
    ("receiving_branches", _("接收流动党员的党支部（个）")),
)

#: The help given (帮扶服务), read from the records of the quarter, in the order the report shows them.
HELP = (
    ("visits_made", _("走访慰问流动党员（人次）")),
    ("problems_solved", _("帮助解决实际困难（件）")),
    ("errands_run", _("为流动党员代办事项（件）")),
)

#: The months without organizational life or dues after which a member away
#: is flagged (the 6-month rule of the inactivity path).
INACTIVE_MONTHS = 6


def empty_figures() -> dict:
    """Every key a branch's statistics have, all zero."""
    figures = {key: 0 for key, _label in (*HEADLINE, *HELP)}
    figures["card_holders"] = 0  # shown in the national table under the scopes
    figures["short_trips"] = 0  # 短期外出: approved trips not counted, outside the table's totals
    figures.update({f"scope_{key}": 0 for key, _label in SCOPES})
    figures.update({f"unit_kind_{key}": 0 for key, _label in UNIT_KINDS})
    figures.update({f"former_{key}": 0 for key, _label in FORMER_OCCUPATIONS})
    figures.update({f"documents_{key}": 0 for key, _label in DOCUMENT_KINDS})
    figures["destinations"] = {}
    figures["trades"] = {}
    return figures


def reporting_units(root: Organization) -> QuerySet:
    """The organizations below (and including) ``root`` that hold members and file reports."""
    return Organization.objects.open().filter(path__startswith=root.path, kind__in=MEMBER_HOLDING_KINDS)


def members_of(units: QuerySet) -> QuerySet:
    return Member.objects.in_registry().filter(organization__in=units.values("pk"))


def _grouped(queryset: QuerySet, key: str = "organization_id") -> dict[int, dict]:
    return {row.pop(key): row for row in queryset}


def figures_day(quarter: Quarter) -> date:
    """The day a quarter's figures are counted on: its last day, or today while it is under way."""
    return min(quarter.end, timezone.localdate())


def counted(units: QuerySet, quarter: Quarter) -> QuerySet:
    """The outflows of ``units`` counted as mobile members on the quarter's day (``transfers.mobile_members``).

    Counted at the branch that registered the outflow, whichever organization holds the member today.
    """
    return counted_outflows(figures_day(quarter)).filter(origin_organization__in=units.values("pk"))


def _away_members(units: QuerySet, quarter: Quarter) -> QuerySet:
    """The members of ``counted`` outflows, each annotated with ``unit_id``, the branch that counts them."""
    outflows = counted(units, quarter)
    unit = outflows.filter(member=OuterRef("pk")).values("origin_organization_id")[:1]
    return Member.objects.filter(pk__in=outflows.values("member_id")).annotate(unit_id=Subquery(unit))


def member_figures(units: QuerySet, quarter: Quarter) -> dict[int, dict]:
    """Counts read off the member records (one pass over the members)."""
    aggregates = {
        "members_total": Count("id"),
        "inflow": Count("id", filter=Q(mobility_status=MobilityStatus.INFLOW)),
        "incomplete": Count("id", filter=incomplete_q()),
    }
    return _grouped(members_of(units).order_by().values("organization_id").annotate(**aggregates))


def outflow_table_figures(units: QuerySet, quarter: Quarter) -> dict[int, dict]:
    """流动党员情况（二）: the counted outflows by unit kind and former occupation (one grouped query; by scope: ``scope_figures``).

    Read off the outflow registrations themselves (destination, unit kind and
    former occupation as registered), so a later edit of the member record does
    not move a past quarter. ``short_trips`` (短期外出) is outside the totals.
    """
    aggregates = {"outflow": Count("id")}
    for value, _label in DestinationUnitKind.choices:
        aggregates[f"unit_kind_{value}"] = Count("id", filter=Q(destination_unit_kind=value))
    aggregates[f"unit_kind_{UNKNOWN}"] = Count("id", filter=Q(destination_unit_kind=""))
    for value, _label in FormerOccupation.choices:
        aggregates[f"former_{value}"] = Count("id", filter=Q(former_occupation=value))
    aggregates[f"former_{UNKNOWN}"] = Count("id", filter=Q(former_occupation=""))
    result = _grouped(counted(units, quarter).order_by().values("origin_organization_id").annotate(**aggregates),
                      "origin_organization_id")
    rows = (short_trips(figures_day(quarter)).filter(origin_organization__in=units.values("pk"))
            .order_by().values("origin_organization_id").annotate(n=Count("id")))
    for row in rows:
        result.setdefault(row["origin_organization_id"], {})["short_trips"] = row["n"]
    return result


def dues_figures(units: QuerySet, quarter: Quarter) -> dict[int, dict]:
    """Members away whose dues were paid through the quarter's last month, by the payments made by its end.

    党费缴至 as of the quarter's end (``members.dues_ledger``): a payment made
    later, even one filling a month of the quarter, leaves the quarter's figure as it was.
    """
    away, paid_later = _away_members(units, quarter), dues_ledger.paid_after(quarter.end)
    # Most members paid nothing since: their stored 党费缴至 is the answer, counted in SQL.
    result = _grouped(away.filter(~paid_later).order_by().values("unit_id").annotate(
        dues_up_to_date=Count("id", filter=Q(dues_paid_through__gte=quarter.last_month))), "unit_id")
    for _pk, paid_through, unit_id in dues_ledger.paid_through_rows(away.filter(paid_later), "unit_id",
                                                                    as_of=quarter.end):
        if paid_through is not None and paid_through >= quarter.last_month:
            figures = result.setdefault(unit_id, {"dues_up_to_date": 0})
            figures["dues_up_to_date"] += 1
    return result


def home_division_codes(units: QuerySet) -> dict[int, str]:
    """Each unit's home division: its own code, or else its nearest ancestor's (one query, over the units
    and their ancestors)."""
    rows = list(Organization.objects.order_by().filter(Exists(units.order_by().filter(path__startswith=OuterRef("path"))))
                .values_list("pk", "path", "division_code"))
    codes = {path: code for _pk, path, code in rows if code}
    steps = Organization.steplen
    return {pk: next((codes[path[:end]] for end in range(len(path), 0, -steps) if path[:end] in codes), "")
            for pk, path, _code in rows}


def scope_figures(units: QuerySet, quarter: Quarter) -> dict[int, dict]:
    """Counted outflows by scope, from their destination's code and their branch's home division
    (``places.scope``; one grouped query, classified per branch)."""
    homes = home_division_codes(units)
    abroad_by_text = Case(When(~Q(destination_country=""), then=Value(True)), default=Value(False))
    rows = (counted(units, quarter).order_by()
            .values("origin_organization_id", "destination_division_id", "abroad_country_id")
            .annotate(abroad_by_text=abroad_by_text).annotate(n=Count("id")))
    result: dict[int, dict] = {}
    for row in rows:
        scope = scope_of(home_code=homes.get(row["origin_organization_id"], ""),
                         destination_code=row["destination_division_id"] or "",
                         country_code=row["abroad_country_id"] or ("?" if row["abroad_by_text"] else ""))
        figures = result.setdefault(row["origin_organization_id"], {f"scope_{key}": 0 for key, _label in SCOPES})
        figures[f"scope_{scope or UNKNOWN}"] += row["n"]
    return result


def destinations_by_city(rows: QuerySet, group: str, unknown: str = UNKNOWN) -> dict[int, dict[str, int]]:
    """``{rows' group: {place: n}}`` of members or outflows: by destination city code (上海 and 上海市 are one
    place, named 上海市), by country abroad; text not yet given a code is shown as written (one query)."""
    unmapped = unmapped_q(texts=("destination_country", "destination_province", "destination_city"))
    text = Concat("destination_country", "destination_province", "destination_city")
    rows = (rows.order_by()
            .values(group, "destination_division__city_code", "abroad_country__name")
            .annotate(text=Case(When(unmapped, then=text), default=Value("")))
            .annotate(n=Count("id")))
    result: dict[int, dict[str, int]] = {}
    for row in rows:
        place = (row["abroad_country__name"] or full_name(row["destination_division__city_code"] or "")
                 or row["text"] or unknown)
        destinations = result.setdefault(row[group], {})
        destinations[place] = destinations.get(place, 0) + row["n"]
    return result


def destination_figures(units: QuerySet, quarter: Quarter) -> dict[int, dict]:
    """Counted outflows by destination city (``destinations_by_city``)."""
    return {pk: {"destinations": places}
            for pk, places in destinations_by_city(counted(units, quarter), "origin_organization_id").items()}


def trade_figures(units: QuerySet, quarter: Quarter) -> dict[int, dict]:
    """Counted outflows by trade at the destination (one grouped query)."""
    rows = counted(units, quarter).order_by().values("origin_organization_id", "trade").annotate(n=Count("id"))
    result: dict[int, dict] = {}
    for row in rows:
        result.setdefault(row["origin_organization_id"], {"trades": {}})["trades"][row["trade"] or UNKNOWN] = row["n"]
    return result


def _members_with_records(record_model, date_field: str, units: QuerySet, quarter: Quarter, **extra) -> dict[int, int]:
    outflows = counted(units, quarter)
    unit = outflows.filter(member=OuterRef("member_id")).values("origin_organization_id")[:1]
    rows = (record_model.objects
            .filter(member__in=outflows.values("member_id"),
                    **{f"{date_field}__gte": quarter.start, f"{date_field}__lte": quarter.end}, **extra)
            .annotate(unit_id=Subquery(unit))
            .order_by().values("unit_id").annotate(n=Count("member_id", distinct=True)))
    return {row["unit_id"]: row["n"] for row in rows}


def contacted_figures(units: QuerySet, quarter: Quarter) -> dict[int, dict]:
    """Counted members away reached at least once in the quarter (one grouped query)."""
    counts = _members_with_records(ContactAttempt, "contacted_on", units, quarter, reached=True)
    return {org: {"contacted": n} for org, n in counts.items()}


def organizational_life_figures(units: QuerySet, quarter: Quarter) -> dict[int, dict]:
    """Counted members away who took part in organizational life in the quarter (one grouped query)."""
    counts = _members_with_records(OrganizationalLife, "attended_on", units, quarter)
    return {org: {"organizational_life": n} for org, n in counts.items()}


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    return date(month_index // 12, month_index % 12 + 1, 1)


def inactive_figures(units: QuerySet, quarter: Quarter) -> dict[int, dict]:
    """Members with an inactivity flag (jobs' daily scan) standing at the quarter's end.

    A flag stands if it was raised by the quarter's end and not cleared before
    it; each member counts once whatever the number of conditions.
    """
    standing = InactivityFlag.objects.filter(member=OuterRef("pk"), flagged_on__lte=quarter.end).filter(
        Q(cleared_on__isnull=True) | Q(cleared_on__gt=quarter.end))
    rows = (members_of(units).filter(Exists(standing))
            .order_by().values("organization_id").annotate(n=Count("id")))
    return {row["organization_id"]: {"flagged_inactive": row["n"]} for row in rows}


def outflow_figures(units: QuerySet, quarter: Quarter) -> dict[int, dict]:
    """New mobile members and returns this quarter, from transfers' registrations (one grouped query).

    Both count at the branch that registered the outflow (``origin_organization``):
    ``new_outflows`` are the members whose outflow, approved by the quarter's
    day and long-term on it (``transfers.mobile_members``), has its departure
    date (外出时间) in the quarter, so a departure registered late still counts
    in the quarter the member left if the committee approved it by its end;
    ``returned`` (已返回党员) are the return registrations (返回登记) dated in
    the quarter of outflows other than short trips (短期外出), whatever the
    member's status is now: a return is an event of its date, not a state.
    """
    day = figures_day(quarter)
    in_quarter = {"gte": quarter.start, "lte": quarter.end}
    departed = (Q(**{f"departure_date__{op}": value for op, value in in_quarter.items()})
                & Q(pk__in=counted_departures(day).values("pk")))
    returned = Q(**{f"return_registration__returned_on__{op}": value for op, value in in_quarter.items()})
    rows = (Outflow.objects.filter(origin_organization__in=units.values("pk")).filter(departed | returned)
            .exclude(handling__in=SHORT_TRIP_HANDLINGS)
            .order_by().values("origin_organization_id")
            .annotate(new_outflows=Count("member_id", filter=departed, distinct=True),
                      returned=Count("id", filter=returned)))
    return _grouped(rows, "origin_organization_id")


def inflow_figures(units: QuerySet, quarter: Quarter) -> dict[int, dict]:
    """New inflows and hidden members found this quarter, from inflow registrations (one grouped query).

    Counted at the host the member was placed in (a branch or a party group
    below it); ``hidden_found`` are the inflows flagged 隐形党员主动亮明身份.
    """
    rows = (Inflow.objects.filter(host_organization__in=units.values("pk"),
                                  arrived_on__gte=quarter.start, arrived_on__lte=quarter.end)
            .order_by().values("host_organization_id")
            .annotate(new_inflows=Count("id"), hidden_found=Count("id", filter=Q(hidden_member=True))))
    return _grouped(rows, "host_organization_id")


def hosted_figures(units: QuerySet, quarter: Quarter) -> dict[int, dict]:
    """Members of other branches who take part in organizational life here (one grouped query)."""
    rows = (Member.objects.in_registry().filter(host_organization__in=units.values("pk")).exclude(organization=F("host_organization"))
            .order_by().values("host_organization_id").annotate(n=Count("id")))
    return {row["host_organization_id"]: {"hosted": row["n"]} for row in rows}


def documents_figures(units: QuerySet, quarter: Quarter) -> dict[int, dict]:
    """Counted members away holding each kind of document on the quarter's day (one grouped query).

    An introduction letter issued by then (the relationship not yet received
    before it, or the outflow would not count); a certificate letter issued
    by then; an activity card issued by then and not taken back before it.
    ``card_holders`` (shown under the scopes of 流动党员情况（二）) is the same set
    as the activity-card count; each figure is at most ``outflow``.
    """
    day = figures_day(quarter)
    card = ActivityCard.objects.filter(member=OuterRef("member_id"), issued_on__lte=day).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gte=day))
    rows = (counted(units, quarter).order_by().values("origin_organization_id")
            .annotate(documents_introduction_letter=Count("id", filter=Q(introduction_letter__issued_on__lte=day)),
                      documents_certificate_letter=Count("id", filter=Q(certificate_letter__issued_on__lte=day)),
                      documents_activity_card=Count("id", filter=Q(Exists(card)))))
    result = _grouped(rows, "origin_organization_id")
    for figures in result.values():
        figures["card_holders"] = figures["documents_activity_card"]
    return result


def _done_in_quarter(queryset: QuerySet, date_field: str, key: str, units: QuerySet, quarter: Quarter) -> QuerySet:
    return (queryset.filter(recorded_by__in=units.values("pk"),
                            **{f"{date_field}__gte": quarter.start, f"{date_field}__lte": quarter.end})
            .order_by().values("recorded_by_id").annotate(key=Value(key), n=Count("id")))


def help_figures(units: QuerySet, quarter: Quarter) -> dict[int, dict]:
    """The help given in the quarter, counted at the organization that recorded it (one ``UNION ALL`` query).

    ``visits_made`` (走访慰问, 人次): contact records made by visiting and
    reaching the member (a visit recorded as a step of help is such a record
    too, so it counts once); ``problems_solved`` (解决困难, 件): help requests
    marked solved in the quarter, at the organization handling them;
    ``errands_run`` (代办事项, 件): steps of help of the kind 代理代办.
    """
    visits = ContactAttempt.objects.filter(channel=ContactChannel.VISIT, reached=True)
    parts = (
        _done_in_quarter(visits, "contacted_on", "visits_made", units, quarter),
        _done_in_quarter(HelpRequest.objects.all(), "solved_on", "problems_solved", units, quarter),
        _done_in_quarter(HelpAction.objects.filter(kind=HelpActionKind.ERRAND), "done_on", "errands_run", units,
                         quarter),
    )
    result: dict[int, dict] = {}
    for row in parts[0].union(*parts[1:], all=True):
        result.setdefault(row["recorded_by_id"], {})[row["key"]] = row["n"]
    return result


#: Every source, one aggregated query each.
SOURCES = (
    member_figures,
    outflow_table_figures,
    scope_figures,
    dues_figures,
    destination_figures,
    trade_figures,
    contacted_figures,
    organizational_life_figures,
    inactive_figures,
    outflow_figures,
    inflow_figures,
    hosted_figures,
    documents_figures,
    help_figures,
)


def branch_statistics(units: QuerySet, quarter: Quarter) -> dict[int, dict]:
    """``{organization_id: figures}`` for every unit in ``units`` (zeros where nothing matched)."""
    return unit_statistics(list(units.values_list("pk", flat=True)), quarter)


def unit_statistics(unit_ids: list[int], quarter: Quarter) -> dict[int, dict]:
    """``branch_statistics`` of the units with these ids (one query per source)."""
    units = Organization.objects.filter(pk__in=unit_ids)
    result = {pk: empty_figures() for pk in unit_ids}
    for source in SOURCES:
        for organization_id, figures in source(units, quarter).items():
            if organization_id in result:
                result[organization_id].update(figures)
    for figures in result.values():  # 流动党员情况（二） counts the branches receiving mobile members
        figures["receiving_branches"] = int(bool(figures["inflow"] or figures["hosted"]))
    return result


def merge(figure_sets: Iterable[dict]) -> dict:
    """Add branches' figures up (nested counts are added key by key)."""
    total = empty_figures()
    for figures in figure_sets:
        add_into(total, figures)
    return total


def add_into(total: dict, figures: dict) -> None:
    for key, value in figures.items():
        if isinstance(value, dict):
            add_into(total.setdefault(key, {}), value)
        elif isinstance(value, int):
            total[key] = total.get(key, 0) + value


def rollup(root: Organization, quarter: Quarter) -> dict:
    """The figures of every branch below ``root``, added up."""
    return merge(branch_statistics(reporting_units(root), quarter).values())


def consistency_errors(figures: dict) -> list[str]:
    """Names of the breakdowns that do not add up to the outflow count, or exceed it (empty when all hold)."""
    outflow = figures["outflow"]
    sums = {
        "scope": sum(figures[f"scope_{key}"] for key, _label in SCOPES),
        "unit_kind": sum(figures[f"unit_kind_{key}"] for key, _label in UNIT_KINDS),
        "former": sum(figures[f"former_{key}"] for key, _label in FORMER_OCCUPATIONS),
        "destinations": sum(figures["destinations"].values()),
        "trades": sum(figures["trades"].values()),
    }
    errors = [name for name, value in sums.items() if value != outflow]
    # the documents and card holders are subsets of the members away
    subsets = ("card_holders", *(f"documents_{key}" for key, _label in DOCUMENT_KINDS))
    return errors + [name for name in subsets if figures[name] > outflow]


def top(counts: dict, limit: int = 10) -> list[tuple[str, int]]:
    return sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:limit]


TRADE_LABELS = dict(Trade.choices) | {UNKNOWN: _("未填写")}
