"""Figures per organization kept in a table, so that a page costs what changed, not the whole table.

The review page and the dashboard add up per-organization figures. Each
organization's figures for a key (``q:2026-3`` for a quarter's statistics,
``dash:2026-01`` for the dashboard's 12 months from January 2026) are stored
in ``StoredFigures`` together with the organization's *generation*: a
counter that PostgreSQL triggers (migration ``reports.0003``) bump inside
every transaction that writes a row the figures read — members, their
organizational life, contacts and dues payments, outflows, returns, letters, cards, inflows
and inactivity flags — for every organization the row touches before and
after the write. A stored row counts only while its generation is the
organization's current one; the others, and the missing ones, are computed
live for those organizations alone and stored. The figures read are thus
always the recount's, and a page's cost follows the organizations that
changed since the last read (or the last ``refresh_figures`` run).

Races: the generation is read before the live figures in the same
request; a write committing in between makes the stored row's generation
old at once, so the next read recomputes it.

Without PostgreSQL (the SQLite development set-up) nothing is stored and every
read computes the figures live.
"""
import json
from collections.abc import Callable, Iterable
from datetime import date

from django.db import connections, router
from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from members.choices import ContactChannel, MobilityStatus
from members.facts import incomplete_q
from members.models import ContactAttempt, Member, OrganizationalLife
from organizations.choices import MEMBER_HOLDING_KINDS
from organizations.models import Organization
from reports.models import StoredFigures
from reports.periods import Quarter, month_starts
from reports.statistics import add_into, destinations_by_city, figures_day, unit_statistics
from transfers.mobile_members import counted_outflows

UNKNOWN_PLACE = "未填写"
#: The dashboard's charts cover this many months, the current one last.
DASHBOARD_MONTHS = 12
#: The dashboard's monthly charts: (figure key, record model, date field, extra filter).
MONTHLY = (
    ("contacted", ContactAttempt, "contacted_on", {"reached": True}),
    # The members among them who reported through their own page (shown in its own colour).
    ("self_reported", ContactAttempt, "contacted_on", {"reached": True, "channel": ContactChannel.SELF_REPORT}),
    ("life", OrganizationalLife, "attended_on", {}),
)


def stored_per_organization(organizations, key: str, compute: Callable[[list[int]], dict[int, dict]], *,
                            store: bool = False) -> dict[int, dict]:
    """``{organization_id: figures}`` for ``key``: the stored rows still current, the others computed live.

    ``organizations`` is a list of ids or a queryset of organizations;
    ``compute(ids)`` returns the figures of the given organizations (one it
    leaves out has none: ``{}``). One query when every row is current, plus
    ``compute``'s queries for the others. Pages only read (they may read the
    replica); ``store`` (the refresh job) writes what it computed.
    """
    using = router.db_for_read(StoredFigures)
    if connections[using].vendor != "postgresql":
        ids = organizations if isinstance(organizations, list) else list(organizations.values_list("pk", flat=True))
        return _complete(ids, compute(ids)) if ids else {}
    if isinstance(organizations, list):
        ids_sql, params = "SELECT unnest(%s::bigint[])", [organizations]
    else:
        ids_sql, params = organizations.order_by().values("pk").query.sql_with_params()
    with connections[using].cursor() as cursor:
        cursor.execute(
            "SELECT u.id, COALESCE(g.generation, 0), s.generation, s.figures"
            f" FROM ({ids_sql}) AS u(id)"
            " LEFT JOIN reports_figuregeneration g ON g.organization_id = u.id"
            " LEFT JOIN reports_storedfigures s ON s.organization_id = u.id AND s.key = %s",
            [*params, key])
        rows = cursor.fetchall()
    result, stale = {}, {}
    for organization_id, generation, stored_generation, figures in rows:
        if stored_generation == generation:
            result[organization_id] = figures if isinstance(figures, dict) else json.loads(figures)
        else:
            stale[organization_id] = generation
    if stale:
        fresh = _complete(stale, compute(list(stale)))
        if store:
            _store(key, stale, fresh)
        result.update(fresh)
    return result


def _complete(organization_ids: Iterable[int], figures: dict[int, dict]) -> dict[int, dict]:
    return {pk: figures.get(pk, {}) for pk in organization_ids}


def _store(key: str, generations: dict[int, int], figures: dict[int, dict]) -> None:
    """One upsert; a row already stored for a later generation is kept."""
    ids = list(generations)
    using = router.db_for_write(StoredFigures)
    with connections[using].cursor() as cursor:
        cursor.execute(
            "INSERT INTO reports_storedfigures (organization_id, key, generation, figures)"
            " SELECT u.id, %s, u.generation, u.figures::jsonb"
            " FROM unnest(%s::bigint[], %s::bigint[], %s::text[]) AS u(id, generation, figures)"
            " ON CONFLICT (organization_id, key) DO UPDATE"
            " SET generation = EXCLUDED.generation, figures = EXCLUDED.figures"
            " WHERE reports_storedfigures.generation <= EXCLUDED.generation",
            [key, ids, [generations[pk] for pk in ids], [json.dumps(figures[pk]) for pk in ids]])


def total(figure_sets: Iterable[dict]) -> dict:
    """Add figures up key by key (nested counts too)."""
    result: dict = {}
    for figures in figure_sets:
        add_into(result, figures)
    return result


# -- the review page: a quarter's statistics per reporting unit ------------------------------------------------

def quarter_key(quarter: Quarter) -> str:
    """A quarter under way is counted as of today (``figures_day``): its key carries the day, so that
    figures stored yesterday are not read today (an outflow turns long-term with no write at all)."""
    day = figures_day(quarter)
    return f"q:{quarter.key}" if day == quarter.end else f"q:{quarter.key}@{day:%Y-%m-%d}"


def stored_unit_statistics(unit_ids: list[int], quarter: Quarter) -> dict[int, dict]:
    """``unit_statistics`` of the given reporting units, read from the stored figures where current."""
    return stored_per_organization(unit_ids, quarter_key(quarter), lambda stale: unit_statistics(stale, quarter))


# -- the dashboard: counts, destinations and 12 months of contacts and organizational life ----------------------

def dashboard_key(months: list[date], today: date) -> str:
    """The mobile members are counted as of today (``transfers.mobile_members``): the key carries the day."""
    return f"dash:{months[0]:%Y-%m}@{today:%Y-%m-%d}"


def dashboard_figures(members, months: list[date], today: date) -> dict[int, dict]:
    """The dashboard's figures of ``members`` grouped by their organization (four grouped queries).

    ``counts``: members, outflow (the mobile members counted today,
    ``transfers.mobile_members``), inflow, returned, incomplete; ``destinations``:
    those members by place; ``contacted`` / ``life``: those members with at
    least one such record in each month (``YYYY-MM``), distinct per month.
    """
    away_outflows = counted_outflows(today).filter(member__in=members.values("pk"))
    away = away_outflows.values("member_id")
    result: dict[int, dict] = {}

    def figures(organization_id):
        return result.setdefault(organization_id, {"counts": {}, "destinations": {}, "contacted": {},
                                                   "self_reported": {}, "life": {}})

    counts = members.order_by().values("organization_id").annotate(
        total=Count("id"),
        outflow=Count("id", filter=Q(pk__in=away)),
        inflow=Count("id", filter=Q(mobility_status=MobilityStatus.INFLOW)),
        returned=Count("id", filter=Q(mobility_status=MobilityStatus.RETURNED)),
        incomplete=Count("id", filter=incomplete_q()),
    )
    for row in counts:
        figures(row.pop("organization_id"))["counts"] = row
    for organization_id, places in destinations_by_city(away_outflows, "member__organization_id", UNKNOWN_PLACE).items():
        figures(organization_id)["destinations"] = places
    for name, model, field, extra in MONTHLY:
        rows = (model.objects.filter(member__in=away, **{f"{field}__gte": months[0]}, **extra)
                .annotate(month=TruncMonth(field)).order_by().values("member__organization_id", "month")
                .annotate(n=Count("member_id", distinct=True)))
        for row in rows:
            figures(row["member__organization_id"])[name][f"{row['month']:%Y-%m}"] = row["n"]
    return result


def dashboard_totals(subtree, months: list[date], today: date) -> dict:
    """The dashboard's figures for the members held or hosted in ``subtree`` (a queryset of organizations).

    The members held there are the stored per-organization figures added up;
    the few hosted there but held elsewhere are counted live (each member once).
    """
    members = Member.objects.in_registry()
    per_organization = stored_per_organization(
        subtree, dashboard_key(months, today),
        lambda stale: dashboard_figures(members.filter(organization__in=stale), months, today))
    subtree_ids = subtree.order_by().values("pk")
    hosted_from_outside = members.filter(host_organization__any_of=subtree_ids).exclude(
        organization__any_of=subtree_ids)  # an index condition, not a scan of every hosted member
    sets = list(per_organization.values())
    if hosted_from_outside.exists():
        sets.extend(dashboard_figures(hosted_from_outside, months, today).values())
    figures = total(sets)
    counts = {name: 0 for name in ("total", "outflow", "inflow", "returned", "incomplete")}
    counts.update(figures.get("counts", {}))
    return {"counts": counts, "destinations": figures.get("destinations", {}),
            **{name: figures.get(name, {}) for name, *_rest in MONTHLY}}


def top_places(destinations: dict[str, int], limit: int = 8) -> list[tuple[str, int]]:
    return sorted(destinations.items(), key=lambda item: (-item[1], item[0]))[:limit]


# -- keeping them current ---------------------------------------------------------------------------------------

def current_keys(today: date) -> list[tuple[str, Callable]]:
    """The keys pages read today, each with the organizations it covers and how to compute them."""
    quarter, months = Quarter.containing(today), month_starts(today, DASHBOARD_MONTHS)
    members = Member.objects.in_registry()
    units = Organization.objects.filter(kind__in=MEMBER_HOLDING_KINDS)
    keys = [(quarter_key(q), units, lambda stale, q=q: unit_statistics(stale, q))
            for q in (quarter, quarter.previous())]
    keys.append((dashboard_key(months, today), Organization.objects.all(),
                 lambda stale: dashboard_figures(members.filter(organization__in=stale), months, today)))
    return keys


def refresh(today: date, *, rebuild: bool = False) -> int:
    """Recompute the stored figures that are not current (all of them with ``rebuild``); returns rows written."""
    if rebuild:
        StoredFigures.objects.all().delete()
    else:  # figures counted as of an earlier day are never read again
        StoredFigures.objects.filter(key__contains="@").exclude(key__endswith=f"@{today:%Y-%m-%d}").delete()
    written = 0
    for key, organizations, compute in current_keys(today):
        counted = []

        def counting(stale, compute=compute, counted=counted):
            counted.extend(stale)
            return compute(stale)

        stored_per_organization(organizations, key, counting, store=True)
        written += len(counted)
    return written
