"""The benchmarks' data generators write SQL by hand; run them small so a new column cannot break them unseen."""
import pytest
from django.db import connection

from benchmarks import bench_inactivity, province
from members.models import Member, OrganizationalLife

pytestmark = pytest.mark.django_db


def test_the_inactivity_generator_fits_the_schema_and_the_scan_reads_its_rows():
    from jobs.scans import inactivity_scan

    organizations, user_id = bench_inactivity._tree()
    bench_inactivity._generate(300, organizations, user_id)
    assert Member.objects.count() == 300
    assert OrganizationalLife.objects.count() == 600
    assert sum(inactivity_scan(today=bench_inactivity.TODAY).opened.values()) > 0


def test_the_province_generator_fits_the_schema():
    with connection.cursor() as cursor:
        # as in the empty database the benchmark builds: its first user (id 1) records the generated rows
        cursor.execute("SELECT setval(pg_get_serial_sequence('accounts_user', 'id'), 1, false)")
        for _label, sql in province._statements(500):
            cursor.execute(sql)
    assert Member.objects.count() == 500
    assert Member.objects.exclude(is_committee_member=False).count() == 0  # filled with the model's default
