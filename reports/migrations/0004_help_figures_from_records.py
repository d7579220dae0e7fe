"""The help figures (走访, 解决困难, 代办事项) come from the records, no longer typed into the report.

Reports already filed keep what they filed: the typed numbers move into their
frozen ``statistics`` (under the keys the computed figures use). Drafts lose
them: their figures are computed from the records from now on.

The stored figures count help at the organization that did the work
(``recorded_by``), so the triggers of ``reports.0003`` also bump that
organization: the contact records' triggers are replaced, the help records get theirs.
"""
import importlib

from django.db import migrations

base = importlib.import_module("reports.migrations.0003_figure_generation_triggers")

HELP_KEYS = ("visits_made", "problems_solved", "errands_run")
RECORDED_BY = "SELECT recorded_by_id FROM {rows}"
#: table → the organizations its rows count in, as in ``reports.0003``.
AFFECTED = {
    "members_contactattempt": base.MEMBER_ORGANIZATION + " UNION ALL " + RECORDED_BY,
    "assistance_helprequest": base.MEMBER_ORGANIZATION + " UNION ALL " + RECORDED_BY,
    "assistance_helpaction": RECORDED_BY,
}
NEW_TABLES = ("assistance_helprequest", "assistance_helpaction")


def freeze_typed_figures(apps, schema_editor):
    QuarterlyReport = apps.get_model("reports", "QuarterlyReport")
    filed = QuarterlyReport.objects.exclude(statistics={}).only("statistics", *HELP_KEYS)
    for report in filed.iterator(chunk_size=1000):
        report.statistics = {**report.statistics, **{key: getattr(report, key) for key in HELP_KEYS}}
        report.save(update_fields=["statistics"])


def _triggers(schema_editor, affected: dict[str, str], *, create: tuple[str, ...]) -> None:
    for table, select in affected.items():
        if table in create:
            schema_editor.execute(f"CREATE TRIGGER reports_forget_{table} AFTER TRUNCATE ON {table}"
                                  " FOR EACH STATEMENT EXECUTE FUNCTION reports_figures_forget();")
        for event, (referencing, transition_tables) in base.EVENTS.items():
            name = base._name(table, event)
            rows = " UNION ALL ".join(select.format(rows=rows) for rows in transition_tables)
            schema_editor.execute(f"""
                CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM reports_figures_bump(ARRAY({rows}));
                    RETURN NULL;
                END $$;""")
            if table in create:
                schema_editor.execute(f"CREATE TRIGGER {name} AFTER {event.upper()} ON {table} {referencing}"
                                      f" FOR EACH STATEMENT EXECUTE FUNCTION {name}();")


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        _triggers(schema_editor, AFFECTED, create=NEW_TABLES)


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in NEW_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS reports_forget_{table} ON {table};")
        for event in base.EVENTS:
            name = base._name(table, event)
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}; DROP FUNCTION IF EXISTS {name}();")
    table = "members_contactattempt"
    _triggers(schema_editor, {table: base.AFFECTED[table]}, create=())


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0003_figure_generation_triggers"),
        ("assistance", "0001_help_records"),
    ]

    operations = [
        migrations.RunPython(freeze_typed_figures, migrations.RunPython.noop),
        migrations.RemoveField(model_name="quarterlyreport", name="errands_run"),
        migrations.RemoveField(model_name="quarterlyreport", name="problems_solved"),
        migrations.RemoveField(model_name="quarterlyreport", name="visits_made"),
        migrations.RunPython(create_triggers, drop_triggers),
    ]
