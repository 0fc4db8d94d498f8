"""`AnyOf(F("field"), ids)`: `field = ANY(%s)` with the ids as one array parameter on
PostgreSQL, `field IN (…)` elsewhere.

A chunk of an export names 2,000 ids: as `IN (%s, …)` PostgreSQL parses and plans 2,000
literals per query (12-16 ms of planning, docs/benchmarks.md); an array is one parameter.
Used directly in filter(), as Django allows for lookups: `.filter(AnyOf(F("x_id"), ids))`.
"""

from __future__ import annotations

from django.db.models import Lookup
from django.db.models.lookups import In


class AnyOf(Lookup):
    lookup_name = "any_of"
    prepare_rhs = False  # a list of ids, passed on whole

    def as_sql(self, compiler, connection):
        return In(self.lhs, list(self.rhs)).as_sql(compiler, connection)

    def as_postgresql(self, compiler, connection):
        lhs, params = self.process_lhs(compiler, connection)
        return f"{lhs} = ANY(%s)", [*params, list(self.rhs)]
