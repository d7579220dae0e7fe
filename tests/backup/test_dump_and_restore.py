"""A seeded database dumped by the nightly backup and restored into a new database has every row.

Runs the documented script's backup and restore (pg_dump, pg_restore) against
the real PostgreSQL server of DATABASE_URL; the restored copy is a new
database next to the test database, dropped at the end.
"""
from urllib.parse import quote

import psycopg2
import pytest
from django.core.management import call_command
from django.db import connection

from tests.backup.pgbackup import backup, restore

SAMPLE = 5


def _url(settings_dict, name: str) -> str:
    user = quote(settings_dict["USER"] or "", safe="")
    password = f":{quote(settings_dict['PASSWORD'], safe='')}" if settings_dict["PASSWORD"] else ""
    port = f":{settings_dict['PORT']}" if settings_dict["PORT"] else ""
    return f"postgres://{user}{password}@{settings_dict['HOST'] or 'localhost'}{port}/{name}"


def _snapshot(cursor, tables):
    """Every table's row count and its first rows in primary-key (first column) order."""
    figures = {}
    for table in tables:
        cursor.execute(f'SELECT count(*) FROM "{table}"')
        count = cursor.fetchone()[0]
        cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1 LIMIT {SAMPLE}')
        figures[table] = (count, cursor.fetchall())
    return figures


@pytest.fixture
def restored_database(postgres):
    name = f"{connection.settings_dict['NAME']}_restored"
    server = psycopg2.connect(_url(connection.settings_dict, "postgres"))
    server.autocommit = True

    def drop():
        with server.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    drop()
    yield name
    drop()
    server.close()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_backup_restores_every_table_and_the_media_into_a_new_database(restored_database, tmp_path, settings):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    call_command("seed_demo", members=40, password="demo12345")
    call_command("seed_demo_transfers")
    call_command("seed_demo_records")
    photo = tmp_path / "media" / "card-photos" / "a.png"
    photo.parent.mkdir(parents=True)
    photo.write_bytes(b"\x89PNG not really")

    folder = backup(tmp_path / "backups", database_url=_url(connection.settings_dict, connection.settings_dict["NAME"]),
                    media_root=tmp_path / "media")
    restore(folder, database_url=_url(connection.settings_dict, restored_database), media_root=tmp_path / "restored")

    tables = connection.introspection.table_names()
    with connection.cursor() as cursor:
        original = _snapshot(cursor, tables)
    copy = psycopg2.connect(_url(connection.settings_dict, restored_database))
    try:
        with copy.cursor() as cursor:
            restored = _snapshot(cursor, tables)
    finally:
        copy.close()
    assert original["members_member"][0] == 40
    assert original["transfers_outflow"][0] > 0
    assert {table: count for table, (count, _rows) in restored.items()} == {
        table: count for table, (count, _rows) in original.items()}
    assert restored == original
    assert (tmp_path / "restored" / "card-photos" / "a.png").read_bytes() == photo.read_bytes()


@pytest.mark.services
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_has_tables(postgres, tmp_path):
    folder = backup(tmp_path / "backups", database_url=_url(connection.settings_dict, connection.settings_dict["NAME"]),
                    media_root=tmp_path / "media")
    with pytest.raises(SystemExit, match="新的空数据库"):
        restore(folder, database_url=_url(connection.settings_dict, connection.settings_dict["NAME"]),
                media_root=tmp_path / "restored")
