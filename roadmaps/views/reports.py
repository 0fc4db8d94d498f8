"""The quarterly execution report of a plan and of every plan the user sees (a printable
page and XLSX, portal.reports; services.execution builds it)."""

from __future__ import annotations

from django.utils import timezone
from django.utils.functional import cached_property

from portal.reports import ReportView
from roadmaps.models import Roadmap, RoadmapItem
from roadmaps.services.execution import Quarter, execution_report

QUARTERS_OFFERED = 8  # the current quarter and the seven before it


class ExecutionReportMixin:
    @cached_property
    def quarter(self) -> Quarter:
        return Quarter.parse(self.request.GET.get("quarter"), timezone.localdate())

    def report_choices(self) -> dict:
        today = Quarter.of(timezone.localdate())
        offered, year, number = [], today.year, today.number
        for _ in range(QUARTERS_OFFERED):
            offered.append(Quarter(year, number))
            year, number = (year, number - 1) if number > 1 else (year - 1, 4)
        if self.quarter not in offered:
            offered.insert(0, self.quarter)
        return {
            "name": "quarter",
            "label": "Квартал",
            "options": [(q.key, str(q)) for q in offered],
            "current": self.quarter.key,
        }

    def report_size(self) -> int:
        return self.items().count()

    def build_report(self):
        return execution_report(self.items(), self.quarter, self.report_title)


class RoadmapReportView(ExecutionReportMixin, ReportView):
    """One plan's report: a plan of another authority is a 404 (scoped_object)."""

    queryset = Roadmap.objects.select_related("owner")
    breadcrumb_object = "roadmap"
    breadcrumb_title = "Отчет об исполнении"
    report_title = "Отчет об исполнении плана мероприятий"

    @cached_property
    def roadmap(self) -> Roadmap:
        return self.scoped_object(pk=self.kwargs["pk"])

    def items(self):
        return RoadmapItem.objects.filter(roadmap=self.roadmap)

    def get_filename(self) -> str:
        owner = self.roadmap.owner.display_name
        return f"Отчет об исполнении — {owner} — {self.quarter.key}.xlsx"

    def get_context_data(self, **kwargs):
        return super().get_context_data(roadmap=self.roadmap, **kwargs)


class AllRoadmapsReportView(ExecutionReportMixin, ReportView):
    """Every plan the user sees (a coordinator: all; typical plans aside: nobody executes
    them)."""

    model = RoadmapItem
    breadcrumb_title = "Отчет об исполнении планов"
    report_title = "Отчет об исполнении планов мероприятий"

    def items(self):
        return self.get_queryset().filter(roadmap__is_template=False)

    def get_filename(self) -> str:
        return f"Отчет об исполнении планов — {self.quarter.key}.xlsx"
