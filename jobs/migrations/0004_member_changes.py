"""The changed members the daily jobs look at again (``jobs.changes``), and the triggers that record them.

One statement-level trigger per table and event, reading the statement's
transition tables, adds a ``jobs_memberchange`` row per job that reads the
table, for every member whose rows the statement wrote (before and after
the write). A flag's or case's change matters only when people change its
status (the scan's own inserts and clearings are not changes); a user's only
when a branch secretary comes, goes or moves (then the members of the branch
are looked at again: the new secretary is owed this period's reminders).
TRUNCATE, which names no rows, forgets the jobs' last runs: the next run is a
full recount. SQLite (development) gets no triggers and always recounts.
"""
from django.conf import settings
from django.db import migrations, models

SCAN, DEADLINES = "scan", "deadlines"
BOTH = (SCAN, DEADLINES)
RECORD = {"insert": "SELECT member_id FROM new_rows", "update": "SELECT member_id FROM old_rows UNION ALL"
          " SELECT member_id FROM new_rows", "delete": "SELECT member_id FROM old_rows"}
STATUS_CHANGED = ("SELECT n.member_id FROM new_rows n JOIN old_rows o ON o.id = n.id"
                  " WHERE ROW({new}) IS DISTINCT FROM ROW({old})")
SECRETARY = "SELECT m.id FROM members_member m JOIN {rows} u ON u.organization_id = m.organization_id" \
            " WHERE u.role = 'branch_secretary'"
SECRETARY_CHANGED = (
    "SELECT m.id FROM members_member m JOIN (SELECT n.organization_id AS new_org, o.organization_id AS old_org"
    " FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE 'branch_secretary' IN (n.role, o.role)"
    " AND (n.role, n.is_active, n.organization_id) IS DISTINCT FROM (o.role, o.is_active, o.organization_id)) u"
    " ON m.organization_id IN (u.new_org, u.old_org)")

#: table → (jobs, {event: the ids of the members the statement changed}).
CHANGES = {
    "members_member": (BOTH, {"insert": "SELECT id FROM new_rows",
                              "update": "SELECT id FROM old_rows UNION ALL SELECT id FROM new_rows",
                              "delete": "SELECT id FROM old_rows"}),
    "members_organizationallife": ((SCAN,), RECORD),
    "members_duespayment": ((SCAN,), RECORD),
    "members_workassignment": ((SCAN,), RECORD),
    "members_excusedabsence": ((SCAN,), RECORD),
    "members_contactattempt": (BOTH, RECORD),
    "members_thoughtreport": ((DEADLINES,), RECORD),
    "transfers_outflow": ((DEADLINES,), RECORD),
    "jobs_inactivityflag": ((SCAN,), {"update": STATUS_CHANGED.format(new="n.status", old="o.status"),
                                     "delete": RECORD["delete"]}),
    "jobs_lostcontactcase": (BOTH, {"update": STATUS_CHANGED.format(
        new="n.status, n.suspended_on", old="o.status, o.suspended_on"),
                                   "delete": RECORD["delete"]}),
    "accounts_user": ((DEADLINES,), {"insert": SECRETARY.format(rows="new_rows") + " AND u.is_active",
                                     "update": SECRETARY_CHANGED,
                                     "delete": SECRETARY.format(rows="old_rows")}),
}
REFERENCING = {
    "insert": "REFERENCING NEW TABLE AS new_rows",
    "update": "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "delete": "REFERENCING OLD TABLE AS old_rows",
}

CHANGED = """
CREATE OR REPLACE FUNCTION jobs_members_changed(ids bigint[], jobs text[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO jobs_memberchange (job, member_id, taken)
    SELECT job, id, false FROM (SELECT DISTINCT id FROM unnest(ids) AS id WHERE id IS NOT NULL) changed
    CROSS JOIN unnest(jobs) AS job ORDER BY id, job
    ON CONFLICT (job, member_id) DO UPDATE SET taken = false WHERE jobs_memberchange.taken
$$;
"""
FORGET = """
CREATE OR REPLACE FUNCTION jobs_runs_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM jobs_incrementalrun;
    RETURN NULL;
END $$;
"""


def _name(table: str, event: str) -> str:
    return f"jobs_changed_{table}_{event}"


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(CHANGED)
    schema_editor.execute(FORGET)
    for table, (jobs, events) in CHANGES.items():
        schema_editor.execute(f"CREATE TRIGGER jobs_forget_{table} AFTER TRUNCATE ON {table}"
                              " FOR EACH STATEMENT EXECUTE FUNCTION jobs_runs_forget();")
        job_array = "ARRAY[" + ", ".join(f"'{job}'" for job in jobs) + "]::text[]"
        for event, select in events.items():
            schema_editor.execute(f"""
                CREATE OR REPLACE FUNCTION {_name(table, event)}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM jobs_members_changed(ARRAY({select}), {job_array});
                    RETURN NULL;
                END $$;
                CREATE TRIGGER {_name(table, event)} AFTER {event.upper()} ON {table} {REFERENCING[event]}
                    FOR EACH STATEMENT EXECUTE FUNCTION {_name(table, event)}();""")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, (_jobs, events) in CHANGES.items():
        schema_editor.execute(f"DROP TRIGGER IF EXISTS jobs_forget_{table} ON {table};")
        for event in events:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(table, event)} ON {table};"
                                  f" DROP FUNCTION IF EXISTS {_name(table, event)}();")
    schema_editor.execute("DROP FUNCTION IF EXISTS jobs_members_changed(bigint[], text[]);"
                          " DROP FUNCTION IF EXISTS jobs_runs_forget();")


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0003_membership_status_from_existing_records'),
        ('members', '0022_date_edge_indexes'),
        ('transfers', '0006_documentcounter_verbose_name'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='IncrementalRun',
            fields=[
                ('job', models.CharField(choices=[('scan', '不活跃与失联扫描'), ('deadlines', '到期事项提醒')], max_length=16, primary_key=True, serialize=False, verbose_name='定时任务')),
                ('through', models.DateField(verbose_name='已处理至')),
            ],
            options={
                'verbose_name': '定时任务处理进度',
                'verbose_name_plural': '定时任务处理进度',
                'default_permissions': (),
            },
        ),
        migrations.CreateModel(
            name='MemberChange',
            fields=[
                ('pk', models.CompositePrimaryKey('job', 'member_id', blank=True, editable=False, primary_key=True, serialize=False)),
                ('job', models.CharField(choices=[('scan', '不活跃与失联扫描'), ('deadlines', '到期事项提醒')], max_length=16, verbose_name='定时任务')),
                ('member_id', models.BigIntegerField(verbose_name='党员')),
                ('taken', models.BooleanField(default=False, verbose_name='本次运行已取')),
            ],
            options={
                'verbose_name': '待复查党员',
                'verbose_name_plural': '待复查党员',
                'default_permissions': (),
                'indexes': [models.Index(condition=models.Q(('taken', True)), fields=['job', 'member_id'], name='member_change_taken_idx')],
            },
        ),
        migrations.AddIndex(
            model_name='lostcontactcase',
            index=models.Index(fields=['suspended_on'], name='case_suspended_idx'),
        ),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
