"""The one list page: scoped rows, a filter, a table, the table alone and the rows as XLSX.

After NetBox's `ObjectListView` (netbox/views/generic/bulk_views.py): a page declares its
`queryset` (or `model`), `filterset_class` (django-filter), `table_class` (django-tables2),
`exporter` and `export_filename`, and gets

- the page (`template_name`, usually extending portal/object_list.html);
- `?fragment=table`: the table partial only (`table_template_name`), for a script that
  refreshes the table in place;
- `?export=xlsx`: exactly the filtered rows in the table's order, every page of them,
  written by `exporter(rows, path)` and streamed by portal.downloads;
- `get_charts()`: charts above the table (portal.charts), `?figures=<key>` their figures' XLSX.

The rows come only from ScopedViewMixin.get_queryset(), so none of the three can show a row
the user does not reach. A GET reads from the read replica when one is configured
(portal.db.ReplicaReadMixin), unless the user has just written. A filter the user got wrong
refuses the export with a message and shows the page with the filter's errors.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from contextlib import nullcontext

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ImproperlyConfigured
from django.core.paginator import Page
from django.shortcuts import redirect
from django.views.generic import View
from django.views.generic.base import ContextMixin, TemplateResponseMixin
from django_tables2 import RequestConfig, SingleTableMixin

from portal.charts import figures_download, figures_requested, with_download
from portal.db import ReplicaReadMixin, replica_reads, wrote_recently
from portal.downloads import XLSX_CONTENT_TYPE, written_xlsx_response
from portal.jobs import JobRefused, job_task, start_job
from portal.pagejobs import page_params, rebuilt_page
from portal.pagination import CappedPaginator
from portal.views.scoped import ScopedViewMixin
from portal.xlsx import write_table

EXPORT_PARAM = "export"
FRAGMENT_PARAM = "fragment"
EXPORT_REFUSED = "Выгрузка не сформирована: проверьте условия отбора."


class TableExporter:
    """An exporter that writes the list's table as it reads: its columns' headers, each row's
    values (django-tables2's as_values(): a table's value_<column>() or the cell's text without
    markup); a column with exclude_from_export=True (buttons) is left out."""

    def __init__(self, table_class, title: str):
        self.table_class = table_class
        self.title = title

    def __call__(self, rows, path: str) -> None:
        # order_by=(): the rows come in the list's order, the table's default must not re-sort
        values = iter(self.table_class(rows, order_by=()).as_values())
        write_table(path, self.title, next(values), values)


@job_task
def export_list(run, *, view: str, path: str, query: str, replica: bool = False) -> str:
    """A list's export as a job: the same view, as the user who asked, with the same query,
    so the rows are scoped and filtered exactly as on his page. It reads where his page
    reads: the replica (when configured), unless he had just written (`replica`)."""
    with replica_reads() if replica else nullcontext():
        page = rebuilt_page(run, view=view, path=path, query=query)
        page.filterset = page.get_filterset()
        page.object_list = page.get_object_list()
        if page.filter_refused():
            raise JobRefused(EXPORT_REFUSED)
        rows = page.get_export_rows()
        exporter = type(page).exporter
        name = page.get_export_filename(rows)
        if "progress" in inspect.signature(exporter).parameters:
            total = rows.count() if hasattr(rows, "order_by") else len(rows)
            run.progress(0, total)

            def write(target):
                return exporter(rows, target, progress=lambda done: run.progress(done, total))
        else:

            def write(target):
                return exporter(rows, target)

        # the file goes through the storage API (in parts: portal.filestore), to the primary
        run.write_file(name, XLSX_CONTENT_TYPE, write)
    return f"Выгрузка готова: {name}."


class ObjectListView(
    ReplicaReadMixin, ScopedViewMixin, SingleTableMixin, TemplateResponseMixin, ContextMixin, View
):
    template_name = "portal/object_list.html"
    table_template_name = "portal/_object_table.html"
    filterset_class = None
    table_class = None
    paginate_by = 50
    # Counts up to LIST_COUNT_CAP rows: a coordinator's million rows are not counted per page.
    paginator_class = CappedPaginator
    # exporter(rows, path) writes the XLSX; None: the list has no export.
    exporter: Callable | None = None
    export_filename: str = ""
    # More than EXPORT_INLINE_ROWS filtered rows are written by the task worker (a job with
    # progress), never by a web worker; the exporter may take progress=(done, total).
    background_export = True

    def get_table_pagination(self, table):
        # The list's own size is what an unknown ?per_page= falls back to (portal.pagination).
        paginate = super().get_table_pagination(table)
        if paginate:
            paginate["default_per_page"] = paginate.get("per_page")
        return paginate

    # -- rows --------------------------------------------------------------------------------

    def get_filterset(self):
        if self.filterset_class is None:
            return None
        return self.filterset_class(
            self.request.GET or None, queryset=self.get_queryset(), request=self.request
        )

    def filter_refused(self) -> bool:
        filterset = self.filterset
        return filterset is not None and filterset.is_bound and not filterset.is_valid()

    def get_object_list(self):
        """The filtered rows (nothing while the filter is refused)."""
        if self.filterset is None:
            return self.get_queryset()
        if self.filter_refused():
            return self.filterset.queryset.none()
        return self.filterset.qs

    def get_export_rows(self):
        """Every filtered row in the table's order (?sort=), not only the page shown."""
        table = self.get_table_class()(data=self.get_table_data(), **self.get_export_table_kwargs())
        RequestConfig(self.request, paginate=False).configure(table)
        return table.data.data

    def get_export_table_kwargs(self) -> dict:
        return {}

    # -- answers -----------------------------------------------------------------------------

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset()
        self.object_list = self.get_object_list()
        if figures_requested(request):
            return figures_download(request, self.get_charts())
        if request.GET.get(EXPORT_PARAM) == "xlsx" and self.exporter is not None:
            return self.export()
        if request.GET.get(FRAGMENT_PARAM) == "table":
            return self.response_class(
                request=request,
                template=[self.table_template_name],
                context=self.get_table_context(),
                using=self.template_engine,
            )
        return self.render_to_response(self.get_context_data())

    def export(self):
        if self.filter_refused():
            messages.error(self.request, EXPORT_REFUSED)
            return redirect(self.page_url(without=EXPORT_PARAM))
        rows = self.get_export_rows()
        # the paginator's bounded count, no further than the limit, and counted: a small
        # export misestimated as large would wait for the worker
        limit = settings.EXPORT_INLINE_ROWS
        counted = CappedPaginator(rows, 1, cap=limit, estimated=False)
        if self.background_export and counted.count_is_capped:
            job = start_job(
                self.request.user,
                "list_export",
                self.get_export_filename(rows).removesuffix(".xlsx"),
                export_list,
                **page_params(self),
                replica=not wrote_recently(self.request),
            )
            return redirect("portal:job_detail", job.pk)
        exporter = type(self).exporter  # a plain function, not bound to the view
        return written_xlsx_response(
            lambda path: exporter(rows, path), self.get_export_filename(rows)
        )

    def get_charts(self) -> list:
        """The page's charts (portal.charts.Chart) drawn above its table, each with its table
        of figures and ?figures=<key> for their XLSX; none by default."""
        return []

    def get_export_filename(self, rows) -> str:
        if not self.export_filename:
            raise ImproperlyConfigured(f"{type(self).__name__}: укажите export_filename.")
        return self.export_filename

    def page_url(self, without: str = "", **params) -> str:
        """This page's address with the current query, `without` one parameter and the page
        number, and with `params`."""
        query = self.request.GET.copy()
        for name in (without, "page", FRAGMENT_PARAM):
            query.pop(name, None)
        for name, value in params.items():
            query[name] = value
        encoded = query.urlencode()
        return f"{self.request.path}?{encoded}" if encoded else self.request.path

    def list_query(self):
        """The current query without the page number, the export and the fragment."""
        query = self.request.GET.copy()
        for name in ("page", EXPORT_PARAM, FRAGMENT_PARAM):
            query.pop(name, None)
        return query

    def get_table_context(self) -> dict:
        """What the table partial needs: the table, its page of records (`page`, for a page's
        own pager) and the query the pager's links keep."""
        table = self.get_table(**self.get_table_kwargs())
        page = getattr(table, "page", None)
        if page is not None:
            page = Page([row.record for row in page.object_list], page.number, page.paginator)
        return {"table": table, "page": page, "query": self.list_query().urlencode()}

    def get_context_data(self, **kwargs):
        export_query = self.list_query()
        export_query[EXPORT_PARAM] = "xlsx"
        context = {
            "filter": self.filterset,
            "object_list": self.object_list,
            "export_query": export_query.urlencode() if self.exporter is not None else "",
            "table_template": self.table_template_name,
            "charts": with_download(self.request, *self.get_charts()),
            **self.get_table_context(),
            **kwargs,
        }
        # ContextMixin's, not SingleTableMixin's: the table is built once, above.
        return ContextMixin.get_context_data(self, **context)
