"""The coordinator's deadlines board and "Мои мероприятия", both also as XLSX."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.views.generic import TemplateView

from portal.downloads import written_xlsx_response
from portal.scoping import ScopedViewMixin
from roadmaps.filters import DeadlineFilterSet
from roadmaps.models import RoadmapItem
from roadmaps.services import (
    access,
    board,
    deadlines,
    feeds,
)
from roadmaps.services.export import export_rows
from roadmaps.tables import STATE_CSS, DeadlineTable

PAGE_SIZE = 50


class DeadlineBoardView(ScopedViewMixin, TemplateView):
    """Every measure the user may see, overdue first; ?export=xlsx gives exactly these rows."""

    template_name = "roadmaps/deadlines.html"

    def get_filterset(self):
        return DeadlineFilterSet(
            self.request.GET or None,
            queryset=self.scoped(RoadmapItem),
            request=self.request,
        )

    def board(self):
        filterset = self.get_filterset()
        today = timezone.localdate()
        if filterset.is_bound and not filterset.is_valid():
            return filterset, today, deadlines.DUE_SOON_DAYS, [], []
        within = filterset.within_days()
        all_rows = board.rows(filterset.qs, today, within)
        state = filterset.chosen_state()
        shown = [r for r in all_rows if r.state == state] if state else all_rows
        return filterset, today, within, all_rows, shown

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") != "xlsx":
            return super().get(request, *args, **kwargs)
        filterset, today, within, all_rows, shown = self.board()
        if filterset.is_bound and not filterset.is_valid():
            messages.error(request, "Выгрузка не сформирована: проверьте условия отбора.")
            return redirect("roadmaps:deadlines")
        return written_xlsx_response(
            lambda path: export_rows(shown, path),
            f"Сроки мероприятий дорожных карт — {today:%d.%m.%Y}.xlsx",
        )

    def get_context_data(self, **kwargs):
        filterset, today, within, all_rows, shown = self.board()
        page = Paginator(shown, PAGE_SIZE).get_page(self.request.GET.get("page"))
        table = DeadlineTable(list(page.object_list))
        query = self.request.GET.copy()
        query.pop("page", None)
        export_query = query.copy()
        export_query["export"] = "xlsx"
        token = feeds.token_for(self.request.user)
        feed_url = self.request.build_absolute_uri(reverse("roadmaps:calendar", args=[token.token]))
        authority = filterset.form.cleaned_data.get("authority") if filterset.is_valid() else None
        return super().get_context_data(
            filter=filterset,
            table=table,
            page=page,
            query=query.urlencode(),
            export_query=export_query.urlencode(),
            today=today,
            within=within,
            progress=board.progress_by_authority(all_rows),
            bar_states=board.BAR_STATES,
            state_css=STATE_CSS,
            total=len(shown),
            feed_url=feed_url + (f"?authority={authority.pk}" if authority else ""),
            **kwargs,
        )


class MyMeasuresView(ScopedViewMixin, TemplateView):
    """ "Мои мероприятия": the measures the user answers for (access.my_items, the same as his
    roadmap tasks), every state, in the deadlines board's order; ?export=xlsx gives exactly
    these rows. A user who answers for none (a coordinator, an administrator) is told so and
    sent to the deadlines board."""

    template_name = "roadmaps/mine.html"

    def rows(self, today: date) -> list[board.Row] | None:
        items = access.my_items(self.request.user)
        return None if items is None else board.rows(items, today)

    def get(self, request, *args, **kwargs):
        if request.GET.get("export") != "xlsx":
            return super().get(request, *args, **kwargs)
        today = timezone.localdate()
        rows = self.rows(today)
        if rows is None:
            return redirect("roadmaps:mine")
        return written_xlsx_response(
            lambda path: export_rows(rows, path),
            f"Мои мероприятия дорожных карт — {today:%d.%m.%Y}.xlsx",
        )

    def get_context_data(self, **kwargs):
        today = timezone.localdate()
        rows = self.rows(today)
        table_attrs = {**DeadlineTable.Meta.attrs, "data-testid": "my-measures"}
        return super().get_context_data(
            today=today,
            within=deadlines.DUE_SOON_DAYS,
            has_own=rows is not None,
            total=len(rows or []),
            counts=[
                (state, count, STATE_CSS[state.value])
                for state, count in board.state_counts(rows or [])
            ],
            table=DeadlineTable(rows or [], attrs=table_attrs, empty_text="Мероприятий нет."),
            **kwargs,
        )
