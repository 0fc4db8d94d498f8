"""The charts of the portal's pages: the figures a page declares once, shown three ways from
the same numbers — the table beside the chart (the source of truth, for screen readers and
print), the chart drawn by static/portal/charts.js with Chart.js from the page's json_script,
and the XLSX of the figures (`?figures=<key>`, written by portal.xlsx.write_table).

A page builds a `Chart`, puts it in its context and includes "portal/_chart.html"; its view
answers `figures_download(request, charts)` first, so every chart gets its XLSX."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.http import FileResponse
from django.utils import timezone

from portal.downloads import written_xlsx_response
from portal.params import BadParameter
from portal.xlsx import write_table

FIGURES_PARAM = "figures"
KINDS = ("bar", "doughnut")


@dataclass
class Series:
    """One set of values, a value per category. `css`: the class whose background colour the
    chart takes (the same class colours the legends and bars of the page, portal.css)."""

    label: str
    values: list[int | float]
    css: str = ""


@dataclass
class Chart:
    """`labels`: the categories (the table's rows); `series`: its columns. `stacked`: the
    series are parts of a whole (the table then shows their total)."""

    key: str  # unique on the page: the element ids and the ?figures= value
    title: str
    category: str  # the header of the categories' column
    labels: list[str]
    series: list[Series]
    kind: str = "bar"
    stacked: bool = True
    horizontal: bool = True
    total_label: str = "Всего"
    query: str = field(default="", repr=False)  # the page's query, set by with_download()
    path: str = field(default="", repr=False)  # the page that serves the XLSX: this one if ""

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"chart kind {self.kind!r}")
        for series in self.series:
            if len(series.values) != len(self.labels):
                raise ValueError(f"series {series.label!r}: a value per label expected")

    @property
    def element_id(self) -> str:
        return f"chart-{self.key}"

    @property
    def data_id(self) -> str:
        return f"chart-{self.key}-data"

    @property
    def totals(self) -> list[int | float]:
        return [sum(s.values[n] for s in self.series) for n in range(len(self.labels))]

    @property
    def with_total(self) -> bool:
        return self.stacked and len(self.series) > 1

    @property
    def empty(self) -> bool:
        return not any(v for s in self.series for v in s.values)

    def header(self) -> list[str]:
        names = [self.category, *(s.label for s in self.series)]
        return [*names, self.total_label] if self.with_total else names

    def rows(self) -> list[list]:
        """The table's (and the XLSX's) rows: a category and its values."""
        totals = self.totals
        result = []
        for n, label in enumerate(self.labels):
            row = [label, *(s.values[n] for s in self.series)]
            result.append([*row, totals[n]] if self.with_total else row)
        return result

    def data(self) -> dict:
        """What charts.js draws (the page's json_script)."""
        return {
            "kind": self.kind,
            "stacked": self.stacked,
            "horizontal": self.horizontal,
            "title": self.title,
            "labels": self.labels,
            "series": [{"label": s.label, "values": s.values, "css": s.css} for s in self.series],
        }

    @property
    def download_query(self) -> str:
        own = f"{FIGURES_PARAM}={self.key}"
        return f"{self.query}&{own}" if self.query else own

    @property
    def download_url(self) -> str:
        return f"{self.path}?{self.download_query}"

    def xlsx_response(self) -> FileResponse:
        filename = f"{self.title} — {timezone.localdate():%d.%m.%Y}.xlsx"
        return written_xlsx_response(
            lambda path: write_table(path, self.title, self.header(), self.rows()), filename
        )


def with_download(request, *charts: Chart) -> list[Chart]:
    """The charts, each with the page's query (without ?figures=, ?page=, ?export=) for its
    XLSX link."""
    query = request.GET.copy()
    for name in (FIGURES_PARAM, "page", "export", "fragment"):
        query.pop(name, None)
    encoded = query.urlencode()
    for chart in charts:
        chart.query = encoded
    return list(charts)


def figures_requested(request) -> str:
    return request.GET.get(FIGURES_PARAM, "")


def figures_download(request, charts) -> FileResponse:
    """The XLSX of the chart named by ?figures=; an unknown name is a 400 saying which exist."""
    wanted = figures_requested(request)
    for chart in charts:
        if chart.key == wanted:
            return chart.xlsx_response()
    known = ", ".join(c.key for c in charts) or "—"
    raise BadParameter(f"Параметр «{FIGURES_PARAM}»: нет таблицы «{wanted}». Есть: {known}.")
