"""The coordinator's deadlines board and "Мои мероприятия": portal.lists.ObjectListView pages
over the measures' board rows (board.rows: state and days left, the coordinator's order), both
also as XLSX of exactly the rows listed."""

from __future__ import annotations

from functools import cached_property

from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone

from portal.lists import ObjectListView
from roadmaps.filters import DeadlineFilterSet
from roadmaps.models import RoadmapItem
from roadmaps.services import access, board, deadlines, feeds
from roadmaps.services.export import export_rows
from roadmaps.tables import STATE_CSS, DeadlineTable


class DeadlineBoardView(ObjectListView):
    """Every measure the user may see, overdue first; ?export=xlsx gives exactly these rows."""

    model = RoadmapItem
    filterset_class = DeadlineFilterSet
    table_class = DeadlineTable
    template_name = "roadmaps/deadlines.html"
    table_template_name = "roadmaps/_deadline_table.html"
    exporter = export_rows

    @cached_property
    def today(self):
        return timezone.localdate()

    @cached_property
    def board(self) -> tuple[int, list[board.Row], list[board.Row]]:
        """Days of "срок скоро", every filtered row (for the progress bars), the rows listed
        (of the chosen state)."""
        if self.filter_refused():
            return deadlines.DUE_SOON_DAYS, [], []
        within = self.filterset.within_days()
        all_rows = board.rows(self.object_list, self.today, within)
        state = self.filterset.chosen_state()
        shown = [r for r in all_rows if r.state == state] if state else all_rows
        return within, all_rows, shown

    def get_table_data(self):
        return self.board[2]

    def get_table_kwargs(self):
        return {"template_name": "portal/_table_unpaged.html"}

    def get_export_filename(self, rows) -> str:
        return f"Сроки мероприятий дорожных карт — {self.today:%d.%m.%Y}.xlsx"

    def get_context_data(self, **kwargs):
        within, all_rows, shown = self.board
        filterset = self.filterset
        token = feeds.token_for(self.request.user)
        feed_url = self.request.build_absolute_uri(reverse("roadmaps:calendar", args=[token.token]))
        authority = filterset.form.cleaned_data.get("authority") if filterset.is_valid() else None
        return super().get_context_data(
            today=self.today,
            within=within,
            progress=board.progress_by_authority(all_rows),
            bar_states=board.BAR_STATES,
            state_css=STATE_CSS,
            total=len(shown),
            feed_url=feed_url + (f"?authority={authority.pk}" if authority else ""),
            **kwargs,
        )


class MyMeasuresView(ObjectListView):
    """ "Мои мероприятия": the measures the user answers for (access.my_items, the same as his
    roadmap tasks), every state, in the deadlines board's order; ?export=xlsx gives exactly
    these rows. A user who answers for none (a coordinator, an administrator) is told so and
    sent to the deadlines board."""

    model = RoadmapItem
    table_class = DeadlineTable
    table_pagination = False
    template_name = "roadmaps/mine.html"
    exporter = export_rows

    @cached_property
    def today(self):
        return timezone.localdate()

    def get_queryset(self):
        items = access.my_items(self.request.user)
        self.has_own = items is not None
        return self.scoped(items if self.has_own else RoadmapItem.objects.none())

    @cached_property
    def rows(self) -> list[board.Row]:
        return board.rows(self.object_list, self.today) if self.has_own else []

    def get_table_data(self):
        return self.rows

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
        return super().get_context_data(
            today=self.today,
            within=deadlines.DUE_SOON_DAYS,
            has_own=self.has_own,
            total=len(self.rows),
            counts=[
                (state, count, STATE_CSS[state.value])
                for state, count in board.state_counts(self.rows)
            ],
            **kwargs,
        )
