"""The county's quarterly roll-up over 100,000 members (target: under 1 s on PostgreSQL).

Builds a county of 5 towns × 20 branches and ``BENCH_MEMBERS`` members
(default 100,000) with a quarter's contacts, organizational life, outflow, return and
inflow registrations, letters and activity cards in a throwaway test database, then times ``reports.statistics.rollup``
for the whole county next to a baseline measured on the same rows: a plain
``COUNT(*) … GROUP BY organization_id`` of the same members.

With ``BENCH_DATABASE`` naming a database that holds a province built by
``benchmarks.province``, the roll-up is measured for that province's county
``county0`` (10 towns × 12 branches, about 12,000 members at 1,000,000)
among the province's rows, without building the county above.

    BENCH_DATABASE=bench_province_1m python -m benchmarks rollup
"""
import os
import random
import statistics
import time
from datetime import timedelta

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from benchmarks import harness, province

TOWNS, BRANCHES_PER_TOWN, REPEATS = 5, 20, 5


def run() -> dict:
    with harness.bench_database():
        built = province.existing()
        if built:
            from organizations.models import Organization

            print(f"  使用已生成的省（{built.members:,} 名党员）", flush=True)
            return _measure(built.members, Organization.objects.get(pk=built.county_id))
        return _measure(int(os.environ.get("BENCH_MEMBERS", "100000")))


def _timed(function, repeats=REPEATS) -> float:
    """Median seconds of ``repeats`` runs after one warm-up run."""
    function()
    times = []
    for _i in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _measure(count: int, county=None) -> dict:
    """Build a county of ``count`` members (or take the given one, of a larger database) and time its roll-up."""
    from members.models import Member
    from reports.periods import Quarter
    from reports.selectors import review_board
    from reports.statistics import SOURCES, reporting_units, rollup

    quarter = Quarter.last_completed()
    start = time.perf_counter()
    if county is None:
        county = _build(count, quarter)
        if connection.vendor == "postgresql":  # what autovacuum does to a live database after a bulk load
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    built = time.perf_counter() - start
    units = reporting_units(county)

    def baseline():
        return list(Member.objects.filter(organization__in=units.values("pk")).order_by()
                    .values("organization_id").annotate(n=Count("id")))

    figures = rollup(county, quarter)
    in_county = Member.objects.filter(organization__path__startswith=county.path).count()
    assert figures["members_total"] <= in_county, (figures["members_total"], in_county)
    baseline_s = _timed(baseline)
    rollup_s = _timed(lambda: rollup(county, quarter))
    board_s = _timed(lambda: review_board(county, quarter, timezone.localdate()).totals, repeats=3)
    per_source = {source.__name__: _timed(lambda source=source: source(units, quarter), repeats=3) for source in SOURCES}
    print(f"database: {connection.vendor}; {count:,} members, {in_county:,} of them in the county's"
          f" {units.count()} branches; data built in {built:.1f} s")
    print(f"  baseline COUNT(*) GROUP BY organization: {baseline_s * 1000:8.1f} ms")
    print(f"  county roll-up, {quarter.label} ({len(SOURCES)} sources): {rollup_s * 1000:8.1f} ms"
          f"  ({rollup_s / baseline_s:.1f}× baseline; target < 1000 ms: {'OK' if rollup_s < 1 else 'MISSED'})")
    print(f"  county review page data (branches, reports, figures, totals): {board_s * 1000:8.1f} ms")
    for name, seconds in per_source.items():
        print(f"    {name:32s} {seconds * 1000:8.1f} ms")
    if connection.vendor == "postgresql":
        _print_storage(count)
    print(f"  outflow {figures['outflow']:,}, contacted {figures['contacted']:,}, new outflows {figures['new_outflows']:,},"
          f" returns {figures['returned']:,}, new inflows {figures['new_inflows']:,}, hidden {figures['hidden_found']:,},"
          f" card holders {figures['card_holders']:,}")
    return {"members": count, "baseline_s": baseline_s, "rollup_s": rollup_s, "review_board_s": board_s,
            "per_source_s": per_source}


def _print_storage(count: int) -> None:
    """Bytes on disk per member (tables with their indexes and TOAST), for docs/capacity.md."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database()), pg_total_relation_size('members_member'),"
                       " pg_total_relation_size('members_historicalmember')")
        database, members, history = cursor.fetchone()
    print(f"  storage: database {database / 2**20:,.0f} MB = {database / count:,.0f} B per member;"
          f" members_member {members / count:,.0f} B per row, its history {history / count:,.0f} B per row")


def _build(count: int, quarter):
    """A county, its towns and branches, ``count`` members and a quarter's records (bulk inserts)."""
    from simple_history.utils import bulk_create_with_history

    from accounts.models import User
    from accounts.roles import Role
    from members import dues
    from members.choices import DestinationUnitKind, Education, FormerOccupation, Gender, MobilityStatus
    from members.demo import PersonGenerator
    from members.models import ContactAttempt, Member, OrganizationalLife
    from organizations.choices import OrganizationKind
    from organizations.models import Organization

    rng = random.Random(6)
    people = PersonGenerator(seed=6)
    tree = Organization.objects
    county = tree.add_root(create_kwargs=dict(code="BC", name="基准县委", kind=OrganizationKind.COUNTY_COMMITTEE))
    branches, town_of = [], {}
    for town_index in range(TOWNS):
        town = tree.add_child(county, create_kwargs=dict(
            code=f"BT{town_index}", name=f"基准镇{town_index}", kind=OrganizationKind.TOWN_COMMITTEE))
        for branch_index in range(BRANCHES_PER_TOWN):
            branches.append(tree.add_child(town, create_kwargs=dict(
                code=f"BB{town_index}-{branch_index}", name=f"基准村{town_index}-{branch_index}", kind=OrganizationKind.BRANCH)))
            town_of[branches[-1].pk] = (town, county)
    user = User.objects.create(username="bench", organization=county, role=Role.DEPARTMENT_ADMIN)
    rows = []
    days = (quarter.end - quarter.start).days
    for index in range(count):
        male = rng.random() < 0.6
        birth = people.birth_date()
        roll = rng.random()
        status = (MobilityStatus.OUTFLOW if roll < 0.45 else MobilityStatus.INFLOW if roll < 0.5
                  else MobilityStatus.RETURNED if roll < 0.58 else MobilityStatus.AT_HOME)
        member = Member(
            name=people.name(male), gender=Gender.MALE if male else Gender.FEMALE, birth_date=birth,
            id_number=people.id_number(birth, male), education=Education.HIGH_SCHOOL,
            joined_date=birth + timedelta(days=365 * 25), organization=branches[index % len(branches)],
            mobility_status=status, phone=people.phone(),
        )
        # An opening balance: paid (on paper) through that month, dues counted from the next one.
        member.dues_paid_through = (quarter.end - timedelta(days=30 * rng.randrange(0, 9))).replace(day=1)
        member.dues_start_month = dues.add_months(member.dues_paid_through, 1)
        if status != MobilityStatus.AT_HOME:
            member.departure_date = quarter.start - timedelta(days=rng.randrange(-days, 900))
            member.expected_months = 12
            member.occupation, member.trade = people.occupation()
            member.destination_province, member.destination_city, member.destination_address = people.destination()
            member.destination_unit_kind = rng.choice(DestinationUnitKind.values + [""])
            member.former_occupation = rng.choice(FormerOccupation.values + [""])
        rows.append(member)
    bulk_create_with_history(rows, Member, batch_size=5000)
    _build_registrations(rng, quarter, user, town_of)
    outflow = list(Member.objects.filter(mobility_status=MobilityStatus.OUTFLOW).values_list("pk", "organization_id"))
    contacts, life = [], []
    for pk, organization_id in outflow:
        day = quarter.start + timedelta(days=rng.randrange(days + 1))
        if rng.random() < 0.6:
            contacts.append(ContactAttempt(member_id=pk, recorded_by_id=organization_id, created_by=user, contacted_on=day,
                                           channel="phone", contact_person="联系人", reached=rng.random() < 0.8))
        if rng.random() < 0.4:
            life.append(OrganizationalLife(member_id=pk, recorded_by_id=organization_id, created_by=user, attended_on=day,
                                           kind="theme_day", content="主题党日"))
    ContactAttempt.objects.bulk_create(contacts, batch_size=5000)
    OrganizationalLife.objects.bulk_create(life, batch_size=5000)
    return county


def _build_registrations(rng, quarter, user, town_of) -> None:
    """An outflow registration per member away or back (back: closed by a return in the quarter), the
    letter or card its handling calls for, and an inflow registration per inflow member (bulk inserts)."""
    from activity_cards.models import ActivityCard
    from members.choices import MobilityStatus
    from members.models import Member
    from transfers.choices import DocumentKind, Handling, LetterStatus, OutflowStatus, Purpose
    from transfers.models import CertificateLetter, Inflow, IntroductionLetter, Outflow, ReturnRegistration

    days = (quarter.end - quarter.start).days
    handlings = (Handling.TRANSFER, Handling.CERTIFICATE_LETTER, Handling.ACTIVITY_CARD, Handling.ACTIVITY_CARD)
    away = Member.objects.filter(mobility_status__in=(MobilityStatus.OUTFLOW, MobilityStatus.RETURNED)).values(
        "pk", "organization_id", "mobility_status", "departure_date", "destination_province", "destination_city",
        "destination_address", "occupation", "trade")
    outflows = []
    for row in away:
        handling = rng.choice(handlings)
        outflows.append(Outflow(
            member_id=row["pk"], origin_organization_id=row["organization_id"], talk_date=row["departure_date"],
            talk_by="支部书记", departure_date=row["departure_date"], expected_months=12, purpose=Purpose.WORK,
            destination_province=row["destination_province"], destination_city=row["destination_city"],
            destination_address=row["destination_address"] or "-", occupation=row["occupation"] or "-",
            trade=row["trade"] or "other", recommended_handling=handling, recommendation_reason="-", handling=handling,
            status=OutflowStatus.CLOSED if row["mobility_status"] == MobilityStatus.RETURNED else OutflowStatus.APPROVED,
            created_by=user))
    Outflow.objects.bulk_create(outflows, batch_size=5000)
    letters, certificates, cards, returns = [], [], [], []
    for index, outflow in enumerate(outflows):
        if outflow.status == OutflowStatus.CLOSED:
            returns.append(ReturnRegistration(outflow=outflow, created_by=user,
                                              returned_on=quarter.start + timedelta(days=rng.randrange(days + 1))))
        elif outflow.handling == Handling.TRANSFER:
            letters.append(IntroductionLetter(outflow=outflow, number=f"J{index:08d}", status=LetterStatus.ISSUED,
                                              receiving_organization_name="接收党组织", issued_on=outflow.departure_date))
        elif outflow.handling == Handling.CERTIFICATE_LETTER:
            certificates.append(CertificateLetter(outflow=outflow, number=f"Z{index:08d}", issued_on=outflow.departure_date))
        else:
            town, county = town_of[outflow.origin_organization_id]
            cards.append(ActivityCard(
                number=f"22{index:014d}", member_id=outflow.member_id, outflow=outflow, issued_by=town,
                issued_by_user=user,
                filed_with=county, issued_on=outflow.departure_date, purpose=Purpose.WORK, reason="外出务工",
                destination=outflow.destination_city or "-", departure_date=outflow.departure_date, expected_months=12,
                recommended_handling=Handling.ACTIVITY_CARD, photo="card-photos/bench.png"))
    ReturnRegistration.objects.bulk_create(returns, batch_size=5000)
    IntroductionLetter.objects.bulk_create(letters, batch_size=5000)
    CertificateLetter.objects.bulk_create(certificates, batch_size=5000)
    ActivityCard.objects.bulk_create(cards, batch_size=5000)
    inflows = [
        Inflow(member_id=pk, host_organization_id=organization_id, origin_organization_name="外省某村党支部",
               arrived_on=quarter.end - timedelta(days=rng.randrange(400)), document_kind=DocumentKind.NONE,
               hidden_member=rng.random() < 0.1, created_by=user)
        for pk, organization_id in Member.objects.filter(mobility_status=MobilityStatus.INFLOW).values_list(
            "pk", "organization_id")]
    Inflow.objects.bulk_create(inflows, batch_size=5000)
