"""An index for the register's name search, so that a search never scans the table.

A search matches the start of any word of an organisation's name, case-insensitively:
"food" finds "Aylestone Food Bank", "ayl food" too.

- SQLite: an FTS5 full-text index over `organisations_organisation.name` (external
  content, so the names are not stored twice), kept up to date by triggers on insert,
  update of the name, and delete. Triggers rather than code, so that every way of
  writing an organisation (the admin, the services, raw SQL) keeps it true. The bulk
  import alone drops the insert trigger inside each batch's transaction, indexes the
  batch in one statement and re-creates the trigger as it found it (a trigger costs
  more than the insert it follows; see importing.py).
- PostgreSQL: a GIN index on `to_tsvector('simple', name)`; prefix queries (`word:*`)
  use it. Built into PostgreSQL, no extension needed.

`localcompact.organisations.register.NameMatches` writes the matching queries; both must
change together. On SQLite, a later migration that makes Django rebuild the
organisations table (some AlterField/AddField operations do) drops the triggers with the
old table: `test_register_search.py` checks that a renamed organisation is still found
by its new name, which fails if that happens; re-run `organisations_name_search_create`
in that migration to restore them.
"""

from django.db import migrations

SQLITE_CREATE = [
    """CREATE VIRTUAL TABLE IF NOT EXISTS organisations_organisation_name_fts USING fts5(
        name, content='organisations_organisation', content_rowid='id',
        tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
    )""",
    """CREATE TRIGGER IF NOT EXISTS organisations_organisation_name_fts_insert
    AFTER INSERT ON organisations_organisation BEGIN
        INSERT INTO organisations_organisation_name_fts(rowid, name)
        VALUES (new.id, new.name);
    END""",
    """CREATE TRIGGER IF NOT EXISTS organisations_organisation_name_fts_delete
    AFTER DELETE ON organisations_organisation BEGIN
        INSERT INTO organisations_organisation_name_fts(
            organisations_organisation_name_fts, rowid, name
        ) VALUES ('delete', old.id, old.name);
    END""",
    """CREATE TRIGGER IF NOT EXISTS organisations_organisation_name_fts_update
    AFTER UPDATE OF name ON organisations_organisation BEGIN
        INSERT INTO organisations_organisation_name_fts(
            organisations_organisation_name_fts, rowid, name
        ) VALUES ('delete', old.id, old.name);
        INSERT INTO organisations_organisation_name_fts(rowid, name)
        VALUES (new.id, new.name);
    END""",
    """INSERT INTO organisations_organisation_name_fts(organisations_organisation_name_fts)
    VALUES ('rebuild')""",
]
SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS organisations_organisation_name_fts_insert",
    "DROP TRIGGER IF EXISTS organisations_organisation_name_fts_delete",
    "DROP TRIGGER IF EXISTS organisations_organisation_name_fts_update",
    "DROP TABLE IF EXISTS organisations_organisation_name_fts",
]

POSTGRES_CREATE = [
    "CREATE INDEX IF NOT EXISTS organisations_name_search ON organisations_organisation "
    "USING gin (to_tsvector('simple'::regconfig, name))"
]
POSTGRES_DROP = ["DROP INDEX IF EXISTS organisations_name_search"]


def _run(schema_editor, statements_by_vendor: dict[str, list[str]]) -> None:
    for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement, params=None)


def organisations_name_search_create(apps, schema_editor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE})


def organisations_name_search_drop(apps, schema_editor) -> None:
    _run(schema_editor, {"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP})


class Migration(migrations.Migration):
    dependencies = [
        ("organisations", "0002_register_and_pledge"),
    ]

    operations = [
        migrations.RunPython(organisations_name_search_create, organisations_name_search_drop),
    ]
