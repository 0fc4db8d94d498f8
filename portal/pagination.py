"""Pages of a long list without counting all of it.

An exact COUNT(*) over a coordinator's million rows costs more than the page itself, so the
count stops at `cap` rows: the page says «более 10 000» and offers the pages up to there;
narrowing the filter brings the exact count back.
"""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.core.paginator import Paginator
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


class CappedPaginator(Paginator):
    def __init__(
        self,
        object_list,
        per_page,
        *args,
        cap: int | None = None,
        default_per_page: int | None = None,
        **kwargs,
    ):
        super().__init__(object_list, page_size(per_page, default_per_page), *args, **kwargs)
        self.cap = cap if cap is not None else settings.LIST_COUNT_CAP

    @cached_property
    def count(self) -> int:
        """The exact count up to the cap; cap + 1 means "more than the cap"."""
        rows = self.object_list
        # django-tables2 pages its BoundRows: count their queryset, not the rows themselves
        # (len() of a slice of them would fetch and prefetch 10 001 rows).
        data = getattr(getattr(rows, "data", None), "data", None)
        if hasattr(data, "order_by"):
            rows = data
        if hasattr(rows, "order_by"):
            rows = rows.order_by()  # the order costs a sort and does not change the count
        limited = rows[: self.cap + 1]
        # a queryset counts in the database; a list's count() is list.count(value)
        return limited.count() if hasattr(limited, "order_by") else len(limited)

    @property
    def count_is_capped(self) -> bool:
        return self.count > self.cap

    @property
    def count_display(self) -> str:
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
        return self._get_page(self.object_list[bottom:top], number, self)
