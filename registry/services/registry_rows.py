"""The registry as rows of the typical form's 14 columns, read in a constant number of queries.

Used by the XLSX export (and later by published versions): the rows of any size of queryset
are streamed, while links (column 12) and placement points (column 14) are each read once for
the whole set.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from operator import itemgetter
from typing import NamedTuple

from django.db.models import F

from registry.columns import COLUMNS, LINKS
from registry.models import LinkType, Organization, Process, ProcessLink

CHUNK_SIZE = 2000
LINK_SEPARATOR = "; "


def _links_by_process(queryset) -> dict[int, str]:
    """Column 12 for every row of the queryset: "2 (предшествующий); 5 (последующий)".

    Each side comes from the database already in display order and is appended to one
    string per row, so 100 000 rows need no per-link objects in memory.
    """
    ids = queryset.values("pk")
    # The other end's authority of each link across authorities, one side at a time: with
    # both sides in one OR PostgreSQL guessed 40× the links of 2 000 rows and merge-joined a
    # million rows twice (12 s at 1M rows, docs/benchmarks.md); one side is an index lookup.
    foreign = set()
    for this, other in (("successor", "predecessor"), ("predecessor", "successor")):
        foreign.update(
            ProcessLink.objects.filter(**{f"{this}__in": ids})
            .exclude(**{f"{other}__authority": F(f"{this}__authority")})
            .values_list(f"{other}__authority_id", flat=True)
            .distinct()
        )
    # Full names: short ones repeat between authorities, and the file must say which.
    names = dict(Organization.objects.filter(pk__in=foreign).values_list("pk", "full_name"))
    result: dict[int, str] = {}
    # This row as the successor lists its predecessors first, then as the predecessor.
    for this, other, link_type in (
        ("successor", "predecessor", LinkType.PREDECESSOR),
        ("predecessor", "successor", LinkType.SUCCESSOR),
    ):
        label = f" ({LinkType(link_type).label})"
        rows = (
            ProcessLink.objects.filter(**{f"{this}__in": ids})
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
        for this_id, this_authority, identifier, other_authority in rows.iterator(
            chunk_size=CHUNK_SIZE
        ):
            ref = (
                identifier
                if other_authority == this_authority
                else (f"{names[other_authority]}: {identifier}")
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


def _placement_by_process(queryset) -> dict[int, list[str]]:
    through = Process.placement_points.through
    result: dict[int, list[str]] = defaultdict(list)
    rows = (
        through.objects.filter(process__in=queryset.values("pk"))
        .order_by("process_id", "placementpoint__order", "placementpoint_id")
        .values_list("process_id", "placementpoint__name")
    )
    for process_id, name in rows.iterator(chunk_size=CHUNK_SIZE):
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


def registry_rows(queryset) -> Iterator[RegistryRow]:
    """Every row of the queryset as the 14 columns of the form, in registry order.

    Plain tuples, not model instances: building seven objects per row made the export of
    100 000 rows twice as slow as writing the cells (docs/benchmarks.md).
    """
    links = _links_by_process(queryset)
    placements = _placement_by_process(queryset)
    rows = (
        queryset.order_by("authority__full_name", "authority_id", "identifier_number", "identifier")
        .values_list(*ROW_FIELDS)
        .iterator(chunk_size=CHUNK_SIZE)
    )
    for row in rows:
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
