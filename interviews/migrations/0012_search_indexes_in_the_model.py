"""The search column and indexes, declared in the models.

Migrations 0002, 0007 and 0010 made them in SQL, outside the models' state: the turn's
generated search_vector and its GIN index, the trigram indexes of participants' and
aliases' names. This records them in the state (a GeneratedField, GinIndexes in Meta)
without touching the database, where they are already as declared.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("interviews", "0011_turn_offset")]


    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AddField(
                    model_name="turn",
                    name="search_vector",
                    field=models.GeneratedField(
                        db_persist=True,
                        expression=django.contrib.postgres.search.SearchVector(
                            "text", config="english"
                        ),
                        output_field=django.contrib.postgres.search.SearchVectorField(),
                    ),
                ),
                migrations.AddIndex(
                    model_name="turn",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fields=["search_vector"], name="turn_search_vector"
                    ),
                ),
                migrations.AddIndex(
                    model_name="participant",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fastupdate=False,
                        fields=["name_key"],
                        name="participant_name_key_trgm",
                        opclasses=["gin_trgm_ops"],
                    ),
                ),
                migrations.AddIndex(
                    model_name="alias",
                    index=django.contrib.postgres.indexes.GinIndex(
                        fastupdate=False,
                        fields=["key"],
                        name="alias_key_trgm",
                        opclasses=["gin_trgm_ops"],
                    ),
                ),
            ]
        )
    ]
