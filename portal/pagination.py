"""Pages of a long list without counting all of it.

An exact COUNT(*) over a coordinator's million rows costs more than the page itself, so the
count stops at `cap` rows: the page says «более 10 000» and offers the pages up to there;
narrowing the filter brings the exact count back.

Even a count stopped at 10 001 rows reads them, and how much of the table that takes depends
on where the matching rows lie (a status or a search word common across the country: 60-440
ms). So on PostgreSQL the planner's estimate of the rows (EXPLAIN: planned, not run) comes
first: above the cap the page says «около N» and nothing is counted; otherwise the count is
exact up to the cap as before. Where the estimate was too high, the page shows it: a page
that comes back short ends the list, and its rows give the exact count.
"""

from __future__ import annotations

import json
from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator
from django.db import connections
from django.utils.formats import number_format


def page_size(asked, default: int | None = None) -> int:
    """The one rule for every list's page size. A list view passes its own size as `default`
    and django-tables2 passes ?per_page= on unchecked: that is served only when it is one of
    the sizes offered (REGISTRY_PAGE_SIZES) or the list's own, otherwise the list's own is.
    Code that builds a paginator itself, without a default, gets the size it asks for."""
    size = int(asked) if str(asked).isdecimal() else 0
    if default is None:
        return size or settings.LIST_PAGE_SIZE
    return size if size in (*settings.REGISTRY_PAGE_SIZES, default) else default


def estimated_rows(queryset) -> int | None:
    """The planner's estimate of the rows of `queryset` (EXPLAIN, nothing read), or None
    where the database gives none (SQLite)."""
    if connections[queryset.db].vendor != "postgresql":
        return None
    if queryset.query.is_empty():
        return 0
    # Django gives "" for a query it knows to match nothing without asking
    text = queryset.explain(format="json")
    try:
        return int(json.loads(text)[0]["Plan"]["Plan Rows"])
    except (ValueError, LookupError, TypeError):
        return None


def rounded(number: int) -> int:
    """Two significant digits: an estimate is not more precise than that."""
    digits = len(str(number))
    return round(number, 2 - digits) if digits > 2 else number


class CappedPaginator(Paginator):
    # the planner's estimate when the rows were not counted (None: counted)
    estimate: int | None = None

    def __init__(
        self,
        object_list,
        per_page,
        *args,
        cap: int | None = None,
        default_per_page: int | None = None,
        estimated: bool = True,
        **kwargs,
    ):
        super().__init__(object_list, page_size(per_page, default_per_page), *args, **kwargs)
        self.cap = cap if cap is not None else settings.LIST_COUNT_CAP
        # False: always counted (a decision that must not rest on a guess)
        self.estimated = estimated

    def _countable(self):
        """The rows as a queryset without its order (a sort does not change a count), or the
        list itself."""
        rows = self.object_list
        # django-tables2 pages its BoundRows: count their queryset, not the rows themselves
        # (len() of a slice of them would fetch and prefetch 10 001 rows).
        data = getattr(getattr(rows, "data", None), "data", None)
        if hasattr(data, "order_by"):
            rows = data
        return rows.order_by() if hasattr(rows, "order_by") else rows

    def _counted(self) -> int:
        rows = self._countable()[: self.cap + 1]
        # a queryset counts in the database; a list's count() is list.count(value)
        return rows.count() if hasattr(rows, "order_by") else len(rows)

    @cached_property
    def count(self) -> int:
        """The exact count up to the cap; cap + 1 means "more than the cap" (`estimate` then
        holds the planner's figure when the rows were not counted)."""
        rows = self._countable()
        if self.estimated and hasattr(rows, "order_by"):
            estimate = estimated_rows(rows)
            if estimate is not None and estimate > self.cap:
                self.estimate = estimate
                return self.cap + 1
        return self._counted()

    @property
    def count_is_capped(self) -> bool:
        return self.count > self.cap

    @property
    def count_display(self) -> str:
        if self.count_is_capped and self.estimate is not None:
            return f"около {number_format(rounded(self.estimate), force_grouping=True)}"
        if self.count_is_capped:
            return f"более {number_format(self.cap, force_grouping=True)}"
        return number_format(self.count, force_grouping=True)

    @cached_property
    def num_pages(self) -> int:
        """Pages up to the cap: the rows past it are reached by narrowing the filter."""
        count = min(self.count, self.cap)
        if count == 0 and not self.allow_empty_first_page:
            return 0
        return max(1, -(-max(count - self.orphans, 0) // self.per_page))

    def page(self, number):
        """A page is always asked for as a whole page (LIMIT per_page), even the last one: a
        smaller LIMIT (Django asks for exactly the rows left) can make PostgreSQL walk the
        ordering index over a million rows for the three a rare word matches (6.9 s)."""
        number = self.validate_number(number)
        bottom = (number - 1) * self.per_page
        top = bottom + self.per_page + (self.orphans if number == self.num_pages else 0)
        page = self._get_page(self.object_list[bottom:top], number, self)
        if self.estimate is not None:
            self._check_estimate(page, bottom)
        return page

    def _check_estimate(self, page, bottom: int) -> None:
        """An estimated list whose page comes back short ends on it: its rows give the exact
        count (the page's rows are read here instead of while drawing, the same one query).
        Past the end of such a list (an empty page but the first), it is counted after all."""
        rows = getattr(page.object_list, "data", page.object_list)
        shown = len(rows)
        if shown >= self.per_page:
            return
        self.estimate = None
        self.__dict__["count"] = bottom + shown if shown or bottom == 0 else self._counted()
        self.__dict__.pop("num_pages", None)
