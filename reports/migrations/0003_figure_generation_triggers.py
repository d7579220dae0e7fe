"""PostgreSQL triggers that bump ``reports_figuregeneration`` for every organization a write touches.

One statement-level trigger per table and event, reading the statement's
transition tables (old and new rows), so a bulk insert of 100,000 rows costs
one join, not 100,000 calls. See ``reports.aggregates`` for how the
generations keep the stored figures exact. SQLite (development) gets none:
there the figures are always computed live.
"""
from django.db import migrations

MEMBER_ORGANIZATION = "SELECT m.organization_id FROM members_member m JOIN {rows} r ON m.id = r.member_id"
OUTFLOW_ORGANIZATIONS = (
    "SELECT o.origin_organization_id FROM transfers_outflow o JOIN {rows} r ON o.id = r.outflow_id"
    " UNION ALL SELECT m.organization_id FROM transfers_outflow o JOIN {rows} r ON o.id = r.outflow_id"
    " JOIN members_member m ON m.id = o.member_id")

#: table → the organizations its rows count in (``{rows}``: a transition table).
AFFECTED = {
    "members_member": "SELECT organization_id FROM {rows} UNION ALL SELECT host_organization_id FROM {rows}",
    "members_organizationallife": MEMBER_ORGANIZATION,
    "members_contactattempt": MEMBER_ORGANIZATION,
    "members_duespayment": MEMBER_ORGANIZATION,
    "jobs_inactivityflag": MEMBER_ORGANIZATION,
    "activity_cards_activitycard": MEMBER_ORGANIZATION,
    "transfers_inflow": "SELECT host_organization_id FROM {rows} UNION ALL " + MEMBER_ORGANIZATION,
    "transfers_outflow": "SELECT origin_organization_id FROM {rows} UNION ALL " + MEMBER_ORGANIZATION,
    "transfers_returnregistration": OUTFLOW_ORGANIZATIONS,
    "transfers_introductionletter": OUTFLOW_ORGANIZATIONS,
    "transfers_certificateletter": OUTFLOW_ORGANIZATIONS,
}
EVENTS = {
    "insert": ("REFERENCING NEW TABLE AS new_rows", ("new_rows",)),
    "update": ("REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows", ("old_rows", "new_rows")),
    "delete": ("REFERENCING OLD TABLE AS old_rows", ("old_rows",)),
}

#: TRUNCATE has no rows to name: every stored figure is dropped (and recomputed on the next read).
FORGET = """
CREATE OR REPLACE FUNCTION reports_figures_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    DELETE FROM reports_storedfigures;
    RETURN NULL;
END $$;
"""

BUMP = """
CREATE OR REPLACE FUNCTION reports_figures_bump(ids bigint[]) RETURNS void LANGUAGE sql AS $$
    INSERT INTO reports_figuregeneration (organization_id, generation)
    SELECT DISTINCT id, 1 FROM unnest(ids) AS id WHERE id IS NOT NULL ORDER BY id
    ON CONFLICT (organization_id) DO UPDATE SET generation = reports_figuregeneration.generation + 1
$$;
"""


def _name(table: str, event: str) -> str:
    return f"reports_bump_{table}_{event}"


def create_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(BUMP)
    schema_editor.execute(FORGET)
    for table, select in AFFECTED.items():
        schema_editor.execute(f"CREATE TRIGGER reports_forget_{table} AFTER TRUNCATE ON {table}"
                              " FOR EACH STATEMENT EXECUTE FUNCTION reports_figures_forget();")
        for event, (referencing, transition_tables) in EVENTS.items():
            affected = " UNION ALL ".join(select.format(rows=rows) for rows in transition_tables)
            schema_editor.execute(f"""
                CREATE OR REPLACE FUNCTION {_name(table, event)}() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    PERFORM reports_figures_bump(ARRAY({affected}));
                    RETURN NULL;
                END $$;
                CREATE TRIGGER {_name(table, event)} AFTER {event.upper()} ON {table} {referencing}
                    FOR EACH STATEMENT EXECUTE FUNCTION {_name(table, event)}();""")


def drop_triggers(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in AFFECTED:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS reports_forget_{table} ON {table};")
        for event in EVENTS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {_name(table, event)} ON {table};"
                                  f" DROP FUNCTION IF EXISTS {_name(table, event)}();")
    schema_editor.execute("DROP FUNCTION IF EXISTS reports_figures_bump(bigint[]);"
                          " DROP FUNCTION IF EXISTS reports_figures_forget();")


class Migration(migrations.Migration):

    dependencies = [
        ("reports", "0002_stored_figures_and_generations"),
        ("members", "0016_member_destination_country"),
        ("transfers", "0005_letter_reissue_and_receipt_from_arrival"),
        ("activity_cards", "0006_card_issued_from_outflow_and_photo_kind"),
        ("jobs", "0003_membership_status_from_existing_records"),
    ]

    operations = [migrations.RunPython(create_triggers, drop_triggers)]
