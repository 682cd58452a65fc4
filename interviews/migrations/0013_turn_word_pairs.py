"""An index of each turn's adjacent word pairs, for phrase searches.

The GIN index of search_vector knows which turns hold every word of a phrase, not where:
each such turn was read and its vector checked for the phrase, about seven turns for
each that matched. interviews_word_pairs(vector) is the vector's pairs of lexemes one
position apart ('alreadi announc'), made from the stored vector itself, so a turn holds
a phrase's pair exactly when the phrase check on its vector finds it there.

The index is built concurrently: on an archive in use, reads and imports go on.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

# Every pair of lexemes at positions p and p + 1 (a self-join, not lag(): positions past
# the last one a vector can hold are all that last one, and tie).
WORD_PAIRS = """
CREATE FUNCTION interviews_word_pairs(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    WITH words AS (
        SELECT w.lexeme, p FROM unnest(vector) w, unnest(w.positions) p
    )
    SELECT array_to_tsvector(coalesce(array_agg(a.lexeme || ' ' || b.lexeme), '{}'))
      FROM words a JOIN words b ON b.p = a.p + 1
$$
"""


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY

    dependencies = [("interviews", "0012_search_indexes_in_the_model")]

    operations = [
        migrations.RunSQL(WORD_PAIRS, "DROP FUNCTION interviews_word_pairs(tsvector)"),
        AddIndexConcurrently(
            model_name="turn",
            index=django.contrib.postgres.indexes.GinIndex(
                models.Func(
                    models.F("search_vector"),
                    function="interviews_word_pairs",
                    output_field=django.contrib.postgres.search.SearchVectorField(),
                ),
                name="turn_word_pairs",
            ),
        ),
    ]
