"""The registry as rows of the typical form's 14 columns, read in a constant number of queries.

Used by the XLSX export and published versions: the rows of any size of queryset are
streamed, and links (column 12) and placement points (column 14) are read for each chunk.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from itertools import islice
from operator import itemgetter
from typing import NamedTuple

from django.db import connection, connections, router, transaction
from django.db.models import F

from portal.lookups import AnyOf
from registry.columns import COLUMNS, LINKS
from registry.models import LinkType, Organization, Process, ProcessLink

CHUNK_SIZE = 2000
LINK_SEPARATOR = "; "


def _links_by_process(ids: list[int], names: dict[int, str]) -> dict[int, str]:
    """Column 12 for the rows `ids` (one chunk): "2 (предшествующий); 5 (последующий)".

    Each side comes from the database already in display order and is appended to one
    string per row, so no per-link objects are kept. `names` caches other authorities' full
    names across chunks (short ones repeat between authorities, and the file must say which).
    """
    result: dict[int, str] = {}
    # This row as the successor lists its predecessors first, then as the predecessor.
    for this, other, link_type in (
        ("successor", "predecessor", LinkType.PREDECESSOR),
        ("predecessor", "successor", LinkType.SUCCESSOR),
    ):
        label = f" ({LinkType(link_type).label})"
        rows = list(
            ProcessLink.objects.filter(AnyOf(F(f"{this}_id"), ids))
            .order_by(
                F(f"{other}__identifier_number").asc(nulls_last=True),
                f"{other}__identifier",
                # The same identifier in two authorities' registries: by name, then row.
                f"{other}__authority__full_name",
                f"{other}_id",
            )
            .values_list(
                f"{this}_id",
                f"{this}__authority_id",
                f"{other}__identifier",
                f"{other}__authority_id",
            )
        )
        missing = {o for _, t, _, o in rows if o != t and o not in names}
        if missing:
            names.update(Organization.objects.filter(pk__in=missing).values_list("pk", "full_name"))
        for this_id, this_authority, identifier, other_authority in rows:
            ref = (
                identifier
                if other_authority == this_authority
                else f"{names[other_authority]}: {identifier}"
            )
            previous = result.get(this_id)
            result[this_id] = (
                ref + label if previous is None else previous + LINK_SEPARATOR + ref + label
            )
    return result


def format_links(entries, own_authority_id: int, names: dict[int, str]) -> str:
    """Column 12 from (side, identifier_number, identifier, authority_id, link_type) entries:
    predecessors first, then by identifier; another authority's rows prefixed by its name."""
    texts = []
    for _, _, ident, authority_id, link_type in sorted(
        entries, key=lambda e: (e[0], e[1] is None, e[1] or 0, e[2], names.get(e[3], ""), e[3])
    ):
        ref = ident if authority_id == own_authority_id else f"{names[authority_id]}: {ident}"
        texts.append(f"{ref} ({LinkType(link_type).label})")
    return LINK_SEPARATOR.join(texts)


def _placement_by_process(ids: list[int]) -> dict[int, list[str]]:
    through = Process.placement_points.through
    result: dict[int, list[str]] = defaultdict(list)
    rows = (
        through.objects.filter(AnyOf(F("process_id"), ids))
        .order_by("process_id", "placementpoint__order", "placementpoint_id")
        .values_list("process_id", "placementpoint__name")
    )
    for process_id, name in rows:
        result[process_id].append(name)
    return result


class RegistryRow(NamedTuple):
    pk: int
    authority_id: int
    values: list[str]  # columns 1 … 14 as text


def _row_plan():
    """Where each column's text is in a row of ROW_FIELDS (Column.row_lookups): its first
    lookup, and the fallbacks taken when that one is empty."""
    fields, first, fallbacks = ["pk", "authority_id"], [], []
    for index, column in enumerate(COLUMNS):
        at = len(fields)
        fields.extend(column.row_lookups)
        first.append(at if column.row_lookups else 0)  # the links' place, filled below
        fallbacks.extend((index, more) for more in range(at + 1, len(fields)))
    return tuple(fields), itemgetter(*first), tuple(fallbacks)


ROW_FIELDS, _FIRST, _FALLBACKS = _row_plan()
_LINKS_AT = COLUMNS.index(LINKS)
_POINTS_AT = tuple(index for index, column in enumerate(COLUMNS) if column.many_to_many)


def _chunk_size() -> int:
    # Column 12 and 14 are read per chunk with `id IN (…)`: SQLite takes 999 parameters.
    limit = connection.features.max_query_params
    return CHUNK_SIZE if limit is None else min(CHUNK_SIZE, limit - 1)


@contextmanager
def _no_parallel_workers(aliases):
    """PostgreSQL plans a chunk's link query in parallel, expecting a link per row (ten
    times too many): starting two workers took ~80 ms of a 5 ms query, for each of the
    export's 500 chunks at 1M rows (docs/benchmarks.md). Serial for the chunk's queries only:
    SET LOCAL in a transaction of their own, which ends the setting with it, so a
    connection shared through pgbouncer in transaction mode never keeps it for another
    client (a plain SET would stay with the server connection). Inside a caller's
    transaction it is a savepoint, rolled back so that the setting ends with it too."""
    postgres = [a for a in sorted(aliases) if connections[a].vendor == "postgresql"]
    with ExitStack() as stack:
        for alias in postgres:
            stack.enter_context(transaction.atomic(using=alias))
            with connections[alias].cursor() as cursor:
                cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        yield
        for alias in postgres:  # reads only: rolling back undoes nothing but the SET LOCAL
            transaction.set_rollback(True, using=alias)


def registry_rows(queryset) -> Iterator[RegistryRow]:
    """Every row of the queryset as the 14 columns of the form, in registry order.

    Plain tuples, not model instances: building seven objects per row made the export of
    100 000 rows twice as slow as writing the cells (docs/benchmarks.md). The rows stream
    (a server-side cursor on PostgreSQL), and columns 12 and 14 are read for each chunk of
    them, so memory stays flat for a million rows; the queries grow by four per chunk.
    """
    size = _chunk_size()
    rows = (
        queryset.order_by("authority__full_name", "authority_id", "identifier_number", "identifier")
        .values_list(*ROW_FIELDS)
        .iterator(chunk_size=size)
    )
    through = Process.placement_points.through
    aliases = {router.db_for_read(ProcessLink), router.db_for_read(through)}
    yield from _rows_of(rows, size, aliases)


def _rows_of(rows, size: int, aliases: set[str]) -> Iterator[RegistryRow]:
    names: dict[int, str] = {}
    while chunk := list(islice(rows, size)):
        ids = [row[0] for row in chunk]
        with _no_parallel_workers(aliases):  # never around a yield: the caller's time
            links = _links_by_process(ids, names)
            placements = _placement_by_process(ids)
        for row in chunk:
            pk = row[0]
            values = [value or "" for value in _FIRST(row)]
            for index, more in _FALLBACKS:
                values[index] = values[index] or row[more] or ""
            values[_LINKS_AT] = links.get(pk, "")
            for index in _POINTS_AT:
                points = placements.get(pk)
                if points:
                    values[index] = LINK_SEPARATOR.join(
                        [*points, values[index]] if values[index] else points
                    )
            yield RegistryRow(pk, row[1], values)
