"""The list of roadmaps and a roadmap as its document shows it (also as it stood on a day)."""

from __future__ import annotations

from django.conf import settings
from django.db.models import F, Func, IntegerField, OuterRef, Prefetch, Subquery
from django.utils import timezone
from django.utils.functional import cached_property
from django.views.generic import TemplateView

from portal.charts import figures_download, figures_requested, with_download
from portal.downloads import written_xlsx_response
from portal.lists import EXPORT_PARAM, ObjectListView, TableExporter
from portal.params import date_param
from portal.scoping import CHANGE, can
from portal.views.scoped import ScopedViewMixin
from roadmaps import charts
from roadmaps.filters import RoadmapFilterSet
from roadmaps.models import (
    ItemResponsible,
    ItemStatus,
    Roadmap,
    RoadmapItem,
)
from roadmaps.services import (
    board,
    deadlines,
    history,
    measured,
    succession,
    templates,
)
from roadmaps.services.export import export_rows, roadmap_sheet_name
from roadmaps.tables import STATE_CSS, RoadmapTable

# What a roadmap's pages show with it.
ROADMAPS = Roadmap.objects.select_related("owner", "legal_act", "parent")


def measures_count(**condition) -> Subquery:
    """The number of a plan's measures (sections aside) meeting `condition`, for each row of
    the page: a correlated COUNT by the (roadmap, number) index. Unlike a JOIN with GROUP BY
    (the measures of every plan counted before the page is cut), PostgreSQL computes it only
    for the rows it returns, unless the list is sorted by it."""
    items = RoadmapItem.objects.filter(roadmap=OuterRef("pk"), is_section=False, **condition)
    count = Func(F("pk"), function="COUNT", output_field=IntegerField())
    return Subquery(items.order_by().annotate(n=count).values("n"), output_field=IntegerField())


# The list of plans: the owner's successor (the owner column) and the counts, in one query.
ROADMAP_LIST = ROADMAPS.select_related("owner__successor").annotate(
    measures=measures_count(), done=measures_count(status=ItemStatus.DONE)
)


class RoadmapListView(ObjectListView):
    """The plans the user sees, 25 a page, sortable, filtered; ?export=xlsx gives exactly the
    filtered rows."""

    template_name = "roadmaps/roadmap_list.html"
    queryset = ROADMAP_LIST
    filterset_class = RoadmapFilterSet
    table_class = RoadmapTable
    exporter = TableExporter(RoadmapTable, "Дорожные карты")

    def get_paginate_by(self, table_data):
        # As the registry list: 25 rows a page, ?per_page= for more (portal.pagination).
        return settings.REGISTRY_PAGE_SIZES[0]

    def get_export_filename(self, rows) -> str:
        return f"Дорожные карты — {timezone.localdate():%d.%m.%Y}.xlsx"


class RoadmapDetailView(ScopedViewMixin, TemplateView):
    """The plan as its document shows it; ?on=date shows it as it stood then (history),
    ?since=date highlights what was added or changed after that day; ?export=xlsx is the plan
    in force in its document's table layout (services.export), which the plan's reader
    takes back as a new edition."""

    template_name = "roadmaps/roadmap_detail.html"
    breadcrumb_object = "roadmap"
    queryset = ROADMAPS

    def get(self, request, *args, **kwargs):
        if figures_requested(request):
            return figures_download(request, [self.chart()])
        if request.GET.get(EXPORT_PARAM) == "xlsx":
            return self.export()
        return super().get(request, *args, **kwargs)

    def export(self):
        """Every row of the plan in force, sections too, in the document's order. A cancelled
        row is not in force: written, the file read back as a new edition would restore it."""
        roadmap = self.roadmap
        responsibles = ItemResponsible.objects.select_related("organization__successor")
        items = (
            roadmap.items.exclude(status=ItemStatus.CANCELLED)
            .select_related("roadmap__owner", "roadmap__legal_act")
            .prefetch_related(
                Prefetch("responsibles", queryset=responsibles.order_by("position", "pk"))
            )
            .order_by("sort_key")
        )
        name = f"{roadmap_sheet_name(roadmap, set())} — {timezone.localdate():%d.%m.%Y}.xlsx"
        return written_xlsx_response(lambda path: export_rows(items, path), name)

    @cached_property
    def roadmap(self) -> Roadmap:
        return self.scoped_object(pk=self.kwargs["pk"])

    @cached_property
    def on(self):
        return date_param(self.request, "on")

    @cached_property
    def states_on(self) -> list:
        """The items as they stood on ?on= (history)."""
        return history.items_on(self.roadmap, self.on)

    @cached_property
    def progress(self) -> tuple[board.PlanSummary, list]:
        """«Исполнено X из Y» and the sections' figures: of today, or of the plan as it stood
        on ?on= (its items then, their terms measured on that day)."""
        if self.on is not None:
            return board.progress_on(self.states_on, self.on)
        today = timezone.localdate()
        return (
            board.PlanSummary(board.state_counts(self.roadmap.items.all(), today)),
            board.section_progress(self.roadmap, today),
        )

    def chart(self):
        return charts.sections_chart(self.progress[1])

    def measure(self, rows) -> None:
        """Each measured measure's figure from the portal's data (services.measured), one
        Measurer for the plan: the queries do not grow with its rows."""
        measurer = measured.Measurer(self.roadmap.owner)
        texts = {row["item"].pk: row["item"].text for row in rows}
        for row in rows:
            item = row["item"]
            if not item.is_section:
                row["reading"] = measurer.measure(item, texts.get(item.parent_id, ""))

    def get_context_data(self, **kwargs):
        user = self.request.user
        roadmap = self.roadmap
        today = timezone.localdate()
        on = self.on
        since = date_param(self.request, "since")
        responsibles = ItemResponsible.objects.select_related("organization__successor")
        if on is not None:
            rows = [{"item": state, "state": None, "historical": True} for state in self.states_on]
        else:
            items = (
                roadmap.items.select_related("registry_target")
                .prefetch_related(
                    "evidence",
                    Prefetch("responsibles", queryset=responsibles.order_by("position", "pk")),
                )
                .order_by("sort_key")
            )
            rows = [
                {
                    "item": item,
                    "state": None if item.is_section else deadlines.classify(item, today),
                    "historical": False,
                }
                for item in items
            ]
        changes = history.changes_since(roadmap, since, on) if since else {}
        for row in rows:
            row["change"] = change = changes.get(row["item"].id)
            row["changed_fields"] = (
                [str(RoadmapItem._meta.get_field(f).verbose_name) for f in change.fields]
                if change
                else []
            )
            row["css"] = STATE_CSS.get(row["state"].value, "") if row["state"] else ""
        if on is None:
            self.measure(rows)
        return super().get_context_data(
            roadmap=roadmap,
            rows=rows,
            on=on,
            since=since,
            today=today,
            changes=changes,
            can_edit=can(user, CHANGE, roadmap),
            acts=history.acts_of(roadmap),
            # the title and footnote of the edition shown (?on=: as they stood then)
            wording=history.wording_on(roadmap, on)
            if on is not None
            else {"title": roadmap.title, "footnote": roadmap.footnote},
            owners_before=succession.owners_before(roadmap),
            may_instantiate=templates.authorities_for(user, roadmap).exists(),
            appendices=self.get_queryset().filter(parent=roadmap),
            summary=self.progress[0],
            summary_day=on or today,
            chart=with_download(self.request, self.chart())[0],
            **kwargs,
        )
