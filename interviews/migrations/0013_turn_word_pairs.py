"""An index of each turn's adjacent word pairs, for phrase searches.

The GIN index of search_vector knows which turns hold every word of a phrase, not where:
each such turn was read and its vector checked for the phrase, most of them in vain.
interviews_word_pairs(vector) is the vector's pairs of lexemes one position apart
('alreadi announc'), made from the stored vector itself, so a turn holds a phrase's pair
exactly when the phrase check on its vector finds it there.

The index is built concurrently: on an archive in use, reads and imports go on.
"""

import django.contrib.postgres.indexes
import django.contrib.postgres.search
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models

# Every pair of lexemes at positions p and p + 1 (a self-join, not lag(): positions past
# the last one a vector can hold are all that last one, and tie). A lexeme is at most
# 2,047 bytes and a vector's lexemes 1 MB: a longer pair is left out (search.phrase_pairs
# never asks for one), and a turn with more pairs than fit is marked '*' instead (no
# pair has no space), which every phrase search also reads. Costly per row: the planner
# should look it up in the index, not compute it.
WORD_PAIRS = """
CREATE OR REPLACE FUNCTION interviews_word_pairs(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE COST 1000 AS $$
    WITH words AS (
        SELECT w.lexeme, p FROM unnest(vector) w, unnest(w.positions) p
    ), pairs AS (
        SELECT DISTINCT a.lexeme || ' ' || b.lexeme AS pair
          FROM words a JOIN words b ON b.p = a.p + 1
         WHERE octet_length(a.lexeme) + octet_length(b.lexeme) < 2047
    )
    SELECT CASE WHEN sum(octet_length(pair)) > 1000000 THEN array_to_tsvector('{*}')
                ELSE array_to_tsvector(coalesce(array_agg(pair), '{}')) END
      FROM pairs
$$
"""


class Migration(migrations.Migration):
    atomic = False  # CREATE INDEX CONCURRENTLY

    dependencies = [("interviews", "0012_search_indexes_in_the_model")]

    operations = [
        migrations.RunSQL(WORD_PAIRS, "DROP FUNCTION interviews_word_pairs(tsvector)"),
        # What a concurrent build that failed leaves behind: an invalid index.
        migrations.RunSQL("DROP INDEX CONCURRENTLY IF EXISTS turn_word_pairs", migrations.RunSQL.noop),
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
