"""Fill ``name_pinyin`` and ``name_initials`` of the existing members, set-based.

The conversion needs Python (pypinyin), but only once per distinct name: the
distinct names are converted into a temporary table, which then updates the
members in id ranges of ``ROWS`` with one joined ``UPDATE`` each.
"""
from django.db import migrations

from members.pinyin import name_search_keys

NAMES = 10_000
ROWS = 100_000


def fill(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE member_name_keys (name varchar(50) PRIMARY KEY, pinyin varchar(300),"
                       " initials varchar(50)) ON COMMIT DROP")
        cursor.execute("SELECT DISTINCT name FROM members_member")
        names = [name for (name,) in cursor.fetchall()]
        for start in range(0, len(names), NAMES):
            chunk = names[start:start + NAMES]
            keys = [name_search_keys(name) for name in chunk]
            cursor.execute("INSERT INTO member_name_keys SELECT * FROM unnest(%s::varchar[], %s::varchar[], %s::varchar[])",
                           [chunk, [pinyin for pinyin, _initials in keys], [initials for _pinyin, initials in keys]])
        cursor.execute("ANALYZE member_name_keys")
        cursor.execute("SELECT coalesce(min(id), 0), coalesce(max(id), -1) FROM members_member")
        low, high = cursor.fetchone()
        for start in range(low, high + 1, ROWS):
            cursor.execute("UPDATE members_member m SET name_pinyin = k.pinyin, name_initials = k.initials "
                           "FROM member_name_keys k WHERE k.name = m.name AND m.id >= %s AND m.id < %s",
                           [start, start + ROWS])
        cursor.execute("DROP TABLE member_name_keys")


class Migration(migrations.Migration):

    dependencies = [
        ('members', '0018_member_name_pinyin'),
    ]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=True),
    ]
