"""The deadlines board's long choice lists as one types (django-autocomplete-light's Select2
JSON, as registry.views.autocomplete): plan owners, responsible bodies and sections. At
national scale they are thousands (3 572 owners, tens of thousands of sections): the board
renders only the chosen one.

Each list is the filter's own queryset (roadmaps.filters), so what is offered is exactly what
the filter accepts, and it comes from portal.scoping.restrict(): never another authority's."""

from __future__ import annotations

from django.db.models import Q

from portal.views.scoped import ScopedViewMixin
from registry.views.autocomplete import ChoicesView, words_in
from roadmaps import filters


class OwnerChoicesView(ScopedViewMixin, ChoicesView):
    search_fields = ("full_name", "short_name")

    def get_queryset(self):
        return self.matching(filters.owners(self.request))


class ResponsibleChoicesView(OwnerChoicesView):
    def get_queryset(self):
        return self.matching(filters.responsible_bodies(self.request))


class SectionChoicesView(ScopedViewMixin, ChoicesView):
    """Top-level sections of the visible plans; of the authority chosen, if one is."""

    def get_queryset(self):
        return self.matching(filters.sections(self.request))

    def narrow(self, rows):
        authority = self.forwarded_id("authority")
        return rows if authority is None else rows.filter(roadmap__owner_id=authority)

    def matching(self, rows):
        # A section is found by its number or its words ("1." or "внутренн клиент").
        rows = self.narrow(rows)
        if not self.q:
            return rows
        return rows.filter(Q(number__startswith=self.q.strip()) | words_in(self.q, ("text",)))

    def get_result_label(self, result):
        return filters.section_label(result)
