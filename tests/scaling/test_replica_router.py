"""Heavy read-only pages read the replica; writes and everything else use the primary.

The replica here is the test database itself on a connection of its own
(settings_test), so what each alias was asked is visible.
"""
import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from config.db_router import ReplicaRouter, using_replica
from members.models import Member, PersonalDataAccess
from tests.factories import MemberFactory

HEAVY_PAGES = ["dashboard", "reports:review", "reports:review_export", "members:export"]


def _tables(queries) -> str:
    return " ".join(query["sql"] for query in queries)


@pytest.fixture
def county(tree, county_admin, separate_replica_connection, client):
    MemberFactory.create_batch(3, organization=tree.branch_a1)
    client.force_login(county_admin)
    return client


@pytest.mark.parametrize("page", HEAVY_PAGES)
def test_heavy_pages_read_the_members_from_the_replica(county, page):
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        response = county.get(reverse(page))
    assert response.status_code == 200
    assert '"members_member"' in _tables(replica.captured_queries)
    assert '"members_member"' not in _tables(primary.captured_queries)
    assert '"django_session"' in _tables(primary.captured_queries)  # who is signed in: the primary


def test_the_export_is_logged_on_the_primary(county):
    with CaptureQueriesContext(connections["replica"]) as replica:
        county.get(reverse("members:export"))
    assert PersonalDataAccess.objects.filter(action=PersonalDataAccess.Action.EXPORT).count() == 1
    assert not any(query["sql"].startswith(("INSERT", "UPDATE", "DELETE")) for query in replica.captured_queries)


def test_other_pages_read_the_primary_only(county, tree):
    member = Member.objects.filter(organization=tree.branch_a1).first()
    with CaptureQueriesContext(connections["replica"]) as replica:
        assert county.get(reverse("members:detail", args=[member.pk])).status_code == 200
        assert county.get(reverse("members:list")).status_code == 200
    assert replica.captured_queries == []


ROUTES = [
    # inside using_replica(), replica configured, expected read alias, expected write alias
    (False, True, "default", "default"),
    (True, True, "replica", "default"),
    (True, False, "default", "default"),
]


@pytest.mark.filterwarnings("ignore:Overriding setting DATABASES")
@pytest.mark.parametrize(("inside", "configured", "read", "write"), ROUTES)
def test_router(settings, inside, configured, read, write):
    if not configured:
        settings.DATABASES = {"default": settings.DATABASES["default"]}
    router = ReplicaRouter()
    if inside:
        with using_replica():
            assert (router.db_for_read(Member), router.db_for_write(Member)) == (read, write)
    else:
        assert (router.db_for_read(Member), router.db_for_write(Member)) == (read, write)


def test_migrations_run_on_the_primary_only():
    assert ReplicaRouter().allow_migrate("default", "members") and not ReplicaRouter().allow_migrate("replica", "members")


def test_a_queued_export_reads_the_members_from_the_replica_and_writes_its_job_on_the_primary(
        tree, county_admin, separate_replica_connection, settings, tmp_path):
    from members.models import RosterExport
    from members.services import roster_export_build

    settings.MEDIA_ROOT = str(tmp_path)
    MemberFactory.create_batch(3, organization=tree.branch_a1)
    job = RosterExport.objects.create(user=county_admin, query="", total_rows=3)
    with CaptureQueriesContext(connections["default"]) as primary, \
            CaptureQueriesContext(connections["replica"]) as replica:
        roster_export_build(job_id=job.pk)
    assert '"members_member"' in _tables(replica.captured_queries)
    assert '"members_member"' not in _tables(primary.captured_queries)
    assert '"members_rosterexport"' not in _tables(replica.captured_queries)
    job.refresh_from_db()
    assert (job.status, job.done_rows) == (RosterExport.Status.DONE, 3)
