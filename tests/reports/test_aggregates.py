"""The stored figures of the review page and the dashboard stay equal to a recount after every kind of write."""
from decimal import Decimal

import pytest
from django.utils import timezone

from jobs.models import InactivityFlag
from members.choices import MobilityStatus
from members.models import ContactAttempt, DuesPayment, Member, OrganizationalLife
from members.services import dues_payment_add, member_delete, member_record_add, member_update
from organizations.models import Organization
from reports import aggregates
from reports.models import StoredFigures
from reports.periods import Quarter, month_starts
from reports.statistics import unit_statistics
from tests.factories import AwayMemberFactory, MobileMemberFactory, MemberFactory
from tests.reports.test_statistics import contact, life

pytestmark = pytest.mark.usefixtures("postgres")


def _units(tree):
    return [tree.branch_a1.pk, tree.branch_a2.pk, tree.branch_b1.pk]


def _assert_exact(tree, subtree_user):
    """Stored-or-live figures equal the live recount, for each quarter, unit and the dashboard."""
    today = timezone.localdate()
    for quarter in (Quarter.containing(today), Quarter.containing(today).previous()):
        assert aggregates.stored_unit_statistics(_units(tree), quarter) == unit_statistics(_units(tree), quarter)
    months = month_starts(today, aggregates.DASHBOARD_MONTHS)
    subtree = Organization.objects.visible_to(subtree_user)
    recount = aggregates.total(aggregates.dashboard_figures(
        Member.objects.visible_to(subtree_user).in_registry(), months, today).values())
    stored = aggregates.dashboard_totals(subtree, months, today)
    assert stored["counts"] == {**dict.fromkeys(stored["counts"], 0), **recount.get("counts", {})}
    for name in ("destinations", "contacted", "life"):
        assert stored[name] == recount.get(name, {}), name


def test_stored_figures_equal_a_recount_after_creates_edits_deletes_and_moves(tree, secretary_a1, county_admin):
    today = timezone.localdate()
    this_month = today.replace(day=1)
    away = MobileMemberFactory(organization=tree.branch_a1, destination_province="上海市", destination_city="上海市")
    other = MobileMemberFactory(organization=tree.branch_a2)
    MemberFactory(organization=tree.branch_b1)
    contact(away, secretary_a1, this_month)
    life(away, secretary_a1, this_month)
    assert aggregates.refresh(today, rebuild=True) > 0
    assert aggregates.refresh(today) == 0  # nothing changed: nothing recomputed
    _assert_exact(tree, county_admin)

    # create: a record and a member in branch a1 make only a1's rows stale
    life(other, county_admin, this_month)
    MobileMemberFactory(organization=tree.branch_a1, destination_province="北京市", destination_city="北京市")
    _assert_exact(tree, county_admin)
    stale = aggregates.refresh(today)
    assert 0 < stale <= 2 * 3  # a1 and a2, for the two quarters and the dashboard
    assert aggregates.refresh(today) == 0
    _assert_exact(tree, county_admin)

    # edit: the member comes back home
    away.refresh_from_db()
    member_update(member=away, expected_version=away.version, acting_user=county_admin,
                  mobility_status=MobilityStatus.RETURNED)
    _assert_exact(tree, county_admin)
    aggregates.refresh(today)

    # move between organizations (a1 → b1): both branches change
    away.refresh_from_db()
    member_update(member=away, expected_version=away.version, acting_user=county_admin, organization=tree.branch_b1)
    _assert_exact(tree, county_admin)
    _assert_exact(tree, secretary_a1)
    aggregates.refresh(today)
    _assert_exact(tree, county_admin)

    # delete: a record, a flag, then a member
    OrganizationalLife.objects.filter(member=other).delete()
    InactivityFlag.objects.create(member=other, condition="life", flagged_on=today)
    _assert_exact(tree, county_admin)
    aggregates.refresh(today)
    member_delete(member=other, acting_user=county_admin)
    _assert_exact(tree, county_admin)
    assert aggregates.refresh(today) > 0
    _assert_exact(tree, county_admin)
    assert StoredFigures.objects.filter(key=aggregates.quarter_key(Quarter.containing(today))).count() == 3


def test_a_member_hosted_from_outside_the_subtree_counts_once(tree, secretary_a1, reviewer_a):
    hosted = MobileMemberFactory(organization=tree.branch_b1, host_organization=tree.branch_a1)
    member_record_add(record_class=ContactAttempt, member=hosted, acting_user=secretary_a1,
                      contacted_on=timezone.localdate(), channel="phone", contact_person="王支书", reached=True)
    aggregates.refresh(timezone.localdate(), rebuild=True)
    figures = aggregates.dashboard_totals(Organization.objects.visible_to(reviewer_a),
                                          month_starts(timezone.localdate(), aggregates.DASHBOARD_MONTHS),
                                          timezone.localdate())
    assert figures["counts"]["outflow"] == 1 and sum(figures["contacted"].values()) == 1
    _assert_exact(tree, reviewer_a)


def test_the_refresh_task_and_command_run(tree, secretary_a1):
    from django.core.management import call_command

    from reports.tasks import refresh_figures

    MemberFactory(organization=tree.branch_a1)
    call_command("refresh_figures", "--rebuild")
    assert refresh_figures() == 0


def test_truncating_a_table_forgets_every_stored_figure(tree, county_admin):
    from django.db import connection

    MobileMemberFactory(organization=tree.branch_a1)
    aggregates.refresh(timezone.localdate(), rebuild=True)
    assert StoredFigures.objects.exists()
    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE jobs_inactivityflag")
    assert not StoredFigures.objects.exists()
    _assert_exact(tree, county_admin)


def test_a_dues_payment_makes_its_member_s_figures_stale(tree, secretary_a1, county_admin):
    """The quarter's 党费按时缴纳 reads the payments themselves, so a payment alone must renew the figures."""
    today = timezone.localdate()
    away = MobileMemberFactory(organization=tree.branch_a1)
    aggregates.refresh(today, rebuild=True)
    dues_payment_add(member=away, acting_user=secretary_a1, first_month=today.replace(day=1),
                     last_month=today.replace(day=1), amount=Decimal("10"), paid_on=today, paid_where="原支部")
    assert aggregates.refresh(today) > 0
    DuesPayment.objects.filter(member=away).update(amount=Decimal("12"))  # the payment row alone
    assert aggregates.refresh(today) > 0
    _assert_exact(tree, county_admin)
