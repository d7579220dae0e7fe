"""``INSERT … SELECT … ON CONFLICT DO NOTHING`` built from a queryset.

The jobs write their results with one statement per rule, whatever the
number of members: the rows are computed by the database from a queryset and
inserted without passing through Python. Rows that would break a unique
constraint are skipped, which makes every job idempotent.
"""
from django.db import connections, router


def insert_select(model, queryset, columns: dict) -> int:
    """Insert one ``model`` row per row of ``queryset``.

    ``columns`` maps each field name of ``model`` to an expression evaluated
    over ``queryset`` (``F``, ``Value``, ``Concat`` …). Returns the number of
    rows inserted (conflicting rows are not counted).
    """
    aliases = {name: f"ins_{name}" for name in columns}
    select = queryset.order_by().annotate(**{aliases[name]: expr for name, expr in columns.items()})
    select = select.values_list(*aliases.values())
    using = router.db_for_write(model)
    connection = connections[using]
    qn = connection.ops.quote_name
    inner_sql, params = select.query.get_compiler(using=using).as_sql()
    target = ", ".join(qn(model._meta.get_field(name).column) for name in columns)
    picked = ", ".join(f"rows.{qn(alias)}" for alias in aliases.values())
    # "WHERE true" keeps SQLite from reading ON CONFLICT as part of a join.
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({target}) "
           f"SELECT {picked} FROM ({inner_sql}) rows WHERE true ON CONFLICT DO NOTHING")
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return max(cursor.rowcount, 0)
