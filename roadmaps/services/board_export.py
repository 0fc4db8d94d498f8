"""The boards' XLSX (the deadlines board, «Мои мероприятия»): one sheet «Мероприятия», a row per
listed measure in the board's order, with what its row on the page shows — the term in words
and in days, the plan and whose it is, the measure as its document words it, the last day, the
responsible bodies, the status and how many documents confirm it.

One table, not a sheet per plan: a coordinator's board spans the plans of 3,600 authorities,
and one table is what a spreadsheet filters and sorts («№ п/п» repeats from plan to plan, so
each row names its plan). A plan in its document's layout is its page's XLSX (services.export).
The rows stream out (a board of 90,000 measures in flat memory)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from itertools import islice

from portal.xlsx import write_table
from roadmaps.models import ItemResponsible, Roadmap, RoadmapItem
from roadmaps.services import board, deadlines
from roadmaps.services.export import with_markers

SHEET = "Мероприятия"
HEADERS = (
    "Срок",
    "Дней до срока",
    "Орган власти",
    "Дорожная карта",
    "№ п/п",
    "Мероприятие",
    "Срок реализации",
    "Последний день",
    "Ответственный",
    "Вид документа",
    "Исполнение",
    "Документов",
)
PROGRESS_EVERY = 1000
CHUNK = 2000  # measures read at a time


def measures(items):
    """(item, its responsible bodies) of board.items() a chunk at a time: each chunk's bodies
    in one query, each plan (and its owner) read once. Prefetching and joining them for every
    row was two thirds of the job's time at 89,300 measures (docs/benchmarks.md)."""
    if not hasattr(items, "iterator"):  # a list: what was loaded with it
        yield from ((item, None) for item in items)
        return
    rows = items.select_related(None).prefetch_related(None).iterator(chunk_size=CHUNK)
    plans: dict[int, Roadmap] = {}
    while chunk := list(islice(rows, CHUNK)):
        missing = {item.roadmap_id for item in chunk} - plans.keys()
        plans |= Roadmap.objects.select_related("owner").in_bulk(missing)
        bodies = defaultdict(list)
        named = ItemResponsible.objects.filter(item__in=[item.pk for item in chunk])
        for body in named.select_related("organization__successor").order_by("position", "pk"):
            bodies[body.item_id].append(body)
        for item in chunk:
            item.roadmap = plans[item.roadmap_id]
            yield item, bodies.get(item.pk, [])


def row_values(item: RoadmapItem, responsibles=None) -> tuple:
    """One measure of board.items() (its plan and owner loaded; `responsibles` read apart,
    or None: loaded with it)."""
    last_day = deadlines.last_day(item)
    return (
        board.state_text(item),
        board.days_to_go(item),  # minus: overdue; a number, so the sheet sorts by it
        item.roadmap.owner.full_name,
        str(item.roadmap),
        item.number,
        with_markers(item),
        item.deadline_text,
        last_day.strftime("%d.%m.%Y") if last_day else "",
        "; ".join(item.responsible_display(responsibles)),
        item.document_type,
        item.get_status_display(),
        item.evidence_count,
    )


def export_board(items, path: str, progress: Callable[[int], object] | None = None) -> int:
    """Writes the measures to `path` in their order; a queryset is read in chunks.
    `progress(done)` is told every PROGRESS_EVERY rows (a job's progress bar)."""
    written = 0

    def rows():
        nonlocal written
        for item, responsibles in measures(items):
            yield row_values(item, responsibles)
            written += 1
            if progress is not None and written % PROGRESS_EVERY == 0:
                progress(written)

    write_table(path, SHEET, list(HEADERS), rows(), stream=True)
    if progress is not None:
        progress(written)
    return written
