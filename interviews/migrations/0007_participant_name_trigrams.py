"""Trigram indexes for `?name=`: part of a participant's name or alias, on PostgreSQL.

`/api/participants?name=pave` matches `%pave%` anywhere in the normalised names and
aliases; without an index that is a scan of every participant (5 ms of the 6 ms a
page cost at 28,000 participants, done twice: the count and the page). pg_trgm's GIN
indexes answer LIKE '%…%' for three characters or more. pg_trgm is a trusted
extension (PostgreSQL 13+): the database's owner may create it.
"""

from django.db import migrations

FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE INDEX participant_name_key_trgm ON interviews_participant"
    " USING gin (name_key gin_trgm_ops)",
    "CREATE INDEX alias_key_trgm ON interviews_alias USING gin (key gin_trgm_ops)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS alias_key_trgm",
    "DROP INDEX IF EXISTS participant_name_key_trgm",
]


class Migration(migrations.Migration):
    dependencies = [("interviews", "0006_turn_indexes_for_reading_and_loading")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
