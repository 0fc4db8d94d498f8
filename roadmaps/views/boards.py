"""The coordinator's deadlines board and "Мои мероприятия": portal.lists.ObjectListView pages
over board.items() (the measures with their state, in the coordinator's order, computed by the
database), both also as XLSX of exactly the rows listed."""

from __future__ import annotations

from functools import cached_property

from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from portal.lists import ObjectListView
from roadmaps import charts
from roadmaps.filters import DeadlineFilterSet
from roadmaps.models import RoadmapItem
from roadmaps.services import access, board, deadlines, feeds
from roadmaps.services.board_export import export_board
from roadmaps.tables import STATE_CSS, DeadlineTable


class DeadlineBoardView(ObjectListView):
    """Every measure the user may see, overdue first, a page at a time (the state and the
    order computed by the database); ?export=xlsx gives exactly these rows."""

    model = RoadmapItem
    filterset_class = DeadlineFilterSet
    table_class = DeadlineTable
    template_name = "roadmaps/deadlines.html"
    table_template_name = "roadmaps/_deadline_table.html"
    exporter = export_board

    @cached_property
    def today(self):
        return timezone.localdate()

    @cached_property
    def within(self) -> int:
        return deadlines.DUE_SOON_DAYS if self.filter_refused() else self.filterset.within_days()

    def get_queryset(self):
        # A split measure counts by its shares, a typical plan's item in its copies only.
        return board.carried_out(super().get_queryset())

    def get_paginate_by(self, table_data):
        # As the registry list: 25 rows a page, ?per_page= for more (portal.pagination).
        return settings.REGISTRY_PAGE_SIZES[0]

    def get_table_data(self):
        state = None if self.filter_refused() else self.filterset.chosen_state()
        return board.items(self.object_list, self.today, self.within, state)

    def get_export_filename(self, rows) -> str:
        return f"Сроки мероприятий дорожных карт — {self.today:%d.%m.%Y}.xlsx"

    @cached_property
    def summary(self) -> board.Progress:
        # The counts and the bars are those of every state: the state filter narrows the list.
        return board.progress(self.object_list, self.today, self.within)

    def get_charts(self):
        summary = self.summary
        return [charts.authorities_chart(summary.authorities), charts.plans_chart(summary.plans)]

    def get_context_data(self, **kwargs):
        summary = self.summary
        return super().get_context_data(
            today=self.today,
            within=self.within,
            progress=summary.authorities,
            owners_total=summary.owners_total,
            counts=[(state, count, STATE_CSS[state.value]) for state, count in summary.counts],
            bar_states=board.BAR_STATES,
            state_css=STATE_CSS,
            feed_url=self.feed_url(),
            **kwargs,
        )

    def feed_url(self) -> str:
        """The user's calendar address, once he has asked for one (a GET writes nothing)."""
        token = feeds.existing_token(self.request.user)
        if token is None:
            return ""
        url = self.request.build_absolute_uri(reverse("roadmaps:calendar", args=[token.token]))
        filterset = self.filterset
        authority = filterset.form.cleaned_data.get("authority") if filterset.is_valid() else None
        return url + (f"?authority={authority.pk}" if authority else "")


class MyMeasuresView(ObjectListView):
    """ "Мои мероприятия": the measures the user answers for (access.my_items, the same as his
    roadmap tasks), every state, in the deadlines board's order; ?export=xlsx gives exactly
    these rows. A user who answers for none (a coordinator, an administrator) is told so and
    sent to the deadlines board."""

    model = RoadmapItem
    table_class = DeadlineTable
    table_pagination = False
    template_name = "roadmaps/mine.html"
    exporter = export_board

    @cached_property
    def today(self):
        return timezone.localdate()

    def get_queryset(self):
        items = access.my_items(self.request.user)
        self.has_own = items is not None
        return self.scoped(items if self.has_own else RoadmapItem.objects.none())

    def get_table_data(self):
        return board.items(self.object_list, self.today)

    def get_table_kwargs(self):
        attrs = {**DeadlineTable.Meta.attrs, "data-testid": "my-measures"}
        return {"attrs": attrs, "empty_text": "Мероприятий нет."}

    def export(self):
        if not self.has_own:
            return redirect("roadmaps:mine")
        return super().export()

    def get_export_filename(self, rows) -> str:
        return f"Мои мероприятия дорожных карт — {self.today:%d.%m.%Y}.xlsx"

    def get_context_data(self, **kwargs):
        counts = [
            (state, count, STATE_CSS[state.value])
            for state, count in board.state_counts(self.object_list, self.today)
        ]
        return super().get_context_data(
            today=self.today,
            within=deadlines.DUE_SOON_DAYS,
            has_own=self.has_own,
            counts=counts,
            total=sum(count for _, count, _ in counts),
            **kwargs,
        )
