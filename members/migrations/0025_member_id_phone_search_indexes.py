"""Indexes for the search by the first or last digits of an ID number or phone (``members.search``).

A suffix is a prefix of the reversed column: ``reverse(id_number) LIKE '4321%'``
is a range on an expression index; a prefix (``LIKE '220224%'``) a range on
the column's pattern index. PostgreSQL only (pattern operator classes,
whatever the collation); the SQLite development set-up scans its few rows.
"""
from django.db import migrations

INDEXES = {
    "member_id_suffix_idx": "(reverse(id_number)) text_pattern_ops",
    "member_phone_suffix_idx": "(reverse(phone)) text_pattern_ops",
    "member_id_prefix_idx": "id_number varchar_pattern_ops",
    "member_phone_prefix_idx": "phone varchar_pattern_ops",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, expression in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON members_member ({expression})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ("members", "0024_contact_self_report"),
    ]

    operations = [migrations.RunPython(create, drop)]
