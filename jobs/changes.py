"""What can have changed since a daily job's last run: the members it looks at again.

PostgreSQL triggers (migration ``jobs.0004``) add a ``MemberChange`` row per
job for every member whose rows the job reads are inserted, updated or
deleted, inside the writing transaction. A run of the job, in one transaction:

1. takes the rows waiting for it (one UPDATE);
2. adds, as taken, the members whose answer may change by the passing of time
   alone between its last run and today: each rule names the members crossing
   one of its date edges in that interval (one INSERT … SELECT of a UNION);
3. runs each rule on the taken members only (still one statement per rule);
4. deletes the taken rows and records today as its last run.

A member row written by a transaction that commits during the run is not
deleted: it was invisible to step 1, or its trigger set ``taken`` back to
false, so the next run reads it. Without a last run (the first run, after a
TRUNCATE, or a run for a day before the last one) and without triggers
(SQLite) the run examines every member: the full recount, whose results the
incremental runs reproduce exactly (tests/jobs/test_changes.py).
"""
from dataclasses import dataclass
from datetime import date

from django.db import connections, router

from jobs.models import IncrementalRun, MemberChange


@dataclass(frozen=True)
class Run:
    job: str
    today: date
    #: The day of the last run; None: examine every member.
    since: date | None

    @property
    def incremental(self) -> bool:
        return self.since is not None

    def restrict(self, queryset, member: str = "pk"):
        """``queryset`` cut down to the rows of the members this run examines (``member``: the member's key).

        ``= ANY(ARRAY(…))`` (``organizations.lookups``): the taken ids are read once and the rules' rows are
        found through the member's index, so the cost follows the number examined, not the table.
        """
        if not self.incremental:
            return queryset
        taken = MemberChange.objects.filter(job=self.job, taken=True).values("member_id")
        return queryset.filter(**{f"{member}__any_of": taken})


def run_start(job: str, today: date) -> Run:
    """Read the last run and take the waiting changes (two statements)."""
    using = router.db_for_write(MemberChange)
    if connections[using].vendor != "postgresql":
        return Run(job, today, None)
    last = IncrementalRun.objects.filter(job=job).values_list("through", flat=True).first()
    since = last if last is not None and last <= today else None
    waiting = MemberChange.objects.filter(job=job)
    if since is None:
        waiting.delete()  # the recount reads every member; a change committed after this stays for the next run
    else:
        waiting.update(taken=True)
    return Run(job, today, since)


def run_add_crossing(run: Run, member_ids: list) -> None:
    """Take the members in ``member_ids`` (querysets of one column: member ids) too, in one statement."""
    if not run.incremental or run.since == run.today or not member_ids:
        return
    using = router.db_for_write(MemberChange)
    parts, params = [], []
    for queryset in member_ids:
        sql, part_params = queryset.order_by().query.sql_with_params()
        parts.append(f"SELECT * FROM ({sql}) crossing")
        params.extend(part_params)
    with connections[using].cursor() as cursor:
        cursor.execute(f"INSERT INTO {MemberChange._meta.db_table} (job, member_id, taken)"
                       f" SELECT DISTINCT %s, id, true FROM ({' UNION ALL '.join(parts)}) AS crossing(id)"
                       " WHERE id IS NOT NULL ON CONFLICT (job, member_id) DO UPDATE SET taken = true",
                       [run.job, *params])


def run_finish(run: Run) -> None:
    """Drop the examined changes and record today as the last run (two statements)."""
    using = router.db_for_write(MemberChange)
    if connections[using].vendor != "postgresql":
        return
    if run.incremental:
        MemberChange.objects.filter(job=run.job, taken=True).delete()
    IncrementalRun.objects.bulk_create([IncrementalRun(job=run.job, through=run.today)], update_conflicts=True,
                                       unique_fields=["job"], update_fields=["through"])
