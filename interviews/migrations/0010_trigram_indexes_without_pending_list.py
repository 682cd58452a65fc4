"""The trigram indexes of 0007 without GIN's pending list ("fastupdate").

With it, rows inserted by imports wait in an unsorted list that every search of the
index reads whole until a vacuum merges it, and the planner takes the trigram index even
for equality: the `name_key IN (...)` lookup of the people each transcript names slowed
down as an import went on. Participants and aliases are few, so writing them straight
into the index costs nothing worth keeping the list for.
"""

from django.db import migrations

INDEXES = ["participant_name_key_trgm", "alias_key_trgm"]
FORWARD = [
    statement
    for index in INDEXES
    for statement in (
        f"ALTER INDEX {index} SET (fastupdate = off)",
        f"SELECT gin_clean_pending_list('{index}'::regclass)",
    )
]
BACKWARD = [f"ALTER INDEX {index} SET (fastupdate = on)" for index in INDEXES]


class Migration(migrations.Migration):
    dependencies = [("interviews", "0009_participant_splits_office_editors")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
