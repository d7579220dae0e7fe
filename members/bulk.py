"""Updating many rows with different values in few statements.

Django's ``bulk_update`` writes one ``CASE WHEN id=… THEN …`` per field, which
PostgreSQL evaluates row by row against every branch: a 1,000-row batch of a
roster import took over a second. On PostgreSQL this joins the table to a
``VALUES`` list instead (one pass per batch); elsewhere it falls back to
``bulk_update``.
"""
from django.db import connection


def bulk_update_rows(model, objs, fields: list[str], *, batch_size: int = 1000) -> None:
    if not objs:
        return
    if connection.vendor != "postgresql":
        model._default_manager.bulk_update(objs, fields, batch_size=batch_size)
        return
    meta = model._meta
    pk = meta.pk
    columns = [meta.get_field(name) for name in fields]
    table = connection.ops.quote_name(meta.db_table)
    quote = connection.ops.quote_name
    names = [quote(pk.column)] + [quote(field.column) for field in columns]
    casts = [pk.db_type(connection)] + [field.db_type(connection) for field in columns]
    row_sql = "(" + ", ".join(f"%s::{cast}" for cast in casts) + ")"
    assignments = ", ".join(f"{quote(field.column)} = v.{quote(field.column)}" for field in columns)
    with connection.cursor() as cursor:
        for start in range(0, len(objs), batch_size):
            batch = objs[start:start + batch_size]
            params = []
            for obj in batch:
                params.append(pk.get_db_prep_save(obj.pk, connection))
                params.extend(field.get_db_prep_save(getattr(obj, field.attname), connection) for field in columns)
            sql = (f"UPDATE {table} AS t SET {assignments} FROM (VALUES {', '.join([row_sql] * len(batch))}) "
                   f"AS v({', '.join(names)}) WHERE t.{quote(pk.column)} = v.{quote(pk.column)}")
            cursor.execute(sql, params)
