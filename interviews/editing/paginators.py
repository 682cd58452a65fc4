"""Page counts that do not scan a million rows."""

import json

from django.core.paginator import EmptyPage, Paginator
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
        self.estimated = True
        return estimate

    estimated = False

    def page(self, number):
        if not self.estimated:
            return super().page(number)
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page  # not cut at the estimate: the rows decide
        return self._get_page(self.object_list[bottom : bottom + self.per_page], number, self)

    def validate_number(self, number):
        """A page past an estimate that guessed low is still asked of the database (and
        may come back empty), not refused: the rows there are real."""
        try:
            return super().validate_number(number)
        except EmptyPage:
            if not self.estimated:
                raise
            return int(number)
