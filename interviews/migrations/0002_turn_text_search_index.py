"""GIN index for full-text search of turns, on PostgreSQL only.

The expression is exactly what SearchVector("text", config="english") compiles
to, so the planner can use the index for ``?q=``. SQLite (the laptop default)
has no GIN indexes and searches by a simpler match instead.
"""

from django.db import migrations

INDEX_SQL = (
    "CREATE INDEX IF NOT EXISTS turn_text_search ON interviews_turn "
    "USING gin (to_tsvector('english'::regconfig, COALESCE(text, '')))"
)
DROP_SQL = "DROP INDEX IF EXISTS turn_text_search"


class RunSQLOnPostgreSQL(migrations.RunSQL):
    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class Migration(migrations.Migration):
    dependencies = [("interviews", "0001_initial")]

    operations = [RunSQLOnPostgreSQL(INDEX_SQL, DROP_SQL)]
