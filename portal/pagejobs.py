"""A page's work as a job (a list's or a report's XLSX): the page says what the job needs to
build it again (`page_params`), and the job builds the same page in the task worker
(`rebuilt_page`) as the user who asked, with his query, so what it reads is scoped and
filtered exactly as on his page. The user is the job's own (`JobRun.user`), never a
parameter: a job cannot read as anyone else, and its result file is his only."""

from __future__ import annotations

from django.http import HttpRequest, QueryDict
from django.utils.module_loading import import_string


def page_params(page) -> dict:
    """The JSON parameters of a job that runs `page` (a view serving a GET) again."""
    return {
        "view": f"{type(page).__module__}.{type(page).__qualname__}",
        "path": page.request.path,
        "query": page.request.GET.urlencode(),
    }


def rebuilt_page(run, *, view: str, path: str, query: str, kwargs: dict | None = None):
    """The view `view`, set up with a GET request of `path` and `query` by the job's user
    (`run` is a `portal.jobs.JobRun`), ready for its own methods. What the user may see is
    what restrict() gives him now: a user taken out of the authority, or made inactive,
    gets the rows the page would give him, not those of the day he asked."""
    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = path
    request.GET = QueryDict(query)
    request.user = run.user
    page = import_string(view)()
    page.setup(request, **(kwargs or {}))
    return page
