"""Turn indexes for reading and loading: drop the single-column indexes of three foreign keys.

event and speaker lead composite indexes already (unique_turn_sequence,
turn_speaker_order); in_reply_to gets a partial index of the answers instead of
one entry per turn. Only the state's fields change (db_index=False): the
database just loses the indexes, and the foreign key constraints stay as they are
(an AlterField would drop and re-add them, checking every row while the table is
locked).
"""

import django.db.models.deletion
from django.db import migrations, models

COLUMNS = ["event_id", "speaker_id", "in_reply_to_id"]


def _single_column_indexes(schema_editor, table):
    with schema_editor.connection.cursor() as cursor:
        constraints = schema_editor.connection.introspection.get_constraints(cursor, table)
    for name, info in constraints.items():
        plain = info["index"] and not info["unique"] and not info["primary_key"]
        if plain and len(info["columns"]) == 1 and info["columns"][0] in COLUMNS:
            yield name, info["columns"][0]


def drop_indexes(apps, schema_editor):
    table = apps.get_model("interviews", "Turn")._meta.db_table
    for name, column in list(_single_column_indexes(schema_editor, table)):
        if name != "turn_replies":
            schema_editor.execute(f"DROP INDEX {schema_editor.quote_name(name)}")


def restore_indexes(apps, schema_editor):
    model = apps.get_model("interviews", "Turn")
    for column in COLUMNS:
        name = schema_editor._create_index_name(model._meta.db_table, [column])
        schema_editor.execute(
            f"CREATE INDEX {schema_editor.quote_name(name)} "
            f"ON {schema_editor.quote_name(model._meta.db_table)} ({schema_editor.quote_name(column)})"
        )


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0005_transcript_sources"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="turn",
                    name="event",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="turns",
                        to="interviews.event",
                    ),
                ),
                migrations.AlterField(
                    model_name="turn",
                    name="in_reply_to",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="The question this answer replies to.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="replies",
                        to="interviews.turn",
                    ),
                ),
                migrations.AlterField(
                    model_name="turn",
                    name="speaker",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        help_text="Null for narrative.",
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="turns",
                        to="interviews.participant",
                    ),
                ),
            ],
            database_operations=[migrations.RunPython(drop_indexes, restore_indexes)],
        ),
        migrations.AddIndex(
            model_name="turn",
            index=models.Index(
                condition=models.Q(("in_reply_to__isnull", False)),
                fields=["in_reply_to"],
                name="turn_replies",
            ),
        ),
    ]
