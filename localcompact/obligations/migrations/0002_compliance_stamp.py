"""The compliance figures' cache key (`ComplianceStamp`, one row per compact), kept by
database triggers.

Every insert or delete of an obligation, and every update that changes its compact,
standard, code, due date or status, upserts its compact's stamp row (the old and the
new compact's, if it moved): one more change and a new random stamp, in the same
transaction as the write. Upsert rather than update, so that a compact without a row
(a new compact, or a flushed table) gets one with its first write.

- SQLite: row triggers (SQLite has no statement triggers); one small upsert per row
  written, a few microseconds each. SQLite runs one writer at a time, so the stamps
  are never waited for in a different order.
- PostgreSQL: one plpgsql function, run by statement triggers with transition tables
  (once per INSERT, UPDATE, DELETE or TRUNCATE statement, not once per row): each
  statement upserts the stamps of the compacts whose rows it changed, in compact order.
  The sweep locks every stamp, in compact order, at the start of each chunk (see
  sweep._advance_chunk), so two sweeps never hold stamps in opposite orders.

On SQLite, a later migration that makes Django rebuild the obligations table (some
AlterField/AddField operations do) drops these triggers with the old table:
`test_compliance_cache.py` checks that a status change moves the stamp, which fails if
that happens; re-run `compliance_stamp_triggers_create` in that migration to restore them.
"""

import secrets

from django.db import migrations, models

FIGURE_COLUMNS = ("compact_id", "standard_id", "code_id", "due_on", "status")


def _sqlite_bump(compact: str, where: str = "") -> str:
    # an INSERT ... SELECT upsert needs a WHERE clause before ON CONFLICT
    return (
        "INSERT INTO obligations_compliancestamp (compact_id, changes, stamp) "
        f"SELECT {compact}, 1, lower(hex(randomblob(16))) WHERE {where or 'true'} "
        "ON CONFLICT (compact_id) DO UPDATE SET changes = changes + 1, stamp = excluded.stamp;"
    )


SQLITE_CREATE = [
    f"""CREATE TRIGGER IF NOT EXISTS obligations_compliance_stamp_insert
    AFTER INSERT ON obligations_obligation BEGIN {_sqlite_bump("new.compact_id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS obligations_compliance_stamp_delete
    AFTER DELETE ON obligations_obligation BEGIN {_sqlite_bump("old.compact_id")} END""",
    f"""CREATE TRIGGER IF NOT EXISTS obligations_compliance_stamp_update
    AFTER UPDATE OF {", ".join(FIGURE_COLUMNS)} ON obligations_obligation BEGIN
        {_sqlite_bump("new.compact_id")}
        {_sqlite_bump("old.compact_id", "old.compact_id <> new.compact_id")}
    END""",
]
SQLITE_DROP = [
    f"DROP TRIGGER IF EXISTS obligations_compliance_stamp_{name}"
    for name in ("insert", "delete", "update")
]

_PG_UPSERT = """
        INSERT INTO obligations_compliancestamp (compact_id, changes, stamp)
        SELECT compact_id, 1, replace(gen_random_uuid()::text, '-', '')
        FROM ({compacts}) AS changed ORDER BY compact_id
        ON CONFLICT (compact_id) DO UPDATE
        SET changes = obligations_compliancestamp.changes + 1, stamp = EXCLUDED.stamp;"""
_PG_CHANGED = (
    "SELECT {side}.compact_id FROM new_rows n JOIN old_rows o ON o.id = n.id "
    f"WHERE ({', '.join('n.' + c for c in FIGURE_COLUMNS)}) "
    f"IS DISTINCT FROM ({', '.join('o.' + c for c in FIGURE_COLUMNS)})"
)
POSTGRES_CREATE = [
    f"""CREATE OR REPLACE FUNCTION obligations_compliance_stamp_bump() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP = 'INSERT' THEN{_PG_UPSERT.format(compacts="SELECT DISTINCT compact_id FROM new_rows")}
        ELSIF TG_OP = 'DELETE' THEN{_PG_UPSERT.format(compacts="SELECT DISTINCT compact_id FROM old_rows")}
        ELSIF TG_OP = 'UPDATE' THEN{_PG_UPSERT.format(compacts=_PG_CHANGED.format(side="n") + " UNION " + _PG_CHANGED.format(side="o"))}
        ELSE
            UPDATE obligations_compliancestamp
            SET changes = changes + 1, stamp = replace(gen_random_uuid()::text, '-', '');
        END IF;
        RETURN NULL;
    END
    $$""",
    """CREATE TRIGGER obligations_compliance_stamp_insert
    AFTER INSERT ON obligations_obligation REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION obligations_compliance_stamp_bump()""",
    """CREATE TRIGGER obligations_compliance_stamp_delete
    AFTER DELETE ON obligations_obligation REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION obligations_compliance_stamp_bump()""",
    """CREATE TRIGGER obligations_compliance_stamp_update
    AFTER UPDATE ON obligations_obligation
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION obligations_compliance_stamp_bump()""",
    """CREATE TRIGGER obligations_compliance_stamp_truncate
    AFTER TRUNCATE ON obligations_obligation
    FOR EACH STATEMENT EXECUTE FUNCTION obligations_compliance_stamp_bump()""",
]
POSTGRES_DROP = [
    *(
        f"DROP TRIGGER IF EXISTS obligations_compliance_stamp_{name} ON obligations_obligation"
        for name in ("insert", "delete", "update", "truncate")
    ),
    "DROP FUNCTION IF EXISTS obligations_compliance_stamp_bump()",
]


def _run(schema_editor, statements_by_vendor: dict[str, list[str]]) -> None:
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def compliance_stamp_triggers_create(apps, schema_editor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE})
    # a first stamp for each compact (random, as every later one), so that figures are
    # cached from the start
    Compact = apps.get_model("compacts", "Compact")
    ComplianceStamp = apps.get_model("obligations", "ComplianceStamp")
    ComplianceStamp.objects.bulk_create(
        ComplianceStamp(compact_id=pk, changes=0, stamp=secrets.token_hex(16))
        for pk in Compact.objects.values_list("pk", flat=True)
    )


def compliance_stamp_triggers_drop(apps, schema_editor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):
    dependencies = [
        ("compacts", "0002_version_adopted_here"),
        ("obligations", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="ComplianceStamp",
            fields=[
                ("compact_id", models.BigIntegerField(primary_key=True, serialize=False)),
                ("changes", models.BigIntegerField(default=0)),
                ("stamp", models.CharField(max_length=32)),
            ],
        ),
        migrations.RunPython(compliance_stamp_triggers_create, compliance_stamp_triggers_drop),
    ]
