"""The registry list's long choice lists as one types: authorities, units and typical processes
in the JSON of django-autocomplete-light's Select2 widget (registry.filters.ChoiceAutocomplete).

Organizations come only from ScopedViewMixin.get_queryset(): a user is offered the
organizations he may see, never another authority's. Every word typed must be in a name,
whatever its case and ё/е; a request answers at most `paginate_by` rows (select2 asks for the
next page as the list is scrolled)."""

from __future__ import annotations

import operator
import re
from functools import cached_property, reduce

from dal import autocomplete
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Q

from portal.params import int_param, search_words
from portal.views.scoped import ScopedViewMixin, UnscopedViewMixin
from registry.filters import catalogue_label, typical_processes
from registry.models import Organization, normalize_text

PAGE_SIZE = 20


def _letter(char: str) -> str:
    if char == "е":
        return "[еЕёЁ]"
    upper = char.upper()
    if upper != char and len(upper) == 1:
        return f"[{char}{upper}]"
    return re.escape(char)


def words_in(text: str, fields: tuple[str, ...]) -> Q:
    """Rows with every word of `text` in one of `fields`, whatever its case and ё/е.

    A regular expression of explicit letter classes ("[мМ][вВ][дД]"): the same on SQLite
    (whose LIKE folds only ASCII) and PostgreSQL (where ILIKE and ~* fold Cyrillic only under
    a Unicode locale); a trigram index serves it there (migration 0017)."""
    condition = Q()
    for word in search_words(normalize_text(text)):
        pattern = "".join(_letter(char) for char in word)
        condition &= reduce(operator.or_, (Q(**{f"{f}__regex": pattern}) for f in fields))
    return condition


class ChoicesView(autocomplete.Select2QuerySetView):
    """What the three lists share: GET only (nothing is created from a filter), a bounded
    page, the words typed."""

    http_method_allowed = ("GET",)
    http_method_names = ["get"]
    paginate_by = PAGE_SIZE
    search_fields: tuple[str, ...] = ()

    def forwarded_id(self, name: str) -> int | None:
        """The id another field of the form forwards (empty: none); not a number is a 400."""
        value = self.forwarded.get(name)
        return int_param(self.request, name, data={name: value if isinstance(value, str) else ""})

    def narrow(self, rows):
        return rows

    def matching(self, rows):
        return self.narrow(rows).filter(words_in(self.q, self.search_fields))


class OrganizationChoicesView(ScopedViewMixin, ChoicesView):
    search_fields = ("full_name", "short_name")

    def get_queryset(self):
        return self.matching(super().get_queryset())  # ScopedViewMixin's: restrict()


class AuthorityChoicesView(OrganizationChoicesView):
    queryset = Organization.objects.authorities().order_by("full_name")


class UnitChoicesView(OrganizationChoicesView):
    """Units of the user's reach; of the authority chosen in the form, if one is."""

    queryset = Organization.objects.units().order_by("authority__full_name", "full_name")

    def narrow(self, rows):
        authority = self.forwarded_id("authority")
        return rows if authority is None else rows.filter(authority_id=authority)


class TypicalProcessChoicesView(UnscopedViewMixin, LoginRequiredMixin, ChoicesView):
    """Typical processes of the user's catalogue edition; of the group chosen, if one is."""

    unscoped_because = (
        "the catalogue belongs to no authority: the user's edition narrows it, as it does "
        "the list's other catalogue filters"
    )
    search_fields = ("code", "name")

    def get_queryset(self):
        return self.matching(typical_processes(self.request))

    def narrow(self, rows):
        group = self.forwarded_id("group")
        return rows if group is None else rows.filter(group_id=group)

    @cached_property
    def label(self):
        return catalogue_label(self.request)

    def get_result_label(self, result):
        return self.label(result)
