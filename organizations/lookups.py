"""``field__any_of=<queryset of ids>``: a subtree filter PostgreSQL answers with an index.

``organization_id IN (SELECT …)`` joined by ``OR`` to a second such test
cannot become a semi-join, so PostgreSQL runs both as filters over every row
of the table (a sequential scan of all members for a secretary of 30).
``organization_id = ANY(ARRAY(SELECT …))`` computes the ids once (an
``InitPlan``) and compares the column with an array, which is an index
condition: each side of the ``OR`` is a bitmap index scan and only the
subtree's rows are read. Other databases get a plain ``IN (SELECT …)``.
"""
from django.db.models import AutoField, BigAutoField, ForeignKey, Lookup


@BigAutoField.register_lookup  # pk__any_of: the members a daily job examines (jobs.changes)
@AutoField.register_lookup
@ForeignKey.register_lookup
class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} IN {rhs}", (*lhs_params, *rhs_params)

    def as_postgresql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} = ANY(ARRAY{rhs})", (*lhs_params, *rhs_params)
