"""Page counts that do not scan a million rows."""

import json

from django.core.paginator import Paginator
from django.db import connections
from django.utils.functional import cached_property

# Below this many rows (as the planner guesses them) a list is counted exactly.
EXACT_BELOW = 10_000


class EstimatedCountPaginator(Paginator):
    """The planner's row estimate for a list it guesses at EXACT_BELOW rows or more, an
    exact count below that.

    An editor pages a list of hundreds of thousands of turns by a few pages at most, and
    its exact count read every row on each page view; the estimate costs a plan.
    """

    @cached_property
    def count(self):
        queryset = self.object_list
        sql, params = queryset.query.sql_with_params()
        with connections[queryset.db].cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
            (plan,) = cursor.fetchone()
        if isinstance(plan, str):
            plan = json.loads(plan)
        estimate = int(plan[0]["Plan"]["Plan Rows"])
        if estimate < EXACT_BELOW:
            return queryset.count()
        return estimate
