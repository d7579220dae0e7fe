"""Writing many rows, with their history, in few statements.

A roster import writes thousands of members at once. Django's ``bulk_create``
and ``bulk_update`` spend most of their time preparing each value in Python,
and ``bulk_update`` writes one ``CASE WHEN id=… THEN …`` per field, which
PostgreSQL evaluates row by row against every branch. On PostgreSQL these
functions stream the rows with ``COPY`` instead (into the table, or into a
temporary table joined by one ``UPDATE``); elsewhere they fall back to
Django's bulk methods. Only the field types whose Python value Django hands
to PostgreSQL unchanged are written as they are; every other field goes
through ``get_db_prep_save`` first.
"""
import io
from datetime import date, datetime

from django.db import connection
from django.utils import timezone

#: Field types whose Python value Django passes to PostgreSQL unchanged.
_PLAIN_TYPES = {
    "AutoField", "BigAutoField", "BigIntegerField", "BooleanField", "CharField", "DateField", "DateTimeField",
    "ForeignKey", "IntegerField", "PositiveIntegerField", "PositiveSmallIntegerField", "SmallIntegerField",
    "TextField",
}
#: COPY's text format: backslash escapes for the characters that delimit rows and columns.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _use_postgres() -> bool:
    return connection.vendor == "postgresql"


def _getter(field):
    attname = field.attname
    if field.get_internal_type() in _PLAIN_TYPES:
        return lambda obj: getattr(obj, attname)
    return lambda obj: field.get_db_prep_save(getattr(obj, attname), connection)


def _copy_value(value) -> str:
    if value is None:
        return "\\N"
    if value is True or value is False:
        return "t" if value else "f"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return str(value).translate(_COPY_ESCAPES)


def _copy(cursor, table: str, columns: list[str], rows) -> None:
    quote = connection.ops.quote_name
    buffer = io.StringIO()
    for row in rows:
        buffer.write("\t".join(map(_copy_value, row)))
        buffer.write("\n")
    buffer.seek(0)
    cursor.cursor.copy_expert(f"COPY {quote(table)} ({', '.join(quote(c) for c in columns)}) FROM STDIN", buffer)


def _derive(model, objs: list, fields=None):
    """Columns a model derives from others (``Member.derive_columns``) are filled and written along."""
    derive = getattr(model, "derive_columns", None)
    return derive(objs, fields) if derive is not None else fields


def bulk_insert(model, objs: list, *, batch_size: int = 1000) -> None:
    """Insert ``objs`` and set their primary keys."""
    if not objs:
        return
    _derive(model, objs)
    if not _use_postgres():
        model._default_manager.bulk_create(objs, batch_size=batch_size)
        return
    meta = model._meta
    for field in meta.concrete_fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                field.pre_save(obj, add=True)
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                       [meta.db_table, meta.pk.column, len(objs)])
        for obj, (pk,) in zip(objs, cursor.fetchall(), strict=True):
            obj.pk = pk
            obj._state.adding = False
        getters = [_getter(field) for field in meta.concrete_fields]
        _copy(cursor, meta.db_table, [field.column for field in meta.concrete_fields],
              (tuple(get(obj) for get in getters) for obj in objs))


def bulk_update_rows(model, objs: list, fields: list[str], *, batch_size: int = 1000) -> None:
    """Save ``fields`` of ``objs``, each row its own values."""
    if not objs:
        return
    fields = _derive(model, objs, fields)
    if not _use_postgres():
        model._default_manager.bulk_update(objs, fields, batch_size=batch_size)
        return
    meta, quote = model._meta, connection.ops.quote_name
    columns = [meta.pk] + [meta.get_field(name) for name in fields]
    getters = [_getter(field) for field in columns]
    names = [field.column for field in columns]
    staging = f"bulk_update_{meta.db_table}"
    assignments = ", ".join(f"{quote(name)} = s.{quote(name)}" for name in names[1:])
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMPORARY TABLE {quote(staging)} ON COMMIT DROP AS "
                       f"SELECT {', '.join(quote(name) for name in names)} FROM {quote(meta.db_table)} WITH NO DATA")
        _copy(cursor, staging, names, (tuple(get(obj) for get in getters) for obj in objs))
        cursor.execute(f"ANALYZE {quote(staging)}")  # so the join below is planned as a hash join
        cursor.execute(f"UPDATE {quote(meta.db_table)} AS t SET {assignments} FROM {quote(staging)} AS s "
                       f"WHERE t.{quote(meta.pk.column)} = s.{quote(meta.pk.column)}")
        cursor.execute(f"DROP TABLE {quote(staging)}")


def bulk_history(model, objs: list, *, created: bool, user, reason: str, batch_size: int = 1000) -> None:
    """One django-simple-history record per object ("+" created or "~" changed), by ``user``."""
    if not objs:
        return
    if not _use_postgres():
        model.history.bulk_history_create(objs, batch_size=batch_size, update=not created, default_user=user,
                                          default_change_reason=reason)
        return
    history_model = model.history.model
    fixed = {"history_date": timezone.now(), "history_change_reason": reason, "history_type": "+" if created else "~",
             "history_user_id": user.pk if user is not None else None}
    history_fields = [field for field in history_model._meta.concrete_fields if field.name != "history_id"]
    getters = []
    for field in history_fields:
        if field.attname in fixed:
            getters.append(lambda obj, value=fixed[field.attname]: value)
        else:
            getters.append(_getter(model._meta.get_field(field.name)))
    with connection.cursor() as cursor:
        _copy(cursor, history_model._meta.db_table, [field.column for field in history_fields],
              (tuple(get(obj) for get in getters) for obj in objs))
